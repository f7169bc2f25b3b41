"""Copy the licence texts of every bundled component into resources/licenses/ (run when deps change).

The About dialog shows these files and the bundle carries them, so the installed app meets the
notice requirements of LGPLv3 (Qt), Apache-2.0 (the font), BSD/MIT/PSF (the Python libraries).
Usage: packaging/.venv-build/bin/python packaging/collect_licenses.py (the build venv also has PyInstaller)
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "resources" / "licenses"

# distribution name → output file stem
DISTRIBUTIONS = {
    "reportlab": "reportlab",
    "openpyxl": "openpyxl",
    "et_xmlfile": "et_xmlfile",
    "SQLAlchemy": "sqlalchemy",
    "alembic": "alembic",
    "Mako": "mako",
    "MarkupSafe": "markupsafe",
    "platformdirs": "platformdirs",
    "pypdf": "pypdf",
    "pypdfium2": "pypdfium2",  # Windows only (printing); the text is taken from the win_amd64 wheel
    "pillow": "pillow",
    "charset-normalizer": "charset_normalizer",
    "typing_extensions": "typing_extensions",
    "cryptography": "cryptography",  # signatures of packages
    "cffi": "cffi",
    "pycparser": "pycparser",
    "psycopg": "psycopg",  # the county server's driver
    "psycopg-binary": "psycopg_binary",  # with libpq (PostgreSQL licence) and OpenSSL inside
    "pyinstaller": "pyinstaller",  # its bootloader is in every bundle; only the build venv has it
}
OPTIONAL = {"pyinstaller", "pypdfium2"}
# Texts not shipped in a wheel: Qt's (PySide6 wheels carry none) and Python's own.
SYSTEM_TEXTS = {
    "LGPL-3.0": Path("/usr/share/common-licenses/LGPL-3"),
    "GPL-3.0": Path("/usr/share/common-licenses/GPL-3"),
    "python": Path(sys.base_prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "LICENSE.txt",
}


# Libraries a wheel carries inside it without their own notices (psycopg-binary's psycopg_binary.libs/):
# the upstream licences, taken from the Debian packages of the same libraries.
CARRIED = {
    "psycopg-binary": (
        ("libpq (PostgreSQL License)", Path("/usr/share/doc/libpq5/copyright")),
        ("OpenSSL 3 (Apache License 2.0)", Path("/usr/share/common-licenses/Apache-2.0")),
        ("MIT Kerberos (libkrb5, libgssapi_krb5, libk5crypto, libcom_err)", Path("/usr/share/doc/libkrb5-3/copyright")),
        ("OpenLDAP (liblber, libldap)", Path("/usr/share/doc/libldap-2.5-0/copyright")),
        ("Cyrus SASL (libsasl2)", Path("/usr/share/doc/libsasl2-2/copyright")),
    ),
}


def licence_files(dist: metadata.Distribution) -> list[Path]:
    found = []
    for f in dist.files or []:
        name = f.name.lower()
        if name.startswith(("license", "licence", "copying")) and "dist-info" in str(f.parent):
            found.append(Path(dist.locate_file(f)))
    return sorted(found)


def main() -> int:
    TARGET.mkdir(parents=True, exist_ok=True)
    missing = []
    for dist_name, stem in DISTRIBUTIONS.items():
        try:
            dist = metadata.distribution(dist_name)
        except metadata.PackageNotFoundError:
            if dist_name in OPTIONAL and (TARGET / f"{stem}.txt").is_file():
                continue  # keep the copy taken from the build venv
            missing.append(dist_name)
            continue
        files = licence_files(dist)
        if not files:
            missing.append(dist_name)
            continue
        text = "\n\n".join(f.read_text(encoding="utf-8", errors="replace").strip() for f in files)
        for title, path in CARRIED.get(dist_name, ()):
            if not path.is_file():
                missing.append(str(path))
                continue
            text += f"\n\n\n{title}\n{'-' * 60}\n\n" + path.read_text(encoding="utf-8", errors="replace").strip()
        header = f"{dist.metadata['Name']} {dist.version}\n{'=' * 60}\n\n"
        (TARGET / f"{stem}.txt").write_text(header + text + "\n", encoding="utf-8")
    for stem, path in SYSTEM_TEXTS.items():
        if not path.is_file():
            missing.append(str(path))
            continue
        (TARGET / f"{stem}.txt").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    for name in missing:
        print(f"missing licence text: {name}", file=sys.stderr)
    print(f"wrote {len(list(TARGET.glob('*.txt')))} files to {TARGET}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

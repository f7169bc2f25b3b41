"""Static checks of the packaging files that cannot be exercised here (Windows installer) or are slow
(the PyInstaller build): the promises the README makes about them hold in the files themselves."""

from __future__ import annotations

import configparser
import re
import subprocess
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def test_installer_is_per_user_with_shortcuts_and_keeps_data():
    raw = (PACKAGING / "windows" / "installer.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup needs a BOM to read the Chinese text as UTF-8"
    iss = raw.decode("utf-8-sig").replace("\r\n", "\n")
    assert re.search(r"^PrivilegesRequired=lowest$", iss, re.M)
    assert "PrivilegesRequiredOverridesAllowed" not in iss  # no "install for all users" question
    assert re.search(r"^Name: \"\{autoprograms\}\\\{#AppName\}\"; Filename: \"\{app\}\\\{#AppExe\}\"", iss, re.M)
    assert re.search(r"^Name: \"\{autodesktop\}\\", iss, re.M)
    assert "dangjian-ledger-cli.exe\"; Parameters: \"--self-test --pause\"" in iss
    # The uninstaller must never be told to delete the user's data folder.
    assert "[UninstallDelete]" not in iss
    assert "{localappdata}" not in iss and "{userappdata}" not in iss
    assert "SetupIconFile=..\\..\\resources\\icons\\app.ico" in iss


def test_desktop_entry_is_valid():
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(PACKAGING / "linux" / "dangjian-ledger.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == "党建积分台账"
    assert section["Exec"].split()[0] == "dangjian-ledger"
    assert section["Icon"] == "dangjian-ledger"
    assert section["Categories"].endswith(";")


def test_icons_exist_at_every_size():
    for size in (16, 24, 32, 48, 64, 128, 256):
        with Image.open(ROOT / "resources" / "icons" / f"app-{size}.png") as img:
            assert img.size == (size, size)
            assert img.getpixel((size // 2, size // 2))[3] == 255  # the disc is opaque, the corners not
            assert img.getpixel((0, 0))[3] == 0
    with Image.open(ROOT / "resources" / "icons" / "app.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])


def test_build_lock_pins_pyinstaller_and_the_app_dependencies_with_hashes():
    lock = (PACKAGING / "requirements-build.lock").read_text(encoding="utf-8")
    main = (ROOT / "requirements" / "main.lock").read_text(encoding="utf-8")
    pins = dict(re.findall(r"^([a-z0-9_.-]+)==([^\s;]+)", lock, re.M))
    assert pins["pyinstaller"] == "6.22.3"
    for name, version in re.findall(r"^([a-z0-9_.-]+)==([^\s;]+)", main, re.M):
        assert pins.get(name) == version, f"{name} differs from requirements/main.lock"
    assert lock.count("==") <= lock.count("--hash=sha256:")


def test_scripts_parse():
    result = subprocess.run(["bash", "-n", str(PACKAGING / "build_linux.sh")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    result = subprocess.run(["bash", "-n", str(PACKAGING / "linux" / "install.sh")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    compile((PACKAGING / "dangjian-ledger.spec").read_text(encoding="utf-8"), "dangjian-ledger.spec", "exec")

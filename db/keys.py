"""The key folder beside a ledger file: per-installation secrets that a database tool edit cannot reach.

``<ledger>.keys/`` holds
- ``seal.key``: 32 random bytes (hex) keying the row seals and the audit chain;
- ``audit.anchor``: the audit log's length and head hash with a keyed MAC (see app/services/kernel/audit.py);
- ``signing.key`` / ``trusted.json``: the installation's Ed25519 key pair and pinned senders (app layer).

Files are written atomically (temporary file, then rename) and, where the OS supports it, readable by
the owner only (folder 0700, files 0600). An in-memory database gets a key that lives as long as the process.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import threading
from pathlib import Path

from .errors import DatabaseError

SUFFIX = ".keys"
SEAL_KEY = "seal.key"
_memory_key = secrets.token_bytes(32)


def folder_for(db_path: Path) -> Path | None:
    """The key folder of a ledger file (None for an in-memory database)."""
    if str(db_path) == ":memory:":
        return None
    return Path(db_path).with_name(Path(db_path).name + SUFFIX)


def write_private(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write atomically, owner-only where the OS supports it. ``exclusive``: never replace an existing
    file (FileExistsError instead), so two clients creating the same key at once end up sharing one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # owner-only where the OS has such modes
        os.chmod(path.parent, 0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if exclusive:
            os.link(tmp, path)  # fails when the file exists; never half-written either way
            tmp.unlink()
        else:
            os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def seal_key(db_path: Path, *, create: bool = True) -> tuple[bytes, bool]:
    """(the installation's seal key, whether it was just created). Raises DatabaseError when unreadable."""
    folder = folder_for(db_path)
    if folder is None:
        return _memory_key, False
    path = folder / SEAL_KEY
    try:
        if path.exists():
            key = bytes.fromhex(path.read_text(encoding="ascii").strip())
            if len(key) != 32:
                raise ValueError("length")
            return key, False
    except (OSError, ValueError, UnicodeDecodeError):
        raise DatabaseError(f"密钥文件“{path}”无法读取或已损坏：请从备份中恢复数据文件及其旁边的 .keys 文件夹") from None
    if not create:
        raise DatabaseError(f"找不到密钥文件“{path}”")
    key = secrets.token_bytes(32)
    try:
        write_private(path, key.hex().encode("ascii"), exclusive=True)
    except FileExistsError:  # another client of the same folder made it a moment ago: use that one
        return seal_key(db_path, create=False)[0], False
    except OSError as e:
        raise DatabaseError(f"无法在“{folder}”中保存密钥：{e.strerror or e}") from None
    return key, True


def key_id(key: bytes) -> str:
    """A public name for a key (never the key itself): tells whether a file was sealed with it."""
    return hmac.new(key, b"dangjian-ledger/key-id", hashlib.sha256).hexdigest()[:32]


ANCHOR = "audit.anchor"


def _anchor_mac(key: bytes, count: int, head: str) -> str:
    return hmac.new(key, f"audit-anchor\x1f{count}\x1f{head}".encode(), hashlib.sha256).hexdigest()


def write_anchor(db_path: Path, key: bytes, count: int, head: str) -> None:
    """Record the audit log's length and head hash outside the data file (after each committed write)."""
    folder = folder_for(db_path)
    if folder is None:
        return
    body = f'{{"count": {count}, "head": "{head}", "mac": "{_anchor_mac(key, count, head)}"}}'
    with contextlib.suppress(OSError):  # a full disk must not undo a committed write; the check will say so
        write_private(folder / ANCHOR, body.encode("ascii"))


def read_anchor(db_path: Path, key: bytes) -> tuple[int, str] | str | None:
    """(count, head) when the anchor is present and genuine; None when absent; "forged" when its MAC fails."""
    import json

    folder = folder_for(db_path)
    if folder is None or not (folder / ANCHOR).exists():
        return None
    try:
        body = json.loads((folder / ANCHOR).read_text(encoding="ascii"))
        count, head, mac = int(body["count"]), str(body["head"]), str(body["mac"])
    except (OSError, ValueError, KeyError, TypeError):
        return "forged"
    if not hmac.compare_digest(mac, _anchor_mac(key, count, head)):
        return "forged"
    return count, head


# What a backup carries beside its copy of the file: the seal key, the signing key and the pins, so a
# restored ledger is still this installation. The anchor is not copied but written afresh for the copy
# (anchor_for_file), because the live one may already count a write made after the snapshot.
CARRIED = (SEAL_KEY, "signing.key", "trusted.json")


def has_keys(db_path: Path) -> bool:
    """Whether a ledger file (e.g. a backup) has a seal key beside it."""
    folder = folder_for(db_path)
    return folder is not None and (folder / SEAL_KEY).is_file()


def copy_keys(source_db: Path, target_db: Path) -> list[str]:
    """Copy the carried key files of ``source_db``'s folder into ``target_db``'s (owner-only, atomically).

    Returns the names copied. Raises OSError (callers word it for people).
    """
    src, dst = folder_for(source_db), folder_for(target_db)
    if src is None or dst is None:
        return []
    copied = []
    for name in CARRIED:
        if (src / name).is_file():
            write_private(dst / name, (src / name).read_bytes())
            copied.append(name)
    return copied


def anchor_for_file(db_path: Path, key: bytes) -> tuple[int, str]:
    """Write the anchor of a still file (a backup copy) from its own audit log; returns (count, head)."""
    import sqlite3

    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        if con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='audit_log'").fetchone():
            count, head = con.execute(
                "SELECT count(*), (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) FROM audit_log").fetchone()
        else:
            count, head = 0, ""
    finally:
        con.close()
    folder = folder_for(db_path)
    if folder is not None:
        body = f'{{"count": {count}, "head": "{head or ""}", "mac": "{_anchor_mac(key, count, head or "")}"}}'
        write_private(folder / ANCHOR, body.encode("ascii"))
    return count, head or ""


def remove_folder(db_path: Path) -> None:
    """Delete the key folder of a file being deleted (a thinned backup). Missing is fine."""
    import shutil

    folder = folder_for(db_path)
    if folder is not None and folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)

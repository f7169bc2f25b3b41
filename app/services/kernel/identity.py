"""Who this installation is: a unique unit id (UUID, in the settings) and an Ed25519 key pair.

The private key lives in the ledger's key folder (``<ledger>.keys/signing.key``, owner-only), is
created on first start and never leaves this PC; packages carry the public key and a signature.
A fingerprint (SHA-256 of the public key, in groups of four hex digits) is what people compare,
for instance by reading it out over the phone.
"""

from __future__ import annotations

import hashlib
import json
import uuid

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.errors import DatabaseError
from db import keys
from db.models import Setting

from . import audit
from .context import Ledger

SIGNING_KEY = "signing.key"
_memory_keys: dict[int, Ed25519PrivateKey] = {}


def unit_id(ledger: Ledger) -> str:
    with ledger.db.read() as s:
        row = s.get(Setting, "unit_id")
    return "" if row is None else str(json.loads(row.value))


def ensure_unit_id(ledger: Ledger) -> str:
    """Give the file its unit id on first open (a new file, or one made before unit ids existed); audited."""
    found = unit_id(ledger)
    if found or ledger.db.read_only:
        return found
    new = str(uuid.uuid4())
    with ledger.db.write() as s:
        if s.get(Setting, "unit_id") is not None:
            return str(json.loads(s.get(Setting, "unit_id").value))
        s.add(Setting(key="unit_id", value=json.dumps(new)))
        audit.record(s, ledger, "设置修改", "setting", summary="本单位标识（首次建立）", changes={"unit_id": (None, new)})
    return new


def fingerprint(public_raw: bytes) -> str:
    """The fingerprint people compare: 32 hex digits of SHA-256 in groups of four."""
    h = hashlib.sha256(public_raw).hexdigest()[:32].upper()
    return " ".join(h[i:i + 4] for i in range(0, 32, 4))


def signing_key(ledger: Ledger, *, create: bool = True) -> Ed25519PrivateKey:
    """This installation's private key, created on first use."""
    folder = keys.folder_for(ledger.path)
    if folder is None:
        return _memory_keys.setdefault(id(ledger.db), Ed25519PrivateKey.generate())
    path = folder / SIGNING_KEY
    if path.exists():
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (OSError, ValueError, TypeError):
            raise DatabaseError(f"签名密钥“{path}”无法读取或已损坏：请从备份恢复 .keys 文件夹") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise DatabaseError(f"签名密钥“{path}”不是本软件的密钥")
        return key
    if not create:
        raise DatabaseError(f"找不到签名密钥“{path}”")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    try:
        keys.write_private(path, pem)
    except OSError as e:
        raise DatabaseError(f"无法在“{folder}”中保存签名密钥：{e.strerror or e}") from None
    return key


def public_raw(ledger: Ledger) -> bytes:
    return signing_key(ledger).public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def own_fingerprint(ledger: Ledger) -> str:
    return fingerprint(public_raw(ledger))


def sign(ledger: Ledger, message: bytes) -> bytes:
    return signing_key(ledger).sign(message)


def verify(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def describe(db_path) -> tuple[str, str, str, str]:
    """(unit name, unit id, key fingerprint, key folder) of a ledger file, read without opening it for
    writing and without creating anything (for ``--version`` and 关于); "" for what is not there yet."""
    import sqlite3
    from pathlib import Path

    path = Path(db_path)
    folder = keys.folder_for(path)
    name = uid = fp = ""
    if path.is_file():
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                found = dict(con.execute("SELECT key, value FROM settings WHERE key IN ('unit_name', 'unit_id')"))
            finally:
                con.close()
            name = str(json.loads(found.get("unit_name", '""')) or "")
            uid = str(json.loads(found.get("unit_id", '""')) or "")
        except (sqlite3.Error, ValueError, TypeError):
            pass  # not a ledger (yet): nothing to say about it
    if folder is not None and (folder / SIGNING_KEY).is_file():
        try:
            key = serialization.load_pem_private_key((folder / SIGNING_KEY).read_bytes(), password=None)
            if isinstance(key, Ed25519PrivateKey):
                fp = fingerprint(key.public_key().public_bytes(serialization.Encoding.Raw,
                                                               serialization.PublicFormat.Raw))
        except (OSError, ValueError, TypeError):
            fp = ""
    return name, uid, fp, str(folder or "")

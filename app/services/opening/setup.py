"""Opening a ledger file: migrate, seed the 一本通 structure, and start a blank unit on first run."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from app.paths import resources_dir, server_keys_home
from app.services.kernel import audit, identity, settings
from app.services.kernel.context import Ledger
from app.services.register import orgs
from app.services.safety import integrity
from db.migrate import open_database
from db.models import Organization, RecordSection, RecordType, Setting


def open_ledger(path, *, user: str = "管理员", backup_dir: Path | None = None) -> Ledger:
    """Open (creating and migrating as needed) a ledger file or server database (db/url.py) and make
    sure its seed data exists."""
    ledger = Ledger(open_database(path, backup_dir=backup_dir, user=user, key_home=server_keys_home()), user=user)
    if not ledger.db.read_only:
        ensure_keyed(ledger)
    ensure_seeded(ledger)
    if not ledger.db.read_only:
        identity.ensure_unit_id(ledger)  # a unique sender identity, also for files made before it existed
        identity.signing_key(ledger)  # the key pair is made on first start, not at the first export
    return ledger


def ensure_keyed(ledger: Ledger) -> None:
    """A file made before per-installation keys is re-sealed with this installation's key (audited);
    see app/services/safety/integrity.reseal_legacy."""
    integrity.reseal_legacy(ledger)


def load_yibentong() -> dict:
    return json.loads((resources_dir() / "yibentong.json").read_text(encoding="utf-8"))


def ensure_seeded(ledger: Ledger) -> None:
    """Idempotent: insert the default 7 大项 / 17 小项 when the file has none."""
    if ledger.db.read_only:
        return
    with ledger.db.read() as s:
        if s.scalar(select(func.count()).select_from(RecordType)):
            return
    data = load_yibentong()
    with ledger.db.write() as s:
        if s.scalar(select(func.count()).select_from(RecordType)):
            return
        for si, sec in enumerate(data["sections"]):
            s.add(RecordSection(code=sec["code"], name=sec["name"], sort_order=si))
            s.flush()
            for ti, t in enumerate(sec["types"]):
                s.add(
                    RecordType(
                        code=t["code"], section_code=sec["code"], name=t["name"], form=t["form"],
                        source=t.get("source", "record"), frequency=t.get("frequency", ""), sort_order=ti,
                    )
                )
        audit.record(s, ledger, "初始化", "record_type", summary="写入一本通 7 大项 17 小项结构")


def is_empty(ledger: Ledger) -> bool:
    with ledger.db.read() as s:
        return not s.scalar(select(func.count()).select_from(Organization))


def initialize(ledger: Ledger, unit_name: str) -> None:
    """Start an empty ledger for a unit: its name, and the unit itself as the root organisation."""
    settings.set_value(ledger, "unit_name", unit_name)
    with ledger.db.read() as s:
        has_root = s.scalar(select(func.count()).select_from(Organization).where(Organization.parent_id.is_(None)))
        has_setting = s.get(Setting, "unit_code") is not None
    if not has_root:
        orgs.add_org(ledger, code="00", name=unit_name, sector="机关事业单位", kind="工委")
        if not has_setting:
            settings.set_value(ledger, "unit_code", "00")

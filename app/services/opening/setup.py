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
    """Idempotent: insert the default 7 大项 / 18 小项 when the file has none, and any default 小项 a
    later version added (e.g. 7.4 结对共建活动) to a file seeded before it."""
    if ledger.db.read_only:
        return
    data = load_yibentong()
    wanted = {t["code"] for sec in data["sections"] for t in sec["types"]}
    with ledger.db.read() as s:
        have = set(s.scalars(select(RecordType.code)))
        if have and wanted <= have:
            return
    with ledger.db.write() as s:
        have = set(s.scalars(select(RecordType.code)))
        names = set(s.scalars(select(RecordType.name)))
        sections = set(s.scalars(select(RecordSection.code)))
        added = []
        for si, sec in enumerate(data["sections"]):
            if sec["code"] not in sections:
                if have:
                    continue  # a file with its own structure: only types of its existing sections are added
                s.add(RecordSection(code=sec["code"], name=sec["name"], sort_order=si))
                s.flush()
            for ti, t in enumerate(sec["types"]):
                if t["code"] in have or t["name"] in names:
                    continue
                s.add(
                    RecordType(
                        code=t["code"], section_code=sec["code"], name=t["name"], form=t["form"],
                        source=t.get("source", "record"), frequency=t.get("frequency", ""), sort_order=ti,
                    )
                )
                added.append(f"{t['code']} {t['name']}")
        if not added:
            return
        if have:
            audit.record(s, ledger, "补充一本通小项", "record_type", summary="新增 " + "、".join(added))
        else:
            audit.record(s, ledger, "初始化", "record_type",
                         summary=f"写入一本通 {len(data['sections'])} 大项 {len(added)} 小项结构")


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

"""Exchange packages between installations: what a scope holds, and merging one in.

A merge matches rows by their stable keys (see exchange_rows). For each row: new here → added;
the same → nothing; changed only on the other side since the last exchange with that sender →
updated; changed only here → kept; changed on both sides (or never exchanged before and
different) → a conflict the user decides.

"The last exchange" is known from both directions: this installation remembers each row as the
sender last sent it (exchange_row_states), and a package carries, for every peer of the sender,
each row as that peer last sent it to the sender, with when that peer made that package
("received"). Whichever exchange was later, our last import from the sender or the sender's last
import from us (both times on our clock), gives the one reference each row is compared with. So
the first package coming back the other way (township → county → township) updates what only the
county changed instead of calling every difference a conflict, and a value changed back to an
older one is never mistaken for "untouched". Everything is written in one transaction after a
backup, with month locks checked for every score and record written, and the derived ledger
columns recomputed. Deletions do not travel.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.errors import ConflictError, ValidationError
from app.services.kernel import audit, identity, permissions, settings
from app.services.kernel.context import Ledger
from app.services.register.orgs import get_org_row
from app.services.safety import backups
from db.models import Organization
from db.models_io import ExchangePeer, ExchangeRowState
from db.types import utcnow

from .rows import (
    DELETABLE,
    ENTITIES,
    ENTITY_LABELS,
    FIELD_LABELS,
    ROSTER_ENTITIES,
    collect,
    deletions,
    row_hash,
    row_key,
    subtree_ids,
)
from .write import Writer

MINE, THEIRS = "mine", "theirs"
ORG_REFS = ("org_uuid", "parent_uuid", "strong_uuid", "weak_uuid", "committee_uuid")


@dataclass(frozen=True)
class ScopeExport:
    payload: dict
    source_code: str
    source_name: str
    scope_code: str
    scope_name: str
    scope_uuid: str
    year: int
    with_roster: bool

    @property
    def counts(self) -> dict[str, int]:
        return {e: len(rows) for e, rows in self.payload.items() if isinstance(rows, list)}


@dataclass(frozen=True)
class Conflict:
    entity: str
    key: str
    label: str
    fields: tuple[tuple[str, str, str], ...]  # (field, here, in the package)


@dataclass
class MergePlan:
    source: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # entity → action → n
    conflicts: list[Conflict] = field(default_factory=list)
    new_decisions: bool = False  # a deletion the user chose not to follow, to be remembered

    def total(self, action: str) -> int:
        return sum(c.get(action, 0) for c in self.counts.values())

    @property
    def changes_anything(self) -> bool:
        return bool(self.total("add") or self.total("update") or self.total("delete"))

    def summary(self) -> str:
        parts = []
        for entity in ENTITIES:
            c = self.counts.get(entity)
            if c and (c.get("add") or c.get("update") or c.get("delete") or c.get("keep") or c.get("conflict")):
                bits = [f"{label} {c[a]}" for a, label in (("add", "新增"), ("update", "更新"), ("delete", "删除"),
                                                          ("keep", "保留本机"), ("conflict", "冲突")) if c.get(a)]
                parts.append(f"{ENTITY_LABELS[entity]}：{'，'.join(bits)}")
        return "；".join(parts) or "没有任何变化"


def schema_heads() -> list[str]:
    """The database schema revisions this version writes (named in a package's manifest)."""
    from db.migrate import known_revisions

    return sorted(known_revisions()[1])


def known_schema() -> frozenset[str]:
    """Every schema revision this version knows; a package naming any other came from a newer version."""
    from db.migrate import known_revisions

    return known_revisions()[0]


def source_identity(ledger: Ledger) -> tuple[str, str]:
    """(this installation's unit id, its name): the sender identity a package carries, and the key of peers."""
    name = str(settings.get(ledger, "unit_name") or "")
    return identity.ensure_unit_id(ledger), name


def export_scope(ledger: Ledger, scope_code: str, year: int, *, with_roster: bool = False) -> ScopeExport:
    """The rows of an organisation subtree and a year, ready for a package; audited."""
    from app.services.kernel import validate

    year = validate.year(year)
    if with_roster:
        permissions.require(ledger, "export_personal")
    code, name = source_identity(ledger)
    with ledger.db.write() as s:
        root = get_org_row(s, scope_code)
        permissions.require_org(s, ledger, root, "导出")
        if not name:  # a file never given a unit name (e.g. a county's working copy): the scope names the sender
            name = root.name
        ids = subtree_ids(s, root.id)
        payload = collect(s, root.id, ids, year, with_roster=with_roster)
        payload = {"scope_uuid": root.uuid, "year": year, **payload,
                   "deletions": deletions(s, ids, year, payload)}
        payload["sent_at"] = utcnow().isoformat()
        payload["received"] = _received(s, payload)
        audit.record(s, ledger, "导出数据包", "package", org_code=root.code,
                     summary=f"{root.name} {year} 年数据包（{len(ids)} 个组织）")
        if with_roster:
            audit.record(s, ledger, "导出个人信息", "package", org_code=root.code,
                         summary=f"数据包含党员花名册 {len(payload['members'])} 人、支委会成员 {len(payload['committee'])} 人")
        return ScopeExport(payload, code, name, root.code, root.name, root.uuid, year, with_roster)


def _received(s: Session, payload: dict) -> dict[str, dict]:
    """For each peer: when it made the last package we merged, and each row of this package as that
    package had it, by row index ({"sent_at": …, "rows": {entity: {"7": hash}}})."""
    t = ExchangeRowState.__table__
    keys = {e: [row_key(e, r) for r in payload.get(e, [])] for e in ENTITIES}
    out: dict[str, dict] = {}
    for peer_id, source, sent_at in s.execute(select(ExchangePeer.id, ExchangePeer.source, ExchangePeer.last_sent_at)):
        rows = {}
        for entity, wanted in keys.items():
            known: dict[str, str] = {}
            for start in range(0, len(wanted), 500):
                known.update(s.execute(select(t.c.row_key, t.c.row_hash).where(
                    t.c.peer_id == peer_id, t.c.entity == entity, t.c.row_key.in_(wanted[start:start + 500]))).all())
            if known:
                rows[entity] = {str(i): known[k] for i, k in enumerate(wanted) if k in known}
        if rows and sent_at:
            out[source] = {"sent_at": sent_at, "rows": rows}
    return out


def _refuse_older(payload: dict, peer: ExchangePeer | None, sender: str) -> None:
    """An older package from a sender after a newer one would quietly put old values back: refuse it."""
    sent, last = str(payload.get("sent_at") or ""), peer.last_sent_at if peer is not None else ""
    if sent and last and datetime.fromisoformat(sent) < datetime.fromisoformat(last):
        def local(stamp: str) -> str:
            return datetime.fromisoformat(stamp).replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")

        raise ValidationError(f"这个数据包是“{sender}”于 {local(sent)} 导出的，比本机已导入的那一份（{local(last)} 导出）旧；"
                              "导入旧数据包会把数据改回旧值，已拒绝。请向对方索取最新的数据包")


def _reference(payload: dict, me: str, peer: ExchangePeer | None) -> dict[str, dict[str, str]] | None:
    """The sender's echo of our rows if the sender's last import from us came after our last import
    from it; None when our own record of the sender's rows is the later (or only) reference."""
    echo = payload.get("received", {}).get(me)
    if not echo:
        return None
    sent = datetime.fromisoformat(echo["sent_at"])
    if peer is not None and peer.last_import_at is not None and peer.last_import_at >= sent:
        return None
    return echo["rows"]


def _org_map(s: Session, incoming: list[dict]) -> dict[str, str]:
    """Incoming organisation uuid → the uuid of the same organisation here.

    Matched by uuid. An organisation the two installations registered separately (another uuid) is
    taken as the same only when both its code and its name agree; the same code with another name is
    two different organisations clashing, shown to the user and never merged silently."""
    by_uuid = {u for (u,) in s.execute(select(Organization.uuid))}
    by_code = {code: (uuid, name) for code, uuid, name in s.execute(
        select(Organization.code, Organization.uuid, Organization.name))}
    out, clashes = {}, []
    for o in incoming:
        if o["uuid"] in by_uuid:
            out[o["uuid"]] = o["uuid"]
        elif o["code"] in by_code:
            uuid, name = by_code[o["code"]]
            if name == o["name"]:
                out[o["uuid"]] = uuid
            else:
                clashes.append(f"{o['code']}（数据包中为“{o['name']}”，本机为“{name}”）")
    if clashes:
        listed = "；".join(clashes[:10]) + (f"……共 {len(clashes)} 个" if len(clashes) > 10 else "")
        raise ConflictError(f"数据包中有 {len(clashes)} 个党组织的编码与本机另一个组织相同：{listed}。"
                            "它们是不同的组织，不能合并；请先在一方修改组织编码后再导入，未写入任何数据")
    return out


def _normalise(payload: dict, org_map: dict[str, str]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for entity in ENTITIES:
        rows = []
        for row in payload.get(entity, []):
            row = dict(row)
            for ref in ORG_REFS:
                if row.get(ref) is not None:
                    row[ref] = org_map.get(row[ref], row[ref])
            if entity == "organizations":
                row["uuid"] = org_map.get(row["uuid"], row["uuid"])
            rows.append(row)
        out[entity] = rows
    return out


def _describe(entity: str, here: dict, there: dict, names: dict[str, str]) -> Conflict:
    def show(k: str, v: object) -> str:
        return names.get(v, _txt(v)) if k in ORG_REFS else _txt(v)  # organisations by name, not uuid

    fields = tuple((FIELD_LABELS.get(k, k), show(k, here.get(k)), show(k, there.get(k)))
                   for k in sorted(set(here) | set(there)) if k != "uuid" and here.get(k) != there.get(k))
    who = names.get(there.get("org_uuid") or there.get("uuid") or there.get("strong_uuid") or "", "")
    when = "-".join(str(there[k]) for k in ("year", "quarter", "month") if k in there and there[k] is not None)
    label = " ".join(x for x in (ENTITY_LABELS[entity], who, when, there.get("item_code") or there.get("topic") or "") if x)
    return Conflict(entity, row_key(entity, there), label, fields)


def _txt(v: object) -> str:
    return "" if v is None else str(v)


def merge(ledger: Ledger, payload: dict, source: str, source_name: str = "", *, decisions: dict | None = None,
          dry_run: bool = False, file_name: str = "") -> MergePlan:
    """Plan (dry run) or apply a package's rows. Unresolved conflicts stop an apply with nothing written."""
    decisions = decisions or {}
    if not dry_run:
        permissions.require(ledger, "import")
    me = source_identity(ledger)[0]
    if dry_run:
        with ledger.db.read() as s:
            return _plan(s, ledger, me, payload, source, source_name, decisions)
    with ledger.db.read() as s:
        plan = _plan(s, ledger, me, payload, source, source_name, decisions)
    unresolved = [c for c in plan.conflicts if (c.entity, c.key) not in decisions]
    if unresolved:
        raise ConflictError(f"数据包与本机数据有 {len(unresolved)} 处冲突，请逐条选择保留哪一方后再导入")
    if not plan.changes_anything and not plan.conflicts and not plan.new_decisions \
            and _snapshots_current(ledger, payload, source):
        return plan
    with backups.write_after_backup(ledger, "导入数据包前") as (s, _backup):
        plan = _merge(s, ledger, me, payload, source, source_name, decisions, write=True)
        audit.record(s, ledger, "导入数据包", "package", summary=f"来自“{source_name or source}”的数据包"
                     f"{f'（{file_name}）' if file_name else ''}：{plan.summary()}")
        return plan


KEPT = "kept:"  # snapshot of a deletion the user chose not to follow: asked once, not at every import


def _plan_deletions(payload: dict, org_map: dict[str, str], local_by_key: dict, base: dict, decisions: dict,
                    names: dict[str, str], plan: MergePlan, actions: dict, snapshots: dict) -> None:
    """A row deleted by the sender is deleted here if it is as both sides last exchanged it; if it was
    changed here since (or never came from this sender) the deletion is a conflict for the user."""
    for dl in payload.get("deletions", []):
        entity, ident = dl["entity"], dict(dl["row"])
        for ref in ORG_REFS:
            if ident.get(ref) is not None:
                ident[ref] = org_map.get(ident[ref], ident[ref])
        key = row_key(entity, ident)
        here = local_by_key.get(entity, {}).get(key)
        if here is None:
            continue  # already gone here, or never here
        counts = plan.counts.setdefault(entity, {})
        ref = base.get((entity, key))
        marker = f"{KEPT}{dl.get('deleted_at')}"
        if ref is not None and ref == row_hash(entity, here):
            action = "delete"
        elif ref == marker:
            action = "keep"
        else:
            choice = decisions.get((entity, key))
            action = {THEIRS: "delete", MINE: "keep"}.get(choice, "conflict")
            if action == "conflict":
                described = _describe(entity, {}, here, names)  # labelled by the row as it is here
                plan.conflicts.append(Conflict(entity, key, f"{described.label}（对方已删除）",
                                               tuple((f, t, "（已删除）") for f, _h, t in described.fields)))
        counts[action] = counts.get(action, 0) + 1
        if action == "delete":
            actions["deletions"].append((entity, ident, here))
            snapshots[(entity, key)] = DELETED
        elif action == "keep":
            snapshots[(entity, key)] = marker
            plan.new_decisions = plan.new_decisions or ref != marker


DELETED = "deleted"  # snapshot of a row deleted on both sides: if the sender enters it again, it is new


def _plan(s: Session, ledger: Ledger, me: str, payload: dict, source: str, source_name: str,
          decisions: dict) -> MergePlan:
    """The dry run over a payload that passed the shape checks; a row of the wrong form that slipped
    through them is still refused in words (the payload is the sender's, not ours to trust)."""
    try:
        return _merge(s, ledger, me, payload, source, source_name, decisions, write=False)
    except KeyError as e:
        raise ValidationError(f"数据包内容格式有误：缺少字段“{str(e).strip(chr(39))}”") from None
    except (TypeError, ValueError, AttributeError):
        raise ValidationError("数据包内容格式有误：有字段的类型不对") from None


def _snapshots_current(ledger: Ledger, payload: dict, source: str) -> bool:
    """True if this sender's rows were already recorded exactly so (a repeat import writes nothing)."""
    with ledger.db.read() as s:
        peer = s.scalar(select(ExchangePeer).where(ExchangePeer.source == source))
        if peer is None:
            return False
        base = {(r.entity, r.row_key): r.row_hash
                for r in s.scalars(select(ExchangeRowState).where(ExchangeRowState.peer_id == peer.id))}
        org_map = _org_map(s, payload.get("organizations", []))
    rows = _normalise(payload, org_map)
    return all(base.get((e, row_key(e, r))) == row_hash(e, r) for e in ENTITIES for r in rows[e])


def _merge(s: Session, ledger: Ledger, me: str, payload: dict, source: str, source_name: str, decisions: dict,
           *, write: bool) -> MergePlan:
    year = int(payload["year"])
    org_map = _org_map(s, payload.get("organizations", []))
    incoming = _normalise(payload, org_map)
    with_roster = any(incoming[e] for e in ROSTER_ENTITIES)
    scope_uuid = org_map.get(payload["scope_uuid"], payload["scope_uuid"])
    local_ids = dict(s.execute(select(Organization.uuid, Organization.id)).all())
    root_id = local_ids.get(scope_uuid, -1)
    ids = [local_ids[o["uuid"]] for o in incoming["organizations"] if o["uuid"] in local_ids]
    local = collect(s, root_id, ids, year, with_roster=with_roster)
    local_by_key = {e: {row_key(e, r): r for r in local[e]} for e in ENTITIES}
    peer = s.scalar(select(ExchangePeer).where(ExchangePeer.source == source))
    _refuse_older(payload, peer, source_name or source)
    base = {} if peer is None else {
        (r.entity, r.row_key): r.row_hash
        for r in s.scalars(select(ExchangeRowState).where(ExchangeRowState.peer_id == peer.id))
    }
    if not me and root_id != -1:  # a file never given a unit exports under its scope (see export_scope)
        me = f"scope:{s.get(Organization, root_id).code}"
    echo = _reference(payload, me, peer)  # each row as the sender last had it from us, if that is later
    names = {o["uuid"]: o["name"] for o in local["organizations"]}
    names.update({o["uuid"]: o["name"] for o in incoming["organizations"]})
    plan = MergePlan(source)
    actions: dict[str, list[tuple[str, dict, dict | None]]] = defaultdict(list)
    snapshots: dict[tuple[str, str], str] = {}
    for entity in ENTITIES:
        counts = plan.counts.setdefault(entity, {})
        echoed = (echo or {}).get(entity, {})
        for n, row in enumerate(incoming[entity]):
            key = row_key(entity, row)
            here = local_by_key[entity].get(key)
            h_in = row_hash(entity, row)
            # The row as both sides held it at the last exchange (see _reference).
            ref = echoed.get(str(n)) or base.get((entity, key))
            if here is None:
                action = "skip" if ref == h_in else "add"  # skip: deleted here after the last exchange
            else:
                h_here = row_hash(entity, here)
                if h_here == h_in:
                    action = "same"
                elif ref == h_here:
                    action = "update"
                elif ref == h_in:
                    action = "keep"
                else:
                    choice = decisions.get((entity, key))
                    if choice == THEIRS:
                        action = "update"
                    elif choice == MINE:
                        action = "keep"
                    else:
                        action = "conflict"
                        plan.conflicts.append(_describe(entity, here, row, names))
            counts[action] = counts.get(action, 0) + 1
            if action in ("add", "update"):
                actions[entity].append((action, row, here))
            if action != "conflict":
                # What the sender holds now, whatever we did with it: if it sends this row unchanged
                # again, a decision to keep ours stands.
                snapshots[(entity, key)] = h_in
    _plan_deletions(payload, org_map, local_by_key, base, decisions, names, plan, actions, snapshots)
    if not write:
        return plan
    Writer(s, ledger, year, scope_uuid).apply(actions)
    _save_snapshots(s, peer, source, source_name, snapshots, str(payload.get("sent_at") or ""))
    return plan


def _save_snapshots(s: Session, peer: ExchangePeer | None, source: str, source_name: str,
                    snapshots: dict[tuple[str, str], str], sent_at: str) -> None:
    if peer is None:
        peer = ExchangePeer(source=source, source_name=source_name, package_count=0)
        s.add(peer)
        s.flush()
    peer.source_name = source_name or peer.source_name
    peer.last_import_at = utcnow()
    peer.last_sent_at = sent_at
    peer.package_count += 1
    t = ExchangeRowState.__table__
    rows = [{"peer_id": peer.id, "entity": e, "row_key": k, "row_hash": h} for (e, k), h in snapshots.items()]
    for start in range(0, len(rows), 5000):
        # The same upsert on the county server: PostgreSQL's INSERT … ON CONFLICT has the same shape.
        stmt = (pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert)(t)
        stmt = stmt.on_conflict_do_update(index_elements=["peer_id", "entity", "row_key"],
                                          set_={"row_hash": stmt.excluded.row_hash})
        s.execute(stmt, rows[start:start + 5000])


def check_payload_shape(payload: object) -> None:
    """Structural checks before anything is planned: the right keys and list types."""
    if not isinstance(payload, dict) or "year" not in payload or "scope_uuid" not in payload:
        raise ValidationError("数据包内容格式有误：缺少年份或范围")
    if not isinstance(payload["scope_uuid"], str) or not _is_int(payload["year"]):
        raise ValidationError("数据包内容格式有误：年份或范围的类型不对")
    for entity in ENTITIES:
        rows = payload.get(entity, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ValidationError(f"数据包内容格式有误：“{ENTITY_LABELS[entity]}”不是行的列表")
        for n, r in enumerate(rows, start=1):
            try:
                row_key(entity, r)
            except (KeyError, TypeError):
                raise ValidationError(f"数据包内容格式有误：“{ENTITY_LABELS[entity]}”第 {n} 行缺少关键字段") from None
            if entity == "schemes" and not (isinstance(r.get("fingerprint"), str) and isinstance(r.get("rules"), dict)):
                raise ValidationError(f"数据包内容格式有误：“{ENTITY_LABELS[entity]}”第 {n} 行缺少细则内容或指纹")
            if not _identity_ok(r):
                raise ValidationError(f"数据包内容格式有误：“{ENTITY_LABELS[entity]}”第 {n} 行的编号或年月不是应有的类型")
    bad = ValidationError("数据包内容格式有误：交换记录与数据行不对应")
    received = payload.get("received", {})
    if not isinstance(received, dict) or not _is_time(payload.get("sent_at", "2000-01-01")):
        raise bad
    deletions = payload.get("deletions", [])
    if not isinstance(deletions, list):
        raise ValidationError("数据包内容格式有误：删除记录不是列表")
    for n, dl in enumerate(deletions, start=1):
        try:
            if not isinstance(dl, dict) or dl["entity"] not in DELETABLE or not isinstance(dl["row"], dict) \
                    or not _identity_ok(dl["row"]):
                raise KeyError
            row_key(dl["entity"], dl["row"])
        except (KeyError, TypeError):
            raise ValidationError(f"数据包内容格式有误：删除记录第 {n} 条不完整") from None
    for echo in received.values():
        if not isinstance(echo, dict) or not _is_time(echo.get("sent_at")) or not isinstance(echo.get("rows"), dict):
            raise bad
        for entity, hashes in echo["rows"].items():
            if entity not in ENTITIES or not isinstance(hashes, dict):
                raise bad
            size = len(payload.get(entity, []))
            if not all(isinstance(i, str) and i.isdigit() and int(i) < size and isinstance(h, str)
                       for i, h in hashes.items()):
                raise bad


_ID_FIELDS = ("uuid", *ORG_REFS, "item_code", "type_code")
_NUMBER_FIELDS = ("year", "month", "quarter")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _identity_ok(row: dict) -> bool:
    """The fields rows are matched by are plain strings and whole numbers (or absent/None where optional)."""
    return (all(row.get(k) is None or isinstance(row[k], str) for k in _ID_FIELDS)
            and all(row.get(k) is None or _is_int(row[k]) for k in _NUMBER_FIELDS))


def _is_time(value: object) -> bool:
    try:
        datetime.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True

"""Import batches: preview against the database, apply in one transaction after a backup, undo exactly.

A preview sorts every row of the file into new / changed / unchanged / invalid, each problem named
by sheet and cell. Applying takes a backup and then, inside the same write transaction, checks
that nothing changed since the preview (planning again if anything did); it writes in bulk under
the same rules as hand entry (item caps, month locks, scored and active organisations), records
the exact previous values of every cell it touched, and writes one audit entry. 撤销上次导入 puts
those values back, refusing if any of the cells was changed again after the import.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from app.domain.points import ZERO, fmt
from app.errors import ConflictError, PermissionDeniedError, ValidationError
from app.services.kernel import audit, locks, permissions, tombstones
from app.services.kernel.context import Ledger
from app.services.safety import backups
from app.services.scoring import aggregate
from app.services.scoring.cell_rules import CellInput, CellRules
from app.services.scoring.schemes import item_ids
from db.models import MonthlyScore, Organization
from db.models_io import ImportBatch, ImportBatchRow
from db.types import new_uuid, utcnow

from .sheets import ParsedScores

NEW, CHANGED, UNCHANGED, INVALID = "new", "changed", "unchanged", "invalid"
STATUS_LABELS = {NEW: "新增", CHANGED: "修改", UNCHANGED: "无变化", INVALID: "有错误"}
MAX_LISTED = 20  # problems spelled out in one error message


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class PreviewRow:
    where: str  # "sheet!row"
    label: str
    status: str
    changes: tuple[Change, ...] = ()
    problems: tuple[str, ...] = ()


@dataclass
class ImportPreview:
    kind: str
    file_name: str
    rows: list[PreviewRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # file-level: headers, sheets, stale template
    notices: list[str] = field(default_factory=list)
    # What the preview would write and the database state it was planned on (the last audit hash:
    # every change made through this software appends an audit entry), so applying it right after
    # need not plan again. Not part of what the user sees.
    plan: tuple[object, str, list] | None = field(default=None, repr=False, compare=False)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def all_problems(self) -> list[str]:
        return self.problems + [p for r in self.rows for p in r.problems]

    @property
    def ok(self) -> bool:
        return not self.all_problems

    @property
    def has_changes(self) -> bool:
        return any(r.status in (NEW, CHANGED) for r in self.rows)

    def summary(self) -> str:
        return (f"新增 {self.count(NEW)} 行，修改 {self.count(CHANGED)} 行，无变化 {self.count(UNCHANGED)} 行，"
                f"有错误 {self.count(INVALID)} 行")


@dataclass(frozen=True)
class ImportResult:
    batch_id: int | None
    rows_new: int
    rows_changed: int
    cells: int
    backup: str


def refuse(preview: ImportPreview) -> ValidationError:
    problems = preview.all_problems
    listed = "\n".join(problems[:MAX_LISTED])
    more = f"\n……另有 {len(problems) - MAX_LISTED} 处问题" if len(problems) > MAX_LISTED else ""
    return ValidationError(f"“{preview.file_name}”有 {len(problems)} 处问题，未导入任何数据：\n{listed}{more}")


# ---- scores -------------------------------------------------------------------------------------

_LOC = re.compile(r"^(.+)!([A-Z]+)(\d+)(?::[A-Z]+\d+)?: ")


@dataclass(frozen=True)
class _CellWrite:
    org_id: int
    org_code: str
    item_id: int
    item_code: str
    month: int
    row_id: int | None
    before: tuple | None  # (uuid, manual_points, manual_count, note) of the existing row
    points: Decimal | None
    count: int | None


def _plan_scores(s: Session, parsed: ParsedScores, ledger: Ledger | None = None) -> tuple[ImportPreview, list[_CellWrite]]:
    """Sort every row into new / changed / unchanged / invalid; the changed cells are judged by the
    same rules as hand entry (scoring.cell_rules), all at once so yearly caps see the whole file."""
    year = parsed.year
    preview = ImportPreview("scores", parsed.file_name, notices=list(parsed.notices))
    items = item_ids(s, year)
    orgs = {r.code: r for r in s.execute(select(Organization.id, Organization.code, Organization.name))}
    t = MonthlyScore.__table__
    existing = {
        (r.org_id, r.item_id, r.month): r
        for r in s.execute(select(t.c.id, t.c.uuid, t.c.org_id, t.c.item_id, t.c.month, t.c.manual_points,
                                  t.c.manual_count, t.c.note)
                           .where(t.c.year == year, t.c.month.in_(parsed.months)))
    }
    row_problems: dict[str, list[str]] = defaultdict(list)
    for p in parsed.problems:
        m = _LOC.match(p)
        if m and f"{m[1]}!{m[3]}" in parsed.rows.values():
            row_problems[f"{m[1]}!{m[3]}"].append(p)
        else:
            preview.problems.append(p)
    by_row: dict[tuple[str, int], list] = defaultdict(list)
    for v in parsed.values:
        by_row[(v.org_code, v.month)].append(v)

    # What each row would change, before any rule is applied.
    changed: dict[str, list] = {}
    had_values: set[str] = set()  # rows whose cells held values before (an update, not a new row)
    inputs: list[CellInput] = []
    loc_of: dict[str, str] = {}  # a cell or row reference in a message → the row it belongs to
    for (code, month), loc in parsed.rows.items():
        sheet, rownum = loc.rsplit("!", 1)
        loc_of[f"{sheet}!A{rownum}"] = loc
        org = orgs.get(code)
        row_changes = []
        for v in by_row.get((code, month), []):
            loc_of[v.where] = loc
            item = items.get(v.item_code)
            cur = existing.get((org.id, item.id, month)) if org and item else None
            old = (cur.manual_points, cur.manual_count) if cur else (None, None)
            if old != (None, None):
                had_values.add(loc)
            # A veto cell is a count (its points follow from it); other cells are compared as points,
            # so a value entered by hand as a count and shown as points in the template is unchanged.
            veto = item is not None and item.kind == "veto"
            if (old[1] == v.count) if veto else (old[0] == v.points and item is not None):
                continue
            row_changes.append((v, item, cur, old))
            inputs.append(CellInput(v.where, code, v.item_code, month, v.points, v.count, row_where=f"{sheet}!A{rownum}"))
        changed[loc] = row_changes
    writes_ok, problems = CellRules(s, year, ledger).check(inputs)
    ok = {w.where: w for w in writes_ok}
    for problem in problems:
        loc = loc_of.get(problem.split(": ", 1)[0])
        outside = getattr(problem, "error", None) is PermissionDeniedError  # outside the user's scope: no skipping
        (row_problems[loc] if loc and not outside else preview.problems).append(problem)

    writes: list[_CellWrite] = []
    for (code, month), loc in parsed.rows.items():
        problems_here = list(row_problems.get(loc, []))
        org = orgs.get(code)
        label = f"{code} {org.name if org else parsed.org_names.get(code, '')} {month}月"
        changes: list[Change] = []
        row_writes: list[_CellWrite] = []
        for v, item, cur, old in changed.get(loc, []):
            w = ok.get(v.where)
            if w is None or item is None:
                continue
            veto = item.kind == "veto"
            shown_old = _show(None, old[1]) if veto else _show(old[0], None)
            changes.append(Change(f"{item.code} {item.name}", shown_old, _show(*((None, v.count) if veto else
                                                                                (w.points, w.count)))))
            row_writes.append(_CellWrite(
                w.org_id, code, w.item_id, w.item_code, month, cur.id if cur else None,
                (cur.uuid, cur.manual_points, cur.manual_count, cur.note) if cur else None, w.points, w.count))
        if problems_here:
            status = INVALID
        elif not changes:
            status = UNCHANGED
        else:
            status = CHANGED if loc in had_values else NEW
            writes.extend(row_writes)
        preview.rows.append(PreviewRow(loc, label, status, tuple(changes), tuple(problems_here)))
    return preview, writes


def _show(points: Decimal | None, count: int | None) -> str:
    if count is not None:
        return f"{count} 次"
    return fmt(points) if points is not None else "（空）"


def preview_scores(ledger: Ledger, parsed: ParsedScores) -> ImportPreview:
    with ledger.db.read() as s:
        preview, writes = _plan_scores(s, parsed, ledger)
        preview.plan = (parsed, audit.head(s), writes)
        return preview


def apply_scores(ledger: Ledger, parsed: ParsedScores, *, skip_invalid: bool = False,
                 preview: ImportPreview | None = None) -> ImportResult:
    """Write the file's changes (all or nothing unless ``skip_invalid``) after a backup; record the batch.

    ``preview`` is the one the user just saw, if any. Under the write lock its plan is used as it
    stands when nothing was changed since it was made; otherwise the file is planned again, so a
    change made meanwhile (a cell, a lock, an organisation) is never written over unseen.
    """
    permissions.require(ledger, "import")
    permissions.require(ledger, "scores")
    preview = preview or preview_scores(ledger, parsed)
    if preview.problems or (not skip_invalid and not preview.ok):
        raise refuse(preview)
    if not preview.has_changes:
        return ImportResult(None, 0, 0, 0, "")
    with backups.write_after_backup(ledger, "导入前") as (s, backup):
        source, state, writes = preview.plan or (None, "", [])
        if source is not parsed or state != audit.head(s):
            preview, writes = _plan_scores(s, parsed, ledger)
            if preview.problems or (not skip_invalid and not preview.ok):
                raise refuse(preview)
        for month in sorted({w.month for w in writes}):
            locks.ensure_open(s, parsed.year, month)
        batch = ImportBatch(kind="scores", file_name=parsed.file_name, user=ledger.user,
                            summary=preview.summary(), backup_path=str(backup))
        s.add(batch)
        s.flush()
        _write_cells(s, parsed.year, writes, batch.id, ledger.user)
        audit.record(s, ledger, "导入积分", "import_batch", summary=f"{parsed.file_name}：{preview.summary()}，"
                     f"{len(writes)} 个单元格", changes={"batch": (None, batch.id)})
        return ImportResult(batch.id, preview.count(NEW), preview.count(CHANGED), len(writes), str(backup))


def _write_cells(s: Session, year: int, writes: list[_CellWrite], batch_id: int, who: str) -> None:
    t = MonthlyScore.__table__
    tombstones.scores_cleared(s, who, [(w.org_id, w.item_id, year, w.month) for w in writes
                                       if w.points is None and w.count is None and w.before is not None
                                       and w.before[1:3] != (None, None)])
    now = utcnow()
    updates = [{"_id": w.row_id, "mp": w.points, "mc": w.count, "ua": now} for w in writes if w.row_id is not None]
    inserts = [dict(uuid=new_uuid(), org_id=w.org_id, item_id=w.item_id, year=year, month=w.month,
                    manual_points=w.points, manual_count=w.count, record_count=0, effective=ZERO, note="",
                    created_at=now, updated_at=now) for w in writes if w.row_id is None]
    if updates:
        s.execute(t.update().where(t.c.id == bindparam("_id"))
                  .values(manual_points=bindparam("mp"), manual_count=bindparam("mc"), updated_at=bindparam("ua")),
                  updates)
    if inserts:
        s.execute(t.insert(), inserts)
    s.execute(ImportBatchRow.__table__.insert(), [
        {"batch_id": batch_id, "entity": "monthly_scores",
         "row_key": json.dumps({"org_id": w.org_id, "item_id": w.item_id, "year": year, "month": w.month,
                                "org": w.org_code, "item": w.item_code}, ensure_ascii=False),
         "before": None if w.before is None else json.dumps(
             {"uuid": w.before[0], "manual_points": fmt(w.before[1]) if w.before[1] is not None else None,
              "manual_count": w.before[2], "note": w.before[3]}, ensure_ascii=False),
         "after": json.dumps({"manual_points": fmt(w.points) if w.points is not None else None,
                              "manual_count": w.count})}
        for w in writes
    ])
    _refresh(s, year, {w.org_id for w in writes})


def _refresh(s: Session, year: int, org_ids: set[int]) -> None:
    # For a whole county the year-wide SQL is quicker than a long IN (...) list.
    if len(org_ids) > 300:
        aggregate.refresh_year(s, year)
    else:
        aggregate.refresh(s, year, sorted(org_ids))


def _opt_points(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def undo_scores(s: Session, rows: list[ImportBatchRow], who: str = "") -> None:
    """Put back the cells a score import replaced, refusing if any was changed again since."""
    t = MonthlyScore.__table__
    plan = [(json.loads(r.row_key), json.loads(r.before) if r.before else None, json.loads(r.after)) for r in rows]
    # Current state of every touched cell, read in one query per year.
    current: dict[tuple[int, int, int], tuple] = {}
    for year in sorted({k["year"] for k, _b, _a in plan}):
        months = sorted({k["month"] for k, _b, _a in plan if k["year"] == year})
        for r in s.execute(select(t.c.id, t.c.org_id, t.c.item_id, t.c.month, t.c.manual_points, t.c.manual_count)
                           .where(t.c.year == year, t.c.month.in_(months))):
            current[(r.org_id, r.item_id, r.month)] = r
    changed_since: list[str] = []
    for key, _before, after in plan:
        cur = current.get((key["org_id"], key["item_id"], key["month"]))
        now_vals = (cur.manual_points, cur.manual_count) if cur else (None, None)
        if now_vals != (_opt_points(after["manual_points"]), after["manual_count"]):
            changed_since.append(f"{key['org']} {key['year']}-{key['month']:02d} {key['item']}")
    if changed_since:
        listed = "、".join(changed_since[:10]) + ("等" if len(changed_since) > 10 else "")
        raise ConflictError(f"导入之后以下 {len(changed_since)} 个单元格又被修改过，不能撤销：{listed}")
    for year, month in sorted({(k["year"], k["month"]) for k, _b, _a in plan}):
        locks.ensure_open(s, year, month)
    now = utcnow()
    updates, inserts, cleared = [], [], []
    by_year: dict[int, set[int]] = defaultdict(set)
    for key, before, _after in plan:
        by_year[key["year"]].add(key["org_id"])
        cur = current.get((key["org_id"], key["item_id"], key["month"]))
        mp = _opt_points(before["manual_points"]) if before else None
        mc = before["manual_count"] if before else None
        if cur is not None:
            updates.append({"_id": cur.id, "mp": mp, "mc": mc, "nt": before["note"] if before else None, "ua": now})
            if (mp, mc) == (None, None) and (cur.manual_points, cur.manual_count) != (None, None):
                cleared.append((key["org_id"], key["item_id"], key["year"], key["month"]))
        elif before is not None:
            inserts.append(dict(uuid=before["uuid"], org_id=key["org_id"], item_id=key["item_id"], year=key["year"],
                                month=key["month"], manual_points=mp, manual_count=mc, record_count=0, effective=ZERO,
                                note=before["note"], created_at=now, updated_at=now))
    tombstones.scores_cleared(s, who, cleared)
    if updates:
        s.execute(t.update().where(t.c.id == bindparam("_id")).values(
            manual_points=bindparam("mp"), manual_count=bindparam("mc"),
            note=func.coalesce(bindparam("nt"), t.c.note), updated_at=bindparam("ua")), updates)
    if inserts:
        s.execute(t.insert(), inserts)
    for year, ids in by_year.items():
        _refresh(s, year, ids)

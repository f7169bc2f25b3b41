"""积分细则 per year: read, create on first use (copying the nearest earlier year), edit, copy."""

from __future__ import annotations

import json
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.calibration import calibration_problems
from app.domain.enums import CategoryKind, ItemKind
from app.domain.scheme import (
    GradeRules,
    Scheme,
    SchemeCategory,
    SchemeItem,
    WarningRules,
    scheme_from_dict,
    validate_scheme,
)
from app.errors import ConflictError, ValidationError
from app.paths import resources_dir
from app.services.compliance import requirements
from app.services.kernel import audit, locks, permissions, validate
from app.services.kernel.context import Ledger
from db.models import MonthlyScore, RecordType, SchemeCategoryRow, SchemeItemRow, SchemeRow

from . import aggregate


@cache
def default_scheme_data() -> dict:
    return json.loads((resources_dir() / "default_scheme.json").read_text(encoding="utf-8"))


def default_scheme(year: int) -> Scheme:
    data = default_scheme_data()
    return scheme_from_dict({**data, "name": f"{year}年度{data['name']}"}, year=year)


def to_domain(row: SchemeRow) -> Scheme:
    cats = tuple(
        SchemeCategory(
            code=c.code, name=c.name, kind=CategoryKind(c.kind), max_points=c.max_points,
            items=tuple(
                SchemeItem(
                    code=i.code, name=i.name, kind=ItemKind(i.kind), points=i.points, monthly_cap=i.monthly_cap,
                    yearly_cap=i.yearly_cap, standard=i.standard, evidence=i.evidence, record_type=i.record_type,
                    needs_pairing=bool(i.needs_pairing),
                )
                for i in c.items
            ),
        )
        for c in row.categories
    )
    return Scheme(
        year=row.year, name=row.name, categories=cats,
        warning=WarningRules(row.yellow_below, row.orange_below, row.red_below, row.consecutive, row.lines_inclusive),
        grade=GradeRules(row.grade_a_min, row.grade_b_min),
    )


def write_rows(session: Session, row: SchemeRow, scheme: Scheme) -> None:
    """Update the stored scheme in place, matching categories and items by code.

    Items keep their ids (and so their recorded points); an item that has points cannot be removed.
    """
    row.name = scheme.name
    row.yellow_below, row.orange_below, row.red_below = (
        scheme.warning.yellow_below, scheme.warning.orange_below, scheme.warning.red_below,
    )
    row.consecutive = scheme.warning.consecutive
    row.lines_inclusive = scheme.warning.inclusive
    row.grade_a_min, row.grade_b_min = scheme.grade.a_min, scheme.grade.b_min
    cats = {c.code: c for c in session.scalars(select(SchemeCategoryRow).where(SchemeCategoryRow.scheme_id == row.id))}
    items = {i.code: i for i in session.scalars(select(SchemeItemRow).where(SchemeItemRow.scheme_id == row.id))}
    wanted_items = {i.code for _c, i in scheme.items()}
    for code, item in items.items():
        if code not in wanted_items:
            used = session.scalar(select(func.count()).where(MonthlyScore.item_id == item.id))
            if used:
                raise ValidationError(f"细则 {code}“{item.name}”已有 {used} 条积分记录，不能删除")
            session.delete(item)
    session.flush()
    for ci, c in enumerate(scheme.categories):
        crow = cats.get(c.code)
        if crow is None:
            crow = SchemeCategoryRow(scheme_id=row.id, code=c.code)
            session.add(crow)
        crow.name, crow.kind, crow.max_points, crow.sort_order = c.name, c.kind.value, c.max_points, ci
        session.flush()
        for ii, it in enumerate(c.items):
            irow = items.get(it.code)
            if irow is None:
                irow = SchemeItemRow(scheme_id=row.id, code=it.code)
                session.add(irow)
            irow.category_id = crow.id
            irow.name, irow.kind, irow.points = it.name, it.kind.value, it.points
            irow.monthly_cap, irow.yearly_cap = it.monthly_cap, it.yearly_cap
            irow.standard, irow.evidence, irow.record_type = it.standard, it.evidence, it.record_type
            irow.needs_pairing = it.needs_pairing
            irow.sort_order = ii
    session.flush()
    # Forget loaded collections before deleting categories, so no moved item is cascaded away.
    session.expire_all()
    wanted_cats = {c.code for c in scheme.categories}
    for code, crow in cats.items():
        if code not in wanted_cats:
            session.delete(session.get(SchemeCategoryRow, crow.id))
    session.flush()
    session.expire_all()


def _check_record_types(session: Session, scheme: Scheme) -> None:
    known = {code: source for code, source in session.execute(select(RecordType.code, RecordType.source))}
    for _c, item in scheme.items():
        if item.record_type and item.record_type not in known:
            raise ValidationError(f"细则 {item.code} 关联的工作记录类型“{item.record_type}”不存在")
        if item.record_type and known[item.record_type] != "record":
            raise ValidationError(f"细则 {item.code} 关联的“{item.record_type}”由组织台账生成，不能计分")


def scheme_of_year(session: Session, year: int) -> Scheme | None:
    """The year's scheme if one was ever made (a read: never creates one)."""
    row = session.scalar(select(SchemeRow).where(SchemeRow.year == year))
    return to_domain(row) if row is not None else None


def ensure_scheme(session: Session, ledger: Ledger, year: int) -> SchemeRow:
    """The year's scheme row, created on first use from the nearest earlier year (or the defaults)."""
    row = session.scalar(select(SchemeRow).where(SchemeRow.year == year))
    if row is not None:
        return row
    earlier = session.scalar(select(SchemeRow).where(SchemeRow.year < year).order_by(SchemeRow.year.desc()).limit(1))
    source = to_domain(earlier).with_year(year) if earlier else default_scheme(year)
    row = SchemeRow(year=year, name=source.name, yellow_below=source.warning.yellow_below,
                    orange_below=source.warning.orange_below, red_below=source.warning.red_below,
                    grade_a_min=source.grade.a_min, grade_b_min=source.grade.b_min)
    session.add(row)
    session.flush()
    write_rows(session, row, source)
    audit.record(session, ledger, "建立积分细则", "scheme", entity_uuid=row.uuid,
                 summary=f"{year} 年积分细则（来自{f'{earlier.year} 年' if earlier else '默认细则'}）")
    return row


def get_scheme(ledger: Ledger, year: int) -> Scheme:
    year = validate.year(year)
    with ledger.db.read() as s:
        row = s.scalar(select(SchemeRow).where(SchemeRow.year == year))
        if row is not None:
            return to_domain(row)
    if ledger.db.read_only:
        return default_scheme(year)
    with ledger.db.write() as s:
        return to_domain(ensure_scheme(s, ledger, year))


def scheme_years(ledger: Ledger) -> list[int]:
    with ledger.db.read() as s:
        return list(s.scalars(select(SchemeRow.year).order_by(SchemeRow.year)))


class CalibrationWarning(ValidationError):
    """The scheme is valid but a routine branch would be warned or not graded B under it; saved only
    when the user accepts (``accept_calibration``)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("积分细则校准提示（不影响保存，但请确认）：\n" + "\n".join(f"· {p}" for p in problems))


def routine_of(s: Session, year: int) -> tuple[dict[str, str], frozenset[str]]:
    """The year's 组织生活 requirements as the calibration's routine: type → month/quarter, and the
    types required only of branches with 党小组."""
    reqs, _source = requirements.read(s, year)
    return ({r.type_code: r.period for r in reqs if r.applies != "sectors"},
            frozenset(r.type_code for r in reqs if r.applies == "groups"))


def calibration(ledger: Ledger, scheme: Scheme) -> list[str]:
    """What a branch keeping exactly the year's required meetings would suffer under this scheme."""
    with ledger.db.read() as s:
        routine, groups_only = routine_of(s, scheme.year)
    return calibration_problems(scheme, routine, groups_only)


def save_scheme(ledger: Ledger, scheme: Scheme, *, accept_calibration: bool = False) -> Scheme:
    """Validate and store a year's scheme; points already recorded are re-capped under the new rules.

    A scheme that fails the calibration check is refused with CalibrationWarning unless the user
    accepted it; an accepted one is saved and the accepted problems go into the audit log."""
    permissions.require(ledger, "scheme")
    year = validate.year(scheme.year)
    problems = validate_scheme(scheme)
    if problems:
        raise ValidationError("积分细则有误：\n" + "\n".join(f"· {p}" for p in problems))
    accepted = calibration(ledger, scheme)
    if accepted and not accept_calibration:
        raise CalibrationWarning(accepted)
    with ledger.db.write() as s:
        _check_record_types(s, scheme)
        row = ensure_scheme(s, ledger, year)
        before = json.dumps(_rules_of(row), ensure_ascii=False, sort_keys=True)
        write_rows(s, row, scheme)
        after = json.dumps(_rules_of(row), ensure_ascii=False, sort_keys=True)
        if before != after:
            locks.ensure_year_open(s, year)  # a confirmed year's rules decided its grades
            aggregate.refresh_year(s, year)
            note = f"（已确认 {len(accepted)} 条校准提示：{'；'.join(accepted)}）" if accepted else ""
            audit.record(s, ledger, "修改积分细则", "scheme", entity_uuid=row.uuid,
                         summary=f"{year} 年积分细则{note}", changes={"rules": (before, after)})
        return to_domain(row)


def _rules_of(row: SchemeRow) -> dict:
    from app.domain.scheme import scheme_to_dict

    return scheme_to_dict(to_domain(row))


def copy_scheme(ledger: Ledger, from_year: int, to_year: int, *, accept_calibration: bool = False) -> Scheme:
    permissions.require(ledger, "scheme")
    from_year, to_year = validate.year(from_year), validate.year(to_year)
    if from_year == to_year:
        raise ValidationError("复制的源年份和目标年份相同")
    with ledger.db.read() as s:
        src = s.scalar(select(SchemeRow).where(SchemeRow.year == from_year))
        if src is None:
            raise ValidationError(f"{from_year} 年还没有积分细则，无法复制")
        source = to_domain(src)
        target = s.scalar(select(SchemeRow.id).where(SchemeRow.year == to_year))
        if target is not None:
            used = s.scalar(
                select(func.count()).select_from(MonthlyScore).where(MonthlyScore.year == to_year)
            )
            if used:
                raise ConflictError(f"{to_year} 年已有 {used} 条积分记录，不能整体覆盖其积分细则，请在细则页面逐项修改")
    return save_scheme(ledger, source.with_year(to_year), accept_calibration=accept_calibration)


def item_ids(session: Session, year: int) -> dict[str, SchemeItemRow]:
    return {
        i.code: i
        for i in session.scalars(
            select(SchemeItemRow).join(SchemeRow, SchemeRow.id == SchemeItemRow.scheme_id).where(SchemeRow.year == year)
        )
    }

"""Exemptions: an organisation need not hold a kind of meeting in a range of months, for a stated reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ConflictError, NotFoundError, ValidationError
from app.services.kernel import audit, permissions, scope, tombstones, validate
from app.services.kernel.context import Ledger
from app.services.register.orgs import get_org_row
from db.models import Organization, RecordType
from db.models_compliance import ComplianceExemption


@dataclass(frozen=True)
class ExemptionInfo:
    id: int
    org_code: str
    org_name: str
    type_code: str
    first_month: date
    last_month: date
    reason: str

    @property
    def span(self) -> str:
        return f"{self.first_month:%Y-%m}—{self.last_month:%Y-%m}"


def parse_month(text: object, field: str) -> date:
    """'2026-03' → date(2026, 3, 1), or a ValidationError naming the field."""
    raw = str(text or "").strip()
    try:
        y, m = raw.split("-")
        return date(validate.year(y), validate.month(m), 1)
    except (ValueError, ValidationError):
        raise ValidationError(f"{field}应为“年-月”，如 2026-03，收到“{raw}”") from None


def check(s: Session, org: Organization, type_code: str, first_m: date, last_m: date, reason: str,
          *, keep_uuid: str | None = None) -> tuple[str, str]:
    """The rules of an exemption, for every path that writes one (by hand, a package); returns the
    reason cleaned and the meeting type's name. ``keep_uuid``: the exemption being changed, which may overlap itself."""
    reason = validate.text(reason, "豁免理由", max_len=200).strip()
    if not reason:
        raise ValidationError("豁免理由不能为空（如新建支部、合并、停用、经批准延期）")
    if first_m.day != 1 or last_m.day != 1:
        raise ValidationError("豁免的起止应为整月")
    if last_m < first_m:
        raise ValidationError(f"截止月份 {last_m:%Y-%m} 早于起始月份 {first_m:%Y-%m}")
    name = s.scalar(select(RecordType.name).where(RecordType.code == type_code))
    if name is None:
        raise NotFoundError(f"找不到工作记录类型“{type_code}”")
    for other in s.scalars(select(ComplianceExemption).where(ComplianceExemption.org_id == org.id,
                                                             ComplianceExemption.type_code == type_code)):
        if other.uuid != keep_uuid and other.first_month <= last_m and first_m <= other.last_month:
            raise ConflictError(f"“{org.name}”的“{name}”已有 {other.first_month:%Y-%m}—{other.last_month:%Y-%m} "
                                f"的豁免（{other.reason}），与新的豁免重叠")
    return reason, name


def add(ledger: Ledger, org_code: str, type_code: str, first: object, last: object, reason: str) -> ExemptionInfo:
    permissions.require(ledger, "records")
    first_m, last_m = parse_month(first, "起始月份"), parse_month(last, "截止月份")
    with ledger.db.write() as s:
        org = get_org_row(s, org_code)
        permissions.require_org(s, ledger, org)
        reason, name = check(s, org, type_code, first_m, last_m, reason)
        row = ComplianceExemption(org_id=org.id, type_code=type_code, first_month=first_m, last_month=last_m,
                                  reason=reason, created_by=ledger.user)
        s.add(row)
        s.flush()
        audit.record(s, ledger, "组织生活豁免", "compliance_exemption", entity_uuid=row.uuid, org_code=org.code,
                     summary=f"{name} {first_m:%Y-%m}—{last_m:%Y-%m}：{reason}")
        return ExemptionInfo(row.id, org.code, org.name, type_code, first_m, last_m, reason)


def remove(ledger: Ledger, exemption_id: int) -> None:
    """Withdraw an exemption; the withdrawal travels in packages like other deletions."""
    permissions.require(ledger, "records")
    with ledger.db.write() as s:
        row = s.get(ComplianceExemption, exemption_id)
        if row is None:
            raise NotFoundError(f"找不到编号为 {exemption_id} 的豁免")
        org = s.get(Organization, row.org_id)
        permissions.require_org(s, ledger, org)
        tombstones.exemption_removed(s, ledger.user, row)
        s.delete(row)
        audit.record(s, ledger, "撤销组织生活豁免", "compliance_exemption", entity_uuid=row.uuid, org_code=org.code,
                     summary=f"{row.type_code} {row.first_month:%Y-%m}—{row.last_month:%Y-%m}：{row.reason}")


def by_org_type(s: Session) -> dict[tuple[int, str], list[tuple[date, date]]]:
    out: dict[tuple[int, str], list[tuple[date, date]]] = {}
    for e in s.scalars(select(ComplianceExemption)):
        out.setdefault((e.org_id, e.type_code), []).append((e.first_month, e.last_month))
    return out


def listing(ledger: Ledger, org_code: str | None = None) -> list[ExemptionInfo]:
    with ledger.db.read() as s:
        q = (select(ComplianceExemption, Organization.code, Organization.name)
             .join(Organization, Organization.id == ComplianceExemption.org_id)
             .order_by(Organization.code, ComplianceExemption.first_month))
        if org_code:
            q = q.where(Organization.code == org_code)
        return [ExemptionInfo(e.id, code, name, e.type_code, e.first_month, e.last_month, e.reason)
                for e, code, name in scope.keep(ledger, s.execute(q), lambda r: r[1], s)]

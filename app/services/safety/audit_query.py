"""Reading the audit trail: filters for the audit viewer, and export to Excel."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from app.errors import DatabaseError
from app.services.kernel.audit import AuditLine
from app.services.kernel.context import Ledger
from db.models import AuditEntry

COLUMNS = ("时间", "用户", "操作", "对象", "组织", "内容", "改动")

# The trail stores field and table names as the code knows them; people read these words.
FIELD_NAMES = {
    "points": "分值", "count": "次数", "final_class": "最终定级", "override_reason": "调整理由", "role": "角色",
    "locked_by": "锁定人", "category": "分类", "status": "状态", "parent": "上级组织", "parent_id": "上级组织",
    "notice_no": "通报文号", "transferred_out_on": "转出日期", "rules": "规则", "batch": "导入批次",
    "name": "名称", "sector": "领域", "kind": "类型", "secretary": "书记", "contact": "联系方式",
    "member_count": "党员数", "address": "地址", "established_on": "成立日期", "sort_order": "排序",
    "topic": "主题", "date": "日期", "value": "值",
    # 书记项目 (tracking)
    "type": "项目类型", "level": "项目层级", "title": "名称", "theme": "项目主题", "lead_person": "领衔书记",
    "partners": "责任单位", "goal": "目标任务", "measures": "工作举措", "start_on": "开始日期", "end_on": "结束日期",
    "review": "述职评议结果", "summary": "成效总结", "problem": "解决的问题",
}
ENTITY_NAMES = {
    "annual_grade": "年度定级", "backup": "备份", "committee_member": "支委成员", "demo": "示例数据",
    "import_batch": "导入批次", "integrity": "数据确认", "month_lock": "月份锁定", "monthly_score": "月度积分",
    "org_class": "组织分类", "organization": "党组织", "package": "数据包", "pairing": "结对共建",
    "party_member": "党员", "record_type": "一本通结构", "scheme": "积分细则", "setting": "设置", "user": "用户",
    "warning": "预警", "work_record": "工作记录",
    "secretary_project": "书记项目", "key_task": "重点任务", "tracking_milestone": "项目节点",
    "tracking_log": "调度记录", "meeting": "例会",
}


def local_time(at: datetime) -> datetime:
    """Audit times are stored as naive UTC; people read local time."""
    return at.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def _utc(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone(UTC).replace(tzinfo=None)


def search(ledger: Ledger, *, user: str = "", org_code: str = "", action: str = "", since: date | None = None,
           until: date | None = None, text: str = "", limit: int = 5000) -> list[AuditLine]:
    """Newest first. ``until`` is inclusive (the whole day)."""
    q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if user:
        q = q.where(AuditEntry.user == user)
    if org_code:
        q = q.where(AuditEntry.org_code == org_code)
    if action:
        q = q.where(AuditEntry.action == action)
    if since:
        q = q.where(AuditEntry.at >= _utc(since))
    if until:
        q = q.where(AuditEntry.at < _utc(until + timedelta(days=1)))
    if text:
        q = q.where(AuditEntry.summary.contains(text))
    with ledger.db.read() as s:
        return [AuditLine(r.id, r.at, r.user, r.action, r.entity, r.org_code, r.summary, r.changes) for r in s.scalars(q)]


def filter_options(ledger: Ledger) -> tuple[list[str], list[str], list[str]]:
    """(users, actions, organisation codes) that occur in the trail, for the viewer's filters."""
    with ledger.db.read() as s:
        users = sorted(u for u in s.scalars(select(AuditEntry.user).distinct()) if u)
        actions = sorted(a for a in s.scalars(select(AuditEntry.action).distinct()) if a)
        orgs = sorted(o for o in s.scalars(select(AuditEntry.org_code).distinct()) if o)
    return users, actions, orgs


def changes_text(changes_json: str) -> str:
    import json

    try:
        data = json.loads(changes_json or "{}")
    except ValueError:
        return changes_json
    return "；".join(f"{FIELD_NAMES.get(k, k)}：{'—' if v[0] is None else v[0]} → {'—' if v[1] is None else v[1]}"
                    for k, v in data.items())


def export_xlsx(lines: list[AuditLine], path: Path, title: str = "审计日志") -> Path:
    """Write the lines to a workbook (one sheet, header row frozen, readable widths)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "审计日志"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(list(COLUMNS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for ln in lines:
        ws.append([local_time(ln.at).strftime("%Y-%m-%d %H:%M:%S"), ln.user, ln.action,
                   ENTITY_NAMES.get(ln.entity, ln.entity), ln.org_code,
                   ln.summary, changes_text(ln.changes)])
    for col, width in zip("ABCDEFG", (20, 12, 14, 14, 10, 60, 40), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row[5:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    path = Path(path)
    part = path.with_name(path.name + ".part")
    try:
        wb.save(part)
        part.replace(path)
    except OSError as e:
        part.unlink(missing_ok=True)
        raise DatabaseError(f"无法写入“{path}”：{e}") from e
    return path

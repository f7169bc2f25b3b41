"""支部基本情况, 支部委员会成员 and 党员花名册: printed from the organisation register."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.services.register.members import MemberInfo

from .data import HandbookData
from .layout import PORTRAIT, frame_size
from .styles import SHADE, P, RTable, date_text, fit_heights, grid, month_text
from .year_facts import CommitteeTerm, in_office_at_end, left_in_year


def basic_info(d: HandbookData) -> list[Flowable]:
    o = d.org
    staying = [m for m in d.roster if not left_in_year(m, d.year.year)]
    sitting = [c for c in d.committee if in_office_at_end(c, d.year.year)]
    w, _h = frame_size(PORTRAIT)
    rows = [
        ("党组织名称", o.name, "组织编码", o.code),
        ("组织类型", o.kind, "所属领域", o.sector),
        ("上级党组织", o.parent_name or "", "成立时间", date_text(o.established_on)),
        ("党组织书记", d.secretary, "联系电话", o.contact),
        ("党员人数", f"{len(staying)} 名（正式党员 {sum(m.status == '正式党员' for m in staying)} 名，"
                   f"预备党员 {sum(m.status == '预备党员' for m in staying)} 名）", "支委人数", f"{len(sitting)} 名"),
        ("本年度分类", o.category.label if o.category else "未分类", "本年度发展", _movement(d)),
        ("结对共建", _pairings(d), "", ""),
        ("办公地址", o.address, "", ""),
    ]
    data = [[P(a, "label"), P(b), P(c, "label"), P(e)] for a, b, c, e in rows]
    style = [*grid(0), ("BACKGROUND", (0, 0), (0, -1), SHADE), ("BACKGROUND", (2, 0), (2, -3), SHADE),
             ("SPAN", (1, len(rows) - 2), (3, len(rows) - 2)), ("SPAN", (1, len(rows) - 1), (3, len(rows) - 1))]
    widths = [28 * mm, w / 2 - 28 * mm, 28 * mm, w / 2 - 28 * mm]
    return [RTable(data, colWidths=widths, rowHeights=fit_heights(data, widths, 11 * mm), style=style)]


def _pairings(d: HandbookData) -> str:
    """The year's 结对共建, from this organisation's side."""
    code = d.org.code
    parts = [f"帮带{p.weak_name}" if p.strong_code == code else f"由{p.strong_name}帮带"
             for p in d.pairings if code in (p.strong_code, p.weak_code)]
    return "；".join(parts) or "本年度未结对"


def _term(c: CommitteeTerm) -> str:
    """任职时间, with the end of the term when a successor took the post (a change keeps its date)."""
    if c.term_end is None:
        return date_text(c.term_start)
    return f"{date_text(c.term_start) or '—'}至{date_text(c.term_end)}"


def _movement(d: HandbookData) -> str:
    y = d.year.year
    joined = sum(1 for m in d.roster if m.joined_on and m.joined_on.year == y)
    left = sum(1 for m in d.roster if left_in_year(m, y))
    return f"新入党 {joined} 名" + (f"，转出 {left} 名" if left else "")


def committee(d: HandbookData) -> list[Flowable]:
    w, _h = frame_size(PORTRAIT)
    header = [P(t, "th") for t in ("序号", "职务", "姓名", "联系电话", "任职时间", "分工")]
    duties = {"书记": "主持支部全面工作", "副书记": "协助书记工作", "组织委员": "组织、党员管理",
              "宣传委员": "宣传、学习教育", "纪检委员": "纪律检查", "青年委员": "青年工作"}
    rows = [header] + [
        [P(i, "cell_c"), P(c.role, "cell_c"), P(c.name, "cell_c"), P(c.phone, "cell_c"),
         P(_term(c), "cell_c"), P(duties.get(c.role, ""))]
        for i, c in enumerate(d.committee, 1)
    ]
    # A few empty lines for changes during the year, written by hand.
    rows += [[""] * 6 for _ in range(max(3, 7 - len(d.committee)))]
    widths = [12 * mm, 24 * mm, 24 * mm, 32 * mm, 32 * mm]
    widths.append(w - sum(widths))
    return [RTable(rows, colWidths=widths, rowHeights=fit_heights(rows, widths, 10 * mm), style=grid(), repeatRows=1)]


def _status(m: MemberInfo, year: int) -> str:
    if left_in_year(m, year):
        return f"{m.status}（{date_text(m.transferred_out_on)}转出）"
    return m.status


ROSTER_HEAD = ("序号", "姓名", "性别", "出生年月", "民族", "学历", "入党时间", "党员类别", "工作岗位", "联系电话")


def roster(d: HandbookData) -> list[Flowable]:
    w, _h = frame_size(PORTRAIT)
    widths = [10 * mm, 17 * mm, 10 * mm, 17 * mm, 13 * mm, 18 * mm, 18 * mm, 17 * mm]
    widths += [(w - sum(widths)) * 0.55, (w - sum(widths)) * 0.45]
    rows = [[P(t, "th") for t in ROSTER_HEAD]]
    for i, m in enumerate(d.roster, 1):
        rows.append([
            P(i, "small_c"), P(m.name, "small_c"), P(m.gender, "small_c"), P(month_text(m.birth_date), "small_c"),
            P(m.ethnicity, "small_c"), P(m.education, "small_c"), P(month_text(m.joined_on), "small_c"),
            P(_status(m, d.year.year), "small_c"), P(m.post, "small"), P(m.phone, "small_c"),
        ])
    rows += [[""] * len(ROSTER_HEAD) for _ in range(5)]  # for members who join during the year
    out: list[Flowable] = [RTable(rows, colWidths=widths, style=grid(), repeatRows=1)]
    out += [Spacer(1, 3 * mm), P("注：党员组织关系转入、转出时，请在花名册中相应登记并注明日期。", "note")]
    return out

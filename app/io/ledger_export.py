"""One workbook per year: 汇总定级, a sheet per quarter with coloured warnings, 月度明细, 积分细则.

Written in openpyxl's write-only mode so a county of thousands of organisations stays fast;
each styled cell copies a prepared style array instead of building fonts and borders anew.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from app.domain.enums import ItemKind, WarningLevel
from app.domain.points import ZERO
from app.services.assessment import grades, warnings
from app.services.kernel import permissions, scope, settings
from app.services.kernel.context import Ledger
from app.services.register import members, orgs
from app.services.scoring import ledger_sheet, schemes

from . import fast_rows, styles
from .atomic import save_workbook

ProgressFn = Callable[[int, int, str], None]


class _Styler:
    """Prepared style arrays, copied onto each cell: the slow part of openpyxl is building styles."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self._cache: dict[tuple, object] = {}

    def __call__(self, value: object, kind: str = "body", fill_hex: str | None = None) -> WriteOnlyCell:
        key = (kind, fill_hex, isinstance(value, Decimal))
        proto = self._cache.get(key)
        if proto is None:
            fill = styles.PatternFill("solid", fgColor=fill_hex) if fill_hex else None
            if kind == "header":
                proto = styles.cell(self.ws, "", font=styles.HEADER_FONT, fill=styles.HEADER_FILL, align=styles.CENTER)
            elif kind == "title":
                proto = styles.cell(self.ws, "", font=styles.TITLE_FONT, border=False)
            elif kind == "subtitle":
                proto = styles.cell(self.ws, "", font=styles.SUBTITLE_FONT, border=False)
            elif kind == "center":
                proto = styles.cell(self.ws, "", fill=fill, align=styles.CENTER)
            else:
                proto = styles.cell(self.ws, "", fill=fill,
                                    number_format=styles.POINTS_FORMAT if key[2] else None)
            self._cache[key] = proto
        c = WriteOnlyCell(self.ws, value=value)
        c._style = copy.copy(proto._style)
        return c

    def sid(self, value: object, kind: str = "body", fill_hex: str | None = None) -> int:
        """The style id of a cell like ``value`` (registered in the workbook), for rows written as XML."""
        key = ("sid", kind, fill_hex, isinstance(value, (Decimal, fast_rows.Tenths)))
        if key not in self._cache:
            self._cache[key] = self(ZERO if key[3] else "", kind, fill_hex).style_id
        return self._cache[key]

    def rows_xml(self, rows: list[list[object]], first: int = 4, kinds: dict[int, str] | None = None,
                 fills: list[str | None] | None = None):
        # A list, not a generator: every style id must be registered before the workbook is saved.
        kinds = kinds or {}
        return [fast_rows.row_xml(first + n, [(v, self.sid(v, kinds.get(i, "body"), (fills[n] if fills else None)
                                                            if i in kinds else None)) for i, v in enumerate(row)])
                for n, row in enumerate(rows)]


def _start_sheet(wb: Workbook, name: str, title: str, subtitle: str, headers: list[str]):
    ws = wb.create_sheet(name)
    st = _Styler(ws)
    ws.freeze_panes = "C4"
    styles.print_setup(ws, header_row=3)
    ws.row_dimensions[1].height = 24
    return ws, st, [st(title, "title")], [st(subtitle, "subtitle")], [st(h, "header") for h in headers]


def _fit(ws, headers: list[str], widths: list[float], maximum: float = 40) -> None:
    styles.fit_widths(ws, widths, maximum=maximum)
    ws.row_dimensions[3].height = styles.header_height(headers, widths)


def _widths(headers: list[str], rows_sample: list[list[object]]) -> list[float]:
    widths = [float(styles.text_width(h)) for h in headers]
    for row in rows_sample:
        for i, v in enumerate(row):
            if i < len(widths):
                widths[i] = max(widths[i], styles.text_width(v if not isinstance(v, Decimal) else f"{v}"))
    return widths


def export_ledger(ledger: Ledger, year: int, path: Path | str, progress: ProgressFn | None = None, *,
                  with_roster: bool = False) -> Path:
    """Write the year's ledger workbook to ``path`` (atomically) and return it.

    ``with_roster`` adds the 党员花名册 (personal details), only when the user asks; it is audited.
    """
    step = progress or (lambda d, t, s="": None)
    if with_roster:
        permissions.require(ledger, "export_personal")  # refuse before the work, not after
    unit = str(settings.get(ledger, "unit_name") or "")
    stamp = f"{unit}　导出时间：{datetime.now():%Y-%m-%d %H:%M}　数据截至：{ledger.today():%Y-%m-%d}"
    scheme = schemes.get_scheme(ledger, year)
    step(0, 7, "读取年度定级")
    year_grades = grades.year_grades(ledger, year)
    info = {o.code: o for o in orgs.list_orgs(ledger, year)}
    wb = Workbook(write_only=True)

    # 汇总定级
    cats = list(scheme.categories)
    headers = ["排名", "组织编码", "党组织名称", "上级党组织", "领域", *[c.name for c in cats], "年度得分",
               "计算定级", "最终定级", "一票否决", "调整理由", "已确认", "本年分类", "升降"]
    ws, st, title, sub, head = _start_sheet(wb, "汇总定级", f"{unit}{year}年度党组织积分汇总与定级{scope.heading(ledger)}", stamp,
                                           headers)
    rows = []
    for g in sorted(year_grades, key=lambda g: (g.rank, g.org_code)):
        rows.append([g.rank, g.org_code, g.org_name, g.parent_name or "", g.sector,
                     *[g.categories.get(c.code, ZERO) for c in cats], g.score, g.computed.value, g.final.value,
                     "是" if g.veto else "", g.override_reason, "是" if g.confirmed else "",
                     g.previous.value if g.previous else "", g.change])
    _fit(ws, headers, _widths(headers, rows[:300]))
    ws.append(title)
    ws.append(sub)
    ws.append(head)
    spliced = {"汇总定级": st.rows_xml(rows)}

    # 第N季度
    for q in range(1, 5):
        step(q, 7, f"计算第 {q} 季度预警")
        ws_q = warnings.quarter_warnings(ledger, year, q)
        headers = ["组织编码", "党组织名称", "上级党组织", "领域", "季度得分", "预警等级", "处置方式", "预警原因",
                   "已通报", "通报文号", "整改状态"]
        ws, st, title, sub, head = _start_sheet(
            wb, f"第{q}季度", f"{unit}{year}年第{q}季度积分与三级预警", stamp, headers)
        rows = []
        fills = []
        for w in ws_q:
            rows.append([w.org_code, w.org_name, w.parent_name or "", w.sector, w.quarter_score, w.level.label,
                         w.level.action, w.reason_text, "是" if w.issued else "", w.notice_no,
                         w.status(ledger.today())])
            fills.append(w.level.color.lstrip("#").upper() if w.level != WarningLevel.NONE else None)
        _fit(ws, headers, _widths(headers, rows[:300]))
        ws.append(title)
        ws.append(sub)
        ws.append(head)
        spliced[f"第{q}季度"] = st.rows_xml(rows, kinds={5: "center"}, fills=fills)

    # 月度明细
    step(5, 7, "整理月度明细")
    items = [i for _c, i in scheme.items()]
    headers = ["组织编码", "党组织名称", "月份", *[f"{i.code} {i.name}" for i in items], "当月合计"]
    ws, st, title, sub, head = _start_sheet(
        wb, "月度明细", f"{unit}{year}年月度积分明细（计上限后，扣分为负）", stamp, headers)
    grid = ledger_sheet.month_grid(ledger, year, [i.code for i in items])
    order = {code: n for n, code in enumerate(info)}
    widths = [float(styles.text_width(h)) for h in headers[:3]] + [8.0] * len(items) + [8.0]
    widths[1] = max(widths[1], *(styles.text_width(o.name) for o in info.values()), 10)
    _fit(ws, headers, widths, maximum=30)
    ws.append(title)
    ws.append(sub)
    ws.append(head)
    # Style ids registered through openpyxl, then the rows are written as XML after saving.
    text_style = st("", "body").style_id
    month_style = st("", "center").style_id
    number_style = st(ZERO, "body").style_id

    def month_rows():
        for r, (code, month) in enumerate(sorted(grid, key=lambda k: (order.get(k[0], 0), k[0], k[1])), start=4):
            vals = grid[(code, month)]
            total = sum(v for v in vals if v is not None)
            name = info[code].name if code in info else ""
            yield fast_rows.row_xml(r, [(code, text_style), (name, text_style), (f"{month}月", month_style),
                                        *((None if v is None else fast_rows.Tenths(v), number_style) for v in vals),
                                        (fast_rows.Tenths(total), number_style)])

    spliced["月度明细"] = month_rows()

    # 积分细则
    step(6, 7, "写入积分细则")
    headers = ["类别", "类别年度上限", "细则编码", "细则内容", "类型", "每次分值", "月上限", "年上限", "评分标准",
               "佐证材料"]
    ws, st, title, sub, head = _start_sheet(wb, "积分细则", f"{scheme.name}", stamp, headers)
    ws.freeze_panes = "A4"
    rows = [[c.name, c.max_points, i.code, i.name, i.kind.label,
             i.points if i.kind is not ItemKind.VETO else "发生即C类", i.monthly_cap, i.yearly_cap, i.standard,
             i.evidence] for c, i in scheme.items()]
    _fit(ws, headers, _widths(headers, rows), maximum=50)
    ws.append(title)
    ws.append(sub)
    ws.append(head)
    for r in rows:
        ws.append([st(v) for v in r])
    if with_roster:
        _roster_sheet(wb, ledger, info, unit, stamp)
    step(7, 7, "保存文件")
    out = save_workbook(wb, path, postprocess=lambda tmp: fast_rows.splice_rows(tmp, spliced))
    if with_roster:
        members.log_personal_export(ledger, f"导出 {year} 年积分台账时包含党员花名册：{out.name}")
    return out


def _roster_sheet(wb: Workbook, ledger: Ledger, info: dict, unit: str, stamp: str) -> None:
    headers = ["组织编码", "党组织名称", "姓名", "性别", "出生日期", "民族", "学历", "入党时间", "党员类别", "工作岗位",
               "联系电话"]
    ws, st, title, sub, head = _start_sheet(wb, "党员花名册", f"{unit}党员花名册（含个人信息，注意保密）", stamp, headers)
    rows = []
    for o in info.values():
        for m in members.roster(ledger, o.code):
            rows.append([o.code, o.name, m.name, m.gender, _d(m.birth_date), m.ethnicity, m.education,
                         _d(m.joined_on), m.status, m.post, m.phone])
    _fit(ws, headers, _widths(headers, rows[:300]))
    ws.append(title)
    ws.append(sub)
    ws.append(head)
    for r in rows:
        ws.append([st(v) for v in r])


def _d(value) -> str:
    return value.isoformat() if value else ""

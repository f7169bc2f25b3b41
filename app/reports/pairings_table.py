"""结对共建一览表 (A4 landscape): the year's pairs with their span, goals, joint activities, year-end
evaluation and rule check; then the C-class organisations still unpaired with the suggested leader."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.services.kernel.context import Ledger
from app.services.pairing.board import Board, year_board

from .layout import LANDSCAPE, build, frame_size
from .styles import SHADE, P, RTable, grid
from .unit_docs import sign_block, unit_name


def _class(c: str) -> str:
    return f"{c}类" if c else "未分类"


def pairs_table(board: Board, width: float) -> RTable:
    fixed = [9 * mm, 44 * mm, 22 * mm, 44 * mm, 22 * mm, 22 * mm, 34 * mm, 12 * mm, 14 * mm]
    widths = [*fixed, width - sum(fixed)]
    head = ["序号", "牵头组织", "领域 / 分类", "被帮扶组织", "领域 / 分类", "结对期间", "共建内容", "活动次数",
            "年终评价", "规则检查"]
    data: list[list[object]] = [[P(t, "th_s") for t in head]]
    style = [*grid()]
    for n, r in enumerate(board.pairs, start=1):
        p = r.info
        check = "符合" if r.ok else "；".join(b.message for b in r.breaches)
        span = p.span.replace(f"{p.year}-", "").replace(" 至 ", "\n至 ")  # the year is the table's
        data.append([P(n, "small_c"), P(p.strong_name, "small"), P(f"{p.strong_sector}\n{_class(r.leader_class)}", "small_c"),
                     P(p.weak_name, "small"), P(f"{p.weak_sector}\n{_class(r.helped_class)}", "small_c"),
                     P(span, "small_c"), P("、".join(p.goals), "small"), P(r.activities, "small_c"),
                     P(p.rating or "—", "small_c"), P(check, "small")])
        if not r.ok:
            style.append(("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), SHADE))
    if not board.pairs:
        data.append([P(f"{board.year} 年没有结对", "small_c"), *[""] * 9])
        style.append(("SPAN", (0, 1), (-1, 1)))
    return RTable(data, colWidths=widths, repeatRows=1, style=style)


def unpaired_table(board: Board, width: float) -> RTable:
    fixed = [9 * mm, 70 * mm, 55 * mm, 28 * mm]
    widths = [*fixed, width - sum(fixed)]
    data: list[list[object]] = [[P(t, "th_s") for t in ("序号", "C类组织", "上级党委", "领域", "建议牵头组织")]]
    by_helped = {sg.helped: sg for sg in board.suggestions}
    for n, o in enumerate(board.unpaired, start=1):
        sg = by_helped.get(o.code)
        lead = (f"{sg.leader_name}（{sg.leader_class}类，{sg.leader_sector}）" + (f"；{sg.note}" if sg.note else "")
                if sg and sg.leader else (sg.note if sg else ""))
        data.append([P(n, "small_c"), P(o.name, "small"), P(board.parent_names.get(o.id, ""), "small"),
                     P(o.sector, "small_c"), P(lead, "small")])
    return RTable(data, colWidths=widths, repeatRows=1, style=grid())


def story(board: Board, unit: str) -> list[Flowable]:
    w, _h = frame_size(LANDSCAPE)
    r = board.rules
    total = sum(p.activities for p in board.pairs)
    out: list[Flowable] = [
        P(f"{unit}{board.year}年度结对共建一览表", "doc_title"),
        Spacer(1, 3 * mm),
        P(f"本年度结对 {len(board.pairs)} 对，开展结对共建活动 {total} 次；"
          f"{'有 ' + str(board.broken) + ' 对不符合结对规则（灰底）' if board.broken else '均符合结对规则'}；"
          f"尚未结对的C类组织 {len(board.unpaired)} 个。结对规则：牵头方为当年A类"
          f"{'或B类' if r.allow_b_leader else ''}组织，一般为{r.sector}党组织（其他领域须说明理由）；"
          "被帮扶方为C类组织；每个组织每年只有一个牵头组织。", "small"),
        Spacer(1, 2 * mm),
        pairs_table(board, w),
    ]
    if board.unpaired:
        out += [Spacer(1, 5 * mm), P("尚未结对的C类组织", "h3"), unpaired_table(board, w)]
    out += [Spacer(1, 8 * mm), sign_block(w, ("制表人", "审核人", "制表日期"))]
    return out


def build_pairings_table(ledger: Ledger, year: int, target: Path | BytesIO) -> int:
    """Write the 结对共建一览表 PDF; returns its page count."""
    board = year_board(ledger, year)
    unit = unit_name(ledger)
    title = f"{board.year}年度结对共建一览表"
    return build(story(board, unit), target, header=f"{unit} · {title}", title=title, author=unit, first=LANDSCAPE)

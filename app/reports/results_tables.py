"""结果运用 printed tables: 年度奖补兑现表 (非公企业、社会组织: organisation, sector, score, class, amount,
subtotals and total, approval block) and 绩效评定结果表 (机关事业单位、村(社区))."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain.incentives import APPRAISAL, REWARD, fmt_yuan
from app.domain.points import fmt
from app.services.incentives import results
from app.services.incentives.results import IncentiveRow, IncentiveSheet
from app.services.kernel.context import Ledger

from .layout import PORTRAIT, build, frame_size
from .styles import SHADE, P, RTable, grid
from .unit_docs import approval_box, sign_block, unit_name


def _state_line(sheet: IncentiveSheet) -> str:
    if sheet.confirmed_at is None:
        return "（草稿：本表尚未确认，确认后方可作为兑现依据）"
    if sheet.stale_count:
        return f"（有 {sheet.stale_count} 个组织的定级或规则在确认后有变化，标“待重新确认”，请重新确认后再打印存档）"
    return f"（已于 {sheet.confirmed_at:%Y-%m-%d} 由 {sheet.confirmed_by} 确认）"


def _note(r: IncentiveRow, with_result: bool) -> str:
    bits = [r.result] if with_result and r.result else []
    if r.veto and not any("否决" in b for b in bits):
        bits.append("一票否决")
    if r.stale:
        bits.append(f"待重新确认：{r.why_stale}")
    return "；".join(bits)


def _approval(width: float) -> list[Flowable]:
    return [Spacer(1, 6 * mm), approval_box(width, "党（工）委\n审批意见", "批准人"), Spacer(1, 6 * mm),
            sign_block(width, ("经办人", "审核人", "日期"))]


def reward_story(ledger: Ledger, sheet: IncentiveSheet) -> list[Flowable]:
    unit = unit_name(ledger)
    w, _h = frame_size(PORTRAIT)
    widths = [10 * mm, 56 * mm, 18 * mm, 15 * mm, 13 * mm, 25 * mm]
    widths.append(w - sum(widths))
    head = ["序号", "党组织名称", "领域", "年度得分", "最终定级", "奖补金额（元）", "备注"]
    data: list[list[object]] = [[P(t, "th_s") for t in head]]
    style = list(grid())
    rows = sheet.of_kind(REWARD)
    n = 0
    for sector in dict.fromkeys(r.sector for r in rows):
        part = [r for r in rows if r.sector == sector]
        for r in part:
            n += 1
            data.append([P(n, "small_c"), P(r.org_name, "small"), P(r.sector, "small_c"),
                         P(fmt(r.score), "small_c"), P(r.final, "cell_c"), P(fmt_yuan(r.amount), "small_r"),
                         P(_note(r, True), "small")])
        data.append(["", P(f"{sector}小计（{len(part)} 个）", "small"), "", "", "",
                     P(fmt_yuan(sheet.total(sector)), "small_r"), ""])
        style += [("SPAN", (1, len(data) - 1), (4, len(data) - 1)), ("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), SHADE)]
    data.append(["", P(f"合计（{len(rows)} 个党组织）", "label"), "", "", "", P(fmt_yuan(sheet.total()), "cell_r"), ""])
    style += [("SPAN", (1, len(data) - 1), (4, len(data) - 1)), ("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), SHADE)]
    return [
        P(f"{unit}{sheet.year}年度奖补兑现表", "doc_title"),
        Spacer(1, 2 * mm),
        P(f"依据 {sheet.year} 年度党建考核分类定级结果，将非公企业、社会组织党组织考核结果运用到奖补兑现。"
          f"一票否决的党组织不予奖补。{_state_line(sheet)}", "small"),
        Spacer(1, 2 * mm),
        RTable(data, colWidths=widths, repeatRows=1, style=style),
        *_approval(w),
    ]


def appraisal_story(ledger: Ledger, sheet: IncentiveSheet) -> list[Flowable]:
    unit = unit_name(ledger)
    w, _h = frame_size(PORTRAIT)
    widths = [10 * mm, 56 * mm, 22 * mm, 15 * mm, 13 * mm, 20 * mm]
    widths.append(w - sum(widths))
    head = ["序号", "党组织名称", "领域", "年度得分", "最终定级", "绩效评定", "备注"]
    data: list[list[object]] = [[P(t, "th_s") for t in head]]
    rows = sheet.of_kind(APPRAISAL)
    for i, r in enumerate(rows, start=1):
        data.append([P(i, "small_c"), P(r.org_name, "small"), P(r.sector, "small_c"),
                     P(fmt(r.score), "small_c"), P(r.final, "cell_c"), P(r.result, "cell_c"),
                     P(_note(r, False), "small")])
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.result] = counts.get(r.result, 0) + 1
    return [
        P(f"{unit}{sheet.year}年度绩效评定结果表", "doc_title"),
        Spacer(1, 2 * mm),
        P(f"依据 {sheet.year} 年度党建考核分类定级结果，将机关事业单位、村(社区)党组织党建考核情况体现到绩效评定。"
          f"共 {len(rows)} 个党组织：" + "，".join(f"{k} {v} 个" for k, v in counts.items()) + "。"
          f"{_state_line(sheet)}", "small"),
        Spacer(1, 2 * mm),
        RTable(data, colWidths=widths, repeatRows=1, style=list(grid())),
        *_approval(w),
    ]


def build_rewards(ledger: Ledger, year: int, target: Path | BytesIO) -> int:
    sheet = results.year_incentives(ledger, year)
    title = f"{sheet.year}年度奖补兑现表"
    unit = unit_name(ledger)
    return build(reward_story(ledger, sheet), target, header=f"{unit} · {title}", title=title, author=unit,
                 first=PORTRAIT, watermark=_watermark(sheet))


def build_appraisals(ledger: Ledger, year: int, target: Path | BytesIO) -> int:
    sheet = results.year_incentives(ledger, year)
    title = f"{sheet.year}年度绩效评定结果表"
    unit = unit_name(ledger)
    return build(appraisal_story(ledger, sheet), target, header=f"{unit} · {title}", title=title, author=unit,
                 first=PORTRAIT, watermark=_watermark(sheet))


def _watermark(sheet: IncentiveSheet) -> str:
    return "草稿" if sheet.confirmed_at is None else ""

"""One project's 书记项目台账 (方案, 立项 trail, milestones, 调度 log, result, signature lines) and one
例会's 纪要 (观摩, 正反发言 and the problems assigned, with the counts)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.services.kernel.context import Ledger
from app.services.tracking import meetings, projects, tasks

from .layout import PORTRAIT, build, frame_size
from .styles import SHADE, P, RTable, date_text, grid
from .unit_docs import approval_box, sign_block, unit_name


def _form(rows: list[tuple[str, str, str, str] | tuple[str, str]], width: float) -> RTable:
    """A two- or four-column form: label, value (, label, value); a pair spans the row."""
    lw = 26 * mm
    vw = (width - 2 * lw) / 2
    data, style = [], [*grid(0)]
    for i, r in enumerate(rows):
        if len(r) == 4:
            data.append([P(r[0], "label"), P(r[1]), P(r[2], "label"), P(r[3])])
            style += [("BACKGROUND", (0, i), (0, i), SHADE), ("BACKGROUND", (2, i), (2, i), SHADE)]
        else:
            data.append([P(r[0], "label"), P(r[1]), "", ""])
            style += [("SPAN", (1, i), (3, i)), ("BACKGROUND", (0, i), (0, i), SHADE)]
    return RTable(data, colWidths=[lw, vw, lw, vw], style=style)


def project_story(p: projects.ProjectInfo, width: float) -> list[Flowable]:
    out: list[Flowable] = [
        _form([("项目名称", p.title), ("项目层级", p.level, "项目类型", f"{p.type}项目"),
               ("牵头组织", p.lead_name, "领衔书记", p.lead_person), ("项目主题", p.theme, "责任单位", p.partners),
               ("起止时间", f"{date_text(p.start)}至{date_text(p.end)}", "项目状态", p.status),
               ("解决的问题", p.problem), ("目标任务", p.goal), ("工作举措", p.measures),
               ("立项程序", f"党组织书记申报 {date_text(p.declared_on) or '—'}；会议研究确定 {date_text(p.decided_on) or '—'}；"
                         f"审核备案 {date_text(p.filed_on) or '—'}")], width),
        Spacer(1, 3 * mm), P("时间表、路线图（项目节点）", "h3_flow"),
    ]
    data: list[list[object]] = [[P(t, "th") for t in ("序号", "节点", "完成时限", "完成日期", "佐证材料")]]
    for n, m in enumerate(p.milestones, 1):
        late = "（滞后）" if m.lagging else ""
        data.append([P(n, "small_c"), P(m.title + late, "small"), P(f"{m.due:%Y.%m.%d}", "small_c"),
                     P(f"{m.done_on:%Y.%m.%d}" if m.done_on else "", "small_c"), P(m.evidence, "small")])
    out.append(RTable(data, colWidths=[10 * mm, 62 * mm, 24 * mm, 24 * mm, width - 120 * mm], repeatRows=1,
                      style=grid()))
    out += [Spacer(1, 3 * mm), P("调度记录", "h3_flow")]
    data = [[P(t, "th") for t in ("日期", "进度", "推进情况", "存在问题", "下步打算", "填报人")]]
    for lg in p.logs:
        note = lg.note + (f"（进度下降原因：{lg.reason}）" if lg.reason else "")
        data.append([P(f"{lg.on:%Y.%m.%d}", "small_c"), P(f"{lg.progress}%", "small_c"), P(note, "small"),
                     P(lg.problems, "small"), P(lg.next_steps, "small"), P(lg.by, "small_c")])
    if not p.logs:
        data.append([P("尚无调度记录", "small"), "", "", "", "", ""])
    rest = width - 22 * mm - 14 * mm - 20 * mm
    out.append(RTable(data, colWidths=[22 * mm, 14 * mm, rest * 0.4, rest * 0.3, rest * 0.3, 20 * mm], repeatRows=1,
                      style=grid()))
    result = p.summary if p.summary else (f"已终止：{p.end_reason}" if p.end_reason else "")
    out += [Spacer(1, 3 * mm), _form([("成效总结", result), ("述职评议", p.review)], width), Spacer(1, 5 * mm),
            approval_box(width, "党（工）委\n审核意见", "负责人", height=16 * mm), Spacer(1, 6 * mm),
            sign_block(width, ("领衔书记", "填表人", "日期"))]
    return out


def build_project_ledger(ledger: Ledger, project_id: object, target: Path | BytesIO) -> int:
    p = projects.get_project(ledger, project_id)
    unit = unit_name(ledger)
    w, _h = frame_size(PORTRAIT)
    story = [P("基层党建书记项目台账", "doc_title"), Spacer(1, 4 * mm), *project_story(p, w)]
    title = f"书记项目台账：{p.title}"
    return build(story, target, header=f"{unit} · {p.year}年度书记项目台账", title=title, author=unit)


def build_minutes(ledger: Ledger, meeting_id: object, target: Path | BytesIO) -> int:
    """例会纪要 with 正反发言 and 整改 counts taken from the record and its tasks."""
    m = meetings.get_meeting(ledger, meeting_id)
    assigned = tasks.listing(ledger, meeting_id=m.id)
    unit = unit_name(ledger)
    w, _h = frame_size(PORTRAIT)
    ex = "、".join(n for n, k in m.speakers if k == "经验交流") or "—"
    pl = "、".join(n for n, k in m.speakers if k == "表态发言") or "—"
    story: list[Flowable] = [
        P(f"{m.title}纪要", "doc_title"), Spacer(1, 4 * mm),
        _form([("会议时间", date_text(m.on), "领办领导", m.leader), ("观摩点", "、".join(m.sites) or "—"),
               ("经验交流", ex), ("表态发言", pl),
               ("发言统计", f"发言 {len(m.speakers)} 人次，其中经验交流 {m.exchanges} 人次、表态发言 {m.pledges} 人次"),
               ("整改统计", f"交办问题 {m.rectifications} 个，已整改 {m.rectified} 个"),
               ("会议纪要", m.notes)], w),
        Spacer(1, 3 * mm), P("交办问题及整改情况", "h3_flow"),
    ]
    data: list[list[object]] = [[P(t, "th") for t in ("序号", "问题", "责任单位", "整改时限", "整改情况")]]
    for n, t in enumerate(assigned, 1):
        state = f"{t.done_on:%m月%d日}完成" if t.done_on else t.status
        data.append([P(n, "small_c"), P(t.title, "small"), P(t.owner_name, "small"), P(f"{t.due:%Y.%m.%d}", "small_c"),
                     P(state, "small_c")])
    if not assigned:
        data.append([P("—", "small_c"), P("本次例会未交办问题", "small"), "", "", ""])
    story += [RTable(data, colWidths=[10 * mm, 0.4 * (w - 58 * mm), 0.6 * (w - 58 * mm), 24 * mm, 24 * mm],
                     repeatRows=1, style=grid()),
              Spacer(1, 8 * mm), sign_block(w, ("记录人", "审核人", "日期"))]
    title = f"{m.title}纪要"
    return build(story, target, header=f"{unit} · {title}", title=title, author=unit)

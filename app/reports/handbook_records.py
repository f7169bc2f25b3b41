"""The 一本通 sections 2–7: each 小项's records in its form layout, then blank ruled pages."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer

from app.domain.points import fmt
from app.forms import form_template
from app.services.book.records import RecordInfo, RecordTypeInfo

from .data import HandbookData
from .layout import PORTRAIT, frame_size, toc_mark
from .record_form import blank_parts, min_height, record_parts
from .styles import P, date_text

HEADING_H = 12 * mm


def _record_heading(title: str, n: int, r: RecordInfo) -> Flowable:
    return P(f"{title}（第 {n} 次）　{date_text(r.date)}", "h3")


def _points_note(r: RecordInfo) -> Flowable | None:
    if r.item_code is None or r.points is None:
        return None
    return P(f"本次活动计入积分细则 {r.item_code}，得 {fmt(r.points)} 分（按月、年上限计）。", "note")


def type_section(d: HandbookData, t: RecordTypeInfo, heading: Flowable) -> list[Flowable]:
    """One 小项: heading, its records, then the blank pages of its form."""
    tpl = form_template(t.form)
    recs = d.records.get(t.code, [])
    _w, frame_h = frame_size(PORTRAIT)
    out: list[Flowable] = [heading]
    if recs:
        out.append(P(f"本年度共登记 {len(recs)} 次。", "note"))
    else:
        out.append(P("本年度暂无登记记录。", "note"))
    need = min(frame_h - HEADING_H, min_height(tpl) + HEADING_H)
    for n, r in enumerate(recs, 1):
        out.append(CondPageBreak(need))
        out += [_record_heading(tpl.title_for(t.name), n, r), *record_parts(tpl, r)]
        note = _points_note(r)
        out += [Spacer(1, 1 * mm), note] if note else []
        out.append(Spacer(1, 5 * mm))
    for k in range(d.year.blank_pages):
        out.append(PageBreak())
        out.append(P(f"{t.code} {t.name}　{tpl.title_for(t.name)}（空白记录页 {k + 1}）", "h3"))
        out += blank_parts(tpl, frame_h - HEADING_H - 2 * mm)
    return out


NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三")


def record_sections(d: HandbookData, first_numeral: int) -> list[Flowable]:
    """Sections 2–7 (every section whose 小项 are kept as work records)."""
    out: list[Flowable] = []
    sections: dict[str, list[RecordTypeInfo]] = {}
    names: dict[str, str] = {}
    for t in d.year.types:
        if t.source == "record":
            sections.setdefault(t.section_code, []).append(t)
            names[t.section_code] = t.section_name
    for i, (code, types) in enumerate(sections.items()):
        title = f"{NUMERALS[first_numeral + i]}、{names[code]}"
        out.append(PageBreak())
        out.append(toc_mark(P(title, "h1"), 0, title))
        for j, t in enumerate(types):
            if j:
                out.append(PageBreak())
            count = len(d.records.get(t.code, []))
            text = f"{t.code} {t.name}"
            heading = toc_mark(P(text, "h2"), 1, f"{text}（{count} 次）" if count else text)
            out += type_section(d, t, heading)
    return out

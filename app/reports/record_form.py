"""A work record printed in its form layout, and the blank ruled page of the same form.

The layout comes from app.forms templates (the same ones that drive the entry dialog): label cell +
value cell; width 1 = half a row, width 2 = a full row; a multiline field is as tall as its
``rows``. Long text is cut into several table rows so the table can split across pages and a cell
never grows taller than a page.
"""

from __future__ import annotations

import re

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from app.forms import FormField, FormTemplate

from . import record_extras as ex
from .fonts import BODY, HEAD
from .layout import PORTRAIT, frame_size
from .styles import INK, LIGHT_RULE, LINE, RULE, SHADE, P, RTable, date_text

LABEL_W = 28 * mm
ROW_H = 9 * mm  # height of a one-line field on a blank form
CHUNK = 220  # characters per table row of long text (about six printed lines)
LONG = 120  # a one-line field's text longer than this is printed as a full-width tall field


def _widths() -> list[float]:
    full, _h = frame_size(PORTRAIT)
    value = (full - 2 * LABEL_W) / 2
    return [LABEL_W, value, LABEL_W, value]


FULL_ROW = ("multiline", "roster_attendance", "vote", "member_table")


def _rows_of(tpl: FormTemplate) -> list[list[FormField]]:
    """Group fields into printed rows: two half-width fields share a row; multiline is always full."""
    rows: list[list[FormField]] = []
    pending: FormField | None = None
    for f in tpl.fields:
        if f.width >= 2 or f.type in FULL_ROW:
            if pending:
                rows.append([pending])
                pending = None
            rows.append([f])
        elif pending:
            rows.append([pending, f])
            pending = None
        else:
            pending = f
    if pending:
        rows.append([pending])
    return rows


def field_text(record: object, f: FormField) -> str:
    value = record.value(f.key)  # type: ignore[attr-defined]
    if f.type == "date":
        return date_text(value)
    if f.type == "attendance" and value:
        expected, actual = str(value).split("/")
        return f"应到 {expected} 人，实到 {actual} 人"
    if f.type == "roster_attendance":
        return ex.attendance_summary(record)
    if f.type == "vote":
        return ex.vote_text(value)
    if f.type in ("money", "decimal") and value:
        return f"{ex.money_cell(value)} 元"
    return "" if value is None else str(value)


def split_text(text: str, size: int = CHUNK) -> list[str]:
    """Paragraphs of ``text``, long ones cut at sentence ends (or hard at ``size``)."""
    out: list[str] = []
    for para in text.replace("\r\n", "\n").split("\n"):
        para = para.rstrip()
        while len(para) > size:
            window = para[:size]
            ends = [m.end() for m in re.finditer(r"[。！？；;!?]", window)]
            cut = ends[-1] if ends and ends[-1] > size // 3 else size
            out.append(para[:cut])
            para = para[cut:]
        out.append(para)
    while out and not out[-1]:
        out.pop()
    return out


class RuledLines(Flowable):
    """Faint horizontal rules for handwriting, ``LINE`` apart."""

    def __init__(self, width: float, lines: int) -> None:
        super().__init__()
        self.width, self.lines = width, lines

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.lines * LINE

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(LIGHT_RULE)
        c.setLineWidth(0.3)
        for n in range(1, self.lines):
            c.line(0, n * LINE, self.width, n * LINE)


class _Form:
    """Accumulates table rows with the line commands that make it look like a printed form."""

    def __init__(self) -> None:
        self.rows: list[list[object]] = []
        self.heights: list[float | None] = []
        self.labels: dict[int, str] = {}  # rows that continue a tall field -> its label, for "（续）"
        self.cmds: list[tuple] = [
            ("BOX", (0, 0), (-1, -1), 1.0, INK),
            ("LINEAFTER", (0, 0), (-2, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]

    def add(self, cells: list[object], height: float | None = None, *, new_group: bool = True) -> int:
        i = len(self.rows)
        self.rows.append(cells)
        self.heights.append(height)
        if new_group and i:
            self.cmds.append(("LINEABOVE", (0, i), (-1, i), 0.5, RULE))
        return i

    def label(self, first: int, last: int) -> None:
        self.cmds.append(("BACKGROUND", (0, first), (0, last), SHADE))

    def table(self) -> RTable:
        table = RTable(self.rows, colWidths=_widths(), rowHeights=self.heights, style=self.cmds, repeatRows=0)
        table.cont_labels = self.labels
        return table


def _fits(text: str, font: str, width: float) -> bool:
    return "\n" not in text and pdfmetrics.stringWidth(text, font, 10) <= width - 9


def _label(form: _Form, i: int, col: int, text: str) -> object:
    """A label cell: a plain string when it fits on one line (much faster to lay out than a Paragraph)."""
    if _fits(text, HEAD, LABEL_W):
        form.cmds += [("FONT", (col, i), (col, i), HEAD, 10), ("ALIGN", (col, i), (col, i), "CENTER")]
        return text
    return P(text, "label")


def _value(text: str, width: float) -> object:
    return text if _fits(text, BODY, width) else P(text)


def _single_row(form: _Form, fields: list[FormField], values: list[str], height: float | None) -> None:
    i = form.add([], height)
    w = _widths()
    if len(fields) == 2:
        form.rows[i] = [_label(form, i, 0, fields[0].label), _value(values[0], w[1]),
                        _label(form, i, 2, fields[1].label), _value(values[1], w[3])]
        form.cmds.append(("BACKGROUND", (2, i), (2, i), SHADE))
    else:
        form.rows[i] = [_label(form, i, 0, fields[0].label), _value(values[0], sum(w[1:])), "", ""]
        form.cmds.append(("SPAN", (1, i), (3, i)))
    form.label(i, i)


def _text_height(para: Flowable, width: float) -> float:
    _w, h = para.wrap(width, 10_000)
    return h + 7  # cell padding


def _multiline(form: _Form, f: FormField, text: str, min_lines: int, ruled: bool) -> None:
    """A tall field: its text in as many rows as it needs, at least ``min_lines`` lines high."""
    widths = _widths()
    value_w = sum(widths[1:]) - 8
    first = len(form.rows)
    chunks = split_text(text) if text else []
    used = 0.0
    for n, chunk in enumerate(chunks):
        para = P(chunk)  # measured here, laid out again by the table: one parse serves both
        form.add(["", para, "", ""], None, new_group=n == 0)
        used += _text_height(para, value_w)
    minimum = min_lines * LINE
    if ruled:  # handwriting lines: one cell holding faint rules (far cheaper than a row per line)
        lines = max(1, round((minimum - used) / LINE))
        i = form.add(["", RuledLines(sum(widths[1:]), lines), "", ""], lines * LINE, new_group=not chunks)
        form.cmds += [("LEFTPADDING", (1, i), (1, i), 0), ("RIGHTPADDING", (1, i), (1, i), 0),
                      ("TOPPADDING", (1, i), (1, i), 0), ("BOTTOMPADDING", (1, i), (1, i), 0)]
    elif used < minimum:
        form.add(["", "", "", ""], minimum - used, new_group=not chunks)
    if len(form.rows) == first:  # an empty optional field still shows one line
        form.add(["", "", "", ""], LINE)
    last = len(form.rows) - 1
    form.rows[first][0] = _label(form, first, 0, f.label)
    form.labels.update(dict.fromkeys(range(first + 1, last + 1), f.label))
    form.cmds += [
        ("SPAN", (1, r), (3, r)) for r in range(first, last + 1)
    ] + [("VALIGN", (0, first), (-1, last), "TOP"), ("TOPPADDING", (0, first), (0, first), 6)]
    form.label(first, last)


def _segments() -> tuple[list[Flowable], list[_Form]]:
    return [], [_Form()]


def _flush(out: list[Flowable], forms: list[_Form]) -> None:
    if forms[-1].rows:
        out.append(forms[-1].table())
    forms[-1] = _Form()


def _finish(tpl: FormTemplate, out: list[Flowable], forms: list[_Form]) -> list[Flowable]:
    _flush(out, forms)
    if tpl.signatures:
        out.append(ex.signature_lines(tpl.signatures))
    return out


def record_parts(tpl: FormTemplate, record: object) -> list[Flowable]:
    """One filled record in its form layout: the form table (split around a 党费 table) and signature lines."""
    out, forms = _segments()
    for fields in _rows_of(tpl):
        form = forms[-1]
        f = fields[0]
        values = [field_text(record, x) for x in fields]
        if f.type == "member_table":
            _flush(out, forms)
            rows = record.extra.get(f.key) or []  # type: ignore[attr-defined]
            out.append(ex.dues_table(f.label, rows, (record.attendance_expected, record.attendance_actual)))  # type: ignore[attr-defined]
        elif f.type == "roster_attendance":
            _single_row(form, [f], values, None)
            names = ex.present_text(record)
            if names:
                _multiline(form, FormField("present", "出席人员", "multiline"), names, 1, ruled=False)
            absent = ex.absent_text(record)
            if absent or names:
                _multiline(form, FormField("absent", "缺席人员及原因", "multiline"), absent, 1, ruled=False)
        elif f.type == "multiline":
            _multiline(form, f, values[0], f.rows, ruled=False)
        elif any(len(v) > LONG for v in values):
            # Too long for a one-line cell: each field gets a full row, cut into rows like long text,
            # so no cell can grow taller than a page.
            for x, v in zip(fields, values, strict=True):
                _multiline(form, x, v, 1, ruled=False)
        else:
            _single_row(form, fields, values, None)
    return _finish(tpl, out, forms)


def _height(f: FormField) -> float:
    if f.type == "multiline":
        return f.rows * LINE
    if f.type == "roster_attendance":
        return ROW_H + 4 * LINE
    if f.type == "member_table":
        return ex.dues_height(f.rows)
    return ROW_H


def min_height(tpl: FormTemplate) -> float:
    """Roughly how tall the form is when nearly empty: used to start it on a fresh page if needed."""
    return sum(_height(f[0]) for f in _rows_of(tpl)) + (ex.SIGNATURE_H if tpl.signatures else 0)


def blank_parts(tpl: FormTemplate, height: float) -> list[Flowable]:
    """The form with nothing filled in, its main text field ruled down to fill ``height``."""
    rows = _rows_of(tpl)
    tall = [r[0] for r in rows if r[0].type == "multiline"]
    main = max(tall, key=lambda f: f.rows) if tall else None
    fixed = sum(_height(r[0]) for r in rows if r[0] is not main) + (ex.SIGNATURE_H if tpl.signatures else 0)
    out, forms = _segments()
    for fields in rows:
        form = forms[-1]
        f = fields[0]
        if f.type == "member_table":
            _flush(out, forms)
            out.append(ex.blank_dues_table(f.label, f.rows))
        elif f.type == "roster_attendance":
            _single_row(form, [f], [ex.blank_attendance()], ROW_H)
            _multiline(form, FormField("present", "出席人员", "multiline"), "", 2, ruled=True)
            _multiline(form, FormField("absent", "缺席人员及原因", "multiline"), "", 2, ruled=True)
        elif f.type == "vote":
            _single_row(form, [f], [ex.blank_vote()], ROW_H)
        elif f.type == "multiline":
            lines = f.rows if f is not main else max(f.rows, int((height - fixed) // LINE))
            _multiline(form, f, "", lines, ruled=True)
        else:
            _single_row(form, fields, ["" for _ in fields], ROW_H)
    return _finish(tpl, out, forms)

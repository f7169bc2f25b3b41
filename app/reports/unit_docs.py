"""Pieces shared by the unit-wide documents (notice, summary, monthly sheet)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain.scheme import Scheme
from app.services.kernel import settings
from app.services.kernel.context import Ledger

from .styles import SHADE, M, P, RTable, date_text, grid


def unit_name(ledger: Ledger) -> str:
    return str(settings.get(ledger, "unit_name") or "").strip() or "党（工）委"


def category_head(scheme: Scheme) -> list[str]:
    return [c.name for c in scheme.categories]


def issuer_block(unit: str, when: object, space: float = 16 * mm) -> list[Flowable]:
    """The issuing organ, the date and room for the seal at the foot of a working document
    (the 通报 in 公文 form use app.reports.gongwen instead)."""
    return [Spacer(1, space), P(f"{unit}　　", "right"), P(f"{date_text(when)}　　", "right"),
            P("（盖章）　　　　", "right")]


def sign_block(width: float, labels: tuple[str, ...]) -> Flowable:
    """A row of signature blanks, e.g. 填表人 / 审核人 / 日期."""
    cells = [M(f"{label}：＿＿＿＿＿＿＿＿", "plain") for label in labels]
    return RTable([cells], colWidths=[width / len(labels)] * len(labels),
                  style=[("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])


def approval_box(width: float, title: str, signer: str, height: float = 22 * mm) -> Flowable:
    """An opinion box with a signature, seal and date line at its foot."""
    sign = M(f"{signer}（签字）：＿＿＿＿＿＿＿＿　　　　（盖章）　　　　＿＿＿＿年＿＿月＿＿日", "plain")
    return RTable([[P(title, "label"), ""], ["", sign]], colWidths=[30 * mm, width - 30 * mm],
                  rowHeights=[height, 14 * mm],
                  style=[*grid(0), ("SPAN", (0, 0), (0, 1)), ("BACKGROUND", (0, 0), (0, 1), SHADE),
                         ("LINEABOVE", (1, 1), (1, 1), 0, "white"), ("VALIGN", (1, 1), (1, 1), "BOTTOM")])

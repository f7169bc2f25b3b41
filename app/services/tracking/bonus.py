"""The 书记项目 bonus: on completion a project may add the scheme's 书记项目 bonus item to its lead
organisation, once, in the month it was completed, within the item's monthly and yearly caps (judged by
CellRules), and never on top of a bonus already entered by hand for the same project."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.services.kernel.context import Ledger
from db.models import Organization
from db.models_tracking import SecretaryProject

from . import links

WORD = "书记项目"


def note_for(row: SecretaryProject) -> str:
    return f"书记项目：{row.title}"


def award(s: Session, ledger: Ledger, row: SecretaryProject, lead: Organization) -> None:
    if row.bonus_month is not None:
        raise ValidationError(f"项目“{row.title}”已于 {row.bonus_year} 年 {row.bonus_month} 月计书记项目加分，不能重复计分")
    year, month = row.finished_on.year, row.finished_on.month
    item = links.find_item(s, ledger, year, WORD, "bonus")
    for note in links.notes_of(s, lead.id, item.id, year):
        if row.title in note:
            raise ValidationError(f"“{lead.name}”{year} 年“{item.name}”已手工录入该项目的加分（备注：{note}），"
                                  "不再重复计分")
    row.bonus_points = links.add_occurrence(s, ledger, lead, year, month, item, note_for(row), "书记项目加分")
    row.bonus_year, row.bonus_month = year, month

"""管理范围 in the account and month-lock dialogs: “全单位” or an organisation that has others under it."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from app.domain.enums import PARENT_KINDS
from app.services.kernel import scope
from app.services.register import orgs

WHOLE = "全单位（不限范围）"


def scope_combo(ledger, value: str = "", *, whole: bool = True) -> QComboBox:
    """A combo of “全单位” (item data "") and every 工委/党委/党总支 the current user sees (item data = its code)."""
    combo = QComboBox()
    if whole:
        combo.addItem(WHOLE, "")
    for o in orgs.list_orgs(ledger, include_inactive=False):
        if o.kind in PARENT_KINDS:
            combo.addItem(f"{o.name}（{o.code}）及其下属组织", o.code)
    select(combo, value)
    return combo


def select(combo: QComboBox, code: str) -> None:
    i = combo.findData(code or "")
    if i >= 0:
        combo.setCurrentIndex(i)


def label(code: str, name: str = "") -> str:
    return WHOLE if not code else f"{name or code}（{code}）"


def scope_words(ledger) -> str:
    """“城南片区社区综合党委及其下属组织” for a user limited to a subtree; "" for the whole unit."""
    if not getattr(ledger, "scope", ""):
        return ""
    try:
        sc = scope.current(ledger)
    except Exception:  # a title must never fail the window
        return ledger.scope
    return f"{sc.name}及其下属组织"

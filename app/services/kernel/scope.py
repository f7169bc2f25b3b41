"""Township scope: which organisations the current user sees and may change.

A user may be limited to a subtree — an organisation (typically a township 党委) and everything under
it — by the code in ``Ledger.scope`` (set from the account at login; "" = the whole unit / county).
This module is the one place that turns that code into the visible organisations: read services
filter their lists with ``visible_ids`` / ``keep``, and every write path checks its organisation with
``permissions.require_org`` (which calls ``ensure_covers`` here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import PermissionDeniedError
from db.models import Organization

from .context import Ledger

T = TypeVar("T")
_CACHE = "scope_cache"  # session.info key: (scope code, Scope) computed once per session


@dataclass(frozen=True)
class Scope:
    """A subtree: its root's code and name, and the ids and codes inside it (None = the whole unit)."""

    code: str
    name: str
    ids: frozenset[int] | None
    codes: frozenset[str] | None

    @property
    def whole(self) -> bool:
        return self.ids is None

    def covers_id(self, org_id: int | None) -> bool:
        return self.ids is None or org_id in self.ids

    def covers_code(self, code: str | None) -> bool:
        return self.codes is None or code in self.codes

    def label(self) -> str:
        """The scope in words, for headings and refusals: “城关镇党委（CG）及其下属组织”."""
        return "全单位" if self.whole else f"“{self.name}”（{self.code}）及其下属组织"


WHOLE = Scope("", "", None, None)


def subtree(session: Session, code: str) -> Scope:
    """The organisation with this code and everything under it (its own code when it is unknown: an empty subtree
    that shows nothing rather than everything)."""
    code = (code or "").strip()
    if not code:
        return WHOLE
    rows = session.execute(select(Organization.id, Organization.parent_id, Organization.code, Organization.name)).all()
    root = next((r for r in rows if r.code == code), None)
    if root is None:
        return Scope(code, code, frozenset(), frozenset())
    children: dict[int | None, list] = {}
    for r in rows:
        children.setdefault(r.parent_id, []).append(r)
    ids, codes, todo = set(), set(), [root]
    while todo:
        node = todo.pop()
        if node.id in ids:
            continue
        ids.add(node.id)
        codes.add(node.code)
        todo.extend(children.get(node.id, ()))
    return Scope(code, root.name, frozenset(ids), frozenset(codes))


def of(session: Session, ledger: Ledger) -> Scope:
    """The current user's scope, computed once per session."""
    code = getattr(ledger, "scope", "") or ""
    if not code:
        return WHOLE
    cached = session.info.get(_CACHE)
    if cached is not None and cached[0] == code:
        return cached[1]
    found = subtree(session, code)
    session.info[_CACHE] = (code, found)
    return found


def forget(session: Session) -> None:
    """Drop the session's computed scope (after organisations were added or moved in it)."""
    session.info.pop(_CACHE, None)


def current(ledger: Ledger) -> Scope:
    """The current user's scope, read in its own session (for screens and reports)."""
    if not getattr(ledger, "scope", ""):
        return WHOLE
    with ledger.db.read() as s:
        return of(s, ledger)


def visible_ids(session: Session, ledger: Ledger) -> frozenset[int] | None:
    """The ids of the organisations the current user sees; None = all of them."""
    return of(session, ledger).ids


def keep(ledger: Ledger, rows: Iterable[T], code: Callable[[T], str | None],
         session: Session | None = None) -> list[T]:
    """The rows whose organisation (``code(row)``) is inside the current user's scope; all of them for a county user."""
    rows = list(rows)
    if not getattr(ledger, "scope", ""):
        return rows
    sc = of(session, ledger) if session is not None else current(ledger)
    return [r for r in rows if sc.covers_code(code(r))]


def heading(ledger: Ledger, what: str = "排名") -> str:
    """A note for a heading when the list is limited: “（排名范围：城关镇党委及其下属组织）”, else ""."""
    sc = current(ledger)
    return "" if sc.whole else f"（{what}范围：{sc.name}及其下属组织）"


def ensure_covers(session: Session, ledger: Ledger, org: Organization | int | str | None, action: str = "修改") -> None:
    """Raise PermissionDeniedError naming the organisation and the user's scope when it lies outside the scope."""
    if not getattr(ledger, "scope", "") or org is None:
        return
    sc = of(session, ledger)
    if isinstance(org, str) and not org:  # the top of the tree (no parent): outside every subtree
        raise PermissionDeniedError(f"当前用户 {ledger.user} 的范围是{sc.label()}，不能{action}顶层（范围之外）")
    if isinstance(org, Organization):
        row = org
    elif isinstance(org, int):
        row = session.get(Organization, org)
    else:
        row = session.scalar(select(Organization).where(Organization.code == str(org)))
    if row is None or sc.covers_id(row.id):
        return
    raise PermissionDeniedError(
        f"当前用户 {ledger.user} 的范围是{sc.label()}，不能{action}范围之外的“{row.name}”（{row.code}）"
    )


def ensure_unit_wide_year(ledger: Ledger, label: str) -> None:
    """A year-wide act (confirming all grades, issuing for everyone…) is the whole unit's: refused to a scoped user."""
    ensure_whole_unit(ledger, label)


def ensure_whole_unit(ledger: Ledger, label: str) -> None:
    """Raise when a scoped user attempts something that concerns the whole unit (rules, accounts, settings…)."""
    if getattr(ledger, "scope", ""):
        raise PermissionDeniedError(
            f"当前用户 {ledger.user} 只管理“{ledger.scope}”及其下属组织，无权{label}：这是全单位的事，请由县（单位）级账户操作"
        )

"""The township scope (``kernel/scope.py``) for the instructors area, in one place.

- A 指导站 is inside a user's scope when the 党委 it works for (``Station.org_id``) is inside the user's subtree;
  a station with no 党委 is seen and changed by whole-unit (county) users only.
- Instructors, their assignments, weekly logs, tickets, grades, station sign-offs, subsidies and the stations' month
  task lists follow their station.
- A guidance target (an enterprise with no party organisation yet) is inside the scope when its 所属党委
  (``committee_id``) or the organisation founded in it (``org_id``) is inside the subtree, or when it is (or was)
  assigned to an instructor of a station inside the scope. A target with none of these — no 党委, never assigned —
  is seen by whole-unit users only (they assign it, or give it a 党委).

Read services narrow their queries with ``station_ids`` / ``instructor_ids`` / ``target_ids`` (None = no limit);
write services check the row they found with ``ensure_station`` / ``ensure_instructor`` / ``ensure_target`` before
anything is written; refusals name the row and the scope in the words of ``scope.ensure_covers``.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.errors import PermissionDeniedError
from app.services.kernel import scope
from app.services.kernel.context import Ledger
from db.models import Organization
from db.models_instructors import Assignment, GuidanceTarget, Instructor, Station


def _scoped(ledger: Ledger) -> bool:
    return bool(getattr(ledger, "scope", ""))


def station_ids(s: Session, ledger: Ledger) -> frozenset[int] | None:
    """The ids of the stations the user sees; None = all of them (a whole-unit user)."""
    if not _scoped(ledger):
        return None
    ids = scope.of(s, ledger).ids
    if ids is None:
        return None
    return frozenset(s.scalars(select(Station.id).where(Station.org_id.in_(ids))))


def instructor_ids(s: Session, ledger: Ledger) -> frozenset[int] | None:
    """The ids of the instructors of the stations the user sees; None = all of them."""
    stations = station_ids(s, ledger)
    if stations is None:
        return None
    return frozenset(s.scalars(select(Instructor.id).where(Instructor.station_id.in_(stations))))


def target_ids(s: Session, ledger: Ledger) -> frozenset[int] | None:
    """The ids of the guidance targets the user sees (the rule in the module's docstring); None = all of them."""
    if not _scoped(ledger):
        return None
    orgs = scope.of(s, ledger).ids
    if orgs is None:
        return None
    people = instructor_ids(s, ledger) or frozenset()
    assigned = select(Assignment.target_id).where(Assignment.instructor_id.in_(people),
                                                  Assignment.target_id.is_not(None))
    q = select(GuidanceTarget.id).where(or_(GuidanceTarget.committee_id.in_(orgs), GuidanceTarget.org_id.in_(orgs),
                                            GuidanceTarget.id.in_(assigned)))
    return frozenset(s.scalars(q))


def covers_station(s: Session, ledger: Ledger, st: Station) -> bool:
    if not _scoped(ledger):
        return True
    return scope.of(s, ledger).covers_id(st.org_id) and st.org_id is not None


def _refuse(s: Session, ledger: Ledger, action: str, what: str) -> PermissionDeniedError:
    return PermissionDeniedError(f"当前用户 {ledger.user} 的范围是{scope.of(s, ledger).label()}，不能{action}范围之外的{what}")


def _station_words(s: Session, st: Station) -> str:
    org = s.get(Organization, st.org_id) if st.org_id is not None else None
    where = f"所属党委“{org.name}”（{org.code}）" if org is not None else "未指定所属党委，由全单位账户管理"
    return f"指导站“{st.name}”（{where}）"


def ensure_station(s: Session, ledger: Ledger, st: Station, action: str = "修改") -> None:
    """Refused (PermissionDeniedError naming the station, its 党委 and the scope) outside the user's scope."""
    if not covers_station(s, ledger, st):
        raise _refuse(s, ledger, action, _station_words(s, st))


def ensure_instructor(s: Session, ledger: Ledger, ins: Instructor, action: str = "修改") -> None:
    """An instructor follows the station: refused, naming both, when the station lies outside the scope."""
    st = s.get(Station, ins.station_id)
    if not covers_station(s, ledger, st):
        raise _refuse(s, ledger, action, f"指导员“{ins.name}”（{_station_words(s, st)}）")


def ensure_target(s: Session, ledger: Ledger, t: GuidanceTarget, action: str = "修改") -> None:
    ids = target_ids(s, ledger)
    if ids is not None and t.id not in ids:
        raise _refuse(s, ledger, action, f"指导对象“{t.name}”（其所属党委、建立的党组织和指派的指导员都不在范围内）")


def ensure_new_home(s: Session, ledger: Ledger, org: Organization | None, what: str) -> None:
    """A station or target a scoped user registers must belong to a 党委 inside the subtree (else they could not
    see it afterwards): refused without one, or with one outside."""
    if not _scoped(ledger):
        return
    if org is None:
        sc = scope.of(s, ledger)
        raise PermissionDeniedError(f"当前用户 {ledger.user} 的范围是{sc.label()}，登记{what}须指定范围内的所属党委"
                                    f"（未指定所属党委的由全单位账户登记）")
    scope.ensure_covers(s, ledger, org, f"把{what}登记到")

"""The facts of a past year, worked out from dated rows: who sat on the committee (a term ends on its
离任时间, or when a later holder takes a one-person post), who was secretary at the year's end, who was a member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.services.register.members import CommitteeInfo, MemberInfo

# Posts held by one person at a time: a holder with a later 任职时间 ends the earlier holder's term.
# 副书记 and 委员 may be held by several at once, so their terms end only when the row is removed.
SINGLE_POSTS = ("书记", "组织委员", "宣传委员", "纪检委员", "青年委员")
ROLE_ORDER = ("书记", "副书记")


@dataclass(frozen=True)
class CommitteeTerm(CommitteeInfo):
    """A committee row whose term_end is its 离任时间 as entered, else the day a successor took the post."""


def committee_terms(rows: list[CommitteeInfo]) -> list[CommitteeTerm]:
    """Each committee row with the end of its term, when a successor in the same post says so. An undated
    holder (older data) is ended by the first dated holder entered after it."""
    out = []
    for i, c in enumerate(rows):
        end = c.term_end
        if end is None and c.role in SINGLE_POSTS:
            same = [(j, o) for j, o in enumerate(rows) if o.role == c.role and o.term_start is not None and j != i]
            if c.term_start is None:
                later = [o.term_start for j, o in same if j > i]
            else:
                later = [o.term_start for _j, o in same if o.term_start > c.term_start]
            end = min(later, default=None)
        out.append(CommitteeTerm(c.id, c.uuid, c.name, c.role, c.phone, c.term_start, end))
    return out


def committee_in_year(rows: list[CommitteeInfo], year: int) -> list[CommitteeTerm]:
    """The committee as it stood during ``year``: no one whose term starts later or ended before it; 书记,
    副书记, then 委员, a post's holders together, predecessor before successor."""
    first = date(year, 1, 1)
    kept = [c for c in committee_terms(rows)
            if (c.term_start is None or c.term_start.year <= year) and (c.term_end is None or c.term_end > first)]
    rank = {role: i for i, role in enumerate(ROLE_ORDER)}
    post = {}
    for i, c in enumerate(kept):
        post.setdefault(c.role, i)
    return sorted(kept, key=lambda c: (rank.get(c.role, len(ROLE_ORDER)), post[c.role], c.term_start or date.min))


def in_office_at_end(c: CommitteeTerm, year: int) -> bool:
    return c.term_end is None or c.term_end > date(year, 12, 31)


def secretary_in_year(committee: list[CommitteeTerm], year: int, fallback: str) -> str:
    """The 书记 at the end of ``year`` (the latest to take the post in it); the organisation's own
    secretary field only when the committee names no 书记 at all for the year."""
    held = [c for c in committee if c.role == "书记"]
    if not held:
        return fallback
    at_end = [c for c in held if in_office_at_end(c, year)] or held
    return max(at_end, key=lambda c: c.term_start or date.min).name


def roster_in_year(rows: list[MemberInfo], year: int) -> list[MemberInfo]:
    """Members during ``year``: not those who joined after it or left before it; those who were
    transferred out during it stay listed (the roster prints their 转出 date)."""
    return [m for m in rows
            if (m.joined_on is None or m.joined_on.year <= year)
            and (m.transferred_out_on is None or m.transferred_out_on.year >= year)]


def left_in_year(m: MemberInfo, year: int) -> bool:
    return m.transferred_out_on is not None and m.transferred_out_on.year == year

"""Finding work records: by words anywhere in a record, and the same record entered twice."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .records import RecordInfo, list_records


def _flat(value: object) -> Iterable[str]:
    """Every string inside a record's extra fields (roster names, absentees' reasons, dues rows …)."""
    if isinstance(value, dict):
        for v in value.values():
            yield from _flat(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _flat(v)
    elif value is not None:
        yield str(value)


def haystack(r: RecordInfo) -> str:
    parts = [r.type_code, r.type_name, r.date.isoformat(), f"{r.date.year}年{r.date.month}月{r.date.day}日",
             r.topic, r.content, r.place, r.host, r.recorder, r.absentees, *_flat(r.extra)]
    return "\n".join(p for p in parts if p).casefold()


def matches(r: RecordInfo, query: str) -> bool:
    """Every word of ``query`` (split on spaces) appears somewhere in the record, ignoring case."""
    words = query.casefold().split()
    if not words:
        return True
    text = haystack(r)
    return all(w in text for w in words)


def search(rows: Iterable[RecordInfo], query: str) -> list[RecordInfo]:
    return [r for r in rows if matches(r, query)]


def _same_topic(a: str, b: str) -> bool:
    return "".join(a.split()).casefold() == "".join(b.split()).casefold()


def duplicates(ledger, org_code: str, type_code: str, on: date, topic: str,
               exclude_id: int | None = None) -> list[RecordInfo]:
    """Records of the organisation with the same type, date and topic (spaces and case aside): most
    likely the same meeting entered twice. A warning, not a refusal: two meetings of one kind on one
    day do happen."""
    return [r for r in list_records(ledger, org_code, on.year, type_code)
            if r.date == on and _same_topic(r.topic, topic) and r.id != exclude_id]

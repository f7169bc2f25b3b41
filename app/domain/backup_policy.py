"""Which backups to keep: the newest of each of the last 7 days, 4 weeks and 12 months (pure)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime


def _keep_per_bucket(stamps: list[datetime], key: Callable[[datetime], object], count: int) -> set[datetime]:
    """The newest stamp of each of the ``count`` most recent buckets that have any (stamps newest first)."""
    kept: set[datetime] = set()
    seen: set[object] = set()
    for stamp in stamps:
        bucket = key(stamp)
        if bucket in seen:
            continue
        if len(seen) == count:
            break
        seen.add(bucket)
        kept.add(stamp)
    return kept


def backups_to_keep(stamps: Iterable[datetime], *, daily: int = 7, weekly: int = 4, monthly: int = 12) -> set[datetime]:
    """The stamps to keep; every other backup may be deleted. The newest is always kept."""
    ordered = sorted(set(stamps), reverse=True)
    if not ordered:
        return set()
    keep = {ordered[0]}
    keep |= _keep_per_bucket(ordered, lambda d: d.date(), daily)
    keep |= _keep_per_bucket(ordered, lambda d: d.isocalendar()[:2], weekly)
    keep |= _keep_per_bucket(ordered, lambda d: (d.year, d.month), monthly)
    return keep


def backups_to_delete(stamps: Iterable[datetime], **limits: int) -> set[datetime]:
    stamps = set(stamps)
    return stamps - backups_to_keep(stamps, **limits)

"""What a sheet read from Excel hands to the import services (app.io fills these; nothing here reads files).

Parsing checks each cell on its own; the services then work out what the values mean against the
database (new/changed, locks, yearly caps) and write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class ScoreValue:
    """One input cell: points for ordinary items, a 0/1 count for a veto item; both None = blank."""

    where: str
    org_code: str
    item_code: str
    month: int
    points: Decimal | None
    count: int | None


@dataclass
class ParsedScores:
    file_name: str
    year: int
    months: list[int]
    values: list[ScoreValue] = field(default_factory=list)
    rows: dict[tuple[str, int], str] = field(default_factory=dict)  # (org, month) → "sheet!row"
    problems: list[str] = field(default_factory=list)  # "sheet!cell: reason"
    notices: list[str] = field(default_factory=list)
    org_names: dict[str, str] = field(default_factory=dict)


@dataclass
class ParsedRegister:
    kind: str
    file_name: str
    rows: list[tuple[str, dict[str, object]]] = field(default_factory=list)  # ("sheet!row", {field: value})
    problems: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # field → the column's name, for messages

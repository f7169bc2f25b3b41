"""Demo work records filled as filed records are: attendance by name with reasons, 议程/决议/表决 for
meetings, and a per-member 党费 table. A separate random stream per record keeps the rest of the demo unchanged."""

from __future__ import annotations

import json
import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.domain.money import money_text
from app.services.book.fields import absent_text

REASONS = ("出差", "病假", "外出务工", "值班", "参加业务培训")
NAMED_FORMS = ("meeting", "lecture", "study")
VOTED = ("2.1", "2.2")


def _unique(names: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(names))


def _due(base: Decimal) -> Decimal:
    """党费 by the usual brackets of monthly income: 0.5 % / 1 % / 1.5 % / 2 %."""
    rate = Decimal("0.005") if base <= 3000 else Decimal("0.01") if base <= 5000 else \
        Decimal("0.015") if base <= 10000 else Decimal("0.02")
    return (base * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def filed(names: tuple[str, ...], code: str, form: str, on: date, row: dict) -> dict:
    """Columns to update on a demo record ``row`` (its extra JSON included)."""
    people = _unique(names)
    if not people or form not in (*NAMED_FORMS, "dues"):
        return {}
    rng = random.Random(f"{row['org_id']}|{code}|{on.isoformat()}|{row['topic']}")
    extra = json.loads(row["extra"])
    if form == "dues":
        rows = []
        for name in people:
            base = Decimal(rng.randrange(2500, 12001, 500))
            due = _due(base)
            paid = rng.random() > 0.07
            rows.append({"name": name, "base": money_text(base), "due": money_text(due),
                         "paid": money_text(due) if paid else "", "paid_on": on.isoformat() if paid else ""})
        extra["dues"] = rows
        extra["amount"] = money_text(sum((Decimal(r["paid"]) for r in rows if r["paid"]), Decimal("0.00")))
        return {"attendance_expected": len(rows), "attendance_actual": sum(1 for r in rows if r["paid"]),
                "extra": json.dumps(extra, ensure_ascii=False, sort_keys=True)}
    expected = min(row["attendance_expected"] or len(people), len(people))
    roster = people[:expected]
    missing = min(expected - (row["attendance_actual"] or expected), max(0, expected - 2))
    absent = rng.sample(roster[2:], missing) if missing > 0 else []  # 书记 hosts and the 记录人 writes
    extra["roster"] = {"present": [n for n in roster if n not in absent],
                       "absent": [{"name": n, "reason": rng.choice(REASONS)} for n in absent]}
    if form == "meeting":
        extra["agenda"] = f"一、{row['topic']}；二、通报近期重点工作；三、其他事项。"
        if code in VOTED:
            extra["resolution"] = f"会议研究同意上述事项，由{row['host']}同志牵头抓好落实，下次会议通报进展。"
            actual = expected - len(absent)
            abstain = 1 if actual > 4 and rng.random() < 0.2 else 0
            extra["vote"] = {"for": actual - abstain, "against": 0, "abstain": abstain}
    return {"attendance_expected": expected, "attendance_actual": expected - len(absent),
            "absentees": absent_text(extra["roster"]["absent"]),
            "extra": json.dumps(extra, ensure_ascii=False, sort_keys=True)}

"""How a travelling row is identified between installations: its uuid, or its natural key.

Shared by the package rows (exchange) and the tombstones a deletion leaves (kernel), so a deletion
names exactly the row the other side holds.
"""

from __future__ import annotations

# 党建指导员 rows (issue 19) are matched by uuid, except the weekly logs, grades, scheme and sign-offs below.
INSTRUCTOR_UUID_KEYED = ("ins_stations", "instructors", "ins_targets", "ins_assignments",
                         "ins_visits", "ins_tickets")

UUID_KEYED = ("organizations", "records", "committee", "members", "exemptions",
              "meetings", "projects", "tasks", "milestones", "tracking_logs", "awards", "grants",
              *INSTRUCTOR_UUID_KEYED)


def row_key(entity: str, row: dict) -> str:
    if entity in UUID_KEYED:
        return row["uuid"]
    if entity == "org_classes" or entity == "grades":
        return f"{row['org_uuid']}|{row['year']}"
    if entity == "schemes":
        return str(row["year"])
    if entity == "scores":
        return f"{row['org_uuid']}|{row['year']}|{row['month']}|{row['item_code']}"
    if entity == "warnings":
        return f"{row['org_uuid']}|{row['year']}|{row['quarter']}"
    if entity == "ins_logs":
        return f"{row['instructor_uuid']}|{row['week']}"
    if entity == "ins_grades":
        return f"{row['instructor_uuid']}|{row['year']}"
    if entity == "ins_schemes":
        return str(row["year"])
    if entity == "ins_signoffs":
        return f"{row['year']}|{row['step']}"
    if entity == "ins_station_signoffs":
        return f"{row['station_uuid']}|{row['year']}|{row['step']}"
    if entity == "requirements":
        return f"{row['year']}|{row['type_code']}"
    if entity == "incentive_rules":
        return f"{row['year']}|{row['sector']}|{row['grade']}"
    if entity == "incentives":
        return f"{row['org_uuid']}|{row['year']}"
    if entity == "pairings":
        return f"{row['strong_uuid']}|{row['weak_uuid']}|{row['year']}"
    raise KeyError(entity)

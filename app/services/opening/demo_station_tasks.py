"""Demo 指导站 month lists (issue 19.5): the last three months' lists of the demo station — the station's own 站务例会
and three lines to every instructor — mostly done with evidence, the diligent on time, a few late or open, so the
月调度 tab's task list and feedback never open empty."""

from __future__ import annotations

import calendar
import random
from datetime import date, timedelta

from sqlalchemy import select

from app.domain import tracking as rules
from db.models_instructors import Instructor, Station
from db.models_tracking import KeyTask

from .demo_instructors import PEOPLE, STATION

STATION_LINE = ("召开站务例会，调度上月任务清单完成情况", 5, "站务例会记录")
LINES = [("走访新招商、新业态企业，填写党建需求调查表", 20, "需求调查表"),
         ("收集企业问题并登记问题帮办台账", 25, "问题帮办台账"),
         ("报送本月工作简报和周记录表", 0, "工作简报")]  # 0: the month's last day
DILIGENCE = {name: d for name, _s, _m, _g, _p, d in PEOPLE}


def _months(today: date, n: int = 3) -> list[tuple[int, int]]:
    out, y, m = [], today.year, today.month
    for _ in range(n):
        out.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def load(s, rng: random.Random, today: date) -> int:
    st = s.scalar(select(Station).where(Station.name == STATION))
    if st is None or st.org_id is None:
        return 0
    people = list(s.scalars(select(Instructor).where(Instructor.station_id == st.id).order_by(Instructor.id)))
    n = 0
    for y, m in _months(today):
        last = calendar.monthrange(y, m)[1]
        issued = date(y, m, 1)
        if issued > today:
            continue
        owners = [(None, STATION_LINE)] + [(p, line) for line in LINES for p in people]
        for who, (title, day, proof) in owners:
            due = date(y, m, day or last)
            diligence = DILIGENCE.get(who.name, 1.0) if who else 1.1
            done_on = None
            if rng.random() < min(0.97, 0.55 + 0.35 * diligence):
                late = rng.random() > min(0.95, 0.5 + 0.4 * diligence)
                done_on = due + timedelta(days=rng.randint(1, 6)) if late else due - timedelta(days=rng.randint(0, 8))
                done_on = max(done_on, issued)
                if done_on > today:
                    done_on = None
            s.add(KeyTask(title=title, source=rules.MONTHLY_LIST, owner_org_id=st.org_id,
                          owner_person=who.name if who else "", issued_on=issued, due_on=due,
                          status=rules.DONE if done_on else rules.TODO, done_on=done_on,
                          evidence=f"{proof}（{who.name if who else st.name}）" if done_on else "",
                          list_month=f"{y}-{m:02d}", station_id=st.id, instructor_id=who.id if who else None))
            n += 1
    s.flush()
    return n

"""Writing 党建指导员 package rows under the rules of hand entry (the same check functions the services call);
mixed into exchange.write.Writer, which supplies ``s``, ``ledger``, ``org()`` and ``_uuid()``."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from app.domain import instructors as rules
from app.domain.points import parse_points
from app.errors import ValidationError
from app.services.instructors import assignments, register, scheme, station_scope, tickets, weekly
from app.services.kernel import tombstones, validate
from db.models import Organization
from db.models_instructors import (
    Assignment,
    GradeSignoff,
    GuidanceTarget,
    Instructor,
    InstructorGrade,
    InstructorScheme,
    Station,
    StationSignoff,
    Ticket,
    Visit,
    WeeklyLog,
)


def _date(v: object) -> date | None:
    return None if v is None else date.fromisoformat(str(v))


def _text(v: object, max_len: int) -> str:
    if v is None:
        return ""
    if not isinstance(v, str) or len(v) > max_len:
        raise ValueError(f"不是有效文字：{str(v)[:20]!r}")
    return v


class InstructorWriter:
    s: object
    ledger: object

    # ---- lookups by uuid (cached for the batch: a year of a station is a few thousand rows) ----
    def _ins_by_uuid(self, model, uuid: object, what: str):
        cache = self.__dict__.setdefault("_ins_rows", {})
        row = cache.get((model, uuid))
        if row is None:
            row = self.s.scalar(select(model).where(model.uuid == uuid)) if uuid else None
            if row is None:
                raise ValueError(f"引用了数据包和本机都没有的{what}（{str(uuid)[:8]}）")
            # Every row of a station (instructors, logs, tickets, grades, sign-offs) reaches it through here: held to
            # the user's scope as a hand entry is (station_scope), whatever the package's own scope says.
            if model is Station:
                station_scope.ensure_station(self.s, self.ledger, row, "导入")
            elif model is Instructor:
                station_scope.ensure_instructor(self.s, self.ledger, row, "导入")
            cache[(model, uuid)] = row
        return row

    def _week_open(self, year: int, week: int) -> None:
        """weekly.ensure_writable, judged once per week of the batch (month locks through the Writer's cache)."""
        done = self.__dict__.setdefault("_ins_weeks", set())
        if (year, week) in done:
            return
        monday, sunday = rules.week_days(year, week)
        for day in (monday, sunday):
            self.ensure_open(day.year, day.month)
        counted = self.__dict__.setdefault("_ins_counted", {})
        if year not in counted:
            counted[year] = self.s.scalar(select(GradeSignoff.id).where(GradeSignoff.year == year,
                                                                        GradeSignoff.step == "小组统计")) is not None
        if counted[year]:
            weekly.ensure_writable(self.s, year, week)  # raises, naming who counted the year
        done.add((year, week))

    def _opt_org(self, uuid: object) -> Organization | None:
        return self.s.get(Organization, self.org(uuid)) if uuid else None

    def _opt_target(self, uuid: object) -> GuidanceTarget | None:
        return self._ins_by_uuid(GuidanceTarget, uuid, "指导对象") if uuid else None

    # ---- register ----
    def _ins_stations(self, action: str, row: dict) -> None:
        name = validate.text(_text(row["name"], 80), "指导站名称", required=True, max_len=80)
        clash = self.s.scalar(select(Station).where(Station.name == name, Station.uuid != row["uuid"]))
        if clash is not None:
            raise ValueError(f"指导站名称“{name}”在本机已被另一个指导站使用")
        cur = self.s.scalar(select(Station).where(Station.uuid == row["uuid"]))
        if cur is None:
            cur = Station(uuid=row["uuid"], name=name)
            self.s.add(cur)
        else:
            station_scope.ensure_station(self.s, self.ledger, cur, "导入")
        org = self._opt_org(row.get("org_uuid"))
        station_scope.ensure_new_home(self.s, self.ledger, org, "指导站")
        cur.name, cur.org_id, cur.note = name, org.id if org else None, validate.text(_text(row.get("note"), 200), "备注")
        self.s.flush()

    def _instructors(self, action: str, row: dict) -> None:
        fields = register.check_instructor({**row, "group": _text(row.get("group"), 40)})
        st = self._ins_by_uuid(Station, row["station_uuid"], "指导站")
        clash = self.s.scalar(select(Instructor).where(Instructor.station_id == st.id, Instructor.name == fields["name"],
                                                      Instructor.uuid != row["uuid"]))
        if clash is not None:
            raise ValueError(f"“{st.name}”在本机已有另一位指导员“{fields['name']}”")
        cur = self.s.scalar(select(Instructor).where(Instructor.uuid == row["uuid"]))
        if cur is None:
            cur = Instructor(uuid=row["uuid"], station_id=st.id, **fields)
            self.s.add(cur)
        cur.station_id = st.id
        for k, v in fields.items():
            setattr(cur, k, v)
        self.s.flush()

    def _ins_targets(self, action: str, row: dict) -> None:
        fields = register.check_target(row)
        clash = self.s.scalar(select(GuidanceTarget).where(GuidanceTarget.name == fields["name"],
                                                          GuidanceTarget.uuid != row["uuid"]))
        if clash is not None:
            raise ValueError(f"指导对象名称“{fields['name']}”在本机已被另一个指导对象使用")
        status = _text(row.get("status"), 10) or "active"
        if status not in ("active", "inactive"):
            raise ValueError(f"状态“{status}”无效")
        cur = self.s.scalar(select(GuidanceTarget).where(GuidanceTarget.uuid == row["uuid"]))
        if cur is None:
            cur = GuidanceTarget(uuid=row["uuid"], **fields)
            self.s.add(cur)
        com, org = self._opt_org(row.get("committee_uuid")), self._opt_org(row.get("org_uuid"))
        for k, v in fields.items():
            setattr(cur, k, v)
        cur.committee_id, cur.org_id, cur.status = com.id if com else None, org.id if org else None, status
        self.s.flush()

    def _ins_assignments(self, action: str, row: dict) -> None:
        ins = self._ins_by_uuid(Instructor, row["instructor_uuid"], "指导员")
        org, target = self._opt_org(row.get("org_uuid")), self._opt_target(row.get("target_uuid"))
        first, last = assignments.check_span(row["start_on"], row.get("end_on"))
        assignments.check_assignment(self.s, ins, org, target, first, last, keep_uuid=row["uuid"])
        cur = self.s.scalar(select(Assignment).where(Assignment.uuid == row["uuid"]))
        if cur is None:
            cur = Assignment(uuid=row["uuid"], instructor_id=ins.id, start_on=first)
            self.s.add(cur)
        cur.instructor_id, cur.org_id = ins.id, org.id if org else None
        cur.target_id, cur.start_on, cur.end_on = target.id if target else None, first, last
        cur.in_town = bool(row.get("in_town"))
        self.s.flush()

    # ---- weekly logs, visits, tickets ----
    def _log_row(self, instructor_uuid: object, week: object) -> tuple[Instructor, WeeklyLog | None, int, int]:
        ins = self._ins_by_uuid(Instructor, instructor_uuid, "指导员")
        y, w = weekly.parse_week(week)
        logs = self.__dict__.setdefault("_ins_logs", {})
        if ins.id not in logs:
            logs[ins.id] = {r.week: r for r in self.s.scalars(select(WeeklyLog).where(WeeklyLog.instructor_id == ins.id))}
        return ins, logs[ins.id].get(rules.week_label(y, w)), y, w

    def _ins_logs(self, action: str, row: dict) -> None:
        ins, cur, y, w = self._log_row(row["instructor_uuid"], row["week"])
        values = weekly.check_counts(row)
        self._week_open(y, w)
        weekly.ensure_station_open(self.s, y, ins.id)
        if cur is None:
            cur = WeeklyLog(uuid=self._uuid(WeeklyLog, row), instructor_id=ins.id, week=rules.week_label(y, w), year=y,
                            month=rules.week_month(y, w)[1])
            self.s.add(cur)
            self._ins_logs[ins.id][cur.week] = cur
        for k, v in values.items():
            setattr(cur, k, v)
        cur.note = validate.text(_text(row.get("note"), 200), "备注")

    def _ins_visits(self, action: str, row: dict) -> None:
        ins, log, y, w = self._log_row(row["instructor_uuid"], row["week"])
        if log is None:
            raise ValueError(f"走访记录所属的周记录（{row['week']}）不存在")
        self._week_open(y, w)
        weekly.ensure_station_open(self.s, y, ins.id)
        target, org = self._opt_target(row.get("target_uuid")), self._opt_org(row.get("org_uuid"))
        if target is None and org is None:
            raise ValueError("走访对象不是已登记的指导对象或党组织")
        monday, sunday = rules.week_days(y, w)
        on = validate.parse_date(row["date"], "走访日期")
        if not monday <= on <= sunday:
            raise ValidationError(f"走访日期 {on} 不在 {rules.week_label(y, w)}（{monday}—{sunday}）之内")
        cur = self.s.scalar(select(Visit).where(Visit.uuid == row["uuid"]))
        if cur is None:
            cur = Visit(uuid=row["uuid"], log_id=log.id, place="", date=on)
            self.s.add(cur)
        cur.log_id, cur.target_id, cur.org_id = log.id, target.id if target else None, org.id if org else None
        cur.place = target.name if target else org.name
        cur.date, cur.purpose = on, validate.text(_text(row.get("purpose"), 200), "事由")

    def _ins_tickets(self, action: str, row: dict) -> None:
        ins = self._ins_by_uuid(Instructor, row["instructor_uuid"], "指导员")
        target, org = self._opt_target(row.get("target_uuid")), self._opt_org(row.get("org_uuid"))
        raised = validate.parse_date(row["raised_on"], "收集日期")
        closed = validate.parse_date(row.get("closed_on"), "办结日期", required=False)
        status, sat = _text(row["status"], 6), _text(row.get("satisfaction"), 6)
        tickets.check_state(status, raised, closed, sat)
        cur = self.s.scalar(select(Ticket).where(Ticket.uuid == row["uuid"]))
        if cur is not None:
            try:
                rules.check_move(cur.status, status)
            except ValueError as e:
                raise ValidationError(str(e)) from None
        self.ensure_open(raised.year, raised.month)
        if cur is None:
            cur = Ticket(uuid=row["uuid"], instructor_id=ins.id, raised_on=raised)
            self.s.add(cur)
        cur.instructor_id, cur.target_id, cur.org_id = ins.id, target.id if target else None, org.id if org else None
        cur.place = target.name if target else (org.name if org else validate.text(_text(row.get("place"), 120),
                                                                                      "问题所在单位", required=True))
        cur.raised_by, cur.raised_on = validate.text(_text(row.get("raised_by"), 40), "提出人"), raised
        cur.content = validate.text(_text(row["content"], 500), "问题内容", required=True, max_len=500)
        cur.status, cur.closed_on, cur.satisfaction = status, closed, sat
        cur.handled_by = validate.text(_text(row.get("handled_by"), 80), "承办单位", max_len=80)
        cur.note = validate.text(_text(row.get("note"), 200), "备注")

    # ---- scheme, grades, sign-offs ----
    def _ins_schemes(self, action: str, row: dict) -> None:
        y = validate.year(row["year"])
        value = scheme.parse(row["rules"])
        scheme.ensure_unsigned(self.s, y)  # as saving by hand: a counted year's rules stand
        scheme.store(self.s, y, value, uuid=self._uuid(InstructorScheme, row))

    def _ins_grades(self, action: str, row: dict) -> None:
        ins = self._ins_by_uuid(Instructor, row["instructor_uuid"], "指导员")
        y = validate.year(row["year"])
        if row["grade"] not in rules.GRADES:
            raise ValueError(f"等次“{row['grade']}”无效")
        pts = parse_points(row["points"], field="积分")
        cur = self.s.scalar(select(InstructorGrade).where(InstructorGrade.instructor_id == ins.id,
                                                          InstructorGrade.year == y))
        if cur is None:
            cur = InstructorGrade(uuid=self._uuid(InstructorGrade, row), instructor_id=ins.id, year=y)
            self.s.add(cur)
        elif self.s.scalar(select(GradeSignoff.id).where(GradeSignoff.year == y, GradeSignoff.step == "站内核实")):
            raise ValidationError(f"{y} 年指导员考核已站内核实，等次不能再改")
        elif self.s.scalar(select(StationSignoff.id).where(StationSignoff.station_id == ins.station_id,
                                                           StationSignoff.year == y, StationSignoff.step == "站内核实")):
            raise ValidationError(f"{y} 年“{ins.name}”所在指导站的考核已站内核实，等次不能再改")
        cur.points, cur.grade = pts, row["grade"]
        self.s.flush()

    def _ins_signoffs(self, action: str, row: dict) -> None:
        y = validate.year(row["year"])
        step = validate.one_of(_text(row["step"], 6), rules.SIGNOFF_STEPS, "签认环节")
        person = validate.text(_text(row["person"], 40), "签认人姓名", required=True, max_len=40)
        earlier = rules.SIGNOFF_STEPS[:rules.SIGNOFF_STEPS.index(step)]
        have = set(self.s.scalars(select(GradeSignoff.step).where(GradeSignoff.year == y)))
        missing = [x for x in earlier if x not in have]
        if missing:
            raise ValidationError(f"签认须按 小组统计 → 站内核实 → 党支部认定 的顺序：{y} 年尚无“{missing[0]}”")
        cur = self.s.scalar(select(GradeSignoff).where(GradeSignoff.year == y, GradeSignoff.step == step))
        if cur is None:
            cur = GradeSignoff(uuid=self._uuid(GradeSignoff, row), year=y, step=step)
            self.s.add(cur)
        cur.person, cur.signed_by = person, _text(row.get("signed_by"), 40)
        cur.signed_at = datetime.fromisoformat(str(row["signed_at"]))
        self.s.flush()

    def _ins_station_signoffs(self, action: str, row: dict) -> None:
        st = self._ins_by_uuid(Station, row["station_uuid"], "指导站")
        y = validate.year(row["year"])
        step = validate.one_of(_text(row["step"], 6), rules.SIGNOFF_STEPS, "签认环节")
        person = validate.text(_text(row["person"], 40), "签认人姓名", required=True, max_len=40)
        if self.s.scalar(select(GradeSignoff.id).where(GradeSignoff.year == y)) is not None:
            raise ValidationError(f"{y} 年指导员考核已对全部指导站一并签认，不能再逐站签认")
        have = set(self.s.scalars(select(StationSignoff.step).where(StationSignoff.station_id == st.id,
                                                                    StationSignoff.year == y)))
        missing = [x for x in rules.SIGNOFF_STEPS[:rules.SIGNOFF_STEPS.index(step)] if x not in have]
        if missing:
            raise ValidationError(f"签认须按 小组统计 → 站内核实 → 党支部认定 的顺序：{y} 年“{st.name}”尚无“{missing[0]}”")
        cur = self.s.scalar(select(StationSignoff).where(StationSignoff.station_id == st.id, StationSignoff.year == y,
                                                         StationSignoff.step == step))
        if cur is None:
            cur = StationSignoff(uuid=self._uuid(StationSignoff, row), station_id=st.id, year=y, step=step)
            self.s.add(cur)
        cur.person, cur.signed_by = person, _text(row.get("signed_by"), 40)
        cur.signed_at = datetime.fromisoformat(str(row["signed_at"]))
        self.s.flush()

    # ---- deletions ----
    def _delete_ins_assignments(self, ident: dict) -> None:
        row = self.s.scalar(select(Assignment).where(Assignment.uuid == ident["uuid"]))
        if row is not None:
            tombstones.bury(self.s, self.ledger.user, "ins_assignments", {"uuid": row.uuid}, org_id=None, year=None)
            self.s.delete(row)

    def _delete_ins_visits(self, ident: dict) -> None:
        row = self.s.scalar(select(Visit).where(Visit.uuid == ident["uuid"]))
        if row is not None:
            log = self.s.get(WeeklyLog, row.log_id)
            y, w = weekly.parse_week(log.week)
            weekly.ensure_writable(self.s, y, w)
            tombstones.bury(self.s, self.ledger.user, "ins_visits", {"uuid": row.uuid}, org_id=None, year=log.year)
            self.s.delete(row)

    def _delete_ins_grades(self, ident: dict) -> None:
        ins = self.s.scalar(select(Instructor).where(Instructor.uuid == ident["instructor_uuid"]))
        if ins is None:
            return
        row = self.s.scalar(select(InstructorGrade).where(InstructorGrade.instructor_id == ins.id,
                                                          InstructorGrade.year == ident["year"]))
        if row is not None:
            tombstones.bury(self.s, self.ledger.user, "ins_grades", {"instructor_uuid": ins.uuid, "year": row.year},
                            org_id=None, year=row.year)
            self.s.delete(row)

    def _delete_ins_signoffs(self, ident: dict) -> None:
        row = self.s.scalar(select(GradeSignoff).where(GradeSignoff.year == ident["year"],
                                                       GradeSignoff.step == ident["step"]))
        if row is not None:
            tombstones.bury(self.s, self.ledger.user, "ins_signoffs", {"year": row.year, "step": row.step},
                            org_id=None, year=row.year)
            self.s.delete(row)

    def _delete_ins_station_signoffs(self, ident: dict) -> None:
        st = self.s.scalar(select(Station).where(Station.uuid == ident["station_uuid"]))
        if st is None:
            return
        row = self.s.scalar(select(StationSignoff).where(StationSignoff.station_id == st.id,
                                                         StationSignoff.year == ident["year"],
                                                         StationSignoff.step == ident["step"]))
        if row is not None:
            tombstones.bury(self.s, self.ledger.user, "ins_station_signoffs",
                            {"station_uuid": st.uuid, "year": row.year, "step": row.step}, org_id=None, year=row.year)
            self.s.delete(row)

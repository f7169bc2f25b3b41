"""The owner kind of a 指导站's list task in a package (issue 19.5): ``station_uuid`` and ``instructor_uuid`` beside
the task's ``org_uuid`` (the station's 党委). A task row without them is an organisation's task, as before."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from db.models_instructors import Instructor, Station
from db.models_tracking import KeyTask


def station_owners(s: Session, tasks: list[KeyTask]) -> dict[int, dict]:
    """task id → {"station_uuid", "instructor_uuid"} for the tasks a station or an instructor owns."""
    mine = [t for t in tasks if t.station_id is not None]
    if not mine:
        return {}
    stations = dict(s.execute(select(Station.id, Station.uuid).where(Station.id.in_({t.station_id for t in mine}))).all())
    people = {t.instructor_id for t in mine if t.instructor_id is not None}
    ins = dict(s.execute(select(Instructor.id, Instructor.uuid).where(Instructor.id.in_(people))).all()) if people else {}
    return {t.id: {"station_uuid": stations[t.station_id], "instructor_uuid": ins.get(t.instructor_id)} for t in mine}


class StationTaskLinks:
    """Mixed into exchange.write.Writer: tasks are written before the instructor rows, so a task's station and
    instructor (perhaps new in the same package) are linked once those are written (``_after_instructors``)."""

    s: object

    def _link_station_task(self, task: KeyTask, row: dict) -> None:
        if "station_uuid" in row or "instructor_uuid" in row:
            pending = self.__dict__.setdefault("_station_task_links", [])
            pending.append((task, row.get("station_uuid"), row.get("instructor_uuid")))

    def _after_instructors(self) -> None:
        try:
            self._link_station_tasks()
        except ValueError as e:
            raise ValidationError(f"数据包内容有误：“重点任务”：{e}") from None

    def _link_station_tasks(self) -> None:
        for task, station_uuid, instructor_uuid in self.__dict__.pop("_station_task_links", []):
            if not station_uuid:
                if instructor_uuid:
                    raise ValueError(f"任务“{task.title}”有指导员却没有指导站")
                task.station_id = task.instructor_id = None
                continue
            st = self.s.scalar(select(Station).where(Station.uuid == station_uuid))
            if st is None:
                raise ValueError(f"任务“{task.title}”引用了数据包和本机都没有的指导站")
            if st.org_id != task.owner_org_id:
                raise ValueError(f"任务“{task.title}”的责任单位不是指导站“{st.name}”所属党委")
            who = None
            if instructor_uuid:
                who = self.s.scalar(select(Instructor).where(Instructor.uuid == instructor_uuid))
                if who is None or who.station_id != st.id:
                    raise ValueError(f"任务“{task.title}”引用了不属于“{st.name}”的指导员")
            task.station_id, task.instructor_id = st.id, who.id if who else None
        self.s.flush()

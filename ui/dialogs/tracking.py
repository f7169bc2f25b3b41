"""Entry dialogs of the 书记项目 and 重点任务 pages: a new project, a 调度 entry, a milestone done, a new task,
立项, 结项, 变更类型/层级, 终止, deleting a wrong 调度 entry, a task done and its 销号.
Each saves through app.services.tracking; a refusal stays in the dialog in red, nothing written."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QSpinBox, QWidget

from app.domain import tracking as rules
from app.errors import ValidationError
from app.services.kernel.context import Ledger
from app.services.register import orgs
from app.services.tracking import projects, removal, tasks
from ui.widgets.pickers import OrgPicker

from .base import ServiceDialog


def _text(dialog: ServiceDialog, label: str, value: str = "", height: int = 54) -> QPlainTextEdit:
    edit = QPlainTextEdit(value)
    edit.setFixedHeight(height)
    dialog.form.addRow(label, edit)
    return edit


def _org_picker(dialog: ServiceDialog, ledger: Ledger, label: str) -> OrgPicker:
    picker = OrgPicker()
    picker.set_orgs([o for o in orgs.list_orgs(ledger, include_inactive=False)])
    dialog.form.addRow(label, picker)
    return picker


class ProjectDialog(ServiceDialog):
    """申报 a project: its 方案 (goal, measures) may be filled now or before 立项."""

    def __init__(self, ledger: Ledger, year: int, parent: QWidget | None = None) -> None:
        super().__init__("申报书记项目", parent, intro="一项目一方案：立项前须填写目标任务、工作举措，并至少设置一个节点。")
        self.ledger = ledger
        self.title = self.line("项目名称")
        self.level = self.choice("项目层级", rules.LEVELS, rules.LEVELS[3])
        self.type = self.choice("项目类型", rules.TYPES)
        self.lead = _org_picker(self, ledger, "牵头组织")
        self.theme = self.line("项目主题")
        self.start = self.line("开始日期", f"{year}-01-01")
        self.end = self.line("结束日期", f"{year}-12-31")
        self.problem = _text(self, "解决的问题")
        self.goal = _text(self, "目标任务")
        self.measures = _text(self, "工作举措")
        self.year = year

    def save(self):
        return projects.add_project(
            self.ledger, year=self.year, title=self.title.text(), level=self.level.currentText(),
            type=self.type.currentText(), lead=self.lead.code(), start=self.start.text(), end=self.end.text(),
            theme=self.theme.text(), problem=self.problem.toPlainText(), goal=self.goal.toPlainText(),
            measures=self.measures.toPlainText())


class LogDialog(ServiceDialog):
    """A 调度 entry: progress, what was done, problems, next steps; a lower progress needs a reason."""

    def __init__(self, ledger: Ledger, project: projects.ProjectInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"登记调度：{project.title}", parent,
                         intro=f"上次进度 {project.track.progress}%。进度下降时须说明原因。")
        self.ledger, self.project = ledger, project
        self.on = self.line("调度日期", ledger.today().isoformat())
        self.progress = QSpinBox()
        self.progress.setRange(-1, 101)  # out-of-range values reach the service and are refused there
        self.progress.setSuffix(" %")
        self.progress.setValue(project.track.progress)
        self.form.addRow("进度", self.progress)
        self.note = _text(self, "推进情况")
        self.problems = _text(self, "存在问题")
        self.next_steps = _text(self, "下步打算")
        self.reason = self.line("进度下降原因")

    def save(self):
        return projects.add_log(self.ledger, self.project.id, self.progress.value(), self.note.toPlainText(),
                                on=self.on.text(), problems=self.problems.toPlainText(),
                                next_steps=self.next_steps.toPlainText(), reason=self.reason.text())


class MilestoneDoneDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, milestone, parent: QWidget | None = None) -> None:
        super().__init__(f"节点完成：{milestone.title}", parent, intro=f"完成时限 {milestone.due}；完成日期不能是将来。")
        self.ledger, self.milestone = ledger, milestone
        self.on = self.line("完成日期", ledger.today().isoformat())
        self.evidence = self.line("佐证材料", placeholder="如 会议纪要、照片、验收报告")

    def save(self):
        return projects.milestone_done(self.ledger, self.milestone.id, self.on.text(), self.evidence.text())


class MilestoneDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, project: projects.ProjectInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"新增节点：{project.title}", parent, intro=f"节点时限须在 {project.start}—{project.end} 之内。")
        self.ledger, self.project = ledger, project
        self.title = self.line("节点名称")
        self.due = self.line("完成时限", placeholder="如 2026-06-30")

    def save(self):
        return projects.add_milestone(self.ledger, self.project.id, self.title.text(), self.due.text())


class TaskDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__("交办重点任务", parent)
        self.ledger = ledger
        self.title = self.line("任务名称")
        self.source = self.choice("任务来源", rules.SOURCES)
        self.owner = _org_picker(self, ledger, "责任单位")
        self.person = self.line("责任人")
        self.issued = self.line("交办日期", ledger.today().isoformat())
        self.due = self.line("完成时限", placeholder="如 2026-12-31")

    def save(self):
        return tasks.add_task(self.ledger, title=self.title.text(), owner=self.owner.code(), issued=self.issued.text(),
                              due=self.due.text(), source=self.source.currentText(), person=self.person.text())


class TaskDoneDialog(ServiceDialog):
    def __init__(self, ledger: Ledger, task: tasks.TaskInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"登记完成：{task.title}", parent, intro=f"完成时限 {task.due}；须填写完成佐证。")
        self.ledger, self.task = ledger, task
        self.on = self.line("完成日期", ledger.today().isoformat())
        self.evidence = self.line("完成佐证")

    def save(self):
        return tasks.mark_done(self.ledger, self.task.id, on=self.on.text(), evidence=self.evidence.text())


class ApproveDialog(ServiceDialog):
    """立项: 会议研究确定 and 审核备案 dates; the 方案 must be complete (the service says what is missing)."""

    def __init__(self, ledger: Ledger, project: projects.ProjectInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"立项：{project.title}", parent, intro=f"申报日期 {project.declared_on}；两个日期都不能是将来。")
        self.ledger, self.project = ledger, project
        self.decided = self.line("会议研究日期", ledger.today().isoformat())
        self.filed = self.line("审核备案日期", placeholder="不填则同会议研究日期")

    def save(self):
        return projects.approve(self.ledger, self.project.id, self.decided.text(), self.filed.text())


class CloseDialog(ServiceDialog):
    """结项: every milestone done and a summary; optionally the 书记项目 bonus for the lead organisation."""

    def __init__(self, ledger: Ledger, project: projects.ProjectInfo, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QCheckBox

        super().__init__(f"结项：{project.title}", parent,
                         intro="全部节点完成后才能结项。加分记在结项当月，每个项目一次，受该项年上限约束。")
        self.ledger, self.project = ledger, project
        self.on = self.line("结项日期", ledger.today().isoformat())
        self.summary = _text(self, "成效总结", height=80)
        self.bonus = QCheckBox(f"给牵头组织“{project.lead_name}”计书记项目加分")
        self.form.addRow("", self.bonus)

    def save(self):
        return projects.complete(self.ledger, self.project.id, self.summary.toPlainText(), on=self.on.text(),
                                 with_bonus=self.bonus.isChecked())


class TaskCloseDialog(ServiceDialog):
    """销号: a completed task (its evidence shown) checked by a named person; the service refuses a task that is
    not 已完成 (so has no evidence) or a 销号 date before its completion."""

    def __init__(self, ledger: Ledger, task: tasks.TaskInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"验收销号：{task.title}", parent,
                         intro=f"{task.owner_name}　完成时限 {task.due}；完成日期 {task.done_on or '（未完成）'}。"
                               "完成并有佐证的任务，经验收人核实后销号。")
        self.ledger, self.task = ledger, task
        self.evidence = self.line("完成佐证", task.evidence or "（无）")
        self.evidence.setReadOnly(True)
        self.verified_by = self.line("验收人", placeholder="验收人姓名")
        self.on = self.line("销号日期", ledger.today().isoformat())

    def save(self):
        return tasks.close(self.ledger, self.task.id, self.verified_by.text(), on=self.on.text())


class RegradeDialog(ServiceDialog):
    """变更类型/层级 (分层动态管理): after 立项 the service asks for a reason and audits the old and new values."""

    def __init__(self, ledger: Ledger, project: projects.ProjectInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"变更类型/层级：{project.title}", parent,
                         intro=f"现为 {project.level}，{project.type}项目（{project.status}）。立项后调整须说明理由，"
                               "审计日志记下原值、新值和理由。")
        self.ledger, self.project = ledger, project
        self.type = self.choice("项目类型", rules.TYPES, project.type)
        self.level = self.choice("项目层级", rules.LEVELS, project.level)
        self.reason = _text(self, "调整理由")

    def save(self):
        changes = {k: v for k, v in (("type", self.type.currentText()), ("level", self.level.currentText()))
                   if v != getattr(self.project, k)}
        if not changes:
            raise ValidationError("项目类型和层级都没有改变")
        return projects.update_project(self.ledger, self.project.id, reason=self.reason.toPlainText(), **changes)


class TerminateDialog(ServiceDialog):
    """终止 a project that will not be finished: a reason is required."""

    def __init__(self, ledger: Ledger, project: projects.ProjectInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"终止项目：{project.title}", parent,
                         intro=f"项目状态：{project.status}。终止后不能再登记节点和调度，须说明理由。")
        self.ledger, self.project = ledger, project
        self.on = self.line("终止日期", ledger.today().isoformat())
        self.reason = _text(self, "终止理由")

    def save(self):
        return projects.terminate(self.ledger, self.project.id, self.reason.toPlainText(), on=self.on.text())


class LogRemoveDialog(ServiceDialog):
    """Delete a 调度 entry entered by mistake (removal.remove_log, as ``projects log-remove``): refused in a
    locked month or a confirmed year; audited; the deletion travels in packages."""

    def __init__(self, ledger: Ledger, project: projects.ProjectInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"删除调度记录：{project.title}", parent,
                         intro="只删除误录的调度记录。锁定月份或已确认年度内的记录不能删除；删除记入审计日志，并随数据包传递。")
        self.ledger, self.project = ledger, project
        self.logs = list(reversed(project.logs))  # newest first
        self.entry = self.choice("调度记录", [f"{lg.on}　{lg.progress}%　{lg.note[:30]}" for lg in self.logs])
        self.buttons.button(self.buttons.StandardButton.Ok).setText("删除")

    def chosen(self):
        i = self.entry.currentIndex()
        return self.logs[i] if 0 <= i < len(self.logs) else None

    def save(self):
        lg = self.chosen()
        if lg is None:
            raise ValidationError("没有可删除的调度记录")
        return removal.remove_log(self.ledger, lg.id)


class TaskLogDialog(ServiceDialog):
    """A 跟踪 entry on a task (tasks.add_log, as ``tasks log``): the first one makes it 办理中."""

    def __init__(self, ledger: Ledger, task: tasks.TaskInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"登记进展：{task.title}", parent,
                         intro=f"{task.owner_name}　完成时限 {task.due}；上次进度 {task.progress}%，进度下降时须说明原因。")
        self.ledger, self.task = ledger, task
        self.on = self.line("日期", ledger.today().isoformat())
        self.progress = QSpinBox()
        self.progress.setRange(-1, 101)  # out-of-range values reach the service and are refused there
        self.progress.setSuffix(" %")
        self.progress.setValue(task.progress)
        self.form.addRow("进度", self.progress)
        self.note = _text(self, "调度情况")
        self.problems = _text(self, "存在问题")
        self.reason = self.line("进度下降原因")

    def save(self):
        return tasks.add_log(self.ledger, self.task.id, self.progress.value(), self.note.toPlainText(),
                             on=self.on.text(), problems=self.problems.toPlainText(), reason=self.reason.text())


class TaskLogRemoveDialog(LogRemoveDialog):
    """Delete a task's 跟踪 entry entered by mistake (the same removal.remove_log as ``tasks log-remove``)."""

    def __init__(self, ledger: Ledger, task: tasks.TaskInfo, parent: QWidget | None = None) -> None:
        ServiceDialog.__init__(self, f"删除跟踪记录：{task.title}", parent,
                               intro="只删除误录的跟踪记录。锁定月份或已确认年度内的记录不能删除；删除记入审计日志，并随数据包传递。")
        self.ledger = ledger
        self.logs = list(reversed(tasks.logs(ledger, task.id)))  # newest first
        self.entry = self.choice("跟踪记录", [f"{lg.on}　{lg.progress}%　{lg.note[:30]}" for lg in self.logs])
        self.buttons.button(self.buttons.StandardButton.Ok).setText("删除")

"""概览: the year's classes, warnings, score charts, overdue rectifications and this month's gaps."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import Category, WarningLevel
from app.domain.points import fmt
from app.services.overview import dashboard
from ui.context import ALL, GRADES, ORGS, RECORDS, SCORES, WARNINGS, UiContext
from ui.models.base import CENTER, Column, RowTableModel
from ui.theme import ACCENT, CATEGORY_COLORS
from ui.widgets.empty_hint import TableView
from ui.widgets.errors import show_error
from ui.widgets.layout import Card, hint, page_title
from ui.widgets.pickers import QUARTER_LABELS

from . import tracking_alerts

LEVELS = (WarningLevel.YELLOW, WarningLevel.ORANGE, WarningLevel.RED)
LEVEL_SHORT = {WarningLevel.YELLOW: "黄色", WarningLevel.ORANGE: "橙色", WarningLevel.RED: "红色"}

OVERDUE_COLUMNS = [
    Column("党组织", lambda w: w.org_name),
    Column("季度", lambda w: f"{w.year}年{QUARTER_LABELS[w.quarter - 1]}", sort=lambda w: (w.year, w.quarter)),
    Column("预警", lambda w: w.level.label, sort=lambda w: int(w.level), align=CENTER,
           background=lambda w: w.level.color),
    Column("整改期限", lambda w: w.rectification.deadline if w.rectification else "", align=CENTER),
]
# 组织生活: what falls due soon (待办提醒) and what was missed this year (缺项), per branch and meeting.
MEETING_COLUMNS = [
    Column("党组织", lambda r: r.org_name, tooltip=lambda r: f"{r.org_name}（{r.org_code}）"),
    Column("事项", lambda r: r.type_name),
    Column("期间", lambda r: r.period, align=CENTER),
    Column("已开/应开", lambda r: f"{r.held}/{r.required}", align=CENTER,
           foreground=lambda r: ACCENT if r.held < r.required else None),
    Column("截止", lambda r: r.due.isoformat(), sort=lambda r: r.due, align=CENTER),
]


def _table(model: RowTableModel, empty: str = "") -> QTableView:
    view = TableView(empty=empty or "没有需要提醒的事项。")  # an empty list says why, as every other list does
    view.setModel(model)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for c in range(1, model.columnCount()):
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
    return view


def _chart_view(chart: QChart) -> QChartView:
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().hide()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(200)
    return view


class Page(QWidget):
    title = "概览"
    kinds = frozenset({ORGS, SCORES, RECORDS, WARNINGS, GRADES, ALL, "tracking"})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: dashboard.Dashboard | None = None
        self._loading = False

        self.subtitle = hint()
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(page_title("概览"))
        top.addWidget(self.subtitle, 1)
        top.addWidget(refresh)

        self.class_cards = {c: Card(c.label, CATEGORY_COLORS[c.value]) for c in Category}
        self.unclassified = Card("未定类")
        self.warning_boxes: list[tuple[QGroupBox, dict[WarningLevel, Card]]] = []
        cards = QHBoxLayout()
        class_box = QGroupBox("本年分类")
        class_row = QHBoxLayout(class_box)
        for card in (*self.class_cards.values(), self.unclassified):
            class_row.addWidget(card)
        cards.addWidget(class_box, 4)
        for _ in range(2):
            box = QGroupBox("季度预警")
            box_row = QHBoxLayout(box)
            level_cards = {lv: Card(LEVEL_SHORT[lv], lv.color) for lv in LEVELS}
            for card in level_cards.values():
                box_row.addWidget(card)
            self.warning_boxes.append((box, level_cards))
            cards.addWidget(box, 3)

        self.bar_chart = QChart()
        self.bar_chart.setTitle("本年累计得分分布")
        self.line_chart = QChart()
        self.line_chart.setTitle("季度平均得分走势")
        charts = QHBoxLayout()
        charts.addWidget(_chart_view(self.bar_chart), 1)
        charts.addWidget(_chart_view(self.line_chart), 1)

        self.overdue_model = RowTableModel(OVERDUE_COLUMNS, self)
        self.todo_model = RowTableModel(MEETING_COLUMNS, self)
        self.missed_model = RowTableModel(MEETING_COLUMNS, self)
        self.overdue_box = QGroupBox("逾期未整改")
        QVBoxLayout(self.overdue_box).addWidget(_table(
            self.overdue_model, "没有逾期未整改的预警：已发出的预警都在整改期限内，或已整改销号。"))
        self.meetings = QTabWidget()
        self.meetings.addTab(_table(self.todo_model, "7 天内没有到期而未开展的组织生活。"), "待办提醒")
        self.meetings.addTab(_table(self.missed_model, "本年到目前为止，各项组织生活都已按要求开展。"), "缺项")
        self.missing_box = QGroupBox("组织生活")
        QVBoxLayout(self.missing_box).addWidget(self.meetings)
        self.tracking_box, self.tracking_model = tracking_alerts.box(
            self, lambda m: _table(m, "没有滞后、逾期或临期的书记项目和重点任务。"))
        lists = QHBoxLayout()
        lists.addWidget(self.overdue_box, 1)
        lists.addWidget(self.missing_box, 1)
        lists.addWidget(self.tracking_box, 1)

        self._link_up()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addLayout(cards)
        layout.addLayout(charts, 3)
        layout.addLayout(lists, 2)

    # -- click-through ---------------------------------------------------------------------
    def _link_up(self) -> None:
        """Every figure and list leads to the page behind it, filtered to what it counts."""
        for cat, card in self.class_cards.items():
            card.lead_to(f"查看本年{cat.label}的组织")
            card.clicked.connect(lambda c=cat: self.open_orgs(c))
        self.unclassified.lead_to("查看本年未定类的组织")
        self.unclassified.clicked.connect(lambda: self.open_orgs("none"))
        for i, (_box, level_cards) in enumerate(self.warning_boxes):
            for card in level_cards.values():
                card.lead_to("查看这个季度的预警通报")
                card.clicked.connect(lambda i=i: self.open_warnings(i))
        self.overdue_box.findChild(QTableView).doubleClicked.connect(
            lambda index: self.open_overdue(self.overdue_model.row(index.row())))
        for view, model in ((self.meetings.widget(0), self.todo_model), (self.meetings.widget(1), self.missed_model)):
            view.setToolTip("双击打开该支部该类工作记录")
            view.doubleClicked.connect(lambda index, m=model: self.open_meeting(m.row(index.row())))

    def _goto(self, name: str):
        window = self.window()
        page = window.page(name) if hasattr(window, "page") else None
        if page is not None:
            window.select_page(name)
        return page

    def open_orgs(self, category) -> None:
        page = self._goto("orgs")
        if page is not None:
            page.show_category(category)

    def open_warnings(self, box: int, org_code: str | None = None, overdue: bool = False) -> None:
        if self.data is None:
            return
        q = self.data.warnings[box]
        page = self._goto("warnings")
        if page is not None:
            page.show_quarter(q.year, q.quarter, org_code=org_code, overdue=overdue)

    def open_overdue(self, w) -> None:
        page = self._goto("warnings")
        if page is not None:
            page.show_quarter(w.year, w.quarter, org_code=w.org_code, overdue=True)

    def open_meeting(self, st) -> None:
        page = self._goto("records")
        if page is not None:
            page.show_records(st.org_code, int(st.period[:4]), st.type_code)

    # -- loading -------------------------------------------------------------------------
    def refresh(self) -> None:
        if self._loading:
            return
        self._loading = True
        self.subtitle.setText("正在统计…")
        ledger = self.ctx.ledger
        self.ctx.tasks.start(lambda _p: dashboard.dashboard(ledger), on_done=self._loaded, on_error=self._failed)
        tracking_alerts.load(self.ctx, self.tracking_box, self.tracking_model)

    def _failed(self, exc: BaseException, tb: str) -> None:
        self._loading = False
        self.subtitle.setText("统计失败")
        show_error(self, exc, tb)

    def _loaded(self, data: dashboard.Dashboard) -> None:
        self._loading = False
        self.show_data(data)

    def show_data(self, d: dashboard.Dashboard) -> None:
        self.data = d
        self.subtitle.setText(f"　{d.year}年{d.month}月 · 参评党组织 {d.scored_total} 个")
        for cat, card in self.class_cards.items():
            card.set_value(d.classes.get(cat, 0))
        self.unclassified.set_value(d.classes.get(None, 0))
        for (box, level_cards), q in zip(self.warning_boxes, d.warnings, strict=True):
            state = "已结束" if q.complete else "进行中，截至今天"
            box.setTitle(f"{q.year}年{QUARTER_LABELS[q.quarter - 1]}预警（{state}）")
            for lv, card in level_cards.items():
                card.set_value(q.counts.get(lv, 0))
        self._draw_bars(d)
        self._draw_trend(d)
        self.overdue_model.set_rows(d.overdue)
        self.overdue_box.setTitle(f"逾期未整改（{len(d.overdue)} 个）")
        self.todo_model.set_rows(d.todo)
        self.missed_model.set_rows(d.missed)
        self.meetings.setTabText(0, f"待办提醒（{len(d.todo)}）")
        self.meetings.setTabText(1, f"缺项（{len(d.missed)}）")
        by_type = "，".join(f"{name} {n}" for name, n in list(d.missed_by_type.items())[:4])
        self.missing_box.setTitle(f"组织生活：7 天内到期 {len(d.todo)} 项，{d.year}年已缺 {len(d.missed)} 项")
        self.missing_box.setToolTip((f"已缺最多的：{by_type}\n" if by_type else "")
                                    + "按“组织生活要求”统计：每月支委会、主题党日、党费、集中学习，设党小组的支部每月党小组会，"
                                    "每季度党员大会和党课，每年组织生活会和民主评议党员")

    def _draw_bars(self, d: dashboard.Dashboard) -> None:
        chart = self.bar_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle(f"{d.year}年累计得分分布（截至{d.month}月，单位：个组织）")
        bars = QBarSet("组织数")
        bars.setColor(QColor(ACCENT))
        bars.setLabelColor(QColor("#222222"))
        labels = []
        for label, n in d.score_bins:
            bars.append(n)
            labels.append(label)
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append(labels)
        y = QValueAxis()
        top = max((n for _, n in d.score_bins), default=0)
        y.setRange(0, max(5, int(top * 1.2) + 1))
        y.applyNiceNumbers()
        y.setLabelFormat("%d")
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)

    def _draw_trend(self, d: dashboard.Dashboard) -> None:
        chart = self.line_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        series = QLineSeries()
        series.setPointsVisible(True)
        series.setPointLabelsVisible(True)
        series.setPointLabelsFormat("@yPoint")
        series.setPointLabelsClipping(False)
        series.setColor(QColor(ACCENT))
        labels = []
        # The last point is the running quarter: drawn apart (hollow, not joined), since its months are
        # not all in yet and a line into it would read as a fall.
        partial = QScatterSeries()
        partial.setName("本季度（进行中）")
        partial.setMarkerSize(11)
        partial.setColor(QColor("#ffffff"))
        partial.setBorderColor(QColor(ACCENT))
        partial.setPointLabelsVisible(True)
        partial.setPointLabelsFormat("@yPoint（进行中）")
        partial.setPointLabelsClipping(False)
        last_index = len(d.quarter_trend) - 1
        for i, (label, avg) in enumerate(d.quarter_trend):
            # chart coordinates only; figures stay Decimal elsewhere
            (partial if i == last_index else series).append(i, float(avg))
            labels.append(label)
        chart.addSeries(series)
        chart.addSeries(partial)
        x = QBarCategoryAxis()
        x.append(labels)
        y = QValueAxis()
        top = max((avg for _, avg in d.quarter_trend), default=Decimal(0))
        y.setRange(0, max(30, int(top) + 5))
        y.applyNiceNumbers()
        y.setLabelFormat("%d")
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for s_ in (series, partial):
            s_.attachAxis(x)
            s_.attachAxis(y)
        chart.legend().hide()
        last = fmt(d.quarter_trend[-1][1]) if d.quarter_trend else "–"
        chart.setTitle(f"季度平均得分走势（本季度至今 {last} 分）")

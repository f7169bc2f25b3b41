"""概览: the figures shown equal the services' own figures on the demo data."""

from __future__ import annotations

from collections import Counter

from PySide6.QtWidgets import QTableView

from app.domain.enums import Category, WarningLevel
from app.services.assessment import warnings
from app.services.overview.dashboard import dashboard
from app.services.register import orgs


def test_dashboard_counts_equal_service_figures(qtbot, demo_ctx):
    from ui.pages.dashboard import Page

    page = Page(demo_ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.data is not None, timeout=20000)
    ledger = demo_ctx.ledger
    today = ledger.today()

    scored = [o for o in orgs.list_orgs(ledger, today.year) if o.active and o.scored]
    classes = Counter(o.category for o in scored)
    for cat in Category:
        assert page.class_cards[cat].number.text() == str(classes[cat])
    assert sum(classes.values()) == page.data.scored_total

    for (_box, cards), (year, quarter) in zip(page.warning_boxes, [(2026, 4), (2026, 3)], strict=True):
        levels = Counter(w.level for w in warnings.quarter_warnings(ledger, year, quarter))
        for lv in (WarningLevel.YELLOW, WarningLevel.ORANGE, WarningLevel.RED):
            assert cards[lv].number.text() == str(levels[lv])

    assert page.overdue_model.rowCount() == len(warnings.overdue(ledger))
    assert sum(n for _label, n in page.data.score_bins) == len(scored)
    assert page.data.quarter_trend[-1][0] == "26年4季度"
    # The running quarter is drawn apart: the line joins only ended quarters.
    line, partial = page.line_chart.series()
    trend = page.data.quarter_trend
    assert line.count() == len(trend) - 1 and partial.count() == 1
    assert partial.at(0).x() == len(trend) - 1 and "进行中" in partial.pointLabelsFormat()
    assert "进行中" in page.warning_boxes[0][0].title() and "已结束" in page.warning_boxes[1][0].title()


def test_meetings_due_soon_and_missed_come_from_the_compliance_service(ledger):
    from datetime import date

    from app.domain.compliance import MISSING
    from app.services.compliance import status

    # The fixture branch B1 has held nothing: on 26 December its December and Q4 meetings fall due.
    d = dashboard(ledger, on=date(2026, 12, 26))
    assert {(r.org_code, r.type_code, r.period) for r in d.todo} >= {("B1", "2.2", "2026-12"), ("B1", "2.1", "2026-Q4")}
    expected = {(r.type_code, r.period) for r in status.year_status(ledger, 2026, on=date(2026, 12, 26))
                if r.status == MISSING}
    assert {(r.type_code, r.period) for r in d.missed} == expected and ("2.2", "2026-01") in expected
    assert d.missed_by_type["支部委员会会议"] == 11  # January to November
    assert d.classes[Category.B] == 1


def test_the_dashboards_empty_lists_say_why(qtbot, ctx):
    """A new ledger: nothing overdue, nothing due, nothing tracked — each list says so instead of a blank grid."""
    from ui.pages.dashboard import Page

    page = Page(ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.data is not None, timeout=20000)
    assert page.overdue_model.rowCount() == page.todo_model.rowCount() == page.tracking_model.rowCount() == 0
    assert "没有逾期未整改的预警" in page.overdue_box.findChild(QTableView).shown_empty_text()
    assert "7 天内没有到期" in page.meetings.widget(0).shown_empty_text()
    assert "没有滞后、逾期或临期" in page.tracking_box.findChild(QTableView).shown_empty_text()

"""The print preview, printing through QPrinter, the 打印 menu and the batch export dialog."""

from __future__ import annotations

from pathlib import Path

import pypdf
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMainWindow, QMenu

from app.reports.handbook import build_handbook
from app.reports.summary import build_summary
from ui.context import UiContext
from ui.printing.ask import AskDialog
from ui.printing.batch_dialog import BatchExportDialog
from ui.printing.generate import generate_and_preview
from ui.printing.preview import PreviewDialog, print_pdf

from .conftest import flat, pdf_pages


def test_preview_shows_the_pdf_and_saves_a_copy(qtbot, demo_ledger, out_dir: Path):
    src = out_dir / "s.pdf"
    pages = build_summary(demo_ledger, 2025, src)
    dialog = PreviewDialog(src, "汇总表", owned=True)
    qtbot.addWidget(dialog)
    assert dialog.document.status() == QPdfDocument.Status.Ready
    assert dialog.page_count == pages
    assert dialog.pages_label.text() == f"共 {pages} 页"
    assert dialog.page_box.maximum() == pages and dialog.page_box.suffix() == f" 页 / 共 {pages} 页"
    copy = dialog.save_copy(str(out_dir / "copy"))
    assert copy == out_dir / "copy.pdf"
    assert copy.read_bytes() == src.read_bytes()
    dialog.accept()
    assert not src.exists()  # the preview owned its temporary file


def test_a_long_book_has_a_page_box_and_thumbnails(qtbot, demo_ledger, out_dir: Path):
    from app.services.register import orgs

    src = out_dir / "h.pdf"
    org = next(o for o in orgs.list_orgs(demo_ledger) if o.kind == "党支部")
    build_handbook(demo_ledger, org.code, 2025, src)
    dialog = PreviewDialog(src, "工作手册", owned=False)
    qtbot.addWidget(dialog)
    dialog.resize(1000, 760)
    dialog.show()
    n = dialog.page_count
    assert n > 20 and dialog.thumbs.count() == n
    qtbot.waitUntil(dialog.thumbnails_done, timeout=60000)
    assert all(not dialog.thumbs.item(i).icon().isNull() for i in (0, n // 2, n - 1))
    dialog.page_box.setValue(10)  # type a page: the view goes there
    qtbot.waitUntil(lambda: dialog.view.pageNavigator().currentPage() == 9, timeout=5000)
    dialog.thumbs.setCurrentRow(n - 1)  # click a thumbnail
    qtbot.waitUntil(lambda: dialog.view.pageNavigator().currentPage() == n - 1, timeout=5000)
    assert dialog.page_box.value() == n  # the box follows
    dialog.accept()


def test_printing_writes_every_page_in_its_orientation(qtbot, demo_ledger, out_dir: Path):
    src = out_dir / "s.pdf"
    pages = build_summary(demo_ledger, 2025, src)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out_dir / "printed.pdf"))
    assert print_pdf(src, printer).pages == pages
    printed = pypdf.PdfReader(str(out_dir / "printed.pdf")).pages
    assert len(printed) == pages
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in printed)  # landscape kept


def test_generate_runs_in_the_background_then_previews(qtbot, ledger):
    ctx = UiContext(ledger)
    shown: list[PreviewDialog] = []
    generate_and_preview(ctx, None, "财政局党支部2026年度党支部工作手册",
                         lambda p: build_handbook(ledger, "B1", 2026, p), on_preview=shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    dialog = shown[0]
    assert dialog.page_count > 10
    assert "财政局党支部" in flat(pdf_pages(dialog.pdf)[0])
    pdf = dialog.pdf
    dialog.close()
    assert not pdf.exists() and not pdf.parent.exists()


def test_a_failed_generation_shows_the_reason_and_leaves_nothing(qtbot, ledger, monkeypatch):
    from app.reports.handbook import build_handbook as real
    from ui.printing import generate

    errors: list[str] = []
    monkeypatch.setattr(generate, "show_error", lambda parent, exc, tb=None, title="": errors.append(str(exc)))
    made: list[Path] = []

    def make(p: Path) -> int:
        made.append(p)
        return real(ledger, "NOPE", 2026, p)

    generate_and_preview(UiContext(ledger), None, "不存在", make)
    qtbot.waitUntil(lambda: bool(errors), timeout=30000)
    assert "NOPE" in errors[0]
    assert not made[0].parent.exists()


def test_ask_dialog_lists_scored_orgs_and_returns_choices(qtbot, demo_ledger):
    dialog = AskDialog(demo_ledger, "党支部工作手册", ("year", "org", "quarter"))
    qtbot.addWidget(dialog)
    assert dialog.org is not None and dialog.org.count() == 38
    dialog.org.setCurrentIndex(dialog.org.findData("QS0203"))
    dialog.quarter.setCurrentIndex(1)
    v = dialog.values()
    assert (v["year"], v["org"], v["quarter"]) == (2026, "QS0203", 2)
    dialog.org.setEditText("不存在的支部")
    dialog._accept()
    assert "请从列表中选择" in dialog.message.text() and not dialog.message.isHidden()
    assert dialog.result() != AskDialog.DialogCode.Accepted


def test_menu_installs_five_actions(qtbot, ledger):
    from ui.actions import printing

    class Window(QMainWindow):
        def __init__(self) -> None:
            super().__init__()
            self.ctx = UiContext(ledger)
            self.menus: dict[str, QMenu] = {}

        def menu(self, name: str) -> QMenu:
            return self.menus.setdefault(name, self.menuBar().addMenu(name))

    window = Window()
    qtbot.addWidget(window)
    printing.install(window)
    texts = [a.text() for a in window.menus["打印"].actions() if not a.isSeparator()]
    assert texts == ["党支部工作手册…", "季度预警通报…", "季度组织生活落实情况通报…", "年度分类定级汇总表…",
                     "月度积分记录表…", "批量导出工作手册…"]


def test_the_compliance_notice_prints_from_the_menu(qtbot, demo_ledger, monkeypatch):
    from io import BytesIO

    from ui.actions import printing

    made = {}
    monkeypatch.setattr(printing, "_ask", lambda *_a, **_k: {"year": 2025, "quarter": 4, "notice_no": ""})
    monkeypatch.setattr(printing, "generate_and_preview", lambda _ctx, _w, title, build: made.update(title=title, build=build))

    class Window:
        ctx = UiContext(demo_ledger)

    printing.compliance_notice(Window())
    assert made["title"] == "2025年第四季度组织生活落实情况通报"
    out = BytesIO()
    assert made["build"](out) >= 1 and out.getvalue().startswith(b"%PDF")


def test_batch_dialog_exports_and_reports(qtbot, ledger, out_dir: Path):
    dialog = BatchExportDialog(UiContext(ledger))
    qtbot.addWidget(dialog)
    assert "共 1 个党组织" in dialog.count_label.text()
    assert (dialog.bar.value(), dialog.bar.maximum()) == (0, 1)  # the bar counts what the label counts
    dialog.folder.setText(str(out_dir / "books"))
    dialog.start()
    assert dialog.running and not dialog.start_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    assert "已完成" in dialog.status.text()
    assert [p.name for p in dialog.files] == ["B1_财政局党支部_2026年度党支部工作手册.pdf"]
    assert dialog.files[0].exists()
    assert not dialog.open_button.isHidden()


def test_batch_dialog_cancel_stops_and_leaves_no_partial_files(qtbot, demo_ledger, out_dir: Path):
    dialog = BatchExportDialog(UiContext(demo_ledger))
    qtbot.addWidget(dialog)
    folder = out_dir / "books"
    dialog.folder.setText(str(folder))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.bar.value() >= 1, timeout=60000)
    dialog.cancel_or_close()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    assert "已取消" in dialog.status.text()
    assert dialog.start_button.isEnabled() and dialog.cancel_button.text() == "关闭"
    written = list(folder.iterdir())
    assert 1 <= len(written) < 38
    assert all(p.suffix == ".pdf" for p in written)


def test_the_preview_prints_a_range_to_a_file_and_says_so(qtbot, demo_ledger, out_dir: Path):
    src = out_dir / "h.pdf"
    build_handbook(demo_ledger, "QS0101", 2026, src)
    dialog = PreviewDialog(src, "手册", owned=False)
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out_dir / "printed.pdf"))
    printer.setFromTo(2, 4)
    result = dialog.print_document(printer)
    assert result is not None and (result.route, result.pages) == ("pdf-file", 3)
    assert dialog.status.text() == "已打印到文件“printed.pdf”（3 页）"
    assert [flat(t) for t in pdf_pages(out_dir / "printed.pdf")] == [flat(t) for t in pdf_pages(src)[1:4]]
    dialog.resize(1000, 300)
    dialog.grab().save(str(out_dir.parent / "preview-after-print.png"))
    dialog.accept()
    assert src.exists()  # not owned: left in place

"""打印预览: a generated PDF shown with QPdfView, printed through QPrintDialog, or saved as a copy."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

# Folders made by ui.printing.generate for a preview's file; removed with the file.
TEMP_PREFIX = "dangjian-print-"


def print_pdf(document: QPdfDocument, printer: QPrinter, parent: QWidget | None = None) -> int:
    """Paint the document's pages (the range chosen in the print dialog) onto ``printer``.

    Each page is rendered at the printer's resolution and fitted to the printable area, keeping
    its proportions. Returns the number of pages sent.
    """
    count = document.pageCount()
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0 or last <= 0:  # 0 means "all pages"
        first, last = 1, count
    pages = list(range(max(1, first) - 1, min(count, last)))
    if not pages:
        return 0
    size = document.pagePointSize(pages[0])
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape if size.width() > size.height() else QPageLayout.Orientation.Portrait
    )
    progress = QProgressDialog("正在发送到打印机……", "取消", 0, len(pages), parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(400)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("无法开始打印，请检查打印机是否可用")
    sent = 0
    try:
        dpi = printer.resolution()
        for n, page in enumerate(pages):
            if progress.wasCanceled():
                break
            if n:
                printer.newPage()
            pts = document.pagePointSize(page)
            image = document.render(page, QSize(round(pts.width() / 72 * dpi), round(pts.height() / 72 * dpi)))
            area = painter.viewport()
            scaled = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(QPoint(area.x() + (area.width() - scaled.width()) // 2, area.y()), scaled)
            painter.drawImage(target, image)
            sent += 1
            progress.setValue(n + 1)
    finally:
        painter.end()
        progress.close()
    return sent


class PreviewDialog(QDialog):
    """Shows ``pdf`` (a file this dialog owns when ``owned``: deleted on close)."""

    def __init__(self, pdf: Path, title: str, parent: QWidget | None = None, *, suggested_name: str = "",
                 owned: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"打印预览 — {title}")
        self.resize(1000, 760)
        self.pdf = Path(pdf)
        self.owned = owned
        self.suggested_name = suggested_name or f"{title}.pdf"
        self.document = QPdfDocument(self)
        self.document.load(str(self.pdf))
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)  # a whole page at a glance
        self.view.setDocument(self.document)

        bar = QHBoxLayout()
        self.print_button = QPushButton("打印…")
        self.save_button = QPushButton("另存为PDF…")
        zoom_in, zoom_out = QPushButton("放大"), QPushButton("缩小")
        fit, whole = QPushButton("适合宽度"), QPushButton("整页")
        close = QPushButton("关闭")
        self.pages_label = QLabel(f"共 {self.document.pageCount()} 页")
        for w in (self.print_button, self.save_button, zoom_out, zoom_in, fit, whole):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.pages_label)
        bar.addWidget(close)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_copy)
        zoom_in.clicked.connect(lambda: self._zoom(1.25))
        zoom_out.clicked.connect(lambda: self._zoom(0.8))
        fit.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        whole.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def _zoom(self, factor: float) -> None:
        current = self.view.zoomFactor()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.2, min(5.0, current * factor)))

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        dialog.setMinMax(1, max(1, self.page_count))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            print_pdf(self.document, printer, self)
        except OSError as e:
            QMessageBox.warning(self, "打印未完成", str(e))

    def save_copy(self, target: str | None = None) -> Path | None:
        if not target:
            target, _filter = QFileDialog.getSaveFileName(self, "另存为PDF", self.suggested_name, "PDF 文件 (*.pdf)")
        if not target:
            return None
        path = Path(target)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            shutil.copyfile(self.pdf, path)
        except OSError as e:
            QMessageBox.warning(self, "保存未完成", f"无法保存到“{path}”：{e.strerror or e}")
            return None
        return path

    def done(self, result: int) -> None:
        self.document.close()  # release the file (Windows keeps open files locked)
        if self.owned:
            self.pdf.unlink(missing_ok=True)
            if self.pdf.parent.name.startswith(TEMP_PREFIX):
                shutil.rmtree(self.pdf.parent, ignore_errors=True)
        super().done(result)

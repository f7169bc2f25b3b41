"""打印预览: a generated PDF shown with QPdfView, printed through QPrintDialog, or saved as a copy."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pypdf
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QIcon, QPageLayout, QPainter, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.reports import winprint
from app.reports.printout import PrintError, PrintJob, lp_available, page_range, send_to_cups, write_pages
from ui.widgets import files

# Folders made by ui.printing.generate for a preview's file; removed with the file.
TEMP_PREFIX = "dangjian-print-"


RASTER_DPI = 300  # the last-resort path only (no PDF-capable spooler)


@dataclass(frozen=True)
class PrintResult:
    """How a print went: pages sent (per copy), the route, and a note for the user ("" if none)."""

    pages: int
    route: str  # "pdf-file" | "cups" | "gdi" | "raster"
    note: str = ""


def duplex_side(mode: QPrinter.DuplexMode, landscape: bool) -> str:
    """The print dialog's duplex choice as none | long | short.

    "Automatic" binds on the long edge of a portrait document, the short edge of a landscape one
    (where the binding margin of a landscape page is).
    """
    if mode == QPrinter.DuplexMode.DuplexAuto:
        return "short" if landscape else "long"
    return {QPrinter.DuplexMode.DuplexLongSide: "long", QPrinter.DuplexMode.DuplexShortSide: "short"}.get(mode, "none")


def print_job(printer: QPrinter, count: int, title: str = "", landscape: bool = False) -> PrintJob:
    """The print dialog's choices (range, copies, collate, duplex, printer) as a plain job."""
    return PrintJob(pages=page_range(printer.fromPage(), printer.toPage(), count), copies=max(1, printer.copyCount()),
                    collate=printer.collateCopies(), duplex=duplex_side(printer.duplex(), landscape),
                    printer=printer.printerName(), title=title or printer.docName())


def print_pdf(pdf: Path, printer: QPrinter, parent: QWidget | None = None, *, document: QPdfDocument | None = None,
              allow_raster: bool = True) -> PrintResult:
    """Print the pages of ``pdf`` chosen in the print dialog as vectors, at 100 % with the PDF's margins.

    - 打印到 PDF 文件 (``PdfFormat``): the chosen pages of the PDF itself are written to the file.
    - A print queue where CUPS's ``lp`` exists (Linux, macOS): the PDF itself goes to the queue
      with the copies, collation and duplex chosen.
    - Windows: PDFium draws each page on the printer's device context as GDI vectors
      (``app.reports.winprint``), with the copies, collation and duplex chosen.
    - Otherwise (neither available): the last resort, pages rendered at 300 dpi and placed at 100 % on the
      paper (margins unchanged); the result carries a note saying so.
    """
    pdf = Path(pdf)
    reader = pypdf.PdfReader(str(pdf))
    count = len(reader.pages)
    box = reader.pages[0].mediabox if count else None
    job = print_job(printer, count, landscape=bool(box and float(box.width) > float(box.height)))
    if not job.pages:
        raise PrintError(f"所选页码超出范围：文档共 {count} 页")
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        write_pages(pdf, Path(printer.outputFileName()), job.pages, job.copies, job.collate)
        return PrintResult(len(job.pages), "pdf-file")
    if sys.platform != "win32" and lp_available():
        request = send_to_cups(pdf, job)
        return PrintResult(len(job.pages), "cups", f"已发送到打印机“{job.printer or '默认打印机'}”"
                                                    f"（任务 {request or '已提交'}，{len(job.pages)} 页 × {job.copies} 份）")
    if winprint.available():
        sent = winprint.print_with_gdi(pdf, job)
        return PrintResult(sent, "gdi", f"已发送到打印机“{job.printer or '默认打印机'}”（{sent} 页 × {job.copies} 份）")
    if not allow_raster:
        raise PrintError("这台电脑上没有可以直接打印 PDF 的打印通道")
    own = document is None
    if own:
        document = QPdfDocument()
        document.load(str(pdf))
    try:
        sent = print_raster(document, printer, job.pages, parent)
    finally:
        if own:
            document.close()
    return PrintResult(sent, "raster", f"这台电脑不能直接打印 PDF，已改为按 {RASTER_DPI} dpi 图像打印"
                                       "（100% 比例，页边距不变；文件较大、速度较慢）。")


def print_raster(document: QPdfDocument, printer: QPrinter, pages: tuple[int, ...],
                 parent: QWidget | None = None, dpi: int = RASTER_DPI) -> int:
    """Last resort: paint each page as a ``dpi`` image at its own size from the paper's corner.

    The printer is put in full-page mode so page coordinates are paper coordinates: 100 % scale,
    the binding margin where the PDF has it. Returns the number of pages sent.
    """
    size = document.pagePointSize(pages[0] - 1)
    printer.setFullPage(True)
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
        device_dpi = printer.resolution()
        for n, page in enumerate(pages):
            if progress.wasCanceled():
                break
            if n:
                printer.newPage()
            pts = document.pagePointSize(page - 1)
            image = document.render(page - 1, QSize(round(pts.width() / 72 * dpi), round(pts.height() / 72 * dpi)))
            target = QRectF(0, 0, pts.width() / 72 * device_dpi, pts.height() / 72 * device_dpi)
            painter.drawImage(target, image)
            sent += 1
            progress.setValue(n + 1)
    finally:
        painter.end()
        progress.close()
    return sent


THUMB = QSize(96, 136)  # an A4 page's proportions


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
        self.status = QLabel("")  # what the last 打印 did
        self.status.setContentsMargins(0, 0, 16, 0)
        for w in (self.print_button, self.save_button, zoom_out, zoom_in, fit, whole):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.status)
        bar.addWidget(self.pages_label)
        bar.addWidget(close)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_copy)
        zoom_in.clicked.connect(lambda: self._zoom(1.25))
        zoom_out.clicked.connect(lambda: self._zoom(0.8))
        fit.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        whole.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        close.clicked.connect(self.accept)

        # 第 N 页: type a page and go; the box follows scrolling.
        self.page_box = QSpinBox()
        self.page_box.setRange(1, max(1, self.page_count))
        self.page_box.setPrefix("第 ")
        self.page_box.setSuffix(f" 页 / 共 {self.page_count} 页")
        self.page_box.setKeyboardTracking(False)
        bar.insertWidget(bar.indexOf(self.pages_label), self.page_box)
        self.pages_label.hide()
        self.page_box.valueChanged.connect(lambda n: self.go_to(n - 1))
        self.view.pageNavigator().currentPageChanged.connect(self._page_shown)

        # Thumbnails down the side, drawn a few at a time so a 110-page book opens at once.
        self.thumbs = QListWidget()
        self.thumbs.setIconSize(THUMB)
        self.thumbs.setUniformItemSizes(True)
        self.thumbs.setSpacing(3)
        self.thumbs.setFixedWidth(THUMB.width() + 64)
        for n in range(self.page_count):
            self.thumbs.addItem(QListWidgetItem(str(n + 1)))
        self.thumbs.currentRowChanged.connect(lambda row: self.go_to(row) if row >= 0 else None)
        self._next_thumb = 0
        self._thumb_timer = QTimer(self)
        self._thumb_timer.setInterval(0)
        self._thumb_timer.timeout.connect(self._draw_thumbs)
        self._thumb_timer.start()

        body = QHBoxLayout()
        body.addWidget(self.thumbs)
        body.addWidget(self.view, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(body, 1)

    def go_to(self, page: int) -> None:
        """Show page ``page`` (0-based) from its top."""
        if 0 <= page < self.page_count and page != self.view.pageNavigator().currentPage():
            self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())

    def _page_shown(self, page: int) -> None:
        for w in (self.page_box, self.thumbs):
            w.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.thumbs.setCurrentRow(page)
        for w in (self.page_box, self.thumbs):
            w.blockSignals(False)

    def _draw_thumbs(self, batch: int = 4) -> None:
        end = min(self.page_count, self._next_thumb + batch)
        for n in range(self._next_thumb, end):
            page = QPixmap(THUMB)
            page.fill(Qt.GlobalColor.white)  # the render is transparent where the page is blank
            painter = QPainter(page)
            painter.drawImage(0, 0, self.document.render(n, THUMB))
            painter.setPen(Qt.GlobalColor.gray)
            painter.drawRect(0, 0, THUMB.width() - 1, THUMB.height() - 1)
            painter.end()
            self.thumbs.item(n).setIcon(QIcon(page))
        self._next_thumb = end
        if end >= self.page_count:
            self._thumb_timer.stop()

    def thumbnails_done(self) -> bool:
        return self._next_thumb >= self.page_count

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def _zoom(self, factor: float) -> None:
        current = self.view.zoomFactor()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.2, min(5.0, current * factor)))

    def print_document(self, printer: QPrinter | None = None) -> PrintResult | None:
        """Ask for the printer and options (unless ``printer`` is given), then print vector pages."""
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setDocName(Path(self.suggested_name).stem)
            dialog = QPrintDialog(printer, self)
            dialog.setWindowTitle("打印")
            dialog.setMinMax(1, max(1, self.page_count))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
        try:
            result = print_pdf(self.pdf, printer, self, document=self.document)
        except (OSError, PrintError) as e:
            self.status.setText("打印未完成")
            QMessageBox.warning(self, "打印未完成", str(e))
            return None
        if result.route == "pdf-file":
            self.status.setText(f"已打印到文件“{Path(printer.outputFileName()).name}”（{result.pages} 页）")
        elif result.route == "raster":
            self.status.setText(f"已按图像打印 {result.pages} 页")
            QMessageBox.information(self, "已按图像打印", result.note)
        else:
            self.status.setText(result.note)
        return result

    def save_copy(self, target: str | None = None) -> Path | None:
        if not target:
            target = files.save_file(self, "另存为PDF", self.suggested_name, "PDF 文件 (*.pdf)")
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

"""Benchmark of 打印: a whole demo handbook through the print path (ui.printing.preview.print_pdf).

    python bench/bench_printing.py [--org QS0204 --year 2024] [--queue dangjian-pdf] [--before 10] [--raster 10]

Prints, for the demo's largest handbook (QS0204 2024, 182 pages) and the issue's QS0101 2026:
- 打印到 PDF 文件 (QPrinter PdfFormat): seconds and size of the file written;
- a real CUPS queue (``--queue``, e.g. a cups-pdf printer): seconds until ``lp`` accepted the job,
  seconds until the queue finished it, and the size of the spooled file;
- ``--raster N``: the last-resort path (300 dpi images at 100 %) on the first N pages, into a PDF file;
- ``--before N``: the old path (every page rendered at the printer's 1200 dpi and fitted) on N pages.
Asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pypdf
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from app.reports.handbook import build_handbook
from bench.bench_reports import demo_ledger
from ui.printing.preview import print_pdf, print_raster

MB = 1024 * 1024


def pdf_printer(out: Path, first: int = 0, last: int = 0) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    if first:
        printer.setFromTo(first, last)
    return printer


def old_path(doc: QPdfDocument, printer: QPrinter, pages: int) -> None:
    """The rasterising print of main before issue 14 point 8 (for the 'before' figure)."""
    painter = QPainter(printer)
    dpi = printer.resolution()
    for n in range(pages):
        if n:
            printer.newPage()
        pts = doc.pagePointSize(n)
        image = doc.render(n, QSize(round(pts.width() / 72 * dpi), round(pts.height() / 72 * dpi)))
        area = painter.viewport()
        scaled = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        painter.drawImage(QRect(QPoint(area.x() + (area.width() - scaled.width()) // 2, area.y()), scaled), image)
    painter.end()


def queue_output_dir() -> Path:
    return Path(os.environ.get("CUPS_PDF_OUT", "/root/PDF"))


def wait_idle(queue: str, timeout: float = 600) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not subprocess.run(["lpstat", "-o", queue], capture_output=True, text=True).stdout.strip():
            return
        time.sleep(0.05)
    raise TimeoutError(queue)


def bench_book(lg, org: str, year: int, out: Path, args) -> None:
    src = out / f"{org}-{year}.pdf"
    pages = build_handbook(lg, org, year, src)
    print(f"\n{org} {year}: {pages} pages, handbook PDF {src.stat().st_size / MB:.2f} MB")

    times = []
    for i in range(3):
        dst = out / f"printed-{i}.pdf"
        t = time.perf_counter()
        result = print_pdf(src, pdf_printer(dst))
        times.append(time.perf_counter() - t)
    assert result.pages == pages == len(pypdf.PdfReader(str(dst)).pages)
    print(f"  打印到 PDF 文件, whole book: {min(times):.2f} s best / {max(times):.2f} s worst of 3, "
          f"{dst.stat().st_size / MB:.2f} MB, {result.pages} pages")

    if args.queue:
        folder = queue_output_dir()
        before = set(folder.glob("*.pdf")) if folder.exists() else set()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPrinterName(args.queue)
        wait_idle(args.queue)
        t = time.perf_counter()
        result = print_pdf(src, printer, allow_raster=False)
        accepted = time.perf_counter() - t
        wait_idle(args.queue)
        finished = time.perf_counter() - t
        new = sorted(set(folder.glob("*.pdf")) - before, key=lambda p: p.stat().st_mtime)
        spooled = new[-1] if new else None
        size = f"{spooled.stat().st_size / MB:.2f} MB, {len(pypdf.PdfReader(str(spooled)).pages)} pages" \
            if spooled else "no output file found"
        print(f"  CUPS queue {args.queue} ({result.route}), whole book: accepted in {accepted:.2f} s, "
              f"queue done after {finished:.2f} s; printer output {size}")

    doc = QPdfDocument()
    doc.load(str(src))
    if args.raster:
        dst = out / "raster.pdf"
        printer = pdf_printer(dst)
        t = time.perf_counter()
        sent = print_raster(doc, printer, tuple(range(1, args.raster + 1)))
        used = time.perf_counter() - t
        print(f"  last resort (300 dpi images), first {sent} pages: {used:.2f} s, {dst.stat().st_size / MB:.1f} MB "
              f"(whole book ≈ {used / sent * pages:.0f} s, {dst.stat().st_size / sent * pages / MB:.0f} MB)")
    if args.before:
        dst = out / "before.pdf"
        t = time.perf_counter()
        old_path(doc, pdf_printer(dst), args.before)
        used = time.perf_counter() - t
        print(f"  before (1200 dpi images, fitted), first {args.before} pages: {used:.2f} s, "
              f"{dst.stat().st_size / MB:.1f} MB (whole book ≈ {used / args.before * pages / 60:.1f} min, "
              f"{dst.stat().st_size / args.before * pages / MB:.0f} MB)")
    doc.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo", type=Path, default=Path(tempfile.gettempdir()) / "bench-print-demo.sqlite")
    parser.add_argument("--queue", default="", help="a CUPS queue to print to (e.g. a cups-pdf printer)")
    parser.add_argument("--before", type=int, default=0, help="pages for the old rasterising path")
    parser.add_argument("--raster", type=int, default=0, help="pages for the 300 dpi last-resort path")
    args = parser.parse_args()
    QApplication.instance() or QApplication([])
    lg = demo_ledger(args.demo)
    with tempfile.TemporaryDirectory() as folder:
        for org, year in (("QS0204", 2024), ("QS0101", 2026)):
            bench_book(lg, org, year, Path(folder), args)
    lg.close()


if __name__ == "__main__":
    main()

"""打印 sends the PDF's own vector pages: to a PDF file, and to a real CUPS queue (cups-pdf).

The queue test creates its own printer (``lpadmin``, as root: ./test.sh installs cups, cups-client
and printer-driver-cups-pdf) and reads what the printer wrote.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pypdf
import pytest
from PIL import Image, ImageOps
from PySide6.QtPrintSupport import QPrinter

from app.reports.handbook import build_handbook
from app.reports.printout import PrintError, PrintJob, cups_command, page_range, send_to_cups, write_pages
from app.reports.summary import build_summary
from ui.printing.preview import duplex_side, print_job, print_pdf, print_raster

from .conftest import flat, pdf_pages

QUEUE = "dangjian-test-pdf"
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")


def file_printer(path: Path, first: int = 0, last: int = 0, copies: int = 1, collate: bool = True) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    if first:
        printer.setFromTo(first, last)
    printer.setCopyCount(copies)
    printer.setCollateCopies(collate)
    return printer


def has_images(path: Path) -> bool:
    for page in pypdf.PdfReader(str(path)).pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        if any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.values()):
            return True
    return False


def ink_box(pdf: Path, page: int, folder: Path) -> tuple[int, int, int, int]:
    """Bounding box of everything printed on ``page`` (1-based), in pixels at 50 dpi."""
    stem = folder / f"ink-{uuid.uuid4().hex}"
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-gray", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True, capture_output=True)
    return ImageOps.invert(Image.open(f"{stem}.png").convert("L")).getbbox()


def test_page_range_and_lp_command():
    assert page_range(0, 0, 5) == (1, 2, 3, 4, 5)
    assert page_range(2, 4, 5) == (2, 3, 4)
    assert page_range(4, 9, 5) == (4, 5)
    job = PrintJob(pages=(1, 2), copies=3, collate=False, duplex="long", printer="办公室", title="手册")
    assert cups_command(job, Path("/t/p.pdf")) == [
        "lp", "-d", "办公室", "-n", "3", "-o", "sides=two-sided-long-edge", "-o", "print-scaling=none",
        "-o", "fit-to-page=false", "-o", "collate=false", "-t", "手册", "--", "/t/p.pdf"]
    one = cups_command(PrintJob(pages=(1,), duplex="short"), Path("p.pdf"))
    assert "-d" not in one and "sides=two-sided-short-edge" in one and not any("collate" in a for a in one)
    assert "sides=one-sided" in cups_command(PrintJob(pages=(1,)), Path("p.pdf"))


def test_print_job_reads_the_dialog_choices(qtbot, out_dir: Path):
    printer = file_printer(out_dir / "x.pdf", 3, 7, copies=2, collate=False)
    printer.setDocName("手册")
    job = print_job(printer, 10)
    assert (job.pages, job.copies, job.collate, job.title) == ((3, 4, 5, 6, 7), 2, False, "手册")
    assert print_job(file_printer(out_dir / "y.pdf"), 4).pages == (1, 2, 3, 4)
    for mode, portrait, landscape in ((QPrinter.DuplexMode.DuplexNone, "none", "none"),
                                      (QPrinter.DuplexMode.DuplexLongSide, "long", "long"),
                                      (QPrinter.DuplexMode.DuplexShortSide, "short", "short"),
                                      (QPrinter.DuplexMode.DuplexAuto, "long", "short")):
        assert (duplex_side(mode, False), duplex_side(mode, True)) == (portrait, landscape)


def test_printing_to_a_pdf_file_writes_the_vector_pages_themselves(qtbot, demo_ledger, out_dir: Path):
    src = out_dir / "s.pdf"
    pages = build_summary(demo_ledger, 2025, src)
    result = print_pdf(src, file_printer(out_dir / "printed.pdf"))
    assert (result.pages, result.route, result.note) == (pages, "pdf-file", "")
    printed, original = pypdf.PdfReader(str(out_dir / "printed.pdf")), pypdf.PdfReader(str(src))
    assert len(printed.pages) == pages
    for a, b in zip(printed.pages, original.pages, strict=True):
        assert float(a.mediabox.width) > float(a.mediabox.height)  # landscape kept
        assert list(map(float, a.mediabox)) == list(map(float, b.mediabox))  # same paper, nothing scaled
        assert a.get_contents().get_data() == b.get_contents().get_data()  # the same drawing operators
    assert not has_images(out_dir / "printed.pdf")
    assert (out_dir / "printed.pdf").stat().st_size < 2 * src.stat().st_size


def test_a_page_range_with_copies_collated_or_not(qtbot, ledger, out_dir: Path):
    src = out_dir / "h.pdf"
    build_handbook(ledger, "B1", 2026, src)
    texts = pdf_pages(src)
    for collate, order in ((True, [3, 4, 5, 3, 4, 5]), (False, [3, 3, 4, 4, 5, 5])):
        dst = out_dir / f"range-{collate}.pdf"
        result = print_pdf(src, file_printer(dst, 3, 5, copies=2, collate=collate))
        assert result.pages == 3
        assert [flat(t) for t in pdf_pages(dst)] == [flat(texts[p - 1]) for p in order]
    with pytest.raises(PrintError, match="页码超出范围"):
        print_pdf(src, file_printer(out_dir / "none.pdf", len(texts) + 1, len(texts) + 3))
    with pytest.raises(PrintError, match="页码超出范围"):
        write_pages(src, out_dir / "bad.pdf", (len(texts) + 1,))
    assert not (out_dir / "bad.pdf").exists() and not (out_dir / "bad.pdf.part").exists()


def test_the_last_resort_raster_keeps_scale_and_margins(qtbot, demo_ledger, out_dir: Path):
    from PySide6.QtPdf import QPdfDocument

    src = out_dir / "h.pdf"
    build_handbook(demo_ledger, "QS0101", 2026, src)
    doc = QPdfDocument()
    doc.load(str(src))
    dst = out_dir / "raster.pdf"
    assert print_raster(doc, file_printer(dst), (5, 6)) == 2
    doc.close()
    assert has_images(dst)
    for n, page in ((1, 5), (2, 6)):
        a, b = ink_box(dst, n, out_dir), ink_box(src, page, out_dir)
        assert all(abs(x - y) <= 1 for x, y in zip(a, b, strict=True)), (a, b)  # 100 %, binding margin in place


# ---- a real print queue -------------------------------------------------------------------------------


def _cups_output_dir() -> Path:
    for line in Path("/etc/cups/cups-pdf.conf").read_text().splitlines():
        if line.startswith("Out "):
            return Path(line.split(None, 1)[1].replace("${HOME}", os.path.expanduser("~")))
    return Path(os.path.expanduser("~/PDF"))


@pytest.fixture(scope="session")
def cups_queue() -> str:
    """A cups-pdf printer named QUEUE (created here, as root; cupsd started if it is not running)."""
    missing = [c for c in ("lp", "lpadmin", "lpstat", "cupsd") if not shutil.which(c)]
    assert not missing and PPD.exists(), (
        f"需要 CUPS 与 cups-pdf（缺少 {missing or PPD}）：以 root 运行 ./test.sh 会自动安装")
    c_locale = {**os.environ, "LC_ALL": "C"}

    def running() -> bool:
        return subprocess.run(["lpstat", "-r"], capture_output=True, text=True, env=c_locale).stdout.strip() == \
            "scheduler is running"

    if not running():
        subprocess.run(["cupsd"], check=True)  # daemonises; stays for later runs, like a system service
        for _ in range(100):
            if running():
                break
            time.sleep(0.1)
    if subprocess.run(["lpstat", "-p", QUEUE], capture_output=True).returncode != 0:
        subprocess.run(["lpadmin", "-p", QUEUE, "-E", "-v", "cups-pdf:/", "-P", str(PPD)], check=True,
                       capture_output=True)
    return QUEUE


def _wait_for_output(folder: Path, title: str, timeout: float = 120) -> Path:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = [p for p in folder.glob(f"{title}*.pdf")] if folder.exists() else []
        if found and subprocess.run(["lpstat", "-o", QUEUE], capture_output=True, text=True).stdout.strip() == "":
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"the queue wrote nothing for {title} in {timeout} s")


def test_printing_to_a_cups_queue_sends_the_chosen_pages_at_full_scale(qtbot, demo_ledger, cups_queue,
                                                                       out_dir: Path):
    src = out_dir / "h.pdf"
    build_handbook(demo_ledger, "QS0101", 2026, src)
    title = f"dangjian-{uuid.uuid4().hex[:12]}"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(cups_queue)
    assert printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
    printer.setFromTo(5, 7)
    printer.setCopyCount(2)
    printer.setDocName(title)
    result = print_pdf(src, printer, allow_raster=False)
    assert (result.route, result.pages) == ("cups", 3)
    assert f"任务 {cups_queue}-" in result.note and "3 页 × 2 份" in result.note
    out = _wait_for_output(_cups_output_dir(), title)
    try:
        printed = pypdf.PdfReader(str(out))
        assert len(printed.pages) == 6  # pages 5–7, two copies
        box = printed.pages[0].mediabox
        assert abs(float(box.width) - 595.3) < 1 and abs(float(box.height) - 841.9) < 1  # A4, not shrunk
        assert not has_images(out)  # vectors all the way to the printer
        for n, page in ((1, 5), (2, 6), (3, 7), (4, 5)):
            a, b = ink_box(out, n, out_dir), ink_box(src, page, out_dir)
            assert all(abs(x - y) <= 1 for x, y in zip(a, b, strict=True)), (n, a, b)  # 100 %, margins exact
    finally:
        out.unlink(missing_ok=True)


def test_a_queue_that_refuses_the_job_is_reported(qtbot, ledger, out_dir: Path):
    src = out_dir / "h.pdf"
    build_handbook(ledger, "B1", 2026, src)
    with pytest.raises(PrintError, match="拒绝了打印任务"):
        send_to_cups(src, PrintJob(pages=(1, 2), printer="no-such-queue-dangjian"))


def test_windows_devmode_and_page_geometry():
    """The parts of the Windows (PDFium + GDI) route that do not need Windows."""
    import struct

    from app.reports import winprint

    buf = bytearray(220)
    struct.pack_into("<I", buf, 72, 0x2)  # a field the driver had set stays set
    winprint.set_devmode(buf, PrintJob(pages=(1,), copies=3, collate=False, duplex="long"), landscape=True)
    fields = struct.unpack_from("<I", buf, 72)[0]
    assert fields & 0x2 and fields & (0x1 | 0x10 | 0x100 | 0x1000 | 0x8000) == 0x1 | 0x10 | 0x100 | 0x1000 | 0x8000
    orientation, _paper, _len, _width, scale, copies = struct.unpack_from("<6h", buf, 76)
    duplex, collate = struct.unpack_from("<h", buf, 94)[0], struct.unpack_from("<h", buf, 100)[0]
    assert (orientation, scale, copies, duplex, collate) == (2, 100, 3, 2, 0)
    winprint.set_devmode(buf, PrintJob(pages=(1,)), landscape=False)
    assert struct.unpack_from("<h", buf, 76)[0] == 1 and struct.unpack_from("<h", buf, 94)[0] == 1
    # A4 at 600 dpi on a printer whose printable area starts 4.2 mm / 4.2 mm in: drawn from the paper corner.
    assert winprint.page_rect(595.276, 841.89, 600, 600, 100, 100) == (-100, -100, 4961, 7016)
    assert winprint.available() is False  # not Windows: CUPS or the PDF file route is used here

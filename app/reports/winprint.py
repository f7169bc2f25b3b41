"""Windows: draw the PDF's pages as vectors on the printer with PDFium (pypdfium2) and GDI.

PDFium's ``FPDF_RenderPage`` draws a page onto a Windows device context with GDI commands (text,
lines, fills — not a bitmap; the route browsers use to print PDFs). The printer is opened with
a DEVMODE carrying the copies, collation, duplex and orientation chosen in the print dialog and
a scale of 100 %; each page is drawn at its own size from the paper's corner (the printable
area's offset is subtracted), so the binding margin stays where the PDF has it.

Only the pure parts (DEVMODE fields, page geometry) run outside Windows and are tested here; the
GDI calls themselves could not be run on the project's Linux machines.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from app.reports.printout import PrintError, PrintJob

# DEVMODEW byte offsets (wingdi.h: 32 WCHAR device name, then the printer variant of the union).
_FIELDS, _ORIENTATION, _SCALE, _COPIES, _DUPLEX, _COLLATE = 72, 76, 84, 86, 94, 100
DM_ORIENTATION, DM_SCALE, DM_COPIES, DM_DUPLEX, DM_COLLATE = 0x1, 0x10, 0x100, 0x1000, 0x8000
DMORIENT_PORTRAIT, DMORIENT_LANDSCAPE = 1, 2
DUPLEX = {"none": 1, "long": 2, "short": 3}  # DMDUP_SIMPLEX, DMDUP_VERTICAL, DMDUP_HORIZONTAL
# GetDeviceCaps indexes
LOGPIXELSX, LOGPIXELSY, PHYSICALOFFSETX, PHYSICALOFFSETY = 88, 90, 112, 113


def set_devmode(buf: bytearray, job: PrintJob, landscape: bool) -> bytearray:
    """Write the job's copies, collation, duplex, orientation and 100 % scale into a DEVMODEW."""
    fields = struct.unpack_from("<I", buf, _FIELDS)[0]
    struct.pack_into("<h", buf, _ORIENTATION, DMORIENT_LANDSCAPE if landscape else DMORIENT_PORTRAIT)
    struct.pack_into("<h", buf, _SCALE, 100)
    struct.pack_into("<h", buf, _COPIES, max(1, min(job.copies, 9999)))
    struct.pack_into("<h", buf, _DUPLEX, DUPLEX.get(job.duplex, 1))
    struct.pack_into("<h", buf, _COLLATE, 1 if job.collate else 0)
    struct.pack_into("<I", buf, _FIELDS, fields | DM_ORIENTATION | DM_SCALE | DM_COPIES | DM_DUPLEX | DM_COLLATE)
    return buf


def page_rect(width_pt: float, height_pt: float, dpi_x: int, dpi_y: int, offset_x: int,
              offset_y: int) -> tuple[int, int, int, int]:
    """Where a page goes on a printer DC: (x, y, w, h) in device pixels, at 100 % from the paper's corner."""
    return (-offset_x, -offset_y, round(width_pt / 72 * dpi_x), round(height_pt / 72 * dpi_y))


def available() -> bool:
    if sys.platform != "win32":
        return False
    try:
        import pypdfium2.raw  # noqa: F401
    except ImportError:
        return False
    return True


def print_with_gdi(src: Path, job: PrintJob) -> int:  # pragma: no cover - Windows only
    """Print ``job.pages`` of ``src`` on ``job.printer`` (or the default printer). Returns pages sent."""
    import ctypes
    from ctypes import wintypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    winspool, gdi32 = ctypes.WinDLL("winspool.drv"), ctypes.WinDLL("gdi32")
    # Handles are pointer-sized: declare every signature so none is cut to 32 bits.
    hdc_t, p = wintypes.HDC, ctypes.c_void_p
    for fn, args, res in (
        (winspool.GetDefaultPrinterW, (wintypes.LPWSTR, ctypes.POINTER(wintypes.DWORD)), wintypes.BOOL),
        (winspool.OpenPrinterW, (wintypes.LPWSTR, ctypes.POINTER(wintypes.HANDLE), p), wintypes.BOOL),
        (winspool.ClosePrinter, (wintypes.HANDLE,), wintypes.BOOL),
        (winspool.DocumentPropertiesW, (wintypes.HWND, wintypes.HANDLE, wintypes.LPWSTR, p, p, wintypes.DWORD),
         wintypes.LONG),
        (gdi32.CreateDCW, (wintypes.LPCWSTR, wintypes.LPCWSTR, wintypes.LPCWSTR, p), hdc_t),
        (gdi32.StartDocW, (hdc_t, p), ctypes.c_int),
        (gdi32.StartPage, (hdc_t,), ctypes.c_int),
        (gdi32.EndPage, (hdc_t,), ctypes.c_int),
        (gdi32.EndDoc, (hdc_t,), ctypes.c_int),
        (gdi32.AbortDoc, (hdc_t,), ctypes.c_int),
        (gdi32.DeleteDC, (hdc_t,), wintypes.BOOL),
        (gdi32.GetDeviceCaps, (hdc_t, ctypes.c_int), ctypes.c_int),
    ):
        fn.argtypes, fn.restype = args, res
    name = job.printer
    if not name:
        size = wintypes.DWORD(0)
        winspool.GetDefaultPrinterW(None, ctypes.byref(size))
        buf = ctypes.create_unicode_buffer(size.value or 1)
        if not winspool.GetDefaultPrinterW(buf, ctypes.byref(size)):
            raise PrintError("没有默认打印机，请在打印对话框中选择打印机")
        name = buf.value
    pdf = pdfium.PdfDocument(str(src))
    try:
        first = pdf[job.pages[0] - 1]
        landscape = first.get_width() > first.get_height()
        handle = wintypes.HANDLE()
        if not winspool.OpenPrinterW(name, ctypes.byref(handle), None):
            raise PrintError(f"无法打开打印机“{name}”")
        try:
            need = winspool.DocumentPropertiesW(None, handle, name, None, None, 0)
            if need <= 0:
                raise PrintError(f"无法读取打印机“{name}”的设置")
            devmode = ctypes.create_string_buffer(need)
            winspool.DocumentPropertiesW(None, handle, name, devmode, None, 2)  # DM_OUT_BUFFER
            data = set_devmode(bytearray(devmode.raw), job, landscape)
            ctypes.memmove(devmode, bytes(data), len(data))
            winspool.DocumentPropertiesW(None, handle, name, devmode, devmode, 2 | 8)  # DM_OUT | DM_IN
        finally:
            winspool.ClosePrinter(handle)
        hdc = gdi32.CreateDCW("WINSPOOL", name, None, devmode)
        if not hdc:
            raise PrintError(f"无法连接打印机“{name}”")

        class DOCINFOW(ctypes.Structure):
            _fields_ = [("cbSize", ctypes.c_int), ("lpszDocName", wintypes.LPCWSTR),
                        ("lpszOutput", wintypes.LPCWSTR), ("lpszDatatype", wintypes.LPCWSTR),
                        ("fwType", wintypes.DWORD)]

        info = DOCINFOW(ctypes.sizeof(DOCINFOW), job.title or src.name, None, None, 0)
        sent = 0
        try:
            if gdi32.StartDocW(hdc, ctypes.byref(info)) <= 0:
                raise PrintError(f"打印机“{name}”没有接受打印任务")
            try:
                caps = [gdi32.GetDeviceCaps(hdc, i) for i in (LOGPIXELSX, LOGPIXELSY, PHYSICALOFFSETX, PHYSICALOFFSETY)]
                for number in job.pages:
                    page = pdf[number - 1]
                    x, y, w, h = page_rect(page.get_width(), page.get_height(), *caps)
                    if gdi32.StartPage(hdc) <= 0:
                        raise PrintError("打印机中止了打印")
                    raw.FPDF_RenderPage(hdc, page.raw, x, y, w, h, 0, raw.FPDF_ANNOT | raw.FPDF_PRINTING)
                    gdi32.EndPage(hdc)
                    sent += 1
                gdi32.EndDoc(hdc)
            except BaseException:
                gdi32.AbortDoc(hdc)
                raise
        finally:
            gdi32.DeleteDC(hdc)
        return sent
    finally:
        pdf.close()

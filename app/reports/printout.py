"""Vector printing of a finished PDF: pick pages with pypdf, hand the PDF itself to the spooler.

No Qt here: ``ui/printing`` turns the print dialog's choices into a :class:`PrintJob` and calls
:func:`write_pages` (打印到 PDF 文件) or :func:`send_to_cups` (Linux / macOS print queues). The
pages are the reportlab pages themselves, byte for byte: vector, 100 % scale, margins unchanged.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pypdf

from app.errors import LedgerError

# IPP "sides" values by duplex choice.
SIDES = {"none": "one-sided", "long": "two-sided-long-edge", "short": "two-sided-short-edge"}


class PrintError(LedgerError):
    """The spooler refused the job or is missing; the message says why, in Chinese."""


@dataclass(frozen=True)
class PrintJob:
    """What the print dialog chose. ``pages`` are 1-based page numbers in printing order."""

    pages: tuple[int, ...]
    copies: int = 1
    collate: bool = True
    duplex: str = "none"  # none | long | short
    printer: str = ""  # queue name; "" means the system default
    title: str = ""


def page_range(first: int, last: int, count: int) -> tuple[int, ...]:
    """The pages first..last of a ``count``-page document (0 or less for both means all)."""
    if first <= 0 and last <= 0:
        first, last = 1, count
    first, last = max(1, first), min(count, last if last > 0 else count)
    return tuple(range(first, last + 1))


def write_pages(src: Path, dst: Path, pages: tuple[int, ...], copies: int = 1, collate: bool = True) -> int:
    """Write ``pages`` of ``src`` (repeated for ``copies``) to ``dst`` as they are; returns pages written.

    The file appears whole or not at all (written beside it, then renamed).
    """
    reader = pypdf.PdfReader(str(src))
    count = len(reader.pages)
    bad = [p for p in pages if not 1 <= p <= count]
    if bad or not pages:
        raise PrintError(f"页码超出范围：文档共 {count} 页")
    order = list(pages) * copies if collate else [p for p in pages for _ in range(copies)]
    writer = pypdf.PdfWriter()
    for p in order:
        writer.add_page(reader.pages[p - 1])
    if reader.metadata and reader.metadata.title:
        writer.add_metadata({"/Title": reader.metadata.title})
    dst = Path(dst)
    part = dst.with_name(dst.name + ".part")
    try:
        with open(part, "wb") as f:
            writer.write(f)
        os.replace(part, dst)
    except OSError as e:
        part.unlink(missing_ok=True)
        raise PrintError(f"无法写入“{dst}”：{e.strerror or e}") from e
    return len(order)


def cups_command(job: PrintJob, pdf: Path, lp: str = "lp") -> list[str]:
    """The ``lp`` command that prints ``pdf`` (already cut to the chosen pages) as ``job`` says.

    ``print-scaling=none`` keeps the pages at 100 % (CUPS would otherwise shrink a page that does
    not fit the printable area, moving the binding margin).
    """
    cmd = [lp]
    if job.printer:
        cmd += ["-d", job.printer]
    cmd += ["-n", str(max(1, job.copies)), "-o", f"sides={SIDES.get(job.duplex, 'one-sided')}",
            "-o", "print-scaling=none", "-o", "fit-to-page=false"]
    if job.copies > 1:
        cmd += ["-o", f"collate={'true' if job.collate else 'false'}"]
    if job.title:
        cmd += ["-t", job.title]
    cmd += ["--", str(pdf)]
    return cmd


def lp_available() -> str | None:
    """Path of CUPS's ``lp`` command, or None (Windows, or CUPS client not installed)."""
    return shutil.which("lp")


def send_to_cups(src: Path, job: PrintJob, lp: str | None = None, timeout: float = 60) -> str:
    """Send the chosen pages of ``src`` to a CUPS queue; returns the request id (e.g. ``HP-12``)."""
    lp = lp or lp_available()
    if not lp:
        raise PrintError("找不到打印命令 lp（CUPS），无法直接打印 PDF")
    with tempfile.TemporaryDirectory(prefix="dangjian-spool-") as folder:
        pdf = Path(folder) / "print.pdf"
        write_pages(src, pdf, job.pages)  # copies are the spooler's job (-n)
        try:
            done = subprocess.run(cups_command(job, pdf, lp), capture_output=True, text=True, timeout=timeout,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise PrintError(f"打印命令没有完成：{e}") from e
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip() or f"退出码 {done.returncode}"
        raise PrintError(f"打印机“{job.printer or '默认打印机'}”拒绝了打印任务：{detail}")
    # "request id is QUEUE-12 (1 file(s))" — in any language the id is QUEUE-number.
    name = re.escape(job.printer) if job.printer else r"[^\s()（）]+"
    found = re.search(rf"({name}-\d+)", done.stdout)
    return found.group(1) if found else ""

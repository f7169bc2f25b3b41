"""All handbooks of the unit for a year, one PDF per organisation, written into a folder.

With more than one worker the handbooks are laid out in separate processes (reportlab is pure
Python and single-threaded), each reading the ledger file read-only.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from pathlib import Path

from app.errors import ValidationError
from app.services.kernel import validate
from app.services.kernel.context import Ledger
from app.services.register import orgs

from .data import YearData, year_data
from .handbook import build_handbook

log = logging.getLogger(__name__)

# progress(done, total, text); it may raise to cancel (the UI's Progress raises Cancelled).
ProgressFn = Callable[[int, int, str], None]


def safe_name(text: str) -> str:
    """A file name Windows accepts: no \\ / : * ? " < > | and no trailing dots or spaces."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("._") or "未命名"


def handbook_file_name(code: str, name: str, year: int) -> str:
    return f"{safe_name(code)}_{safe_name(name)}_{year}年度党支部工作手册.pdf"


def handbook_orgs(ledger: Ledger, year: int) -> list[orgs.OrgInfo]:
    """The organisations that keep a handbook: every active scored organisation."""
    return [o for o in orgs.list_orgs(ledger, year) if o.scored and o.active]


def default_workers(ledger: Ledger) -> int:
    """Two processes on a multi-core PC (also frozen: packaging/entry.py calls freeze_support);
    one for an in-memory ledger, which a child process cannot open, and one on the county server (the
    server's connection stays in this process: its password is never handed to another)."""
    if str(ledger.path) == ":memory:" or ledger.db.is_server:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def _write_one(ledger: Ledger, code: str, year: int, path: Path, shared: YearData) -> Path:
    # Written beside its final name and renamed when complete: a cancelled or failed run never
    # leaves a half-written PDF that looks finished.
    part = path.with_name(path.name + ".part")
    try:
        build_handbook(ledger, code, year, part, shared)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return path


_worker: dict = {}


def _init_worker(db_path: str, today: date, shared: YearData, scope: str = "") -> None:
    from app.services.kernel.context import Ledger as _Ledger
    from db.migrate import open_database

    # the printing user's scope, so a worker reads as they do (kernel/scope.py)
    _worker["ledger"] = _Ledger(open_database(db_path, read_only=True), today=lambda: today, scope=scope)
    _worker["shared"] = shared


def _work(code: str, year: int, path: Path) -> Path:
    return _write_one(_worker["ledger"], code, year, path, _worker["shared"])


def export_handbooks(ledger: Ledger, year: int, folder: Path, progress: ProgressFn | None = None,
                     codes: list[str] | None = None, workers: int | None = None,
                     mirror: bool | None = None) -> list[Path]:
    """Write every handbook into ``folder``; returns the files written, in organisation order.
    ``mirror`` (mirrored margins for double-sided printing) overrides the setting when given."""
    year = validate.year(year)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ValidationError(f"“{folder}”不是文件夹")
    folder.mkdir(parents=True, exist_ok=True)
    targets = handbook_orgs(ledger, year)
    if codes is not None:
        wanted = set(codes)
        targets = [o for o in targets if o.code in wanted]
    if not targets:
        raise ValidationError(f"{year} 年没有需要打印工作手册的党组织")
    shared = year_data(ledger, year)
    if mirror is not None:
        shared.mirror = mirror
    jobs = [(o, folder / handbook_file_name(o.code, o.name, year)) for o in targets]
    total = len(jobs)
    n = workers if workers is not None else default_workers(ledger)
    finished: set[Path] = set()
    if n > 1 and total > 1:
        try:
            _parallel(ledger, year, jobs, shared, n, progress, finished)
        except BrokenProcessPool:
            # A worker could not start (e.g. it cannot open the file read-only): finish here instead.
            log.warning("批量导出的工作进程异常退出，改为在本进程中继续生成", exc_info=True)
    for i, (org, path) in enumerate(jobs):
        if path in finished:
            continue
        if progress:
            progress(len(finished), total, f"正在生成 {org.name}（{i + 1}/{total}）")
        _write_one(ledger, org.code, year, path, shared)
        finished.add(path)
    if progress:
        progress(total, total, f"已生成 {total} 本工作手册")
    return [path for _org, path in jobs]


def _parallel(ledger: Ledger, year: int, jobs: list, shared: YearData, n: int, progress: ProgressFn | None,
              finished: set[Path]) -> None:
    # "spawn": a fresh interpreter, safe to start from a process that runs Qt threads.
    ctx = multiprocessing.get_context("spawn")
    total = len(jobs)
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init_worker,
                             initargs=(str(ledger.path), ledger.today(), shared, ledger.scope)) as pool:
        pending: set[Future] = {pool.submit(_work, org.code, year, path) for org, path in jobs}
        done = 0
        try:
            if progress:
                progress(0, total, f"正在生成（{n} 个进程）……")
            while pending:
                ready, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for f in ready:
                    path = f.result()  # re-raises a worker's error here
                    finished.add(path)
                    done += 1
                    if progress:
                        progress(done, total, f"已生成 {path.name}（{done}/{total}）")
                if progress and not ready:
                    progress(done, total, f"正在生成……（{done}/{total}）")
        except BaseException:
            for f in pending:
                f.cancel()
            pool.shutdown(wait=True, cancel_futures=True)
            raise

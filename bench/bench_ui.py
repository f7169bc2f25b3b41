"""GUI benchmark on the county-scale database (3,000 organisations), offscreen.

    python bench/make_county_db.py      # once: builds bench/data/county.sqlite
    python bench/bench_ui.py [--db PATH] [--repeat 3]

Prints, against the targets of issue 3:
  start-up   process launch → main window painted and taking input (≤ 1.5 s), measured from
             outside on `python -m app` (ui/startup_probe.py prints a marker after the first paint);
  组织台账    refresh() → 3,000 rows in the table (≤ 1 s), and → last quarter's warning column filled;
  filter     one keystroke in the search box, filter + repaint of the table (≤ 50 ms);
  概览        dashboard figures loaded in the background (no target; the window stays responsive);
  memory     peak resident memory of the GUI process with the pages loaded (≤ 400 MB);
  safe mode  a large file opens read-only while its integrity check runs in the background
             (ui/safety/startup.py): how long until it is writable, and filter keystrokes meanwhile.
The database is copied to a temporary folder first, so the original is never written.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

MARKER = "MAIN_WINDOW_SHOWN"


def startup_once(db: Path, home: Path) -> tuple[float, float]:
    """(wall seconds to the painted window, CPU seconds the process used in all)."""
    env = dict(os.environ, DANGJIAN_EXIT_AFTER_SHOW="1", PYTHONPATH=str(ROOT), HOME=str(home),
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "app", "--db", str(db)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(MARKER):
            elapsed = time.perf_counter() - started
            break
    else:
        raise SystemExit("主窗口没有出现（启动失败）")
    proc.wait(60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


CPU_PROBE = """
import sys, time
import ui.startup_probe as probe
finish = probe._ExitAfterFirstPaint._finish
def report(self, elapsed):
    print("CPU_AT_PAINT", time.process_time(), flush=True)
    finish(self, elapsed)
probe._ExitAfterFirstPaint._finish = report
probe.install()
sys.argv = ["app", "--db", sys.argv[1]]
from app.__main__ import main
main()
"""


def startup_cpu(db: Path, home: Path) -> float:
    """CPU seconds the process used until the main window painted (load-independent)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(home),
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))
    env.pop("DANGJIAN_EXIT_AFTER_SHOW", None)
    out = subprocess.run([sys.executable, "-c", CPU_PROBE, str(db)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120).stdout
    for line in out.splitlines():
        if line.startswith("CPU_AT_PAINT"):
            return float(line.split()[1])
    raise SystemExit("主窗口没有出现（启动失败）")


def pump(app, ctx, until, timeout: float = 60.0) -> float:
    """Process events until ``until()``; returns the seconds it took."""
    start = time.perf_counter()
    while not until():
        app.processEvents()
        ctx.tasks.pool.waitForDone(2)
        if time.perf_counter() - start > timeout:
            raise SystemExit("等待超时")
    app.processEvents()
    return time.perf_counter() - start


def in_process(db: Path, repeat: int) -> dict[str, object]:
    from app.services.opening.setup import open_ledger
    from ui.application import create_application

    app = create_application([])
    from ui.context import UiContext
    from ui.main_window import MainWindow

    ledger = open_ledger(db)
    ctx = UiContext(ledger)
    window = MainWindow(ctx)
    window.resize(1366, 768)
    window.show()
    app.processEvents()

    page = window.page("orgs")
    window.select_page("orgs")
    pump(app, ctx, lambda: page.loaded_rows > 0 and page.levels_loaded)
    rows_times, level_times = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        page.refresh()
        rows_times.append(pump(app, ctx, lambda: not page._loading and page.model.rowCount() >= 3000))
        level_times.append(time.perf_counter() - t + pump(app, ctx, lambda: page.levels_loaded))
    shown = page.model.rowCount()

    # Typing a name, one character at a time, then deleting it again.
    word = next(r.info.name for r in page.model.rows() if r.info.scored)[:4]
    keys = []
    for _ in range(repeat):
        for i in range(1, len(word) + 1):
            t = time.perf_counter()
            page.search.setText(word[:i])
            page.table.viewport().repaint()
            app.processEvents()
            keys.append(time.perf_counter() - t)
        t = time.perf_counter()
        page.search.clear()
        page.table.viewport().repaint()
        app.processEvents()
        keys.append(time.perf_counter() - t)

    dash = window.page("dashboard")
    window.select_page("dashboard")
    t = time.perf_counter()
    dash.refresh()
    dash.data = None
    dash_time = pump(app, ctx, lambda: dash.data is not None) + 0 * t

    window.close()
    ctx.tasks.wait(60000)
    ledger.close()
    return {
        "orgs": shown, "rows": rows_times, "levels": level_times, "keys": keys, "word": word,
        "dashboard": dash_time, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def during_check(db: Path) -> dict[str, object]:
    """The safe-mode start: window at once, check behind it; keystrokes typed while it runs."""
    from ui.application import create_application

    app = create_application([])
    from ui.context import UiContext
    from ui.main_window import MainWindow
    from ui.safety import startup

    started = time.perf_counter()
    session = startup.open_for_gui(db, "管理员")
    ctx = UiContext(session.ledger)
    window = MainWindow(ctx)
    startup.attach(window, session)
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    shown = time.perf_counter() - started
    page = window.page("orgs")
    window.select_page("orgs")
    pump(app, ctx, lambda: page.loaded_rows > 0 or session.startup_report is not None)
    word = "第1镇第"

    def type_until(done) -> list[float]:
        keys = []
        while not done():
            for i in range(1, len(word) + 1):
                t = time.perf_counter()
                page.search.setText(word[:i])
                page.table.viewport().repaint()
                app.processEvents()
                keys.append(time.perf_counter() - t)
            page.search.clear()
            app.processEvents()
        return keys

    check = session.check
    keys = type_until(lambda: session.startup_report is not None)
    pump(app, ctx, lambda: session.startup_report is not None)
    writable = time.perf_counter() - started
    ok = session.startup_report.ok and not session.ledger.db.read_only
    deep_keys: list[float] = []
    deep = None
    if check is not None and check.report is not None and check.report.file_ok and check._was_quick():
        deep_keys = type_until(lambda: check.deep_report is not None)
        deep = time.perf_counter() - started
    window.close()
    ctx.tasks.wait(120000)
    startup.on_exit(session)
    return {"shown": shown, "writable": writable, "check": check.seconds if check else None,
            "keys": keys, "ok": ok, "safe": check is not None, "deep": deep, "deep_keys": deep_keys,
            "deep_ok": check is not None and check.deep_report is not None and check.deep_report.ok}


def fmt(values: list[float], unit: str = "s", scale: float = 1.0) -> str:
    return f"中位 {statistics.median(values) * scale:.3f} {unit}，最慢 {max(values) * scale:.3f} {unit}"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", type=Path, default=ROOT / "bench" / "data" / "county.sqlite")
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    if not a.db.exists():
        raise SystemExit(f"找不到 {a.db}；请先运行 python bench/make_county_db.py")
    print(f"机器：{platform.platform()}，{os.cpu_count()} 核，Python {platform.python_version()}，"
          f"当前负载 {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as tmp:
        work = Path(tmp)
        db = work / "county.sqlite"
        shutil.copy(a.db, db)
        runs = [startup_once(db, work) for _ in range(a.repeat + 1)]
        starts = [w for w, _c in runs]
        print(f"启动到主窗口可操作：首次 {starts[0]:.3f} s；其后 {fmt(starts[1:])}（目标 ≤ 1.5 s）")
        cpu = [startup_cpu(db, work) for _ in range(a.repeat)]
        print(f"　　到主窗口画出时进程已用 CPU 时间（不受机器负载影响）：{fmt(cpu)}")
        print(f"　　进程从启动到退出的全部 CPU 时间（含窗口出现后的后台载入）：{fmt([c for _w, c in runs[1:]])}")
        child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        c = during_check(db)
        r = in_process(db, a.repeat)
    if c["safe"]:
        print(f"大文件安全模式：窗口 {c['shown']:.3f} s 出现（只读）；后台完整性检查 {c['check']:.1f} s，"
              f"{c['writable']:.1f} s 时{'转为可修改' if c['ok'] else '检查未通过，保持只读'}")
        if c["keys"]:
            print(f"　　检查进行时筛选按键（共 {len(c['keys'])} 次）：{fmt(c['keys'], 'ms', 1000)}")
        if c["deep"] is not None:
            print(f"　　随后的完整 integrity_check 在 {c['deep']:.1f} s 时完成（{'通过' if c['deep_ok'] else '发现损坏'}）；"
                  f"其间筛选按键（共 {len(c['deep_keys'])} 次）：{fmt(c['deep_keys'], 'ms', 1000)}")
    else:
        print(f"文件较小，启动前同步检查：{c['writable']:.1f} s 后窗口可修改")
    print(f"组织台账载入 {r['orgs']} 个组织：{fmt(r['rows'])}（目标 ≤ 1 s）")
    print(f"　　含上季度预警列填好：{fmt(r['levels'])}")
    print(f"筛选每次按键（输入“{r['word']}”逐字再清空，共 {len(r['keys'])} 次）：{fmt(r['keys'], 'ms', 1000)}（目标 ≤ 50 ms）")
    print(f"概览后台统计：{r['dashboard']:.3f} s（后台进行，窗口不卡）")
    print(f"峰值内存：界面进程 {r['peak_mb']:.0f} MB；启动测量子进程 {child_peak:.0f} MB（目标 ≤ 400 MB）")


if __name__ == "__main__":
    main()

"""Start-up benchmark: process launch → main window painted, for the frozen bundle (and from source).

    packaging/build_linux.sh                       # once: builds dist/dangjian-ledger/
    python bench/bench_startup.py [--db PATH] [--repeat 5] [--source]

Each run launches the app offscreen with DANGJIAN_EXIT_AFTER_SHOW=1 (ui/startup_probe.py): it prints
MAIN_WINDOW_SHOWN once the main window has painted and quits. The figure is the wall-clock time from
launching the process to reading that line. The first run is reported separately (cold file cache
for the bundle); the median and worst of the rest are the warm figures. Target: ≤ 2 s.
The ledger is a private copy of --db (default: the demo data, written by the app itself).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "dangjian-ledger"
FROZEN = BUNDLE / ("dangjian-ledger.exe" if sys.platform == "win32" else "dangjian-ledger")
MARKER = "MAIN_WINDOW_SHOWN"


def command(source: bool) -> list[str]:
    return [sys.executable, "-m", "app"] if source else [str(FROZEN)]


def environment(tmp: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "DANGJIAN_DATA_DIR": str(tmp / "data"),
        "XDG_CONFIG_HOME": str(tmp / "config"),  # window geometry etc. stay private
        **extra,
    }


def one_run(cmd: list[str], db: Path, env: dict[str, str]) -> tuple[float, float]:
    """(seconds from launch to the marker line, the app's own in-process figure)."""
    start = time.perf_counter()
    proc = subprocess.Popen([*cmd, "--db", str(db)], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
    shown = inside = None
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(MARKER):
            shown = time.perf_counter() - start
            inside = float(line.split()[1])
    proc.wait(timeout=120)
    if shown is None or inside is None:
        raise SystemExit(f"the app exited ({proc.returncode}) without showing its main window")
    return shown, inside


def prepare_db(cmd: list[str], given: Path | None, tmp: Path) -> Path:
    target = tmp / "ledger.sqlite"
    if given:
        shutil.copy(given, target)
        return target
    (tmp / "data").mkdir(parents=True, exist_ok=True)
    subprocess.run([*cmd, "--db", str(target), "demo"], env=environment(tmp), cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return target


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", type=Path, help="ledger to open (copied first); default: the demo data")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--source", action="store_true", help="time `python -m app` instead of the bundle")
    a = p.parse_args()
    cmd = command(a.source)
    if not a.source and not FROZEN.exists():
        raise SystemExit(f"no bundle at {FROZEN}: run packaging/build_linux.sh first")
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as t:
        tmp = Path(t)
        db = prepare_db(cmd, a.db, tmp)
        env = environment(tmp, DANGJIAN_EXIT_AFTER_SHOW="1")
        runs = [one_run(cmd, db, env) for _ in range(a.repeat + 1)]
    first, rest = runs[0], runs[1:]
    what = "python -m app (source)" if a.source else f"frozen bundle {FROZEN.relative_to(ROOT)}"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{what}; ledger: {a.db or 'demo data'}; {os.cpu_count()} CPUs, load average {load:.1f} at the end; "
          f"{platform.platform()}")
    if not a.source:
        print(f"bundle size: {folder_size(BUNDLE) / 1e6:.0f} MB ({folder_size(BUNDLE) / 2**20:.0f} MiB)")
    print(f"first run:  launch → main window {first[0]:.2f} s (in-process {first[1]:.2f} s)")
    shown = [r[0] for r in rest]
    print(f"warm runs ({len(rest)}): median {statistics.median(shown):.2f} s, worst {max(shown):.2f} s, "
          f"best {min(shown):.2f} s (in-process median {statistics.median(r[1] for r in rest):.2f} s)")


if __name__ == "__main__":
    main()

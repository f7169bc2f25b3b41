"""Batch export of all handbooks: progress, cancel (nothing half-written), parallel workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.reports.batch import export_handbooks, handbook_file_name, safe_name

from .conftest import flat, pdf_pages


class Stop(Exception):
    pass


def test_progress_reports_each_handbook(demo_ledger, out_dir: Path):
    seen: list[tuple[int, int]] = []
    files = export_handbooks(demo_ledger, 2026, out_dir, progress=lambda d, t, s: seen.append((d, t)),
                             codes=["QS0101", "QS0102", "QS0201"], workers=1)
    assert [f.name[:6] for f in files] == ["QS0101", "QS0102", "QS0201"]
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert all(f.exists() and f.stat().st_size > 10_000 for f in files)


def test_cancel_leaves_no_partial_files(demo_ledger, out_dir: Path):
    def progress(done: int, total: int, text: str) -> None:
        if done == 2:
            raise Stop

    with pytest.raises(Stop):
        export_handbooks(demo_ledger, 2026, out_dir, progress=progress, workers=1)
    names = sorted(p.name for p in out_dir.iterdir())
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)


def test_two_worker_processes_give_the_same_text(demo_ledger, out_dir: Path):
    from app.services.kernel import settings

    settings.set_value(demo_ledger, "blank_pages_per_form", 0)  # fewer pages: same code paths, faster
    codes = ["QS0101", "QS0301"]
    one = export_handbooks(demo_ledger, 2026, out_dir / "one", codes=codes, workers=1)
    two = export_handbooks(demo_ledger, 2026, out_dir / "two", codes=codes, workers=2)
    assert [p.name for p in one] == [p.name for p in two]
    for a, b in zip(one, two, strict=True):
        assert pdf_pages(a) == pdf_pages(b)
    assert "党政办公室党支部" in flat(pdf_pages(two[0])[0])


def test_file_names_are_safe_on_windows():
    assert safe_name('a/b\\c:d*e?"f<g>h|i j') == "a_b_c_d_e_f_g_h_i_j"
    assert handbook_file_name("B1", "某某/党支部", 2026) == "B1_某某_党支部_2026年度党支部工作手册.pdf"

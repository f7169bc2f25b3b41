"""结对共建一览表 (A4 landscape) and the handbook's 结对共建 chapter: every pair, its rule check and activity
count as the board has them; long and rare-character names wrap inside the page; fonts embedded."""

from __future__ import annotations

from pathlib import Path

import pypdf

from app.reports.handbook import build_handbook
from app.reports.pairings_table import build_pairings_table
from app.services.book import records
from app.services.pairing import pairings
from app.services.pairing.board import year_board
from app.services.register import orgs

from .conftest import flat, font_report, pdf_pages
from .paper import problems


def test_demo_table_lists_every_pair_on_a4_landscape(demo_ledger, out_dir: Path):
    path = out_dir / "pairs.pdf"
    build_pairings_table(demo_ledger, 2026, path)
    reader = pypdf.PdfReader(str(path))
    assert all((round(float(p.mediabox.width)), round(float(p.mediabox.height))) == (842, 595) for p in reader.pages)
    text = flat("".join(pdf_pages(path)))
    board = year_board(demo_ledger, 2026)
    assert "2026年度结对共建一览表" in text
    for r in board.pairs:
        assert flat(r.info.strong_name) in text and flat(r.info.weak_name) in text
    assert f"本年度结对{len(board.pairs)}对" in text and "尚未结对的C类组织" in text
    for o in board.unpaired:
        assert flat(o.name) in text
    assert all(font_report(path).values())
    assert problems(path) == []


def test_long_rare_names_wrap_and_a_broken_pair_is_named(ledger, out_dir: Path):
    long_name = "青山经济开发区䶮𠮷科技产业园区新材料与高端装备制造企业联合党支部第一党小组联络站"
    orgs.set_class(ledger, "B1", 2026, "A")
    orgs.add_org(ledger, code="C1", name=long_name, sector="非公企业", parent="P1", category="C", year=2026)
    pairings.add(ledger, "B1", "C1", 2026, goals=["助企发展", "招商引资", "文明创建", "社会治理"])
    orgs.set_class(ledger, "B1", 2026, "B")  # after pairing: the table shows the broken rule
    path = out_dir / "pairs.pdf"
    build_pairings_table(ledger, 2026, path)
    text = flat("".join(pdf_pages(path)))
    assert flat(long_name) in text
    assert "不符合结对规则“牵头方分类”" in text
    assert problems(path) == []


def test_handbook_has_the_pairing_chapter(ledger, out_dir: Path):
    orgs.set_class(ledger, "B1", 2026, "A")
    orgs.add_org(ledger, code="C1", name="青山村党支部", sector="村(社区)", parent="P1", category="C", year=2026)
    pairings.add(ledger, "B1", "C1", 2026, goals=["活动联办"])
    records.add_record(ledger, "C1", "7.4", {"date": "2026-04-08", "topic": "联合开展主题党日活动", "partner": "B1"})
    path = out_dir / "hb.pdf"
    build_handbook(ledger, "C1", 2026, path)
    pages = [flat(p) for p in pdf_pages(path)]
    chapter = next(p for p in pages if "、结对共建" in p and "本组织" in p)
    assert "被帮扶" in chapter and "财政局党支部" in chapter and "联合开展主题党日活动" in chapter
    assert "本年度共开展结对共建活动1次" in chapter

"""Stress test read from the paper: rare characters, 30-character names, a 60-character address,
a 500-character override reason and a 2,000-character record come out whole, with no overlap."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.reports.handbook import build_handbook
from app.reports.monthly_sheet import build_monthly_sheet
from app.reports.notice import build_notice
from app.reports.summary import build_summary
from app.services.assessment import grades
from app.services.book import records
from app.services.register import members, orgs

from .paper import flat, pages_ending_with_heading, problems, text
from .test_book_pages import heading_texts

CODE = "QS0101"
ORG = "中共青山𠮷野家新材料科技股份有限公司联合支部委员会"  # 26 + rare
ADDRESS = "青山经济开发区科技大道与创新路交叉口东北角智慧产业园区三号楼东侧裙楼四层四百零八室党群服务中心"
NAMES = ("刘䶮", "𠮷野家", "王鿍", "李㐂")
REASON = ("经党（工）委会议研究，" + "该党组织在疫情防控、防汛救灾等急难险重任务中发挥战斗堡垒作用突出，"
          "群众评价高，2025年10月获得市级表彰（证书编号：QS-2025-0386），" * 6)[:500]
RECORD = ("会议传达学习了上级关于加强基层党组织建设的文件精神，结合本支部实际，研究部署下一阶段工作。"
          "与会同志围绕“三会一课”制度落实、党员教育管理、服务群众等方面，逐一发言（共15人），"
          "提出意见建议23条；会议决定：2026年3月5日前完成整改，责任人刘䶮、王鿍。") * 20


@pytest.fixture
def stress(demo_ledger):
    lg = demo_ledger
    if grades.year_confirmation(lg, 2025):
        grades.reopen(lg, 2025, "压力测试")
    orgs.update_org(lg, CODE, name=ORG, address=ADDRESS)
    for name in NAMES:
        members.save_member(lg, CODE, {"name": name, "gender": "男", "joined_on": "2010-07-01",
                                       "post": "新材料研发中心工艺工程师兼党小组组长"})
    records.add_record(lg, CODE, "2.2", {"date": "2025-11-10", "topic": "研究𠮷野家项目党建联建工作",
                                         "content": RECORD[:2000], "place": "三楼会议室", "host": "刘䶮",
                                         "recorder": "李㐂", "attendance": "7/7"})
    g = next(g for g in grades.year_grades(lg, 2025) if g.org_code == CODE)
    grades.override(lg, CODE, 2025, "A" if g.computed.value != "A" else "B", REASON)
    return lg


def _check(path: Path, *must: str) -> None:
    # Every character comes out (cells wrap, so pdftotext may interleave neighbouring cells' lines).
    have = Counter(flat(text(path)))
    for s in must:
        lacking = Counter(flat(s)) - have
        assert not lacking, (s[:30], lacking)
    assert "\u20bb" not in have  # 𠮷 kept whole (not truncated to U+20BB)
    found = problems(path)
    assert found == [], "\n".join(found)


def test_handbook_prints_everything_without_overlap(stress, tmp_path: Path):
    path = tmp_path / "hb.pdf"
    build_handbook(stress, CODE, 2025, path)
    _check(path, ORG, ADDRESS, *NAMES, REASON, RECORD[:2000])
    assert pages_ending_with_heading(path, heading_texts(stress, CODE, 2025)) == []


def test_summary_notice_and_monthly_sheet(stress, tmp_path: Path):
    build_summary(stress, 2025, tmp_path / "s.pdf")
    _check(tmp_path / "s.pdf", ORG, REASON)
    build_monthly_sheet(stress, 2025, 11, tmp_path / "m.pdf")
    _check(tmp_path / "m.pdf", ORG)
    build_notice(stress, 2025, 4, tmp_path / "n.pdf")
    _check(tmp_path / "n.pdf")


def test_every_demo_handbook_reads_cleanly(demo_ledger, tmp_path: Path):
    """All demo handbooks of a year, once, through the batch export: the same paper checks."""
    from app.reports.batch import export_handbooks, handbook_orgs

    files = export_handbooks(demo_ledger, 2026, tmp_path)
    assert len(files) > 30
    bad = {f.name: found[:3] for f in files if (found := problems(f))}
    assert not bad, bad
    codes = [o.code for o in handbook_orgs(demo_ledger, 2026)]
    alone = {f.name: ends for code, f in zip(codes, files, strict=True)
             if (ends := pages_ending_with_heading(f, heading_texts(demo_ledger, code, 2026)))}
    assert not alone, alone  # no heading alone at the foot of a page

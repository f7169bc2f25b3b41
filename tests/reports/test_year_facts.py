"""A handbook for year Y prints the roster and committee as they were in Y."""

from __future__ import annotations

from pathlib import Path

from app.reports.handbook import build_handbook
from app.services.register import members

from .paper import flat, text


def _member(ledger, name: str, joined: str):
    return members.save_member(ledger, "B1", {"name": name, "gender": "女", "joined_on": joined})


def test_roster_and_committee_of_the_year(ledger, tmp_path: Path):
    _member(ledger, "甲长留", "2010-07-01")
    _member(ledger, "乙新入", "2026-03-01")  # joined after 2025: absent from the 2025 book
    left = _member(ledger, "丙转出", "2012-07-01")
    members.transfer_out(ledger, "B1", left.id, "2025-06-30")
    gone = _member(ledger, "丁早走", "2012-07-01")
    members.transfer_out(ledger, "B1", gone.id, "2024-03-01")
    members.save_committee_member(ledger, "B1", name="委员甲", role="组织委员", term_start="2023-01-05")
    members.save_committee_member(ledger, "B1", name="副书记乙", role="副书记", term_start="2023-01-05")
    members.save_committee_member(ledger, "B1", name="书记丙", role="书记", term_start="2023-01-05")
    members.save_committee_member(ledger, "B1", name="新委员丁", role="宣传委员", term_start="2026-02-01")
    path = tmp_path / "hb.pdf"
    build_handbook(ledger, "B1", 2025, path)
    whole = flat(text(path))
    assert "甲长留" in whole and "丙转出" in whole and "2025年6月30日转出" in whole
    assert "乙新入" not in whole and "丁早走" not in whole and "新委员丁" not in whole
    committee = whole[whole.index("1.2支部委员会成员", whole.index("基本情况", whole.index("目录") + 10)):]
    assert committee.index("书记丙") < committee.index("副书记乙") < committee.index("委员甲")
    assert "转出1名" in whole

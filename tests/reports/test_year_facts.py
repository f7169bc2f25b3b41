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


def _cover(whole: str) -> str:
    return whole[:whole.index("填写说明")]


def _book(ledger, year: int, tmp_path: Path) -> str:
    path = tmp_path / f"hb{year}.pdf"
    build_handbook(ledger, "B1", year, path)
    return flat(text(path))


def test_secretary_class_and_pairing_of_the_year(ledger, tmp_path: Path):
    from app.services.pairing import pairings
    from app.services.register import orgs

    members.save_committee_member(ledger, "B1", name="老书记", role="书记", term_start="2022-01-10")
    members.save_committee_member(ledger, "B1", name="老组委", role="组织委员", term_start="2022-01-10")
    members.save_committee_member(ledger, "B1", name="新书记", role="书记", term_start="2025-07-01")  # mid-2025
    orgs.set_class(ledger, "B1", 2024, "B")
    orgs.set_class(ledger, "B1", 2025, "C")  # helped in 2025: the pairing rules want a C-class branch
    orgs.set_class(ledger, "B1", 2026, "A")  # the class changes between the years
    orgs.add_org(ledger, code="A1", name="税务局党支部", sector="机关事业单位", parent="P1", category="A", year=2025)
    pairings.add(ledger, "A1", "B1", 2025)

    y2024, y2025, y2026 = (_book(ledger, y, tmp_path) for y in (2024, 2025, 2026))
    # Cover and 1.1: the 书记 and class of that year, not today's.
    assert "党组织书记老书记" in _cover(y2024) and "B类" in _cover(y2024)
    assert "党组织书记新书记" in _cover(y2025) and "C类" in _cover(y2025)
    assert "A类" in _cover(y2026) and "C类" not in _cover(y2026)
    assert "党组织书记老书记" in y2024[y2024.rindex("1.1支部基本信息"):]
    # 1.2 of the year of the change: both 书记, the earlier with the date the post changed hands.
    page = y2025[y2025.rindex("1.2支部委员会成员"):y2025.rindex("1.3党员花名册")]
    assert page.index("老书记") < page.index("新书记") < page.index("老组委")
    assert "2022年1月10日至" in page and page.count("2025年7月1日") == 2  # the term's end, the successor's start
    assert "支委人数2名" in y2025
    # The next year the predecessor is gone; the year before, the successor is not yet there.
    assert "老书记" not in y2026 and "新书记" in y2026
    assert "新书记" not in y2024
    # 结对共建 of 2025 only.
    assert "由税务局党支部帮带" in y2025
    assert "税务局党支部" not in y2024 and "本年度未结对" in y2026


def test_committee_terms_follow_successors():
    from datetime import date

    from app.reports.year_facts import committee_in_year, secretary_in_year
    from app.services.register.members import CommitteeInfo

    rows = [CommitteeInfo(1, "u1", "甲", "书记", "", None), CommitteeInfo(2, "u2", "乙", "委员", "", date(2020, 1, 1)),
            CommitteeInfo(3, "u3", "丙", "书记", "", date(2024, 1, 1)),
            CommitteeInfo(4, "u4", "丁", "副书记", "", date(2020, 1, 1)),
            CommitteeInfo(5, "u5", "戊", "副书记", "", date(2021, 1, 1))]
    y2023 = committee_in_year(rows, 2023)
    assert [c.name for c in y2023] == ["甲", "丁", "戊", "乙"]  # 副书记 may be two at once
    assert y2023[0].term_end == date(2024, 1, 1)
    assert [c.name for c in committee_in_year(rows, 2024)] == ["丙", "丁", "戊", "乙"]  # took over on 1 January
    assert secretary_in_year(committee_in_year(rows, 2023), 2023, "今书记") == "甲"
    assert secretary_in_year(committee_in_year(rows[1:2], 2023), 2023, "今书记") == "今书记"


def test_a_term_ended_without_a_successor_keeps_its_date(ledger, tmp_path: Path):
    """离任时间 entered by hand: the member is on the books of the years served, not after."""
    import pytest

    from app.errors import ValidationError

    members.save_committee_member(ledger, "B1", name="书记戊", role="书记", term_start="2020-03-01")
    left = members.save_committee_member(ledger, "B1", name="委员己", role="委员", term_start="2021-05-01",
                                         term_end="2025-06-30")
    assert left.term_end.isoformat() == "2025-06-30"
    y2025, y2026 = (_book(ledger, y, tmp_path) for y in (2025, 2026))
    page = y2025[y2025.rindex("1.2支部委员会成员"):y2025.rindex("1.3党员花名册")]
    assert "委员己" in page and "2025年6月30日" in page and "支委人数1名" in y2025  # served in 2025, gone by its end
    assert "委员己" not in y2026[y2026.rindex("1.2支部委员会成员"):y2026.rindex("1.3党员花名册")]
    with pytest.raises(ValidationError, match="离任时间 2020-01-01 早于任职时间"):
        members.save_committee_member(ledger, "B1", name="委员庚", role="委员", term_start="2021-05-01",
                                      term_end="2020-01-01")
    with pytest.raises(ValidationError, match="晚于今天"):
        members.save_committee_member(ledger, "B1", name="委员庚", role="委员", term_end="2099-01-01")
    assert [c.name for c in members.committee(ledger, "B1")] == ["书记戊", "委员己"]  # nothing written

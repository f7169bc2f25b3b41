"""Filed records travel whole (issue 14.5): names, votes and 党费 rows arrive, and a package's record
passes the same field rules as hand entry (app/services/book/fields.py) — a bad one is refused by row."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest

from app.errors import LedgerError
from app.io import package as pk
from app.services.book import records
from app.services.opening import setup
from app.services.register import orgs

from ..conftest import _open
from .conftest import db_bytes

NAMED = {"present": ["张三", "李四"], "absent": [{"name": "赵六", "reason": "病假"}]}


@pytest.fixture
def world(tmp_path):
    town = _open(tmp_path / "town.sqlite")
    setup.initialize(town, "测试乡镇党委")
    orgs.add_org(town, code="P1", name="测试机关党委", sector="机关事业单位", kind="党委", parent="00")
    orgs.add_org(town, code="B1", name="财政局党支部", sector="机关事业单位", parent="P1", category="B", year=2026)
    records.add_record(town, "B1", "2.2", {"date": "2026-03-05", "topic": "研究三月工作", "attendance": NAMED,
                                          "vote": "2/0/0", "resolution": "同意"})
    records.add_record(town, "B1", "6.2", {"date": "2026-03-06", "topic": "三月党费",
                                          "dues": [["张三", "6000", "1500", "1500", "2026-03-05"],
                                                   ["李四", "", "23.45", "23.45", "2026-03-05"]]})
    pkg = pk.export_package(town, "P1", 2026, tmp_path / "base.djpkg")
    county = _open(tmp_path / "county.sqlite")
    pk.trust_sender(county, pk.read_package(pkg))
    yield town, county, pkg, tmp_path
    town.close()
    county.close()


def _resigned(town, pkg, folder, change) -> pk.PackageInfo:
    with zipfile.ZipFile(pkg) as z:
        manifest, payload = json.loads(z.read("manifest.json")), json.loads(z.read("payload.json"))
    change(payload)
    raw = json.dumps(payload, ensure_ascii=False).encode()
    manifest["payload_sha256"] = hashlib.sha256(raw).hexdigest()
    path = folder / "changed.djpkg"
    path.write_bytes(pk.build(town, json.dumps(manifest, ensure_ascii=False).encode(), raw))
    return pk.read_package(path)


def test_names_votes_and_dues_rows_travel(world):
    _town, county, pkg, _folder = world
    pk.import_package(county, pk.read_package(pkg))
    meeting, dues = records.list_records(county, "B1", 2026)
    assert meeting.roster == NAMED and meeting.extra["vote"] == {"for": 2, "against": 0, "abstain": 0}
    assert (meeting.attendance_expected, meeting.attendance_actual, meeting.absentees) == (3, 2, "赵六（病假）")
    assert [r["due"] for r in dues.extra["dues"]] == ["1500.00", "23.45"] and dues.extra["amount"] == "1523.45"


def _extra(payload, topic):
    row = next(r for r in payload["records"] if r["topic"] == topic)
    return row, json.loads(row["extra"])


@pytest.mark.parametrize("change,fragment", [
    ("vote", "多于实到"),
    ("money", "最多保留两位小数"),
    ("negative", "不能为负数"),
    ("reason", "须注明缺席原因"),
    ("counts", "实到人数 5 多于应到人数 3"),
    ("json", "不是有效的 JSON"),
])
def test_a_bad_record_in_a_package_is_refused_by_the_same_rules(world, change, fragment):
    town, county, pkg, folder = world

    def edit(payload):
        meeting, m_extra = _extra(payload, "研究三月工作")
        dues, d_extra = _extra(payload, "三月党费")
        if change == "vote":
            m_extra["vote"]["for"] = 3
        elif change == "money":
            d_extra["dues"][1]["due"] = "23.456"
        elif change == "negative":
            d_extra["dues"][0]["paid"] = "-1500"
        elif change == "reason":
            m_extra["roster"]["absent"][0]["reason"] = ""
        elif change == "counts":
            m_extra.pop("roster")
            meeting["attendance_actual"] = 5
        meeting["extra"] = json.dumps(m_extra, ensure_ascii=False)
        dues["extra"] = json.dumps(d_extra, ensure_ascii=False)
        if change == "json":
            meeting["extra"] = "{not json"

    info = _resigned(town, pkg, folder, edit)
    before = db_bytes(county)
    with pytest.raises(LedgerError, match=fragment) as e:
        pk.import_package(county, info)
    assert "工作记录" in str(e.value) and "第" in str(e.value)  # named with its row
    assert db_bytes(county) == before

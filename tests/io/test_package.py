"""Exchange packages: empty-database reproduction, idempotence, conflicts, tampering, newer schema."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from dataclasses import replace
from decimal import Decimal

import pytest

from app.errors import ConflictError, LockedError, ValidationError
from app.io import package as pk
from app.io.package import export_package, read_package
from app.services.assessment import grades, warnings
from app.services.kernel import audit, locks
from app.services.opening.setup import open_ledger
from app.services.scoring import scores

from ..conftest import TODAY


@pytest.fixture
def empty(tmp_path):
    lg = open_ledger(tmp_path / "county.sqlite")
    lg.today = lambda: TODAY
    yield lg
    lg.close()


def _trust(lg, info):
    """The person compared the fingerprint and trusted the sender (trust on first use)."""
    if pk.check_sender(lg, info) == "new":
        pk.trust_sender(lg, info)


def import_package(lg, info, decisions=None):
    _trust(lg, info)
    return pk.import_package(lg, info, decisions)


def plan_package(lg, info):
    _trust(lg, info)
    return pk.plan_package(lg, info)


def _year(lg, year=2026):
    return (
        sorted(scores.cells(lg, year), key=lambda c: (c.org_code, c.item_code, c.month)),
        [sorted(warnings.quarter_warnings(lg, year, q), key=lambda w: w.org_code) for q in range(1, 5)],
        sorted(grades.year_grades(lg, year), key=lambda g: g.org_code),
    )


def _data_rows(path) -> dict[str, list]:
    con = sqlite3.connect(path)
    tables = ["organizations", "monthly_scores", "work_records", "warnings", "annual_grades", "org_classes",
              "schemes", "scheme_items", "pairings"]
    out = {t: con.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in tables}
    con.close()
    return out


def test_import_into_an_empty_database_reproduces_the_year(demo_ledger, empty, tmp_path):
    pkg = export_package(demo_ledger, "QS", 2026, tmp_path / "qs.djpkg")
    info = read_package(pkg)
    assert info.manifest["scope"] == "QS" and info.manifest["year"] == 2026
    plan = import_package(empty, info)
    assert plan.total("add") > 0 and not plan.conflicts
    src, dst = _year(demo_ledger), _year(empty)
    assert src[0] == dst[0] and len(src[0]) > 1000
    for q in range(4):
        assert src[1][q] == dst[1][q]
    assert src[2] == dst[2]


def test_the_same_package_twice_changes_nothing(demo_ledger, empty, tmp_path):
    info = read_package(export_package(demo_ledger, "QS", 2026, tmp_path / "qs.djpkg"))
    import_package(empty, info)
    before = _data_rows(empty.path)
    n_audit = len(audit.recent(empty, 10000))
    plan = import_package(empty, info)
    assert not plan.changes_anything and plan.summary() == "没有任何变化"
    assert _data_rows(empty.path) == before
    assert len(audit.recent(empty, 10000)) == n_audit


def test_there_and_back_again_changes_nothing(demo_ledger, empty, tmp_path):
    import_package(empty, read_package(export_package(demo_ledger, "QS", 2026, tmp_path / "a.djpkg")))
    before = _data_rows(demo_ledger.path)
    back = read_package(export_package(empty, "QS", 2026, tmp_path / "b.djpkg"))
    plan = import_package(demo_ledger, back)
    assert not plan.changes_anything and not plan.conflicts
    assert _data_rows(demo_ledger.path) == before


def test_one_sided_changes_update_and_two_sided_changes_conflict(demo_ledger, empty, tmp_path):
    import_package(empty, read_package(export_package(demo_ledger, "QS", 2026, tmp_path / "a.djpkg")))
    # Township changes two cells; county changes one of the same cells and another of its own.
    # KF01 has no caps, and these values are not in the demo data.
    before_102 = scores.cell(empty, "QS0102", 2026, 11, "KF01").manual_points
    scores.set_score(demo_ledger, "QS0101", 2026, 11, "KF01", points="8.0")
    scores.set_score(demo_ledger, "QS0102", 2026, 11, "KF01", points="8.0")
    scores.set_score(empty, "QS0101", 2026, 11, "KF01", points="12.0")
    scores.set_score(empty, "QS0103", 2026, 10, "KF01", points="10.0")
    info = read_package(export_package(demo_ledger, "QS", 2026, tmp_path / "b.djpkg"))
    plan = plan_package(empty, info)
    assert [(c.entity, c.label) for c in plan.conflicts] == [("scores", "月度积分 党政办公室党支部 2026-11 KF01")]
    assert plan.conflicts[0].fields == (("分值", "12.0", "8.0"),)
    with pytest.raises(ConflictError, match="1 处冲突"):
        import_package(empty, info)
    assert scores.cell(empty, "QS0102", 2026, 11, "KF01").manual_points == before_102  # nothing written
    c = plan.conflicts[0]
    import_package(empty, info, {(c.entity, c.key): "mine"})
    assert scores.cell(empty, "QS0101", 2026, 11, "KF01").manual_points == Decimal("12.0")
    assert scores.cell(empty, "QS0102", 2026, 11, "KF01").manual_points == Decimal("8.0")
    assert scores.cell(empty, "QS0103", 2026, 10, "KF01").manual_points == Decimal("10.0")  # county's own kept
    # Having decided, the same package is now quiet: the decision stands when it comes again.
    again = plan_package(empty, info)
    assert not again.conflicts and not again.changes_anything
    import_package(empty, info)
    assert scores.cell(empty, "QS0101", 2026, 11, "KF01").manual_points == Decimal("12.0")


def test_the_first_package_back_takes_what_only_the_other_side_changed(demo_ledger, empty, tmp_path):
    # Township → county; each side changes a different existing cell; county → township → county.
    import_package(empty, read_package(export_package(demo_ledger, "QS", 2026, tmp_path / "a.djpkg")))
    a, b, c = [x for x in scores.cells(demo_ledger, 2026) if x.item_code == "KF01" and x.manual_points][:3]
    scores.set_score(empty, a.org_code, 2026, a.month, "KF01", points="12.0")  # the county's correction
    scores.set_score(demo_ledger, b.org_code, 2026, b.month, "KF01", points="11.0")  # the township's own
    back = plan_package(demo_ledger, read_package(export_package(empty, "QS", 2026, tmp_path / "b.djpkg")))
    assert not back.conflicts
    assert back.counts["scores"].get("update") == 1 and back.counts["scores"].get("keep") == 1
    import_package(demo_ledger, read_package(tmp_path / "b.djpkg"))
    assert scores.cell(demo_ledger, a.org_code, 2026, a.month, "KF01").manual_points == Decimal("12.0")
    assert scores.cell(demo_ledger, b.org_code, 2026, b.month, "KF01").manual_points == Decimal("11.0")
    plan = import_package(empty, read_package(export_package(demo_ledger, "QS", 2026, tmp_path / "c.djpkg")))
    assert not plan.conflicts and plan.counts["scores"].get("update") == 1
    assert _year(empty) == _year(demo_ledger)
    # Both sides now change the same cell: that is still a conflict.
    scores.set_score(empty, c.org_code, 2026, c.month, "KF01", points="7.0")
    scores.set_score(demo_ledger, c.org_code, 2026, c.month, "KF01", points="9.0")
    info = read_package(export_package(empty, "QS", 2026, tmp_path / "d.djpkg"))
    assert [x.fields for x in plan_package(demo_ledger, info).conflicts] == [(("分值", "9.0", "7.0"),)]


def test_a_value_changed_back_is_not_taken_for_untouched(demo_ledger, empty, tmp_path):
    # Township → county; the county corrects a cell and sends it back; the township changes it back
    # to its old value while the county changes it again: both changed since the last exchange.
    import_package(empty, read_package(export_package(demo_ledger, "QS", 2026, tmp_path / "a.djpkg")))
    a = next(x for x in scores.cells(demo_ledger, 2026) if x.item_code == "KF01" and x.manual_points)
    old = str(a.manual_points)
    scores.set_score(empty, a.org_code, 2026, a.month, "KF01", points="12.0")
    import_package(demo_ledger, read_package(export_package(empty, "QS", 2026, tmp_path / "b.djpkg")))
    assert scores.cell(demo_ledger, a.org_code, 2026, a.month, "KF01").manual_points == Decimal("12.0")
    scores.set_score(demo_ledger, a.org_code, 2026, a.month, "KF01", points=old)
    scores.set_score(empty, a.org_code, 2026, a.month, "KF01", points="13.0")
    to_township = plan_package(demo_ledger, read_package(export_package(empty, "QS", 2026, tmp_path / "c.djpkg")))
    assert [c.fields for c in to_township.conflicts] == [(("分值", old, "13.0"),)]
    to_county = plan_package(empty, read_package(export_package(demo_ledger, "QS", 2026, tmp_path / "d.djpkg")))
    assert [c.fields for c in to_county.conflicts] == [(("分值", "13.0", old),)]


def test_an_older_package_after_a_newer_one_is_refused(demo_ledger, empty, tmp_path):
    a = next(x for x in scores.cells(demo_ledger, 2026) if x.item_code == "KF01" and x.manual_points)
    old = read_package(export_package(demo_ledger, "QS", 2026, tmp_path / "old.djpkg"))
    scores.set_score(demo_ledger, a.org_code, 2026, a.month, "KF01", points="12.0")
    new = read_package(export_package(demo_ledger, "QS", 2026, tmp_path / "new.djpkg"))
    import_package(empty, new)
    before = _data_rows(empty.path)
    with pytest.raises(ValidationError, match="比本机已导入的那一份.*旧"):
        import_package(empty, old)
    assert _data_rows(empty.path) == before
    assert scores.cell(empty, a.org_code, 2026, a.month, "KF01").manual_points == Decimal("12.0")
    assert not import_package(empty, new).changes_anything  # the same (newest) package again is fine


def test_a_package_whose_exchange_record_does_not_match_its_rows_is_refused(demo_ledger, empty, tmp_path):
    import_package(empty, read_package(export_package(demo_ledger, "QS", 2026, tmp_path / "a.djpkg")))
    pkg = export_package(empty, "QS", 2026, tmp_path / "b.djpkg")
    payload = json.loads(zipfile.ZipFile(pkg).read("payload.json"))
    assert payload["received"]  # the county heard from the township once: that is echoed back
    echo = next(iter(payload["received"].values()))
    assert set(echo) == {"sent_at", "rows"} and echo["rows"]["scores"]
    echo["rows"]["scores"][str(len(payload["scores"]))] = "0" * 32  # a row the package does not have
    body = json.dumps(payload).encode()
    _rewrite(pkg, tmp_path / "c.djpkg", payload=lambda _p: body, signer=empty,
             manifest=lambda m: m.update(payload_sha256=hashlib.sha256(body).hexdigest()))
    with pytest.raises(ValidationError, match="交换记录与数据行不对应"):
        read_package(tmp_path / "c.djpkg")


def test_a_locked_month_stops_a_package_write(demo_ledger, empty, tmp_path):
    import_package(empty, read_package(export_package(demo_ledger, "QS", 2026, tmp_path / "a.djpkg")))
    before = scores.cell(empty, "QS0102", 2026, 11, "KF01").manual_points
    scores.set_score(demo_ledger, "QS0102", 2026, 11, "KF01", points="8.0")
    locks.lock_month(empty, 2026, 11)
    with pytest.raises(LockedError, match="2026 年 11 月"):
        import_package(empty, read_package(export_package(demo_ledger, "QS", 2026, tmp_path / "b.djpkg")))
    assert scores.cell(empty, "QS0102", 2026, 11, "KF01").manual_points == before


def _rewrite(src, dst, *, manifest=None, payload=None, signer=None):
    """Alter a package; with ``signer`` (the sender's own ledger) it is signed again, as only the sender can."""
    with zipfile.ZipFile(src) as z:
        m = json.loads(z.read("manifest.json"))
        p = z.read("payload.json")
        sig = z.read("signature.json")
    if payload is not None:
        p = payload(p)
    if manifest is not None:
        manifest(m)
    if signer is not None:
        dst.write_bytes(pk.build(signer, json.dumps(m).encode(), p))
        return dst
    with zipfile.ZipFile(dst, "w") as z:
        z.writestr("manifest.json", json.dumps(m))
        z.writestr("payload.json", p)
        z.writestr("signature.json", sig)
    return dst


def test_tampered_broken_and_newer_packages_are_refused(demo_ledger, empty, tmp_path):
    pkg = export_package(demo_ledger, "QS01", 2026, tmp_path / "a.djpkg")
    altered = _rewrite(pkg, tmp_path / "altered.djpkg", payload=lambda p: p.replace(b'"6.0"', b'"9.0"', 1))
    newer = _rewrite(pkg, tmp_path / "newer.djpkg", manifest=lambda m: m.update(schema=[*m["schema"], "0099_future"]))
    newer_fmt = _rewrite(pkg, tmp_path / "fmt.djpkg", manifest=lambda m: m.update(format_version=3))
    bad_json = b"{not json"
    wrong_json = _rewrite(pkg, tmp_path / "json.djpkg", payload=lambda p: bad_json, signer=demo_ledger,
                          manifest=lambda m: m.update(payload_sha256=hashlib.sha256(bad_json).hexdigest()))
    shape = json.dumps({"year": 2026, "scope_uuid": "x", "scores": [{"year": 2026}]}).encode()
    wrong_shape = _rewrite(pkg, tmp_path / "shape.djpkg", payload=lambda p: shape, signer=demo_ledger,
                           manifest=lambda m: m.update(payload_sha256=hashlib.sha256(shape).hexdigest()))
    truncated = tmp_path / "cut.djpkg"
    truncated.write_bytes(pkg.read_bytes()[:300])
    cases = {altered: "签名与内容不符", newer: "更新版本的软件", newer_fmt: "更新版本的软件",
             wrong_json: "数据无法读取", wrong_shape: "“月度积分”第 1 行缺少关键字段", truncated: "已损坏或不是本软件的数据包"}
    for path, message in cases.items():
        with pytest.raises(ValidationError, match=message):
            read_package(path)
    assert empty.path.exists() and not scores.cells(empty, 2026)


def test_bad_values_inside_a_valid_package_write_nothing(demo_ledger, empty, tmp_path):
    pkg = export_package(demo_ledger, "QS01", 2026, tmp_path / "a.djpkg")

    def corrupt(p: bytes) -> bytes:
        data = json.loads(p)
        data["scores"][-1]["manual_points"] = "abc"
        return json.dumps(data).encode()

    bad = _rewrite(pkg, tmp_path / "bad.djpkg", payload=corrupt, signer=demo_ledger,
                   manifest=lambda m: m.update(payload_sha256=hashlib.sha256(corrupt(
                       zipfile.ZipFile(pkg).read("payload.json"))).hexdigest()))
    with pytest.raises(ValidationError, match="“月度积分”第 .* 行"):
        import_package(empty, read_package(bad))
    assert not scores.cells(empty, 2026)


def test_roster_travels_only_when_asked_and_is_audited(demo_ledger, tmp_path):
    plain = read_package(export_package(demo_ledger, "QS01", 2026, tmp_path / "a.djpkg"))
    assert plain.payload["members"] == [] and plain.manifest["with_roster"] is False
    assert "导出个人信息" not in [a.action for a in audit.recent(demo_ledger, 5)]
    full = read_package(export_package(demo_ledger, "QS01", 2026, tmp_path / "b.djpkg", with_roster=True))
    assert len(full.payload["members"]) > 10
    assert "导出个人信息" in [a.action for a in audit.recent(demo_ledger, 5)]


def test_a_roster_package_brings_members_and_committee(demo_ledger, empty, tmp_path):
    from app.services.register import members

    import_package(empty, read_package(export_package(demo_ledger, "QS01", 2026, tmp_path / "r.djpkg",
                                                      with_roster=True)))
    def same(rows):  # row ids differ between files; everything else must match
        return [replace(r, id=0) for r in rows]

    for code in ("QS0101", "QS0105"):
        here = members.roster(demo_ledger, code, include_transferred=True)
        assert here and same(members.roster(empty, code, include_transferred=True)) == same(here)
        assert same(members.committee(empty, code)) == same(members.committee(demo_ledger, code))


def test_a_committee_members_term_end_travels_and_is_checked(demo_ledger, empty, tmp_path):
    from app.services.register import members

    person = next(c for c in members.committee(demo_ledger, "QS0101") if c.term_start is not None)
    members.save_committee_member(demo_ledger, "QS0101", name=person.name, role=person.role, phone=person.phone,
                                  term_start=person.term_start, term_end="2026-06-30", member_id=person.id)
    pkg = export_package(demo_ledger, "QS01", 2026, tmp_path / "c.djpkg", with_roster=True)
    import_package(empty, read_package(pkg))
    there = next(c for c in members.committee(empty, "QS0101") if c.uuid == person.uuid)
    assert there.term_end.isoformat() == "2026-06-30"
    # An end before the start is refused on arrival, as in the dialog; nothing is written.
    def earlier(p: bytes) -> bytes:
        return p.replace(b'"term_end":"2026-06-30"', b'"term_end":"1999-01-01"', 1)

    bad = _rewrite(pkg, tmp_path / "bad.djpkg", payload=earlier, signer=demo_ledger,  # signed again by the sender
                   manifest=lambda m: m.update(payload_sha256=hashlib.sha256(earlier(
                       zipfile.ZipFile(pkg).read("payload.json"))).hexdigest()))
    other = open_ledger(tmp_path / "other.sqlite")
    other.today = lambda: TODAY
    try:
        with pytest.raises(ValidationError, match="离任时间 1999-01-01 早于任职时间"):
            import_package(other, read_package(bad))
        con = sqlite3.connect(tmp_path / "other.sqlite")
        assert con.execute("SELECT count(*) FROM committee_members").fetchone()[0] == 0
        con.close()
    finally:
        other.close()

"""Fuzzed 结果运用 rows in packages: a trusted sender's incentive rules, results, 表彰 and 补助经费 with wrong
types, negative or huge amounts, bad dates and unknown references are imported or refused with a Chinese
message, and a refused package leaves the receiving database unchanged."""

from __future__ import annotations

import json
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.io import package as pk
from app.services.incentives import awards, grants, rules
from app.services.opening import setup
from app.services.register import orgs

from ..conftest import _open
from .test_fuzz_packages import _signed, _try, junk

RESULT_ENTITIES = ("incentive_rules", "awards", "grants")
FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzzresults")
    town = _open(folder / "town.sqlite")
    setup.initialize(town, "测试乡镇党委")
    orgs.add_org(town, code="P1", name="非公党委", sector="非公企业", kind="党委", parent="00")
    orgs.add_org(town, code="B1", name="某某公司党支部", sector="非公企业", parent="P1", category="C", year=2026)
    rules.set_rule(town, 2026, "非公企业", "A", amount="12000")
    awards.add(town, org="B1", level="县", on="2026-05-04", title="县级先进基层党组织", bonus=True)
    grants.add(town, org="B1", purpose="培育党支部工作经费", amount="5000", on="2026-03-02")
    pkg = pk.export_package(town, "P1", 2026, folder / "base.djpkg")
    with zipfile.ZipFile(pkg) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    county = _open(folder / "county.sqlite")
    pk.trust_sender(county, pk.read_package(pkg))
    yield town, county, parts, folder
    town.close()
    county.close()


@FUZZ
@given(data=st.data())
def test_result_rows_with_wrong_values(world, data):
    _town, _county, parts, _folder = world
    payload = json.loads(parts["payload.json"])
    entity = data.draw(st.sampled_from(RESULT_ENTITIES))
    how = data.draw(st.sampled_from(["value", "money", "drop_key", "add_row", "deletion"]))
    row = data.draw(st.sampled_from(payload[entity]))
    if how == "value":
        row[data.draw(st.sampled_from(sorted(row)))] = data.draw(junk)
    elif how == "money":
        row["amount"] = data.draw(st.sampled_from(["-0.01", "-5000.00", "1e30", "0.001", "NaN", "１２", None, -1, 1.5]))
    elif how == "drop_key":
        del row[data.draw(st.sampled_from(sorted(row)))]
    elif how == "add_row":
        payload[entity].append(data.draw(st.dictionaries(st.sampled_from(sorted(row)), junk)))
    else:
        payload.setdefault("deletions", []).append({"entity": data.draw(st.sampled_from(("awards", "grants"))),
                                                    "row": data.draw(junk)})
    raw = json.dumps(payload, ensure_ascii=False, default=str).encode()
    _try(world, _signed(world, json.loads(parts["manifest.json"]), raw))

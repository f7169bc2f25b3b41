"""Packages carry the 组织生活 requirements and exemptions (issue 16.8), under the same rules and
permissions as setting them by hand."""

from __future__ import annotations

import pytest

from app.domain.compliance import Requirement
from app.errors import PermissionDeniedError
from app.io import package as pk
from app.io.package import export_package, read_package
from app.services.compliance import exemptions, requirements
from app.services.opening.setup import open_ledger

from ..conftest import TODAY


@pytest.fixture
def county(tmp_path):
    lg = open_ledger(tmp_path / "county.sqlite")
    lg.today = lambda: TODAY
    yield lg
    lg.close()


def _send(town, county, tmp_path, name):
    info = read_package(export_package(town, "QS01", 2026, tmp_path / f"{name}.djpkg"))
    pk.trust_sender(county, info)
    return pk.import_package(county, info)


def test_requirements_and_exemptions_travel(demo_ledger, county, tmp_path):
    reqs, _ = requirements.requirements(demo_ledger, 2026)
    requirements.save(demo_ledger, 2026, [r if r.type_code != "2.2" else Requirement("2.2", r.type_name, "month", 2)
                                          for r in reqs])
    exemptions.add(demo_ledger, "QS0101", "2.1", "2026-04", "2026-06", "支部换届，经批准延期")
    plan = _send(demo_ledger, county, tmp_path, "a")
    assert "组织生活要求：新增" in plan.summary() and "组织生活豁免：新增 1" in plan.summary()
    got, source = requirements.requirements(county, 2026)
    assert source == 2026 and next(r for r in got if r.type_code == "2.2").minimum == 2
    (e,) = exemptions.listing(county)
    assert (e.org_code, e.type_code, e.span, e.reason) == ("QS0101", "2.1", "2026-04—2026-06", "支部换届，经批准延期")
    assert _send(demo_ledger, county, tmp_path, "b").summary() == "没有任何变化"


def test_a_clerk_cannot_bring_in_requirements(demo_ledger, county, tmp_path):
    reqs, _ = requirements.requirements(demo_ledger, 2026)
    requirements.save(demo_ledger, 2026, reqs)
    county.role, county.user = "录入员", "小王"
    with pytest.raises(PermissionDeniedError, match="组织生活要求（需要管理员权限）"):
        _send(demo_ledger, county, tmp_path, "a")
    assert requirements.requirements(county, 2026)[1] is None


def test_a_withdrawn_exemption_is_withdrawn_on_the_other_side_too(demo_ledger, county, tmp_path):
    e = exemptions.add(demo_ledger, "QS0101", "2.1", "2026-04", "2026-06", "支部换届，经批准延期")
    _send(demo_ledger, county, tmp_path, "a")
    assert len(exemptions.listing(county)) == 1
    exemptions.remove(demo_ledger, e.id)
    plan = _send(demo_ledger, county, tmp_path, "b")
    assert "组织生活豁免：删除 1" in plan.summary() and exemptions.listing(county) == []

"""A package from a township's file merged into the county server (the exchange upsert on PostgreSQL)."""

from __future__ import annotations

from app.io.package import export_package, read_package
from app.services.assessment import warnings
from tests.io.test_package import import_package


def test_a_package_from_a_file_merges_into_the_server_twice_without_change(demo_ledger, pg_url, server_home,
                                                                             tmp_path):
    from tests.conftest import _open

    county = _open(pg_url)
    try:
        info = read_package(export_package(demo_ledger, "QS", 2026, tmp_path / "qs.djpkg"))
        plan = import_package(county, info)
        assert plan.total("add") > 1000 and not plan.conflicts
        again = import_package(county, info)  # the row states were upserted: nothing left to do
        assert again.total("add") == 0 and not again.conflicts
        assert warnings.quarter_warnings(county, 2026, 2) == warnings.quarter_warnings(demo_ledger, 2026, 2)
    finally:
        county.close()

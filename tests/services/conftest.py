"""The service tests run on both backends: a SQLite file and the county server (PostgreSQL).

``ledger`` and ``demo_ledger`` here take the ``backend`` parameter (tests/conftest.py); a test about
the file itself is marked ``file_only`` and runs on SQLite only.
"""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import _open, basic_ledger


def pytest_collection_modifyitems(config, items):
    """A file-only test (backup of the live file…) has no PostgreSQL variant: it is left out, not skipped, so a
    skip in the report always means something is missing."""
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        (drop if item.get_closest_marker("file_only") and params.get("backend") == "postgresql" else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _server(request, backend: str) -> bool:
    if backend != "postgresql":
        return False
    request.getfixturevalue("server_home")
    return True


@pytest.fixture
def ledger(request, backend, tmp_path):
    lg = basic_ledger(request.getfixturevalue("pg_url")) if _server(request, backend) else basic_ledger(tmp_path / "ledger.sqlite")
    yield lg
    lg.close()


@pytest.fixture
def demo_ledger(request, backend, tmp_path):
    if _server(request, backend):
        lg = request.getfixturevalue("pg_demo_ledger")
        yield lg
        return
    demo_file = request.getfixturevalue("demo_file")
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, copy)
    shutil.copytree(demo_file.with_name(demo_file.name + ".keys"), copy.with_name(copy.name + ".keys"))
    lg = _open(copy)
    yield lg
    lg.close()

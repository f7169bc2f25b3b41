"""The service tests run on both backends: a SQLite file and the county server (PostgreSQL).

``ledger`` and ``demo_ledger`` here take the ``backend`` parameter (tests/conftest.py); a test about
the file itself is marked ``file_only`` and runs on SQLite only.
"""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import _open, basic_ledger


def _server(request, backend: str) -> bool:
    if backend != "postgresql":
        return False
    if request.node.get_closest_marker("file_only"):
        pytest.skip("只适用于本机数据库文件")
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

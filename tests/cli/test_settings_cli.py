"""settings list / set: the 公文 issuer, 文号 prefix and mirrored margins are set from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from .test_cli import run


def test_set_and_list(ledger):
    db = Path(ledger.path)
    ledger.close()
    assert run(db, "settings", "set", "doc_prefix", "青开党工").returncode == 0
    assert run(db, "settings", "set", "mirror_margins", "是").returncode == 0
    rows = {r["key"]: r["value"] for r in json.loads(run(db, "settings", "list", "--json").stdout)}
    assert rows["doc_prefix"] == "青开党工" and rows["mirror_margins"] is True and rows["doc_issuer"] == ""
    assert "镜像页边距\t是" in run(db, "settings", "list").stdout


def test_bad_values_are_refused_with_one_line(ledger):
    db = Path(ledger.path)
    ledger.close()
    for args, words in ((("mirror_margins", "也许"), "只能是“是”或“否”"), (("no_such", "1"), "未知的设置项"),
                        (("doc_prefix", "字" * 41), "不能超过 40 个字")):
        r = run(db, "settings", "set", *args)
        assert r.returncode == 2 and words in r.stderr and r.stderr.count("\n") == 1
    rows = {r["key"]: r["value"] for r in json.loads(run(db, "settings", "list", "--json").stdout)}
    assert rows["mirror_margins"] is False and rows["doc_prefix"] == ""


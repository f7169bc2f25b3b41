"""The CLI as a user runs it: exit codes, JSON shapes, and nothing written on bad input."""

import contextlib
import io
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run(db: Path, *args: str) -> Result:
    """The CLI in-process (fast); test_python_dash_m_app_end_to_end covers the real process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--db", str(db), *args])
        except SystemExit as e:  # argparse errors
            code = int(e.code or 0)
    return Result(code, out.getvalue(), err.getvalue())


def run_process(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


@pytest.fixture
def db(request, backend, tmp_path: Path) -> Path | str:
    """A ledger for the CLI: a file, or a database on the test server (run on both backends)."""
    if backend == "postgresql":
        request.getfixturevalue("server_home")
        from db.url import parse

        path = str(parse(request.getfixturevalue("pg_url")))  # no password: it comes from the pgpass file
    else:
        path = tmp_path / "cli.sqlite"
    assert run(path, "init", "--unit", "测试党工委").returncode == 0
    assert run(path, "orgs", "add", "--code", "P1", "--name", "机关党委", "--sector", "机关事业单位",
               "--kind", "党委", "--parent", "00").returncode == 0
    assert run(path, "orgs", "add", "--code", "B1", "--name", "财政局党支部", "--sector", "机关事业单位",
               "--parent", "P1", "--class", "B").returncode == 0
    return path


def test_python_dash_m_app_end_to_end(db):
    bad = run_process(db, "score", "set", "--org", "B1", "--year", "2026", "--month", "13", "--item", "RC02",
                      "--count", "1")
    assert bad.returncode == 2 and bad.stderr.startswith("错误：") and bad.stderr.count("\n") == 1
    ok = run_process(db, "orgs", "list", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)[0]["code"] == "00"


def test_orgs_list_json_shape(db):
    r = run(db, "orgs", "list", "--json")
    assert r.returncode == 0
    rows = {o["code"]: o for o in json.loads(r.stdout)}
    assert rows["B1"]["parent"] == "P1" and rows["B1"]["class"] == "B" and rows["00"]["parent"] is None
    assert {"code", "name", "kind", "sector", "parent", "class"} <= set(rows["B1"])


def test_scheme_show_json_on_a_fresh_year(db):
    r = run(db, "scheme", "show", "--year", "2031", "--json")
    assert r.returncode == 0
    data = json.loads(r.stdout)
    cat = data["categories"][0]
    assert cat["max"] == "50.0" and {"code", "name", "kind", "points", "monthly_cap", "yearly_cap"} <= set(cat["items"][0])
    assert data["warning"]["yellow_below"] == "25.0" and data["grade"]["A"] == "90.0"


def _snapshot(db: Path) -> str:
    return run(db, "score", "list", "--org", "B1", "--year", "2026", "--json").stdout


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["--points", "-1"], "不能为负数"),
        (["--points", "abc"], "必须是数字"),
        (["--points", "9.0"], "超过月上限"),
        (["--month", "13", "--points", "1.0"], "月份"),
        (["--org", "NOPE", "--points", "1.0"], "NOPE"),
        (["--item", "ZZ99", "--points", "1.0"], "ZZ99"),
        (["--count", "两"], "次数必须是整数"),
    ],
)
def test_bad_score_input_exits_2_with_one_line_and_writes_nothing(db, args, fragment):
    base = {"--org": "B1", "--year": "2026", "--month": "3", "--item": "RC02"}
    for k, v in zip(args[::2], args[1::2], strict=True):
        base[k] = v
    argv = ["score", "set"] + [x for kv in base.items() for x in kv if kv[0] in ("--org", "--year", "--month", "--item")]
    argv += [x for kv in zip(args[::2], args[1::2], strict=True) for x in kv if kv[0] in ("--points", "--count")]
    before = _snapshot(db)
    r = run(db, *argv)
    assert r.returncode == 2, r.stderr
    assert fragment in r.stderr and r.stderr.count("\n") == 1
    assert _snapshot(db) == before


def test_score_set_then_list_and_warnings_grades(db):
    assert run(db, "score", "set", "--org", "B1", "--year", "2026", "--month", "1", "--item", "RC02",
               "--count", "1").returncode == 0
    r = run(db, "records", "add", "--org", "B1", "--type", "主题党日活动", "--date", "2026-01-15",
            "--topic", "重温入党誓词", "--attendance", "12/11")
    assert r.returncode == 0 and "计 3.0 分" in r.stdout
    cells = json.loads(_snapshot(db))
    assert {(c["item"], c["points"]) for c in cells} == {("RC02", "2.0"), ("ZT01", "3.0")}
    w = json.loads(run(db, "warnings", "--year", "2026", "--quarter", "1", "--json").stdout)
    assert w == [{"org": "B1", "name": "财政局党支部", "quarter_score": "5.0", "level": 3,
                  "reasons": ["季度积分 5.0 分，不高于 15.0 分"], "issued": False, "provisional": False}]
    g = json.loads(run(db, "grades", "--year", "2026", "--json").stdout)
    assert g[0]["org"] == "B1" and g[0]["score"] == "5.0" and g[0]["computed"] == "C" and g[0]["veto"] is False
    recs = json.loads(run(db, "records", "list", "--org", "B1", "--year", "2026", "--json").stdout)
    assert recs[0]["topic"] == "重温入党誓词" and recs[0]["attendance"] == "12/11"


def test_bad_record_and_unknown_command(db):
    r = run(db, "records", "add", "--org", "B1", "--type", "2.2", "--date", "2026-02-30", "--topic", "x")
    assert r.returncode == 2 and "不是有效日期" in r.stderr
    assert run(db, "frobnicate").returncode == 2


def test_demo_refuses_a_non_empty_database(db):
    r = run(db, "demo")
    assert r.returncode == 2 and "空数据库" in r.stderr


def test_check_on_demo_data(demo_file, tmp_path):
    import shutil

    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, path)
    shutil.copytree(demo_file.with_name(demo_file.name + ".keys"), path.with_name(path.name + ".keys"))
    r = run(path, "check")
    assert r.returncode == 0 and "✘" not in r.stdout and "积分汇总与原始记录一致" in r.stdout


def test_init_on_a_fresh_pc_creates_the_data_folder(tmp_path):
    path = tmp_path / "no" / "such" / "folder" / "ledger.sqlite"
    r = run(path, "init", "--unit", "新单位")
    assert r.returncode == 0, r.stderr
    assert path.exists() and "数据库已就绪" in r.stdout


def test_argparse_speaks_chinese_in_help_and_errors(capsys):
    with pytest.raises(SystemExit) as e:
        main(["score", "set", "--org", "QS0101"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "缺少必需的参数：--year, --month, --item" in err and "required" not in err
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：dangjian-ledger") and "选项" in out and "显示本帮助并退出" in out
    assert "usage" not in out and "options" not in out


def test_records_add_takes_a_filed_records_fields(db):
    """Names and reasons, votes, 党费 rows in yuan to the fen — checked by the same rules as the dialog."""
    r = run(db, "records", "add", "--org", "B1", "--type", "2.2", "--date", "2026-03-05", "--topic", "研究三月工作",
            "--present", "张三、李四", "--absent", "王五:病假", "--vote", "2/0/0", "--field", "resolution=同意",
            "--field", "observers=组织办王干事")
    assert r.returncode == 0, r.stderr
    r = run(db, "records", "add", "--org", "B1", "--type", "6.2", "--date", "2026-03-06", "--topic", "三月党费",
            "--dues", "张三,6000,1500,1500,2026-03-05", "--dues", "李四,,23.45,23.45,2026-03-05")
    assert r.returncode == 0, r.stderr
    meeting, dues = json.loads(run(db, "records", "list", "--org", "B1", "--year", "2026", "--json").stdout)
    assert meeting["attendance"] == "3/2" and meeting["absentees"] == "王五（病假）"
    assert meeting["fields"]["roster"]["present"] == ["张三", "李四"] and meeting["fields"]["vote"]["for"] == 2
    assert meeting["fields"]["observers"] == "组织办王干事"
    assert [row["due"] for row in dues["fields"]["dues"]] == ["1500.00", "23.45"] and dues["fields"]["amount"] == "1523.45"
    for args, fragment in ((("--dues", "张三,,23.456,,"), "最多保留两位小数"), (("--dues", "张三,,-1,,"), "不能为负数"),
                           (("--present", "张三", "--vote", "2/0/0"), "多于实到 1 人"),
                           (("--absent", "王五"), "须注明缺席原因"), (("--field", "agenda"), "键=值")):
        r = run(db, "records", "add", "--org", "B1", "--type", "6.2" if args[0] == "--dues" else "2.2",
                "--date", "2026-03-07", "--topic", "x", *args)
        assert r.returncode == 2 and fragment in r.stderr, (args, r.stderr)
    assert len(json.loads(run(db, "records", "list", "--org", "B1", "--year", "2026", "--json").stdout)) == 2


@pytest.mark.server
def test_check_on_demo_data_on_the_server(pg_demo_ledger):
    from tests.conftest import db_arg

    r = run(db_arg(pg_demo_ledger), "check")  # type: ignore[arg-type]
    assert r.returncode == 0 and "✘" not in r.stdout and "积分汇总与原始记录一致" in r.stdout
    assert "服务器数据库可以读取" in r.stdout

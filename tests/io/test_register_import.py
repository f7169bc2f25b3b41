"""Roster and organisation-register imports: mapping, preview, only given columns written, undo."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

from app.errors import ConflictError, ValidationError
from app.io.register_import import ORGS, ROSTER, parse_register
from app.services.imports import batches, undo
from app.services.imports.registers import apply_register, preview_register
from app.services.register import members, orgs


def _sheet(path, headers, rows):
    wb = Workbook()
    wb.active.title = "花名册"
    wb.active.append(headers)
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def test_roster_import_adds_and_updates_members_and_undo_restores(ledger, tmp_path):
    members.save_member(ledger, "B1", {"name": "张三", "gender": "男", "phone": "111", "status": "正式党员"})
    path = _sheet(tmp_path / "r.xlsx", ["支部编码", "姓名", "性别", "出生日期", "入党时间", "手机"], [
        ["B1", "张三", "男", None, None, "222"],
        ["B1", "李四", "女", date(1990, 5, 1), "2015-07-01", "333"],
    ])
    parsed = parse_register(ledger, path, ROSTER)
    preview = preview_register(ledger, parsed)
    assert preview.ok and preview.count(batches.NEW) == 1 and preview.count(batches.CHANGED) == 1
    changed = next(r for r in preview.rows if r.status == batches.CHANGED)
    assert [(c.field, c.old, c.new) for c in changed.changes] == [("联系电话", "111", "222")]
    apply_register(ledger, parsed)
    got = {m.name: m for m in members.roster(ledger, "B1")}
    assert got["张三"].phone == "222" and got["张三"].status == "正式党员"
    assert got["李四"].birth_date == date(1990, 5, 1) and got["李四"].joined_on == date(2015, 7, 1)
    undo.undo_last(ledger)
    got = {m.name: m for m in members.roster(ledger, "B1")}
    assert set(got) == {"张三"} and got["张三"].phone == "111"


def test_roster_problems_are_named_and_nothing_written(ledger, tmp_path):
    path = _sheet(tmp_path / "r.xlsx", ["组织编码", "姓名", "性别", "入党时间"], [
        ["B1", "王五", "未知", None], ["ZZ", "赵六", "男", None], ["B1", "钱七", "男", "2030-01-01"]])
    parsed = parse_register(ledger, path, ROSTER)
    problems = preview_register(ledger, parsed).all_problems
    assert problems == ["花名册!2: 性别“未知”无效，可选：男、女", "花名册!3: 找不到组织编码“ZZ”",
                        "花名册!4: 入党时间不能晚于今天"]
    with pytest.raises(ValidationError, match="3 处问题"):
        apply_register(ledger, parsed)
    assert members.roster(ledger, "B1") == []


def test_org_register_import_creates_and_updates_and_undo(ledger, tmp_path):
    path = _sheet(tmp_path / "o.xlsx", ["组织编码", "党组织名称", "组织类型", "所属领域", "上级组织编码", "书记"], [
        ["P2", "新建党委", "党委", "非公企业", "00", "孙书记"],
        ["B5", "新建支部", "党支部", "非公企业", "P2", ""],
        ["B1", "财政局机关党支部", "", "", "", "周书记"],
    ])
    parsed = parse_register(ledger, path, ORGS)
    preview = preview_register(ledger, parsed)
    assert preview.ok and preview.count(batches.NEW) == 2 and preview.count(batches.CHANGED) == 1
    apply_register(ledger, parsed)
    assert orgs.get_org(ledger, "B5").parent_code == "P2"
    b1 = orgs.get_org(ledger, "B1")
    assert (b1.name, b1.secretary, b1.parent_code) == ("财政局机关党支部", "周书记", "P1")
    undo.undo_last(ledger)
    assert {o.code for o in orgs.list_orgs(ledger)} == {"00", "P1", "B1"}
    assert orgs.get_org(ledger, "B1").name == "财政局党支部"


def test_undoing_a_register_import_after_more_work_is_refused(ledger, tmp_path):
    path = _sheet(tmp_path / "o.xlsx", ["组织编码", "党组织名称", "所属领域", "上级组织编码"],
                  [["B6", "新支部", "社会组织", "P1"]])
    apply_register(ledger, parse_register(ledger, path, ORGS))
    orgs.update_org(ledger, "B6", secretary="吴书记")
    with pytest.raises(ConflictError, match="B6"):
        undo.undo_last(ledger)

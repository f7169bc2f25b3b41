"""Backups belong to their ledger: another ledger's backups in the same folder are listed apart and named,
restoring one needs an explicit confirmation naming both, and thinning never touches them."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta

import pytest

from app.cli import main as cli
from app.errors import ConflictError
from app.services.kernel import identity, settings
from app.services.opening import setup
from app.services.opening.setup import open_ledger
from app.services.register import orgs
from app.services.safety import backups


@pytest.fixture
def other(ledger, tmp_path):
    """A second ledger of another unit whose backups go to the first one's folder."""
    lg = open_ledger(tmp_path / "other" / "乡镇台账.sqlite")
    setup.initialize(lg, "另一个乡镇党委")
    backups.backup_folder(ledger).mkdir(parents=True, exist_ok=True)
    settings.set_value(lg, "backup_dir", str(backups.backup_folder(ledger)))
    yield lg
    lg.close()


def test_another_ledgers_backups_are_listed_apart_with_their_origin(ledger, other):
    mine = backups.backup_now(ledger, "手动")
    theirs = backups.backup_now(other, "手动")
    rows = backups.list_backups(ledger)
    by_path = {b.path: b for b in rows}
    assert by_path[mine].mine and not by_path[theirs].mine
    assert by_path[theirs].source_stem == "乡镇台账" and by_path[theirs].unit_name == "另一个乡镇党委"
    assert rows[0].mine and not rows[-1].mine  # this ledger's first
    assert backups.list_backups(other)[0].path == theirs  # and the other way round


def test_restoring_another_ledgers_backup_needs_a_confirmation_naming_both(ledger, other):
    theirs = backups.backup_now(other, "手动")
    with pytest.raises(ConflictError) as e:
        backups.restore(ledger, theirs)
    assert "另一个乡镇党委" in str(e.value) and ledger.path.name in str(e.value)
    assert {o.code for o in orgs.list_orgs(ledger)} == {"00", "P1", "B1"}  # nothing replaced
    done = backups.restore(ledger, theirs, other_ledger=True)
    assert done.saved.exists()
    assert [o.name for o in orgs.list_orgs(ledger)] == ["另一个乡镇党委"]


def test_a_renamed_copy_of_the_same_unit_is_another_ledger_too(ledger, tmp_path):
    identity.ensure_unit_id(ledger)
    copy = tmp_path / "台账副本.sqlite"
    backups.copy_database(ledger.path, copy)  # a plain file copy would miss what is still in the WAL
    shutil.copytree(ledger.path.with_name(ledger.path.name + ".keys"), copy.with_name(copy.name + ".keys"))
    lg = open_ledger(copy)
    backups.backup_folder(ledger).mkdir(parents=True, exist_ok=True)
    try:
        settings.set_value(lg, "backup_dir", str(backups.backup_folder(ledger)))
        theirs = backups.backup_now(lg, "手动")
    finally:
        lg.close()
    said = backups.origin_of(ledger, theirs)
    assert "数据文件“台账副本.sqlite”的备份" in said and "ledger.sqlite" in said
    assert backups.origin_of(ledger, backups.backup_now(ledger, "手动")) == ""


def test_thinning_leaves_a_similarly_named_ledgers_backups_alone(ledger):
    folder = backups.backup_folder(ledger)
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime(2026, 11, 21, 18)
    for d in range(40):
        stamp = (now - timedelta(days=d)).strftime("%Y%m%d-%H%M%S-000")
        (folder / f"{ledger.path.stem}-副本-{stamp}-启动.sqlite").write_bytes(b"x")
    assert backups.thin(ledger) == []
    assert len(list(folder.glob("*.sqlite"))) == 40


def test_a_backup_saved_under_any_name_is_still_known_as_this_ledgers(ledger, tmp_path):
    mine = backups.backup_now(ledger, "手动", target=tmp_path / "backups" / "手动备份.sqlite")
    info = next(b for b in backups.list_backups(ledger) if b.path == mine)
    assert info.mine and info.source_stem == ledger.path.stem
    assert backups.origin_of(ledger, mine) == ""


def test_the_damaged_file_rescue_takes_only_its_own_backups(ledger, other):
    theirs = backups.backup_now(other, "手动")
    assert backups.newest_good(theirs.parent, ledger.path.stem) is None
    mine = backups.backup_now(ledger, "手动")
    assert backups.newest_good(theirs.parent, ledger.path.stem) == mine


def test_cli_lists_them_apart_and_restores_only_with_the_flag(ledger, other, capsys):
    theirs = backups.backup_now(other, "手动")
    backups.backup_now(ledger, "手动")
    path = str(ledger.path)
    ledger.close()
    assert cli(["--db", path, "backups", "list"]) == 0
    out = capsys.readouterr().out
    assert "以下是其他数据文件的备份" in out and "乡镇台账.sqlite（另一个乡镇党委）" in out
    assert cli(["--db", path, "restore", str(theirs)]) == 2
    assert "--other-ledger" in capsys.readouterr().err
    assert cli(["--db", path, "restore", str(theirs), "--other-ledger"]) == 0


def test_the_dialog_lists_them_apart_and_asks_twice_naming_both(qtbot, ledger, other, monkeypatch):
    from ui.context import UiContext
    from ui.safety import backup_dialog

    theirs = backups.backup_now(other, "手动")
    backups.backup_now(ledger, "手动")
    ctx = UiContext(ledger)
    d = backup_dialog.BackupDialog(ctx)
    qtbot.addWidget(d)
    assert d.table.rowCount() == 1 and d.others.rowCount() == 1 and d.others.isVisibleTo(d)
    assert d.others.item(0, 1).text() == "乡镇台账.sqlite" and d.others.item(0, 2).text() == "另一个乡镇党委"
    asked = []
    answers = iter([True, False])
    monkeypatch.setattr(backup_dialog, "confirm", lambda _p, title, text, _ok: asked.append(text) or next(answers))
    assert not backup_dialog.restore_from(ctx, d, theirs, "所选备份")
    assert len(asked) == 2 and "另一个乡镇党委" in asked[1] and "ledger.sqlite" in asked[1]
    assert {o.code for o in orgs.list_orgs(ledger)} == {"00", "P1", "B1"}


@pytest.mark.parametrize("make, says", [
    (lambda tmp: tmp / "不存在的U盘" / "备份", "不存在"),
    (lambda tmp: (tmp / "一个文件.txt").write_text("x") and tmp / "一个文件.txt", "不是文件夹"),
])
def test_a_backup_folder_that_does_not_exist_is_refused_and_not_saved(ledger, tmp_path, make, says):
    from app.errors import ValidationError

    target = make(tmp_path)
    with pytest.raises(ValidationError, match=says):
        settings.set_value(ledger, "backup_dir", str(target))
    assert settings.get(ledger, "backup_dir") == ""
    settings.set_value(ledger, "backup_dir", str(tmp_path))  # an existing, writable folder is taken
    assert settings.get(ledger, "backup_dir") == str(tmp_path)


def test_a_folder_that_takes_no_files_is_refused(ledger):
    from app.errors import ValidationError

    # /proc exists and is a folder, but nobody (not even root, as CI runs) can create a file in it,
    # like a write-protected U 盘.
    with pytest.raises(ValidationError, match="不能写入"):
        settings.set_value(ledger, "backup_dir", "/proc")
    assert settings.get(ledger, "backup_dir") == ""

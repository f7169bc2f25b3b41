"""数据 menu: Excel ledger and templates, score import with preview and undo, exchange packages.

Every flow is a function of the main window (``window.ctx`` and a parent for dialogs), so tests
can drive it; reading files and writing run in the background behind a progress dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import LedgerError
from app.io import column_mapping as cm
from app.io import ledger_export, package, score_import, template
from app.services.imports import batches, undo
from ui.context import ALL, SCORES
from ui.excel.conflict_dialog import ConflictDialog
from ui.excel.export_dialogs import LedgerExportDialog, PackageExportDialog, TemplateExportDialog
from ui.excel.mapping_dialog import ColumnMappingDialog
from ui.excel.preview_dialog import ImportPreviewDialog
from ui.widgets import files
from ui.widgets.progress import run_with_progress


def install(window) -> None:
    menu = window.menu("数据")
    for text, fn in (
        ("导出台账…", export_ledger),
        ("导出填报模板…", export_template),
        (None, None),
        ("导入积分…", import_scores),
        ("导入党员花名册…", lambda w: import_register(w, "roster")),
        ("导入组织…", lambda w: import_register(w, "orgs")),
        ("撤销上次导入", undo_import),
        (None, None),
        ("导出数据包…", export_package),
        ("导入数据包…", import_package),
    ):
        if text is None:
            menu.addSeparator()
            continue
        action = QAction(text, window)
        action.triggered.connect(lambda _checked=False, f=fn: f(window))
        menu.addAction(action)


def _info(parent: QWidget, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.button(QMessageBox.StandardButton.Ok).setText("确定")
    box.exec()


def _confirm(parent: QWidget, title: str, text: str, ok: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, parent)
    box.button(QMessageBox.StandardButton.Ok).setText(ok)
    box.button(QMessageBox.StandardButton.Cancel).setText("取消")
    return box.exec() == QMessageBox.StandardButton.Ok


# ---- exports ------------------------------------------------------------------------------------

def export_ledger(window, dialog: LedgerExportDialog | None = None) -> None:
    ctx = window.ctx
    dlg = dialog or LedgerExportDialog(ctx, window)
    if dialog is None and dlg.exec() != LedgerExportDialog.DialogCode.Accepted:
        return
    year, target, roster = dlg.year.year(), dlg.target(), dlg.with_roster.isChecked()
    run_with_progress(window, ctx, lambda p: ledger_export.export_ledger(ctx.ledger, year, target, p, with_roster=roster),
                      f"正在导出 {year} 年积分台账…",
                      on_done=lambda path: _info(window, "导出完成", f"已导出：{path}"))


def export_template(window, dialog: TemplateExportDialog | None = None) -> None:
    ctx = window.ctx
    dlg = dialog or TemplateExportDialog(ctx, window)
    if dialog is None and dlg.exec() != TemplateExportDialog.DialogCode.Accepted:
        return
    (month, quarter), year, unit, target = dlg.period(), dlg.year.year(), dlg.unit.code(), dlg.target()
    run_with_progress(window, ctx, lambda _p: template.export_template(ctx.ledger, year, target, month=month,
                                                                       quarter=quarter, unit=unit),
                      "正在生成填报模板…", on_done=lambda path: _info(window, "导出完成", f"已导出填报模板：{path}"),
                      cancellable=False)


def export_package(window, dialog: PackageExportDialog | None = None) -> None:
    ctx = window.ctx
    dlg = dialog or PackageExportDialog(ctx, window)
    if dialog is None and dlg.exec() != PackageExportDialog.DialogCode.Accepted:
        return
    scope, year, target, roster = dlg.scope.code(), dlg.year.year(), dlg.target(), dlg.with_roster.isChecked()
    run_with_progress(window, ctx, lambda _p: package.export_package(ctx.ledger, scope, year, target, with_roster=roster),
                      "正在导出数据包…", cancellable=False,
                      on_done=lambda path: _info(window, "导出完成", f"已导出数据包：{path}"
                                                 + ("\n数据包含党员个人信息，请妥善保管。" if roster else "")))


# ---- score import -------------------------------------------------------------------------------

def import_scores(window, path: Path | None = None) -> None:
    """Open → (column mapping for a user's own sheet) → preview → apply in the background."""
    ctx = window.ctx
    if path is None:
        name = files.open_file(window, "选择要导入的积分表格", "Excel 工作簿 (*.xlsx *.xls)")
        if not name:
            return
        path = Path(name)

    def read(_p, **kwargs):
        parsed = score_import.parse_scores(ctx.ledger, path, **kwargs)
        return parsed, batches.preview_scores(ctx.ledger, parsed)

    def not_template(exc: BaseException, tb: str) -> None:
        if not isinstance(exc, score_import.NotATemplate):
            from ui.widgets.errors import show_error

            show_error(window, exc, tb)
            return
        chosen = ask_mapping(window, exc.table)
        if chosen is None:
            return
        year, month, mapping = chosen
        run_with_progress(window, ctx, lambda p: read(p, year=year, month=month, mapping=mapping),
                          "正在读取表格…", on_done=lambda r: show_preview(window, *r), cancellable=False)

    run_with_progress(window, ctx, read, "正在读取表格…", on_done=lambda r: show_preview(window, *r),
                      on_error=not_template, cancellable=False)


def ask_mapping(window, table: cm.Table, dialog_hook=None) -> tuple[int, int, dict[int, str]] | None:
    from app.services.scoring import schemes

    ctx = window.ctx
    today = ctx.ledger.today()
    fields = score_import.score_fields(schemes.get_scheme(ctx.ledger, today.year))
    guessed = cm.remembered(ctx.ledger, score_import.MAPPING_KIND, table) or cm.guess(table.headers, fields)
    dlg = ColumnMappingDialog(table, fields, guessed, window, with_period=(today.year, today.month))
    if dialog_hook is not None:
        dialog_hook(dlg)
    elif dlg.exec() != ColumnMappingDialog.DialogCode.Accepted:
        return None
    return dlg.year.value(), dlg.month.value(), dlg.mapping()


def _confirm_and_apply(window, shown, dialog_hook, apply, busy: str, done) -> None:
    """The preview dialog; if accepted, ``apply(skip_invalid)`` in the background, then ``done(result)``."""
    dlg = ImportPreviewDialog(shown, window)
    if dialog_hook is not None:
        dialog_hook(dlg)
    elif dlg.exec() != ImportPreviewDialog.DialogCode.Accepted:
        return
    skip = dlg.skip_invalid.isChecked()
    run_with_progress(window, window.ctx, lambda _p: apply(skip), busy, on_done=done, cancellable=False)


def show_preview(window, parsed, preview, dialog_hook=None) -> None:
    ctx = window.ctx

    def done(result: batches.ImportResult) -> None:
        ctx.notify_changed(SCORES)
        _info(window, "导入完成", f"已导入：新增 {result.rows_new} 行，修改 {result.rows_changed} 行，共 {result.cells} 个单元格。\n"
                                 f"导入前的数据已备份到：{result.backup}\n如有问题，可用“数据 → 撤销上次导入”恢复。")

    _confirm_and_apply(window, preview, dialog_hook,
                       lambda skip: batches.apply_scores(ctx.ledger, parsed, skip_invalid=skip, preview=preview),
                       "正在导入积分…", done)


def import_register(window, kind: str, path: Path | None = None, mapping_hook=None, preview_hook=None) -> None:
    """Roster or organisation register: open → column mapping (unless remembered) → preview → apply."""
    from app.io import register_import
    from app.services.imports import registers

    ctx = window.ctx
    title = "党员花名册" if kind == register_import.ROSTER else "组织台账"
    if path is None:
        name = files.open_file(window, f"选择{title}表格", "Excel 工作簿 (*.xlsx *.xls)")
        if not name:
            return
        path = Path(name)

    def mapped(table: cm.Table) -> None:
        fields = register_import.FIELDS[kind]
        mapping = cm.remembered(ctx.ledger, kind, table)
        if mapping is None or cm.missing_required(mapping, fields):
            dlg = ColumnMappingDialog(table, fields, mapping or cm.guess(table.headers, fields), window)
            if mapping_hook is not None:
                mapping_hook(dlg)
            elif dlg.exec() != ColumnMappingDialog.DialogCode.Accepted:
                return
            mapping = dlg.mapping()

        def read(_p):
            parsed = register_import.parse_register(ctx.ledger, path, kind, mapping=mapping)
            return parsed, registers.preview_register(ctx.ledger, parsed)

        run_with_progress(window, ctx, read, f"正在读取{title}…", on_done=lambda r: preview(*r), cancellable=False)

    def preview(parsed, shown) -> None:
        def done(result: batches.ImportResult) -> None:
            ctx.notify_changed(ALL)
            _info(window, "导入完成", f"{title}已导入：新增 {result.rows_new} 行，修改 {result.rows_changed} 行。\n"
                                     f"导入前的数据已备份到：{result.backup}")

        _confirm_and_apply(window, shown, preview_hook, lambda skip: registers.apply_register(
            ctx.ledger, parsed, skip_invalid=skip, preview=shown), f"正在导入{title}…", done)

    run_with_progress(window, ctx, lambda _p: register_import.read_table(path), "正在读取表格…", on_done=mapped,
                      cancellable=False)


def undo_import(window, *, confirm: bool = True) -> None:
    ctx = window.ctx
    last = undo.last_batch(ctx.ledger)
    if last is None:
        _info(window, "撤销上次导入", "没有可以撤销的导入。")
        return
    text = (f"撤销 {last.at:%Y-%m-%d %H:%M} 由 {last.user} 导入的“{last.file_name}”？\n"
            f"（{last.summary}，共 {last.cells} 处）\n撤销会把这些单元格恢复为导入前的数值，撤销前会先备份。")
    if confirm and not _confirm(window, "撤销上次导入", text, "撤销"):
        return

    def done(batch) -> None:
        ctx.notify_changed(SCORES if batch.kind == "scores" else ALL)
        _info(window, "已撤销", f"已撤销“{batch.file_name}”的导入，{batch.cells} 处已恢复原值。")

    run_with_progress(window, ctx, lambda _p: undo.undo_last(ctx.ledger), "正在撤销导入…", on_done=done,
                      cancellable=False)


# ---- package import -----------------------------------------------------------------------------

def trust_question(parent: QWidget, sender: str, unit_id: str, fingerprint: str) -> bool:
    """Trust on first use: show the new sender's fingerprint, offer to compare it by phone, ask."""
    text = (f"这是第一次收到“{sender}”的数据包。\n\n对方密钥指纹：\n    {fingerprint}\n单位标识：{unit_id}\n\n"
            "为防止他人冒充，请打电话给对方，请对方在其软件的“设置”页（或命令 keys show）读出本单位的密钥指纹，"
            "与上面逐组核对。一致时点“信任并继续”；以后该单位的数据包必须由同一把密钥签名。\n"
            "不一致或无法核对时请点“取消”，不会写入任何数据。")
    return _confirm(parent, "核对发送方密钥", text, "信任并继续")


def import_package(window, path: Path | None = None, dialog_hook=None, trust_hook=None) -> None:
    """``trust_hook(sender, unit_id, fingerprint) -> bool`` stands in for the fingerprint question in tests."""
    ctx = window.ctx
    if path is None:
        name = files.open_file(window, "选择数据包", "党建积分数据包 (*.djpkg);;所有文件 (*)")
        if not name:
            return
        path = Path(name)

    def read(_p):
        info = package.read_package(path)
        new = package.check_sender(ctx.ledger, info) == "new"
        return info, package.plan_package(ctx.ledger, info, new_key_ok=new), new

    def planned(result) -> None:
        info, plan, new_key = result
        if new_key:
            ask = trust_hook or (lambda *a: trust_question(window, *a))
            if not ask(info.sender_name, info.source, info.fingerprint):
                return
            try:
                package.trust_sender(ctx.ledger, info)
            except LedgerError as e:
                _info(window, "导入数据包", str(e))
                return
        decisions = None
        if plan.conflicts:
            dlg = ConflictDialog(plan, info.label, window)
            if dialog_hook is not None:
                dialog_hook(dlg)
            elif dlg.exec() != ConflictDialog.DialogCode.Accepted:
                return
            decisions = dict(dlg.choices)
        elif not plan.changes_anything:
            _info(window, "导入数据包", f"{info.label}\n数据包中的数据与本机完全一致，没有需要导入的内容。")
            return
        elif dialog_hook is None and not _confirm(window, "导入数据包", f"{info.label}\n将发生：{plan.summary()}\n"
                                                  "导入前会自动备份。", "导入"):
            return

        def done(result_plan) -> None:
            ctx.notify_changed(ALL)
            _info(window, "导入完成", f"已导入：{result_plan.summary()}")

        run_with_progress(window, ctx, lambda _p: package.import_package(ctx.ledger, info, decisions),
                          "正在合并数据包…", on_done=done, cancellable=False)

    run_with_progress(window, ctx, read, "正在检查数据包…", on_done=planned, cancellable=False)

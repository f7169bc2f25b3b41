"""The main window: left navigation, a stack of pages built on first show, menus, status bar.

Pages follow the contract in ``ui.pages``. Menu actions of other areas come from
``ui.actions.*.install(window)``; they reach menus with ``window.menu("打印")`` and so on.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import pkgutil
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app import APP_NAME
from app.services.kernel import settings
from app.services.opening.setup import open_ledger
from ui import actions as actions_pkg
from ui.context import ALL, SETTINGS, UiContext
from ui.pages import PAGES
from ui.safety.scope_choice import scope_words
from ui.widgets.errors import show_error
from ui.widgets.tables import restore_columns, save_columns

log = logging.getLogger(__name__)

MENU_ORDER = ("文件", "数据", "打印", "安全", "帮助")


def available_pages() -> list[tuple[str, str]]:
    """(module, title) of the pages whose module exists, in navigation order."""
    return [(name, title) for name, title in PAGES if importlib.util.find_spec(f"ui.pages.{name}") is not None]


class MainWindow(QMainWindow):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._names: list[str] = []
        self._pages: dict[str, QWidget] = {}
        self._stale: set[str] = set()
        self._menus: dict[str, QMenu] = {}
        self.safety = None  # ui.safety.startup.SafetySession when started by ui.app.run_gui

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(132)
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stack = QStackedWidget()
        for name, title in available_pages():
            self._names.append(name)
            self.nav.addItem(QListWidgetItem(title))
            self.stack.addWidget(QWidget())  # placeholder until the page is first shown
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_file_menu()
        for i in range(min(9, len(self._names))):  # Ctrl+1 … Ctrl+9: the pages in the navigation bar's order
            key = QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self)
            key.activated.connect(lambda row=i: self.nav.setCurrentRow(row))
        self.db_label = QLabel()
        self.statusBar().addPermanentWidget(self.db_label)
        self.nav.currentRowChanged.connect(self._show_row)
        ctx.changed.connect(self._on_changed)
        self._actions_installed = False
        self._update_title()

    # -- public API used by pages and ui/actions ----------------------------------------
    def menu(self, name: str) -> QMenu:
        """The menu called ``name``, created (in a stable order) the first time it is asked for."""
        if name not in self._menus:
            bar = self.menuBar()
            before = None
            if name in MENU_ORDER:
                for later in MENU_ORDER[MENU_ORDER.index(name) + 1 :]:
                    if later in self._menus:
                        before = self._menus[later].menuAction()
                        break
            menu = QMenu(name, self)
            if before is not None:
                bar.insertMenu(before, menu)
            else:
                bar.addMenu(menu)
            self._menus[name] = menu
        return self._menus[name]

    def page_names(self) -> list[str]:
        return list(self._names)

    def current_page(self) -> QWidget | None:
        row = self.nav.currentRow()
        return self._page(self._names[row]) if 0 <= row < len(self._names) else None

    def current_name(self) -> str | None:
        row = self.nav.currentRow()
        return self._names[row] if 0 <= row < len(self._names) else None

    def select_page(self, name: str) -> QWidget | None:
        if name not in self._names:
            return None
        self.nav.setCurrentRow(self._names.index(name))
        return self._pages.get(name)

    def page(self, name: str) -> QWidget | None:
        """The page object (constructing it if needed), without showing it."""
        return self._page(name) if name in self._names else None

    def status(self, text: str, msecs: int = 5000) -> None:
        self.statusBar().showMessage(text, msecs)

    # -- pages -------------------------------------------------------------------------
    def _page(self, name: str) -> QWidget:
        page = self._pages.get(name)
        if page is None:
            module = importlib.import_module(f"ui.pages.{name}")
            page = module.Page(self.ctx, self)
            page.setObjectName(f"page_{name}")
            restore = getattr(page, "restore_state", None)
            if restore:
                restore(QSettings())
            restore_columns(page, QSettings(), name)
            index = self._names.index(name)
            placeholder = self.stack.widget(index)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.stack.insertWidget(index, page)
            self._pages[name] = page
            self._stale.add(name)
        return page

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(self._names):
            return
        name = self._names[row]
        try:
            page = self._page(name)
        except Exception as exc:  # a broken page must not take the whole window down
            show_error(self, exc)
            return
        self.stack.setCurrentWidget(page)
        if name in self._stale:
            self._stale.discard(name)
            self._refresh(name, page)

    def _refresh(self, name: str, page: QWidget) -> None:
        try:
            page.refresh()
        except Exception as exc:
            show_error(self, exc)

    def _on_changed(self, kind: str) -> None:
        if kind in (SETTINGS, ALL):
            self._update_title()
        current = self.current_name()
        for name, page in self._pages.items():
            kinds = getattr(page, "kinds", set())
            if kind == ALL or kind in kinds:
                if name == current:
                    self._refresh(name, page)
                else:
                    self._stale.add(name)

    # -- menus -------------------------------------------------------------------------
    def _build_file_menu(self) -> None:
        menu = self.menu("文件")
        open_action = QAction("打开数据库…", self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.open_database)
        server_action = QAction("连接服务器…", self)
        server_action.triggered.connect(self.connect_server)
        new_action = QAction("新建数据库…", self)
        new_action.setShortcut(QKeySequence.StandardKey.New)
        new_action.triggered.connect(self.new_database)
        quit_action = QAction("退出", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        menu.addAction(open_action)
        menu.addAction(server_action)
        menu.addAction(new_action)
        menu.addSeparator()
        menu.addAction(quit_action)

    def install_actions(self, *, background: bool = True) -> None:
        """Add the other areas' menus (once), just after the window first shows.

        Their modules import reportlab and openpyxl (~1 s on an old PC); importing them in a
        worker thread keeps the freshly shown window responsive. ``install()`` itself, which
        creates Qt objects, runs back on the GUI thread.
        """
        if self._actions_installed:
            return
        self._actions_installed = True
        names = [f"ui.actions.{info.name}" for info in pkgutil.iter_modules(actions_pkg.__path__)]

        def load(_progress) -> list[tuple[str, object]]:
            loaded = []
            for name in names:
                try:
                    loaded.append((name, importlib.import_module(name)))
                except Exception as exc:  # one area's broken menu must not stop the program
                    loaded.append((name, exc))
            return loaded

        if background:
            self.ctx.tasks.start(load, on_done=self._install_loaded,
                                 on_error=lambda exc, tb: log.error("载入菜单模块失败：%s\n%s", exc, tb))
        else:
            self._install_loaded(load(None))

    def _install_loaded(self, loaded: list[tuple[str, object]]) -> None:
        for name, module in loaded:
            if isinstance(module, Exception):
                log.error("载入菜单模块 %s 失败：%s", name, module)
                continue
            install = getattr(module, "install", None)
            if install is None:
                continue
            try:
                install(self)
            except Exception:
                log.exception("安装菜单模块 %s 失败", name)

    # -- files -------------------------------------------------------------------------
    def _confirm_discard(self, doing: str) -> bool:
        dirty = [
            getattr(p, "title", n) for n, p in self._pages.items()
            if getattr(p, "has_unsaved_changes", None) and p.has_unsaved_changes()
        ]
        if not dirty:
            return True
        answer = QMessageBox.question(
            self, "有未保存的修改",
            f"“{'、'.join(dirty)}”中有尚未保存的修改。\n{doing}将丢弃这些修改，确定继续吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def open_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "打开数据库", str(self.ctx.ledger.path.parent), "台账数据库 (*.sqlite *.db);;所有文件 (*)"
        )
        if path:
            self.switch_to(Path(path))

    def connect_server(self) -> None:
        """文件 → 连接服务器…: a database on the county's PostgreSQL server (docs/server.md)."""
        from ui.dialogs.server_connect import ServerConnectDialog

        dialog = ServerConnectDialog(self)
        if dialog.exec() and dialog.target is not None:
            self.switch_to(dialog.target)

    def new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "新建数据库", str(self.ctx.ledger.path.parent / "新台账.sqlite"), "台账数据库 (*.sqlite)"
        )
        if not path:
            return
        target = Path(path)
        if target.suffix == "":
            target = target.with_suffix(".sqlite")
        if target.exists():
            show_error(self, FileExistsError(str(target)), title="文件已存在")
            return
        self.switch_to(target)

    def switch_to(self, path: Path) -> bool:
        """Open another ledger file (offering the first-run choices when it is empty).

        With a safety session (the normal start-up) the new file is opened the same way —
        writer lock, integrity check, login, backup — and the old one is backed up and released.
        """
        if not self._confirm_discard("打开其他数据库"):
            return False
        from ui.safety import startup

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if self.safety is not None:
                session = startup.open_for_gui(path, self.ctx.ledger.user, self)
                ledger = session.ledger if session is not None else None
            else:
                session, ledger = None, open_ledger(path, user=self.ctx.ledger.user)
        except Exception as exc:
            QApplication.restoreOverrideCursor()
            show_error(self, exc, title="无法打开数据库")
            return False
        QApplication.restoreOverrideCursor()
        if ledger is None:  # the user gave up at the login
            return False
        from ui.dialogs.first_run import needs_first_run, run_first_run

        if needs_first_run(ledger) and not run_first_run(self, ledger):
            if session is not None:
                startup.on_exit(session)
            else:
                ledger.close()
            return False
        QSettings().setValue("last_db", str(path))
        self.ctx.tasks.wait(120000)  # background reads of the old file finish before it closes
        old = self.safety
        if old is not None:
            for timer in old.timers:
                timer.stop()
            bar = getattr(old, "banner_bar", None)
            if bar is not None:
                self.removeToolBar(bar)
                bar.deleteLater()
            startup.on_exit(old)
        self.ctx.replace_ledger(ledger)
        if session is not None:
            self.safety = session
            startup.attach(self, session)
        self.status(f"已打开 {path}")
        return True

    def _update_title(self) -> None:
        """Title and status bar: the unit, the data file or server, who acts and (for a scoped user) their subtree."""
        try:
            unit = str(settings.get(self.ctx.ledger, "unit_name") or "")
        except Exception:  # a title must never fail the window
            unit = ""
        db = self.ctx.ledger.db
        within = scope_words(self.ctx.ledger)
        if db.is_server:  # the server database, never its password
            parts = [APP_NAME, unit, within, db.url.name]
            self.db_label.setText(f"服务器数据库：{db.where}　操作人：{self.ctx.ledger.user}"
                                  + (f"　范围：{within}" if within else ""))
        else:
            parts = [APP_NAME, unit, within, self.ctx.ledger.path.name]
            self.db_label.setText(f"数据文件：{self.ctx.ledger.path}　操作人：{self.ctx.ledger.user}"
                                  + (f"　范围：{within}" if within else ""))
        self.setWindowTitle(" — ".join(p for p in parts if p))

    # -- state -------------------------------------------------------------------------
    def restore(self, store: QSettings | None = None) -> None:
        """Geometry and the last page from QSettings (first page when none)."""
        store = store or QSettings()
        geometry = store.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1366, 768)
        last = store.value("window/page", "dashboard")
        if last not in self._names:
            last = self._names[0] if self._names else None
        if last:
            # Deferred so the window paints first; building a page may take a moment.
            QTimer.singleShot(0, self, lambda: self.select_page(last))
        QTimer.singleShot(0, self, self.install_actions)

    def save(self, store: QSettings | None = None) -> None:
        store = store or QSettings()
        store.setValue("window/geometry", self.saveGeometry())
        name = self.current_name()
        if name:
            store.setValue("window/page", name)
        for page_name, page in self._pages.items():
            save_columns(page, store, page_name)
            save = getattr(page, "save_state", None)
            if save:
                try:
                    save(store)
                except Exception:
                    log.exception("保存页面状态失败")
        store.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._confirm_discard("退出"):
            event.ignore()
            return
        if self.ctx.tasks.busy:
            # Background work is either a read or one transaction: let it end rather than cut it.
            self.status("正在等待后台任务结束…", 0)
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            self.ctx.tasks.wait(120000)
            QApplication.restoreOverrideCursor()
        self.save()
        event.accept()

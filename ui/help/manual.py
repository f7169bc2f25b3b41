"""帮助 → 使用手册: the manual inside the app, offline and searchable; F1 opens the current screen's section."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.paths import manual_dir

from . import chapters

TOPIC_ROLE = Qt.ItemDataRole.UserRole  # (file, heading or None, term to find or None)


class ManualWindow(QDialog):
    """One window for the whole manual; kept and raised again rather than opened twice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("使用手册 — 党建积分台账")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1100, 700)
        self.current: str | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索手册，如 预警、撤销、备份")
        self.search.setClearButtonEnabled(True)
        self.toc = QListWidget()
        self.count = QLabel()
        self.count.setObjectName("hint")
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)  # links between chapters open here; web links in the browser
        self.text.setSearchPaths([str(manual_dir())])
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.search)
        column.addWidget(self.count)
        column.addWidget(self.toc, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.text)
        split.setStretchFactor(1, 1)
        split.setSizes([300, 800])
        layout = QHBoxLayout(self)
        layout.addWidget(split)
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self._open_first_hit)
        self.toc.currentItemChanged.connect(lambda item, _prev: self._open_item(item))
        self.text.anchorClicked.connect(self._link)
        self.show_contents()

    # --- table of contents and search ------------------------------------------------------
    def show_contents(self) -> None:
        self.toc.blockSignals(True)
        self.toc.clear()
        for file, title in chapters.CHAPTERS:
            item = QListWidgetItem(title)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            item.setData(TOPIC_ROLE, (file, None, None))
            self.toc.addItem(item)
            for heading in chapters.headings(file)[1:]:
                sub = QListWidgetItem("　" + heading)
                sub.setData(TOPIC_ROLE, (file, heading, None))
                self.toc.addItem(sub)
        self.toc.blockSignals(False)
        self.count.setText("目录")

    def _search_changed(self, term: str) -> None:
        if not term.strip():
            self.show_contents()
            return
        hits = chapters.search(term)
        self.toc.blockSignals(True)
        self.toc.clear()
        for h in hits:
            item = QListWidgetItem(f"{h.heading or h.title}\n　{h.line}")
            item.setToolTip(f"{h.title} › {h.heading}\n{h.line}")
            item.setData(TOPIC_ROLE, (h.file, h.heading or None, term.strip()))
            self.toc.addItem(item)
        self.toc.blockSignals(False)
        self.count.setText(f"找到 {len(hits)} 处" if hits else "没有找到，换个说法试试（如“导入”“锁定”“打印”）")

    def _open_first_hit(self) -> None:
        if self.toc.count():
            self.toc.setCurrentRow(0)

    def _open_item(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            file, heading, term = item.data(TOPIC_ROLE)
            self.open(file, heading, term)

    # --- showing ---------------------------------------------------------------------------
    def open(self, file: str, heading: str | None = None, term: str | None = None) -> None:
        if file != self.current:
            self.text.document().setMarkdown(chapters.chapter_text(file))
            self.current = file
            self._fit_images()
        if heading:
            self.go_to_heading(heading)
        else:
            self.text.verticalScrollBar().setValue(0)
        if term:
            cursor = self.text.textCursor()
            if heading is None:
                cursor.movePosition(QTextCursor.MoveOperation.Start)
            self.text.setTextCursor(cursor)
            self.text.find(term, QTextDocument.FindFlag(0))

    def _fit_images(self, widest: int = 860) -> None:
        """Screenshots are 1366 pixels wide: show them at a readable width, not past the window's edge."""
        doc = self.text.document()
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                fmt = frag.charFormat()
                if fmt.isImageFormat():
                    image = fmt.toImageFormat()
                    picture = QImage(str(manual_dir() / image.name()))
                    if not picture.isNull() and picture.width() > widest:
                        image.setWidth(widest)
                        image.setHeight(picture.height() * widest / picture.width())
                        cursor = QTextCursor(doc)
                        cursor.setPosition(frag.position())
                        cursor.setPosition(frag.position() + frag.length(), QTextCursor.MoveMode.KeepAnchor)
                        cursor.setCharFormat(image)
                it += 1
            block = block.next()

    def go_to_heading(self, heading: str) -> bool:
        block = self.text.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0 and block.text().strip() == heading:
                cursor = QTextCursor(block)
                self.text.setTextCursor(cursor)
                layout = self.text.document().documentLayout()
                self.text.verticalScrollBar().setValue(int(layout.blockBoundingRect(block).top()))
                return True
            block = block.next()
        return False

    def shown_heading(self) -> str:
        """The heading the reader is at (for tests and the window title)."""
        block = self.text.textCursor().block()
        while block.isValid() and block.blockFormat().headingLevel() == 0:
            block = block.previous()
        return block.text() if block.isValid() else ""

    def _link(self, url: QUrl) -> None:
        target = url.toString()
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        file, _hash, _anchor = target.partition("#")
        if file.endswith(".md") and any(f == file for f, _t in chapters.CHAPTERS):
            self.open(file)

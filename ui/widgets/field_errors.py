"""Problems shown where the eye is: a red line beneath each form field, and one summary of them all."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


def with_error_line(widget: QWidget) -> tuple[QWidget, QLabel]:
    """The field's widget with a hidden red line beneath it for its problem (styled as errorText)."""
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(1)
    lay.addWidget(widget)
    err = QLabel()
    err.setObjectName("errorText")
    err.setWordWrap(True)
    err.hide()
    lay.addWidget(err)
    return box, err


def show_problems(lines: Mapping[str, QLabel], fields: Mapping[str, QWidget],
                  problems: list[tuple[str, str]]) -> str:
    """Each problem beneath its field, the first such field focused; returns the summary of them all."""
    for key, err in lines.items():
        mine = [m for k, m in problems if k == key]
        err.setText("；".join(mine))
        err.setVisible(bool(mine))
    first = next((fields[k] for k, _m in problems if k in fields), None)
    if first is not None:
        first.setFocus()
    texts = list(dict.fromkeys(m for _k, m in problems))
    head = f"有 {len(texts)} 处需要修改（已在各栏下方标出）：" if len(texts) > 1 else ""
    return head + "；".join(texts)

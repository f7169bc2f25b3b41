"""Form templates (resources/forms/*.json): one definition drives the entry dialog and the printed page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from .paths import resources_dir

# Fields stored in work_records' own columns; any other field goes to its ``extra`` JSON.
COLUMN_FIELDS = ("date", "place", "host", "recorder", "attendance", "absentees", "topic", "content")


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    type: str  # text | multiline | date | attendance | int | decimal | choice
    required: bool = False
    width: int = 1  # 1 = half a row, 2 = a full row
    rows: int = 1  # lines of a multiline field (also its printed height)
    choices: tuple[str, ...] = ()

    @property
    def is_column(self) -> bool:
        return self.key in COLUMN_FIELDS


@dataclass(frozen=True)
class FormTemplate:
    name: str
    title: str
    fields: tuple[FormField, ...]

    def field(self, key: str) -> FormField | None:
        return next((f for f in self.fields if f.key == key), None)


def _parse(data: dict) -> FormTemplate:
    return FormTemplate(
        name=data["name"],
        title=data["title"],
        fields=tuple(
            FormField(
                key=f["key"], label=f["label"], type=f.get("type", "text"), required=bool(f.get("required")),
                width=int(f.get("width", 1)), rows=int(f.get("rows", 1)), choices=tuple(f.get("choices", ())),
            )
            for f in data["fields"]
        ),
    )


@cache
def form_templates() -> dict[str, FormTemplate]:
    folder = resources_dir() / "forms"
    out = {}
    for path in sorted(folder.glob("*.json")):
        tpl = _parse(json.loads(path.read_text(encoding="utf-8")))
        out[tpl.name] = tpl
    return out


def form_template(name: str) -> FormTemplate:
    templates = form_templates()
    if name not in templates:
        raise KeyError(f"没有名为“{name}”的表单模板")
    return templates[name]

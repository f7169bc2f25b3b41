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
    # text | multiline | date | attendance (应到/实到 counts) | int | money (yuan to the fen; "decimal" is the
    # old name) | choice | roster_attendance (应到/实到/缺席 with names and reasons, ticked from the roster) |
    # vote (赞成/反对/弃权) | member_table (党费: a row per member). Values are checked in
    # app/services/book/fields.py, the one place every entry path calls.
    type: str
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
    title: str  # may hold "{type}", the record type's name: "{type}记录" → "支部委员会会议记录"
    fields: tuple[FormField, ...]
    signatures: tuple[str, ...] = ()  # who signs the paper record, e.g. 主持人, 记录人

    def title_for(self, type_name: str) -> str:
        """The form's title for one record type (a meeting form names the meeting)."""
        return self.title.replace("{type}", type_name)

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
        signatures=tuple(data.get("signatures", ())),
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

"""A work record's form fields checked in one place: every entry path calls ``clean_form``.

The dialog and the CLI reach it through add_record/update_record; a package row reaches it through
``clean_stored`` (exchange/write.py), so what travels passes the same rules as what is typed.

Stored shape (work_records columns plus the ``extra`` JSON):
- attendance (应到/实到 counts): columns attendance_expected / attendance_actual.
- roster_attendance: the same two columns and ``absentees`` as text ("李四（病假）、王五（出差）"), so
  lists and old readers keep working; with names, extra["roster"] = {"present": [...], "absent":
  [{"name", "reason"}]}. A record without names (old "12/11" records) keeps counts and the text.
- vote: extra["vote"] = {"for", "against", "abstain"} integers ≥ 0 whose sum is at most 实到.
- member_table (党费): extra["dues"] = rows {"name", "base", "due", "paid", "paid_on"}, money as
  two-place text ("1500.00"); the columns hold 应缴人数 / 实缴人数.
- money: two-place text; int: an integer; choice/text/multiline: text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.money import money_text, parse_money
from app.errors import ValidationError
from app.forms import FormField, FormTemplate
from app.services.kernel import validate

NAME_MAX = 40
REASON_MAX = 100
MAX_PEOPLE = 1000
VOTES = (("for", "赞成"), ("against", "反对"), ("abstain", "弃权"))
DUES_COLUMNS = (("name", "姓名"), ("base", "缴费基数"), ("due", "应缴"), ("paid", "实缴"), ("paid_on", "缴纳日期"))


@dataclass(frozen=True)
class CleanFields:
    attendance_expected: int | None
    attendance_actual: int | None
    absentees: str
    extra: dict


def money(value: object, field: str) -> Decimal:
    try:
        return parse_money(value, field=field)
    except ValueError as e:
        raise ValidationError(str(e)) from None


def parse_attendance(value: object, label: str = "应到/实到") -> tuple[int | None, int | None]:
    """'应到/实到' as text ("12/11") or a pair."""
    if value in (None, ""):
        return None, None
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValidationError(f"{label}应写成“应到/实到”，如 12/11，收到“{value}”")
        expected, actual = value
    else:
        parts = str(value).replace("／", "/").split("/")
        if len(parts) != 2:
            raise ValidationError(f"出席人数应写成“应到/实到”，如 12/11，收到“{value}”")
        expected, actual = parts
    e = validate.count(expected, "应到人数")
    a = validate.count(actual, "实到人数")
    if a > e:
        raise ValidationError(f"实到人数 {a} 多于应到人数 {e}")
    return e, a


def _name(value: object, where: str) -> str:
    name = validate.text(value, f"{where}姓名", required=True, max_len=NAME_MAX)
    if any(c in name for c in "、，,;；\n"):
        raise ValidationError(f"{where}姓名“{name}”含有分隔符号，请每人单独填写")
    return name


def absent_text(absent: list[dict]) -> str:
    return "、".join(f"{a['name']}（{a['reason']}）" for a in absent)


def _roster(field: FormField, value: dict, absentees: object) -> tuple[int | None, int | None, str, dict | None]:
    """Named attendance {"present": [...], "absent": [{"name", "reason"}]} or unnamed {"expected", "actual",
    "absentees"}; returns the counts, the absentees text and the names to keep (None when unnamed)."""
    if "present" not in value and "absent" not in value:
        e, a = parse_attendance((value.get("expected"), value.get("actual"))
                                if value.get("expected") not in (None, "") else "", field.label)
        text = validate.text(value.get("absentees", absentees), "缺席人员及原因", max_len=2000)
        return e, a, text, None
    present_raw = value.get("present") or []
    absent_raw = value.get("absent") or []
    if not isinstance(present_raw, (list, tuple)) or not isinstance(absent_raw, (list, tuple)):
        raise ValidationError(f"{field.label}：出席、缺席人员应是名单")
    if len(present_raw) + len(absent_raw) > MAX_PEOPLE:
        raise ValidationError(f"{field.label}：人数过多（最多 {MAX_PEOPLE} 人）")
    seen: set[str] = set()
    present: list[str] = []
    for n, raw in enumerate(present_raw, 1):
        name = _name(raw, f"出席人员第 {n} 人")
        if name in seen:
            raise ValidationError(f"{field.label}：“{name}”重复登记")
        seen.add(name)
        present.append(name)
    absent: list[dict] = []
    for n, raw in enumerate(absent_raw, 1):
        if isinstance(raw, dict):
            name_raw, reason_raw = raw.get("name"), raw.get("reason")
        elif isinstance(raw, (list, tuple)) and len(raw) == 2:
            name_raw, reason_raw = raw
        else:
            name_raw, reason_raw = raw, ""
        name = _name(name_raw, f"缺席人员第 {n} 人")
        if name in seen:
            raise ValidationError(f"{field.label}：“{name}”既登记出席又登记缺席，或重复登记")
        seen.add(name)
        reason = validate.text(reason_raw, f"缺席人员“{name}”的缺席原因", max_len=REASON_MAX)
        if not reason:
            raise ValidationError(f"缺席人员“{name}”须注明缺席原因（如 病假、出差）")
        absent.append({"name": name, "reason": reason})
    if not present and not absent:
        return None, None, "", None
    return len(present) + len(absent), len(present), absent_text(absent), {"present": present, "absent": absent}


def _attendance_field(field: FormField, value: object, absentees: object) -> tuple[int | None, int | None, str, dict | None]:
    if field.type == "roster_attendance" and isinstance(value, dict):
        return _roster(field, value, absentees)
    if isinstance(value, dict):
        raise ValidationError(f"{field.label}应写成“应到/实到”，如 12/11")
    e, a = parse_attendance(value, field.label)
    return e, a, validate.text(absentees, "缺席人员及原因", max_len=2000), None


def _vote(field: FormField, value: object, actual: int | None) -> dict | None:
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        parts = value.replace("／", "/").split("/")
        if len(parts) != 3:
            raise ValidationError(f"{field.label}应写成“赞成/反对/弃权”，如 9/0/1，收到“{value}”")
        value = dict(zip((k for k, _ in VOTES), parts, strict=True))
    if isinstance(value, (list, tuple)) and len(value) == 3:
        value = dict(zip((k for k, _ in VOTES), value, strict=True))
    if not isinstance(value, dict):
        raise ValidationError(f"{field.label}应为赞成、反对、弃权三个票数")
    out = {}
    for key, label in VOTES:
        raw = value.get(key, value.get(label))
        out[key] = 0 if raw in (None, "") else validate.count(raw, f"{field.label}的{label}票数")
    total = sum(out.values())
    if total == 0:
        return None
    if actual is None:
        raise ValidationError(f"填写{field.label}前请先填写出席情况（实到人数）")
    if total > actual:
        raise ValidationError(f"{field.label}：赞成 {out['for']}、反对 {out['against']}、弃权 {out['abstain']} "
                              f"共 {total} 票，多于实到 {actual} 人")
    return out


def _dues_row(n: int, raw: object, today: date) -> dict:
    if isinstance(raw, (list, tuple)):
        if len(raw) > len(DUES_COLUMNS):
            raise ValidationError(f"党费明细第 {n} 行：应为 姓名、缴费基数、应缴、实缴、缴纳日期 五项")
        raw = dict(zip((k for k, _ in DUES_COLUMNS), raw, strict=False))
    if not isinstance(raw, dict):
        raise ValidationError(f"党费明细第 {n} 行格式不对")
    name = _name(raw.get("name"), f"党费明细第 {n} 行")
    where = f"党费明细第 {n} 行（{name}）"

    def opt_money(key: str, label: str) -> Decimal | None:
        v = raw.get(key)
        return None if v in (None, "") else money(v, f"{where}{label}")

    base, due, paid = opt_money("base", "缴费基数"), opt_money("due", "应缴"), opt_money("paid", "实缴")
    if due is None:
        raise ValidationError(f"{where}：应缴金额不能为空")
    if base is not None and base > 0 and due > base:
        raise ValidationError(f"{where}：应缴 {money_text(due)} 元超过缴费基数 {money_text(base)} 元")
    paid_on = validate.parse_date(raw.get("paid_on"), f"{where}缴纳日期", required=False)
    if paid_on is not None and paid_on > today:
        raise ValidationError(f"{where}：缴纳日期 {paid_on} 晚于今天")
    if paid_on is not None and not paid:
        raise ValidationError(f"{where}：填了缴纳日期，实缴金额却为空")
    if paid and paid_on is None:
        raise ValidationError(f"{where}：已实缴 {money_text(paid)} 元，请填写缴纳日期")
    return {"name": name, "base": money_text(base), "due": money_text(due), "paid": money_text(paid),
            "paid_on": paid_on.isoformat() if paid_on else ""}


def _dues(field: FormField, value: object, today: date) -> list[dict]:
    if value in (None, "", []):
        return []
    if not isinstance(value, (list, tuple)):
        raise ValidationError(f"{field.label}应是每名党员一行的表格")
    if len(value) > MAX_PEOPLE:
        raise ValidationError(f"{field.label}最多 {MAX_PEOPLE} 行，收到 {len(value)} 行")
    rows = [_dues_row(n, raw, today) for n, raw in enumerate(value, 1)]
    seen: dict[str, int] = {}
    for n, r in enumerate(rows, 1):
        if r["name"] in seen:
            raise ValidationError(f"党费明细第 {n} 行：“{r['name']}”与第 {seen[r['name']]} 行重复")
        seen[r["name"]] = n
    return rows


def dues_total(rows: list[dict], key: str = "paid") -> Decimal:
    return sum((Decimal(r[key]) for r in rows if r.get(key)), Decimal("0.00"))


def _scalar(field: FormField, raw: object) -> object:
    """A plain field's clean value: text, or the number as stored text; "" when empty."""
    if isinstance(raw, (dict, list, tuple)):
        raise ValidationError(f"{field.label}应为一项文字，收到一组数据")
    text = validate.text(raw, field.label, required=field.required, max_len=2000)
    if not text:
        return ""
    if field.type == "choice" and field.choices and text not in field.choices:
        raise ValidationError(f"{field.label}“{text}”无效，可选：{'、'.join(field.choices)}")
    if field.type in ("money", "decimal"):
        return money_text(money(text, field.label))
    if field.type == "int":
        return str(validate.count(text, field.label))
    return text


def clean_form(tpl: FormTemplate, values: dict, *, today: date) -> CleanFields:
    """Check every field of ``tpl`` that is not a plain column (date, topic, content, place, host, recorder)."""
    extra_in = values.get("extra") or {}
    if not isinstance(extra_in, dict):
        raise ValidationError("附加字段格式不对")

    def raw(key: str) -> object:
        return values[key] if key in values else extra_in.get(key)

    c = validate.Collector()  # every field's problem at once, each with its field
    expected = actual = None
    absentees = c.take("absentees", validate.text, values.get("absentees"), "缺席人员及原因", max_len=2000) or ""
    extra: dict = {}
    att = next((f for f in tpl.fields if f.type in ("attendance", "roster_attendance")), None)
    if att is not None:
        got = c.take(att.key, _attendance_field, att, raw(att.key), values.get("absentees"))
        if got is not None:
            expected, actual, absentees, names = got
            if names is not None:
                extra["roster"] = names
    else:  # a form without the field still keeps counts it was given (an old 党费 record's 应缴/实缴人数)
        expected, actual = c.take("attendance", parse_attendance, values.get("attendance")) or (None, None)
    for f in tpl.fields:
        if f.is_column or f is att:
            continue
        if f.type == "vote":
            vote = c.take(f.key, _vote, f, raw(f.key), actual)
            if vote:
                extra[f.key] = vote
        elif f.type == "member_table":
            rows = c.take(f.key, _dues, f, raw(f.key), today)
            if rows:
                extra[f.key] = rows
                expected, actual = len(rows), sum(1 for r in rows if r["paid"])
        else:
            value = c.take(f.key, _scalar, f, raw(f.key))
            if value:
                extra[f.key] = value
    c.done()
    c.take("amount", _check_total, tpl, extra)
    c.done()
    return CleanFields(expected, actual, absentees, extra)


def _check_total(tpl: FormTemplate, extra: dict) -> None:
    """A 党费 record's 实缴合计 is the sum of its rows: filled in when empty, refused when it differs."""
    table = next((f for f in tpl.fields if f.type == "member_table"), None)
    total = next((f for f in tpl.fields if f.type in ("money", "decimal") and f.key == "amount"), None)
    if table is None or total is None or not extra.get(table.key):
        return
    paid = dues_total(extra[table.key])
    if total.key in extra and Decimal(extra[total.key]) != paid:
        raise ValidationError(f"{total.label} {extra[total.key]} 元与党费明细的实缴合计 {money_text(paid)} 元不符")
    extra[total.key] = money_text(paid)


def stored_values(tpl: FormTemplate, expected: object, actual: object, absentees: object, extra: object) -> dict:
    """The values ``clean_form`` takes, rebuilt from a stored (or travelling) row."""
    if not isinstance(extra, dict):
        raise ValidationError("附加字段（extra）应为 JSON 对象")
    values: dict = {k: v for k, v in extra.items() if k != "roster"}
    values["absentees"] = absentees
    att = next((f for f in tpl.fields if f.type in ("attendance", "roster_attendance")), None)
    if att is not None and isinstance(extra.get("roster"), dict):
        values[att.key] = extra["roster"]
    elif expected not in (None, "") or actual not in (None, ""):
        values[att.key if att else "attendance"] = (expected, actual)
    return values


def clean_stored(tpl: FormTemplate, expected: object, actual: object, absentees: object, extra: object,
                 *, today: date) -> CleanFields:
    """A package row's form fields, checked by the same rules as hand entry."""
    return clean_form(tpl, stored_values(tpl, expected, actual, absentees, extra), today=today)

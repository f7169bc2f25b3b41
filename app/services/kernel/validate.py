"""Input checks shared by the services; each raises ValidationError naming the field."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from app.domain.points import parse_points
from app.errors import FieldErrors, ValidationError

MIN_YEAR, MAX_YEAR = 2000, 2100
CODE_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,40}$")


def year(value: object) -> int:
    try:
        y = int(str(value))
    except (TypeError, ValueError):
        raise ValidationError(f"年份必须是整数，收到“{value}”") from None
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise ValidationError(f"年份 {y} 超出范围（{MIN_YEAR}–{MAX_YEAR}）")
    return y


def month(value: object) -> int:
    try:
        m = int(str(value))
    except (TypeError, ValueError):
        raise ValidationError(f"月份必须是 1–12 的整数，收到“{value}”") from None
    if not 1 <= m <= 12:
        raise ValidationError(f"月份必须是 1–12，收到 {m}")
    return m


def quarter(value: object) -> int:
    try:
        q = int(str(value))
    except (TypeError, ValueError):
        raise ValidationError(f"季度必须是 1–4 的整数，收到“{value}”") from None
    if not 1 <= q <= 4:
        raise ValidationError(f"季度必须是 1–4，收到 {q}")
    return q


def points(value: object, field: str = "积分") -> Decimal:
    try:
        return parse_points(value, field=field)
    except ValueError as e:
        raise ValidationError(str(e)) from None


def count(value: object, field: str = "次数") -> int:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(f"{field}必须是整数，收到“{value}”") from None
    if n < 0:
        raise ValidationError(f"{field}不能为负数，收到 {n}")
    if n > 1000:
        raise ValidationError(f"{field}过大，收到 {n}")
    return n


def text(value: object, field: str, *, required: bool = False, max_len: int = 200) -> str:
    s = "" if value is None else str(value).strip()
    if required and not s:
        raise ValidationError(f"{field}不能为空")
    if len(s) > max_len:
        raise ValidationError(f"{field}不能超过 {max_len} 个字，现有 {len(s)} 个字")
    return s


def code(value: object, field: str = "组织编码") -> str:
    s = text(value, field, required=True, max_len=40)
    if not CODE_RE.match(s):
        raise ValidationError(f"{field}只能由字母、数字和 - _ . 组成，收到“{s}”")
    return s


def parse_date(value: object, field: str = "日期", *, required: bool = True) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(f"{field}不能为空")
        return None
    if isinstance(value, date):
        return value
    s = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(s)
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", s)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    raise ValidationError(f"{field}“{value}”不是有效日期（格式如 2026-03-15）")


def one_of(value: object, options: tuple[str, ...] | list[str], field: str) -> str:
    s = text(value, field, required=True)
    if s not in options:
        raise ValidationError(f"{field}“{s}”无效，可选：{'、'.join(options)}")
    return s


class Collector:
    """Runs a form's checks one by one and keeps every refusal with its field, instead of stopping at
    the first: ``take(key, check, *args)`` returns the check's result (None when refused); ``done()``
    raises FieldErrors naming them all."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def take(self, key: str, check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except FieldErrors as e:
            self.problems += e.problems
        except ValidationError as e:
            self.problems.append((key, str(e)))
        return None

    def add(self, key: str, message: str) -> None:
        self.problems.append((key, message))

    def done(self) -> None:
        if self.problems:
            raise FieldErrors(self.problems)

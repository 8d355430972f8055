"""Turning one messy form cell into a typed value, or a Chinese reason why not.

Forms are typed by people: full-width digits, "120万元", "1,200.5", "2025年7月31日", Excel date
serials, stray spaces, "是 " with a trailing blank. Each parser accepts what is unambiguous and
raises :class:`CellError` otherwise. Blank cells are ``None`` for every type.

Before any parser, :func:`parse_cell` applies the intake limits (``models/settings.yaml``): a
cell longer than Excel's own limit, or holding a control character (NUL and the like, which no
form means to contain and which a terminal would print raw), is rejected with the character's
position and the text shown escaped (``[U+0000]``); an amount above the sane bound is rejected
naming the bound, before it can overflow the plan's arithmetic.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from workbench.intake.columns import Column
from workbench.intake.limits import IntakeLimits, load_limits
from workbench.labels import CELL_MESSAGES as _MSG
from workbench.labels import FALSE_WORDS, TRUE_WORDS
from workbench.money import YI_IN_WAN, AmountError, format_wan, parse_amount

# Excel stores dates as days since 1899-12-30; serials in this range are 1954-10-03 .. 2119-01-05.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_RANGE = (20000, 80000)
_LIST_SEPARATORS = re.compile(r"[、;；,，/\n]+")
_INT64 = 2**63  # integer columns are pandas Int64: [-2**63, 2**63)
# C0 and C1 control characters (Unicode category Cc) except tab and the line breaks a cell may
# hold (Alt+Enter in Excel).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# How much of a cell with control characters its reason quotes, and how many positions it lists
# (presentation only: the whole cell is rejected either way).
_QUOTED_CHARS = 40
_LISTED_POSITIONS = 5


class CellError(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def clean_text(value: object) -> str:
    """NFKC-normalised text with surrounding and repeated whitespace removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", " ", text).strip()


def is_blank(value: object) -> bool:
    return clean_text(value) == ""


def _shown(value: object) -> str:
    return str(value).strip()


def escape_controls(text: str) -> str:
    """``text`` with each control character written as its code point (``[U+0000]``), so that
    what a user reads never carries the raw character."""
    return _CONTROL.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def _check_text(value: str, limits: IntakeLimits) -> None:
    """Reject a cell longer than the limit, or holding control characters (with where)."""
    if len(value) > limits.cell_chars:
        raise CellError(
            _MSG["too_long"].format(length=f"{len(value):,}", limit=f"{limits.cell_chars:,}")
        )
    found = [m.start() for m in _CONTROL.finditer(value)]
    if not found:
        return
    start = max(0, found[0] - _QUOTED_CHARS // 2)
    quoted = escape_controls(value[start : start + _QUOTED_CHARS])
    quoted = ("…" if start else "") + quoted + ("…" if start + _QUOTED_CHARS < len(value) else "")
    codes = dict.fromkeys(f"U+{ord(value[i]):04X}" for i in found)
    listed = found[:_LISTED_POSITIONS]
    raise CellError(
        _MSG["control_chars"].format(
            codes="、".join(codes),
            positions="、".join(str(i + 1) for i in listed),
            more=_MSG["control_chars_more"].format(count=len(found))
            if len(found) > len(listed)
            else "",
            text=quoted,
        )
    )


def _check_amount(amount: Decimal, value: object, limits: IntakeLimits) -> None:
    bound = Decimal(limits.amount_wan)
    if amount > bound:
        raise CellError(
            _MSG["amount_above_bound"].format(
                text=_shown(value),
                amount=format_wan(amount),
                bound=f"{limits.amount_wan:,}",
                bound_yi=f"{(bound / YI_IN_WAN).normalize():f}",
            )
        )


_FULL_WIDTH_PARENS = str.maketrans({"(": "（", ")": "）"})


def parse_text(value: object, column: Column) -> str:
    """Free text, normalised so that one name has one spelling: NFKC (full-width letters and
    digits become ASCII) and then the Chinese full-width parentheses of official names, so that
    "市政务服务中心(市大数据中心)" and "市政务服务中心（市大数据中心）" are the same unit."""
    return clean_text(value).translate(_FULL_WIDTH_PARENS)


def parse_id(value: object, column: Column) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id typed as a number comes back from Excel as 12.0
    return clean_text(value).replace(" ", "")


def parse_enum(value: object, column: Column) -> str:
    """One of the column's allowed values; a synonym the contract declares (未通过 for 不通过,
    第六条第（七）项's own word) is read as the value it stands for."""
    found = column.canonical(clean_text(value))
    if found is None:
        raise CellError(
            _MSG["not_allowed"].format(text=_shown(value), allowed="、".join(column.allowed))
        )
    return found


def parse_bool(value: object, column: Column) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value in (0.0, 1.0):
        return value == 1.0
    text = clean_text(value).replace(" ", "").lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(_MSG["not_bool"].format(text=_shown(value)))


def split_list(value: object) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATORS.split(clean_text(value)) if part.strip()]


def parse_multi(value: object, column: Column) -> tuple[str, ...]:
    parts = split_list(value)
    bad = [p for p in parts if column.canonical(p) is None]
    if bad:
        raise CellError(
            _MSG["ambiguous_list"].format(
                text=_shown(value), bad="、".join(bad), allowed="、".join(column.allowed)
            )
        )
    return tuple(dict.fromkeys(column.canonical(p) for p in parts))


def parse_ids(value: object, column: Column) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.replace(" ", "") for p in split_list(value)))


def parse_amount_cell(value: object, column: Column) -> Decimal:
    try:
        return parse_amount(value)
    except AmountError as exc:
        raise CellError(exc.reason) from exc


def _decimal(value: object, message: str) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_MSG[message].format(text=_shown(value)))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(float(value)))
    text = clean_text(value).replace(" ", "").replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise CellError(_MSG[message].format(text=_shown(value))) from exc
    if not number.is_finite():
        raise CellError(_MSG[message].format(text=_shown(value)))
    return number


def parse_number(value: object, column: Column) -> Decimal:
    return _decimal(value, "not_number")


def parse_integer(value: object, column: Column) -> int:
    text = clean_text(value)
    if isinstance(value, str):
        for suffix in ("个月", "月", "个", "套"):
            if text.endswith(suffix):
                text = text[: -len(suffix)]
                break
    try:
        number = _decimal(text if isinstance(value, str) else value, "not_integer")
    except CellError:
        raise CellError(_MSG["not_integer"].format(text=_shown(value))) from None
    if number != number.to_integral_value():
        raise CellError(_MSG["not_integer"].format(text=_shown(value)))
    if not -_INT64 <= number < _INT64:  # the table's integer type could not hold it
        raise CellError(_MSG["integer_range"].format(text=_shown(value)))
    return int(number)


def parse_percent(value: object, column: Column) -> Decimal:
    """Percent points: ``85``, ``85%`` and ``85.0％`` are all 85. Excel cells formatted as a
    percentage are turned into ``"85%"`` by the reader, so a bare fraction is never guessed at."""
    text = clean_text(value).replace(" ", "")
    try:
        if isinstance(value, str) and text.endswith("%"):
            return _decimal(text[:-1], "not_percent")
        return _decimal(value, "not_percent")
    except CellError:
        raise CellError(_MSG["not_percent"].format(text=_shown(value))) from None


_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
)
_MONTH_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?:份)?$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})$"),
)


def _from_serial(value: float) -> dt.date | None:
    if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1] and float(value).is_integer():
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    return None


def parse_date(value: object, column: Column) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        found = _from_serial(value)
        if found is not None:
            return found
    text = re.sub(r"[T ]00:00(:00)?$", "", clean_text(value)).replace(" ", "")
    if re.fullmatch(r"\d{5}(\.0)?", text):
        found = _from_serial(float(text))
        if found is not None:
            return found
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                break
    raise CellError(_MSG["not_date"].format(text=_shown(value)))


def parse_month(value: object, column: Column) -> str:
    """A month as ``YYYY-MM``."""
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    text = clean_text(value).replace(" ", "")
    for pattern in _MONTH_PATTERNS:
        m = pattern.match(text)
        if m and 1 <= int(m["m"]) <= 12:
            return f"{int(m['y']):04d}-{int(m['m']):02d}"
    try:
        day = parse_date(value, column)
    except CellError:
        raise CellError(_MSG["not_month"].format(text=_shown(value))) from None
    return f"{day.year:04d}-{day.month:02d}"


PARSERS: dict[str, Callable[[object, Column], object]] = {
    "id": parse_id,
    "text": parse_text,
    "enum": parse_enum,
    "bool": parse_bool,
    "multi": parse_multi,
    "ids": parse_ids,
    "amount": parse_amount_cell,
    "number": parse_number,
    "integer": parse_integer,
    "percent": parse_percent,
    "date": parse_date,
    "month": parse_month,
}


def parse_cell(value: object, column: Column, limits: IntakeLimits | None = None) -> object:
    """The typed value of ``value`` for ``column``; None when blank (default applied). Cells
    beyond ``limits`` (by default the settings') are rejected first."""
    limits = limits or load_limits()
    if isinstance(value, str):
        _check_text(value, limits)
    if isinstance(value, str) and value.lstrip().startswith("=") and len(value.strip()) > 1:
        raise CellError(_MSG["formula"].format(text=value.strip()))
    if is_blank(value):
        if column.default:
            return PARSERS[column.type](column.default, column)
        return None
    parsed = PARSERS[column.type](value, column)
    if column.type == "amount":
        _check_amount(parsed, value, limits)
    return parsed

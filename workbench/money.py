"""Amounts in 万元 and exact threshold comparison.

Every amount in the workbench is a :class:`~decimal.Decimal` number of 万元 (10 000 yuan).
Forms carry amounts the way people type them (``120``, ``120.5万元``, ``１２０``, ``1,200.5``,
``1.2亿元``, ``800000元``); :func:`parse_amount` accepts what is unambiguous and rejects the rest
with a Chinese reason.

Thresholds are compared with the boundary words of the measures, read as PRC Civil Code
art. 1259 says: "以上、以下、以内" include the number, "不满、超过、以外" (and "低于") exclude it.
The relation word sits in the policy pack next to the number, exactly as the article writes it,
so the code never decides on its own whether a boundary is inclusive.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

import pandas as pd

from workbench.labels import MONEY_MESSAGES as _MSG

WAN = Decimal("1")
YI_IN_WAN = Decimal("10000")
YUAN_IN_WAN = Decimal("0.0001")

# Units a form may write after the number, converted to 万元.
_UNITS: dict[str, Decimal] = {
    "": WAN,
    "万": WAN,
    "万元": WAN,
    "亿": YI_IN_WAN,
    "亿元": YI_IN_WAN,
    "元": YUAN_IN_WAN,
}

# Thousands separators must group by three; anything else ("1,20") is ambiguous.
_NUMBER = re.compile(r"^(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?$")
_SPLIT = re.compile(r"^(?P<num>[^万亿元]*?)(?P<unit>万元|亿元|万|亿|元)?$")


class AmountError(ValueError):
    """A cell that is not an unambiguous amount; ``reason`` is Chinese and user-facing."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _normalise_text(text: str) -> str:
    # NFKC turns full-width digits, commas and dots into ASCII ("１２０" → "120", "，" → ",").
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text)


def parse_amount(value: object) -> Decimal:
    """Return ``value`` as a Decimal number of 万元, or raise :class:`AmountError`.

    Numbers without a unit are 万元, as the form's headers say. ``元`` amounts are divided by
    10 000, ``亿``/``亿元`` multiplied by 10 000. Negative amounts, several numbers in one cell,
    badly grouped thousands separators and unknown units are rejected.
    """
    if value is None:
        raise AmountError(_MSG["empty"])
    if isinstance(value, bool):
        raise AmountError(_MSG["not_number"].format(text=value))
    if isinstance(value, int):
        number, factor = Decimal(value), WAN
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise AmountError(
                _MSG["empty"] if value != value else _MSG["not_number"].format(text=value)
            )
        # repr() gives the shortest text that round-trips, so 120.1 stays 120.1, not 120.09999…
        number, factor = Decimal(repr(float(value))), WAN
    elif isinstance(value, Decimal):
        number, factor = value, WAN
    else:
        raw = str(value)
        text = _normalise_text(raw)
        if not text:
            raise AmountError(_MSG["empty"])
        split = _SPLIT.match(text)
        if split is None:
            raise AmountError(_MSG["not_number"].format(text=raw.strip()))
        num_text, unit = split.group("num"), split.group("unit") or ""
        match = _NUMBER.match(num_text)
        if match is None:
            if "," in num_text:
                raise AmountError(_MSG["bad_grouping"].format(text=raw.strip()))
            raise AmountError(_MSG["not_number"].format(text=raw.strip()))
        digits = match.group("int").replace(",", "")
        frac = match.group("frac")
        try:
            number = Decimal(
                f"{match.group('sign')}{digits}.{frac}"
                if frac
                else f"{match.group('sign')}{digits}"
            )
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
            raise AmountError(_MSG["not_number"].format(text=raw.strip())) from exc
        factor = _UNITS[unit]
    if not number.is_finite():
        raise AmountError(_MSG["not_number"].format(text=value))
    if number < 0:
        raise AmountError(_MSG["negative"].format(text=value))
    return number * factor


class Relation(StrEnum):
    """Boundary words of the measures and whether they include the number (Civil Code art. 1259)."""

    AT_LEAST = "以上"  # ≥ n
    AT_MOST = "以下"  # ≤ n
    WITHIN = "以内"  # ≤ n
    NOT_EXCEEDING = "不超过"  # ≤ n: the negation of 超过
    EXCEEDING = "超过"  # > n
    BELOW = "低于"  # < n
    LESS_THAN = "不满"  # < n
    NOT_LESS_THAN = "不少于"  # ≥ n: the negation of 少于 (= 不满)

    @property
    def compare(self) -> Callable[[Any, Any], Any]:
        """The comparison this word means, as an operator (works on scalars and Series)."""
        if self in (Relation.AT_LEAST, Relation.NOT_LESS_THAN):
            return operator.ge
        if self in (Relation.AT_MOST, Relation.WITHIN, Relation.NOT_EXCEEDING):
            return operator.le
        if self is Relation.EXCEEDING:
            return operator.gt
        return operator.lt

    def holds(self, value: Decimal, bound: Decimal) -> bool:
        """True when ``value`` stands in this relation to ``bound``."""
        return bool(self.compare(value, bound))

    def holds_series(self, values: pd.Series, bound: Decimal | pd.Series) -> pd.Series:
        """Vectorised :meth:`holds`; missing values (or bounds) give False.

        Decimal columns are compared as Decimals; integer columns against an integral bound as
        integers, so no comparison goes through binary floating point.
        """
        present = values.notna()
        if isinstance(bound, pd.Series):
            present &= bound.notna()
            filler = Decimal(0)
            return (
                self.compare(values.where(present, filler), bound.where(present, filler)).astype(
                    bool
                )
                & present
            )
        if pd.api.types.is_integer_dtype(values.dtype) and bound == bound.to_integral_value():
            filled, limit = values.fillna(0).astype("int64"), int(bound)
        elif values.dtype == object:
            filled, limit = values.where(present, bound), bound
        else:
            filled = pd.Series(
                [to_decimal(v) if p else bound for v, p in zip(values, present, strict=True)],
                index=values.index,
                dtype=object,
            )
            limit = bound
        return self.compare(filled, limit).astype(bool) & present


def to_decimal(value: object) -> Decimal:
    """A number from the validated table (Decimal, int or float) as an exact Decimal."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(float(value)))
    return Decimal(str(value))


def format_wan(value: Decimal | float | int | None) -> str:
    """``1234.5`` → ``"1,234.50"``: the house format for 万元 in text output."""
    if value is None:
        return ""
    return f"{to_decimal(value):,.2f}"


# Amounts beside a decision taken on a threshold (审批方式, 工程监理): the house format rounds to
# two decimals (100 元), so 299,999 元 (29.9999 万元) would read "30.00" beside "备案（低于30万元）".
# Beside such decisions an amount is shown exactly: two decimals at least, as many more as it has,
# up to six (0.01 元). The text format and the workbook's number format say the same thing.
MIN_PLACES, MAX_PLACES = 2, 6
EXACT_MONEY_FORMAT = "#,##0.00" + "#" * (MAX_PLACES - MIN_PLACES)  # "#,##0.00####"


def format_wan_exact(value: Decimal | float | int | None) -> str:
    """``29.9999`` → ``"29.9999"``, ``30`` → ``"30.00"``, ``1234.5`` → ``"1,234.50"``: 万元 with
    thousands separators and as many decimals as the amount has (two to six)."""
    if value is None:
        return ""
    number = to_decimal(value).quantize(Decimal(1).scaleb(-MAX_PLACES), rounding=ROUND_HALF_EVEN)
    exponent = number.normalize().as_tuple().exponent
    places = min(max(-exponent if isinstance(exponent, int) else 0, MIN_PLACES), MAX_PLACES)
    return f"{number:,.{places}f}"

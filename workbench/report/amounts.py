"""Amounts in 万元 shown beside a decision taken on a threshold (审批方式, 工程监理).

The house format (``workbench.money.format_wan``, ``#,##0.00`` in the workbook) rounds to two
decimals, which is 100 元: 299,999 元 (29.9999 万元) would read "30.00" beside "备案（低于30万元）",
a figure that contradicts the route printed next to it. Beside such decisions an amount is shown
exactly: two decimals at least, as many more as it has, up to six (0.01 元, the smallest amount
money has). The text format and the workbook's number format below say the same thing.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from workbench.money import to_decimal

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


__all__ = ["EXACT_MONEY_FORMAT", "format_wan_exact"]

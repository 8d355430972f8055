"""How much each candidate spends in each year of the horizon, and from which pool.

A department may give its own profile (``amount_2027``, ``amount_2028`` … / ``2027年度资金(万元)``).
Otherwise the plan year carries the request (本年度申请资金) and the rest of the total is spread
evenly over the remaining construction years (第二十三条: up to two, at most three); a project of
one year whose request is less than its total pays the rest the year after. When the scenario
counts the O&M tail, a built or procured system costs its annual O&M once construction and
warranty (质保期, at least one year: 第二十三、二十四条) are over, counted from 1 January of the plan
year and pro rata in the year the warranty ends; a renewed O&M contract of a running system
(第二十五条) recurs every year. Amounts are exact Decimals of 万元.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_DOWN, Decimal

import pandas as pd

from workbench.labels import CATEGORY_OM
from workbench.scenario import Scenario

SPEND_COLUMNS = ("project_id", "pool", "year", "kind", "amount")
CONSTRUCTION = "construction"
OM = "om"
_YEAR_COLUMN = re.compile(r"^amount_(\d{4})$")
_CENT = Decimal("0.01")


def _split(amount: Decimal, parts: int) -> list[Decimal]:
    """``amount`` in ``parts`` near-equal pieces of whole 0.01 万元 that add up exactly."""
    if parts <= 1:
        return [amount]
    piece = (amount / parts).quantize(_CENT, rounding=ROUND_DOWN)
    return [piece] * (parts - 1) + [amount - piece * (parts - 1)]


# The columns a spend profile reads (besides the amount_YYYY columns of a given profile).
_PROFILE_COLUMNS = (
    "project_id",
    "funding_pool",
    "construction_months",
    "request_amount",
    "total_investment",
    "category_effective",
    "existing_om",
    "annual_om_cost",
    "warranty_months",
)


def _given_profile(row: dict, year_columns: dict[int, str]) -> dict[int, Decimal] | None:
    given = {y: row[c] for y, c in year_columns.items() if pd.notna(row[c])}
    return given or None


def spend_profile(candidates: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Long table: one row per project, pool, year of the horizon and kind (construction / om)."""
    years = scenario.years
    year_columns = {
        int(m.group(1)): c for c in candidates.columns if (m := _YEAR_COLUMN.match(str(c)))
    }
    records: list[tuple[str, str, int, str, Decimal]] = []
    wanted = [c for c in (*_PROFILE_COLUMNS, *year_columns.values()) if c in candidates.columns]
    for row in candidates[wanted].to_dict("records"):
        pid, pool = row["project_id"], row["funding_pool"]
        months = int(row["construction_months"] or 12)
        construction_years = max(1, math.ceil(months / 12))
        given = _given_profile(row, year_columns) if year_columns else None
        if given is not None:
            profile = given
        else:
            request, total = row["request_amount"], row["total_investment"]
            rest = total - request
            profile = {scenario.plan_year: request}
            if rest > 0:
                later = max(construction_years - 1, 1)
                for k, piece in enumerate(_split(rest, later), start=1):
                    profile[scenario.plan_year + k] = piece
        # An O&M service project's own money is O&M; everything else is construction money.
        kind = OM if row["category_effective"] == CATEGORY_OM else CONSTRUCTION
        for year, amount in profile.items():
            if year in years and amount:
                records.append((pid, pool, year, kind, amount))
        if not scenario.om.include_tail:
            continue
        if row["category_effective"] == CATEGORY_OM:
            if row.get("existing_om") is True:
                records += [(pid, pool, y, OM, row["request_amount"]) for y in years[1:]]
            continue
        om = row.get("annual_om_cost")
        if om is None or pd.isna(om) or om == 0:
            continue
        warranty = row.get("warranty_months")
        warranty = int(warranty) if warranty is not None and pd.notna(warranty) else None
        warranty = max(warranty or 0, scenario.om.warranty_months)
        # Projects start on 1 January of the plan year; O&M is paid for the months after the
        # warranty ends, pro rata in the year it ends (to 0.01 万元).
        paid_from = months + warranty
        for k, year in enumerate(years):
            share = max(0, min(12, 12 * (k + 1) - paid_from))
            if share:
                records.append((pid, pool, year, OM, (om * share / 12).quantize(_CENT)))
    return pd.DataFrame.from_records(records, columns=list(SPEND_COLUMNS))

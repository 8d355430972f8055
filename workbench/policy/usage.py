"""Monthly usage rates and the "low usage" determination of 第六条第（五）项.

The measures leave the formula to the data bureau ("依据系统月均登录次数、核心业务办理量、用户满意度
等指标综合判定"); the weights are in the policy pack. A rate given in the usage table is used as
it is; otherwise the composite is computed against the system's designed monthly baselines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from workbench.labels import LOW_USAGE_DETERMINED
from workbench.policy.pack import PolicyPack

HUNDRED = Decimal(100)


def _capped_ratio(actual: pd.Series, designed: pd.Series) -> pd.Series:
    ok = actual.notna() & designed.notna() & (designed.where(designed.notna(), 0) > 0)
    ratio = pd.Series([None] * len(actual), index=actual.index, dtype=object)
    ratio[ok] = [
        min(a / d, Decimal(1)) * HUNDRED for a, d in zip(actual[ok], designed[ok], strict=True)
    ]
    return ratio


def usage_rates(usage: pd.DataFrame, systems: pd.DataFrame, pack: PolicyPack) -> pd.DataFrame:
    """``usage`` with two more columns: ``rate`` (percent, Decimal) and ``rate_source``
    (``given`` or ``computed``; None when it cannot be computed for lack of a baseline)."""
    weights = pack.usage.weights
    frame = usage.merge(
        systems[["system_id", "designed_monthly_logins", "designed_monthly_volume"]],
        on="system_id",
        how="left",
    )
    logins = _capped_ratio(frame["logins"], frame["designed_monthly_logins"])
    volume = _capped_ratio(frame["business_volume"], frame["designed_monthly_volume"])
    satisfaction = frame["satisfaction"]
    computable = logins.notna() & volume.notna() & satisfaction.notna()
    composite = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    composite[computable] = (
        logins[computable] * weights.logins
        + volume[computable] * weights.business_volume
        + satisfaction[computable] * weights.satisfaction
    )
    given = frame["usage_rate"].notna()
    frame["rate"] = frame["usage_rate"].where(given, composite)
    frame["rate_source"] = np.select([given, computable], ["given", "computed"], default=None)
    return frame.drop(columns=["designed_monthly_logins", "designed_monthly_volume"])


@dataclass(frozen=True)
class LowUsage:
    system_id: str
    basis: str  # "computed" or "determined"
    start_month: str = ""
    end_month: str = ""
    rates: tuple[str, ...] = ()


def _month_number(month: pd.Series) -> pd.Series:
    year = month.str.slice(0, 4).astype(int)
    return year * 12 + month.str.slice(5, 7).astype(int) - 1


def low_usage_systems(
    systems: pd.DataFrame, rates: pd.DataFrame, pack: PolicyPack
) -> dict[str, LowUsage]:
    """Systems judged "使用率不高": a written determination when there is one, else a run of
    ``consecutive_months`` calendar months after the acceptance month, each below the bar.
    A month without data, or at/above the bar, breaks the run."""
    spec = pack.rules.low_usage
    found: dict[str, LowUsage] = {}
    determination = systems.get("low_usage_determination", pd.Series(dtype=object))
    for system_id in systems.loc[determination == LOW_USAGE_DETERMINED, "system_id"]:
        found[system_id] = LowUsage(system_id=system_id, basis="determined")
    decided = set(systems.loc[determination.notna(), "system_id"])

    accepted = systems[systems["final_acceptance_date"].notna()][
        ["system_id", "final_acceptance_date"]
    ]
    frame = rates[rates["rate"].notna()].merge(accepted, on="system_id")
    frame = frame[~frame["system_id"].isin(decided)]
    if frame.empty:
        return found
    acceptance_month = frame["final_acceptance_date"].map(lambda d: d.year * 12 + d.month - 1)
    frame = frame.assign(month_no=_month_number(frame["month"]))
    frame = frame[frame["month_no"] > acceptance_month]
    frame = frame.sort_values(["system_id", "month_no"], kind="stable")
    below = spec.rate_below.holds_series(frame["rate"])
    frame = frame.assign(below=below)
    # A new run starts at each system change, each month gap, and each month not below the bar.
    step = frame.groupby("system_id")["month_no"].diff()
    breaks = (step != 1) | ~frame["below"] | ~frame["below"].shift(fill_value=False)
    run_id = breaks.cumsum()
    lows = frame[frame["below"]]
    run_length = lows.groupby(run_id[lows.index])["month_no"].transform("size")
    long_runs = lows[run_length >= spec.consecutive_months]
    for system_id, group in long_runs.groupby("system_id", sort=True):
        first_run = group[run_id[group.index] == run_id[group.index].iloc[0]].head(
            spec.consecutive_months
        )
        found[system_id] = LowUsage(
            system_id=system_id,
            basis="computed",
            start_month=first_run["month"].iloc[0],
            end_month=first_run["month"].iloc[-1],
            rates=tuple(f"{Decimal(r):.1f}%" for r in first_run["rate"]),
        )
    return found


def add_years(day: dt.date, years: int) -> dt.date:
    """The same date ``years`` later; 29 February falls back to 28 February (Civil Code art. 202:
    a period in years ends on the corresponding day, or the month's last day when there is none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)

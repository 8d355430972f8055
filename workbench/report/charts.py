"""Charts for the report (matplotlib, Chinese labels in a CJK font): budget by category and
pool, top units, multi-year commitments stacked by kind, the efficient frontier with the chosen
plan, and the Monte Carlo fan. Each function returns a Figure; nothing is shown on screen."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from workbench.labels import CHART_LABELS as L
from workbench.labels import LEVEL_CITY
from workbench.planner import Plan
from workbench.report.fonts import configure


def _figure(width: float = 8, height: float = 4.5) -> Figure:
    configure()
    return Figure(figsize=(width, height), dpi=120, layout="constrained")


def budget_by_category_and_pool(plan: Plan) -> Figure:
    selected = plan.selected.assign(amount=lambda f: f["amount"].astype(float))
    table = selected.pivot_table(
        index="category_effective",
        columns="funding_pool",
        values="amount",
        aggfunc="sum",
        fill_value=0.0,
    )
    fig = _figure()
    ax = fig.add_subplot()
    bottom = pd.Series(0.0, index=table.index)
    for pool in table.columns:
        ax.bar(table.index, table[pool], bottom=bottom, label=pool)
        bottom += table[pool]
    ax.set_title(L["by_category_title"].format(year=plan.scenario.plan_year))
    ax.set_ylabel(L["by_category_y"])
    ax.legend(fontsize=7, ncols=2)
    return fig


def top_units(plan: Plan, n: int = 10) -> Figure:
    amounts = plan.selected.assign(amount=lambda f: f["amount"].astype(float))
    top = amounts.groupby("unit")["amount"].sum().sort_values().tail(n)
    fig = _figure(8, 0.4 * len(top) + 1.5)
    ax = fig.add_subplot()
    ax.barh(top.index, top.to_numpy())
    ax.set_title(L["top_units_title"].format(year=plan.scenario.plan_year, n=len(top)))
    ax.set_xlabel(L["top_units_x"])
    return fig


def commitments_chart(commitments: pd.DataFrame, pool: str = LEVEL_CITY) -> Figure:
    rows = commitments[commitments["pool"] == pool].sort_values("year")
    fig = _figure()
    ax = fig.add_subplot()
    years = rows["year"].astype(str)
    bottom = pd.Series(0.0, index=rows.index)
    for key in ("construction", "om", "carried"):
        values = rows[key].astype(float)
        ax.bar(years, values, bottom=bottom, label=L[key])
        bottom += values
    ceilings = rows["ceiling"].astype(float)
    ax.plot(years, ceilings, "k--", marker="o", label=L["ceiling"])
    ax.set_title(L["commitments_title"].format(pool=pool))
    ax.set_xlabel(L["year_axis"])
    ax.set_ylabel(L["commitments_y"])
    ax.legend()
    return fig


def frontier_chart(frontier: pd.DataFrame, plan: Plan, pool: str = LEVEL_CITY) -> Figure:
    year = plan.scenario.plan_year
    solved = frontier[frontier["status"] == "optimal"]
    fig = _figure()
    ax = fig.add_subplot()
    ax.plot(solved["ceiling"], solved["value"], marker=".")
    chosen = plan.scenario.ceilings.get(pool, {}).get(year)
    if chosen is not None and plan.objective is not None:
        ax.scatter(
            [float(chosen)], [plan.objective], color="red", zorder=3, label=L["frontier_chosen"]
        )
        ax.legend()
    ax.set_title(L["frontier_title"].format(pool=pool, year=year))
    ax.set_xlabel(L["frontier_x"])
    ax.set_ylabel(L["frontier_y"])
    return fig


def risk_fan(risk: pd.DataFrame, pool: str = LEVEL_CITY) -> Figure:
    rows = risk[risk["pool"] == pool].sort_values("year")
    years = rows["year"].astype(str)
    fig = _figure()
    ax = fig.add_subplot()
    ax.fill_between(years, rows["p50"], rows["p90"], alpha=0.3, label=L["fan_band"])
    ax.plot(years, rows["p50"], marker="o", label=L["fan_p50"])
    ax.plot(years, rows["p90"], marker="o", label=L["fan_p90"])
    if rows["ceiling"].notna().any():
        ax.plot(years, rows["ceiling"].astype(float), "k--", label=L["ceiling"])
    ax.set_title(L["fan_title"].format(pool=pool))
    ax.set_xlabel(L["year_axis"])
    ax.set_ylabel(L["commitments_y"])
    ax.legend()
    return fig

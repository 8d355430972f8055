"""Charts for the report, the apps and the notebooks: budget by category and channel, the top
units, one pool's multi-year money, the efficient frontier with the chosen plan, and the Monte
Carlo fan. All are drawn in the house style of :mod:`workbench.report.chart_style` (palette,
CJK font, sizes for two charts to an A4 landscape row, 万元 with thousands separators, title
and source line in Chinese). Each function returns a Figure; nothing is shown on screen.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from workbench.labels import CATEGORIES, LEVEL_CITY
from workbench.labels import CHART_LABELS as L
from workbench.planner import Plan
from workbench.report import chart_style as style
from workbench.report.chart_style import (
    BAND_ALPHA,
    FIGURE_SIZE_CM,
    HEADROOM,
    PALETTE,
    SMALL_PT,
    Palette,
    wan_label,
    wan_tick,
)

__all__ = [
    "FIGURE_SIZE_CM",
    "PALETTE",
    "Palette",
    "budget_by_category_and_pool",
    "commitments_chart",
    "frontier_chart",
    "knee",
    "pool_group",
    "risk_fan",
    "source_line",
    "top_units",
    "wan_label",
    "wan_tick",
]

UNIT_NAME_WIDTH = 11  # characters per line of a unit's name on the top-units chart
UNIT_NAME_BREAKS = "（与和及、"  # a unit's name breaks best before these
KNEE_LIFT = 1e-6  # a straight line's rounding noise is no knee
SAME_VALUE = 1e-6  # plan values closer than this are the same (the solver's objective noise)
# Where the frontier's notes stand (axes fractions): under the chord from the first point to
# the last, which a rising concave frontier leaves empty, one above the other, wherever the
# points they name lie.
KNEE_NOTE = (0.28, 0.1)
CHOSEN_NOTE = (0.97, 0.4)
LABEL_INSIDE_SHARE = 0.08  # a stack taller than this share of the axis carries its total inside


def source_line(plan: Plan | None = None, year: int | None = None) -> str:
    """资料来源 for a chart of ``plan`` (the embedded sample says so), or of a plan ``year``."""
    if plan is not None and plan.scenario.sample:
        return L["source_sample"]
    year = plan.scenario.plan_year if plan is not None else year
    return L["source"].format(year=year) if year is not None else L["source_plain"]


# --- the charts ----------------------------------------------------------------------------


def pool_group(pool: str, level: str) -> str:
    """The three channels the budget chart shows: 市本级 itself, the special funds a city project
    draws on (中央预算内投资, 自治区专项 …), and the 旗区/园区 (第四十三–四十五条: reviewed by
    the city, funded by their own pools), whichever pool a banner or park project names."""
    if pool == LEVEL_CITY:
        return LEVEL_CITY
    return L["group_special"] if level == LEVEL_CITY else L["group_districts"]


def _bar_ends(ax, bars, values) -> None:
    """Each horizontal bar's amount at its end (none on an empty bar)."""
    for bar, value in zip(bars, values, strict=True):
        if value > 0:
            style.annotate(
                ax,
                wan_label(value),
                (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                xytext=(3, 0),
                va="center",
            )


def budget_by_category_and_pool(plan: Plan, *, source: str | None = None) -> Figure:
    """Plan-year money by category (rows, in the measures' order) and channel (bars).

    Redesigned from a 12-colour stack in which 市本级 drowned every other pool: there are three
    channels (:func:`pool_group`), drawn as grouped horizontal bars with the amount at each bar
    end, so that the 旗区 and park projects, a few dozen 万元 beside thousands, still read as
    figures even where their bars are slivers. The category total stands under its name."""
    selected = plan.selected
    table = (
        pd.DataFrame(
            {
                "category": selected["category_effective"],
                "group": [
                    pool_group(p, lv)
                    for p, lv in zip(selected["funding_pool"], selected["level"], strict=True)
                ],
                "amount": selected["amount"].astype(float),
            }
        )
        .groupby(["category", "group"])["amount"]
        .sum()
        .unstack(fill_value=0.0)
    )
    groups = [
        g
        for g in (LEVEL_CITY, L["group_special"], L["group_districts"])
        if g in table.columns and table[g].sum() > 0
    ]
    categories = [c for c in CATEGORIES if c in table.index] + [
        c for c in table.index if c not in CATEGORIES
    ]
    table = table.reindex(index=categories, columns=groups, fill_value=0.0)

    fig = style.figure()
    ax = fig.add_subplot()
    style.style_axes(ax, grid="x")
    height = 0.8 / max(len(groups), 1)
    rows = np.arange(len(categories))
    for k, (group, colour) in enumerate(zip(groups, PALETTE.series, strict=False)):
        # The first channel on top within each category: rows run downwards.
        y = rows + (k - (len(groups) - 1) / 2) * height
        values = table[group].to_numpy()
        bars = ax.barh(y, values, height=height * 0.9, color=colour, label=group)
        _bar_ends(ax, bars, values)
    ax.set_yticks(
        rows,
        [
            L["category_total"].format(category=c, amount=wan_label(table.loc[c].sum()))
            for c in categories
        ],
    )
    ax.invert_yaxis()
    ax.tick_params(axis="y", length=0)
    largest = float(table.to_numpy().max()) if table.size else 0.0  # nothing selected: empty
    ax.set_xlim(0, max(largest, 1.0) * HEADROOM)
    style.money_axis(ax, "x")
    style.axis_label(ax, "x", L["by_category_y"])
    style.legend(ax)
    style.frame(
        fig,
        L["by_category_title"].format(year=plan.scenario.plan_year),
        source or source_line(plan),
    )
    return fig


def _wrap(name: str, width: int = UNIT_NAME_WIDTH) -> str:
    """A unit's name on two lines when it is longer than ``width``: broken before a bracketed
    alias (市政务服务中心 / （市大数据中心）) or a conjunction (市行政审批政务服务 / 与数据管理局)
    when that leaves both lines within ``width``, else into lines of even length. Never cut with an
    ellipsis: a truncated unit name is a different unit to the reader."""
    if len(name) <= width:
        return name
    breaks = [
        k
        for k, ch in enumerate(name)
        if ch in UNIT_NAME_BREAKS and k > 0 and max(k, len(name) - k) <= width
    ]
    if breaks:
        k = min(breaks, key=lambda k: abs(len(name) - 2 * k))
        return name[:k] + "\n" + name[k:]
    lines = -(-len(name) // width)
    return "\n".join(textwrap.wrap(name, width=-(-len(name) // lines)))


def top_units(plan: Plan, n: int = 10, *, source: str | None = None) -> Figure:
    """The ``n`` units with the most plan-year money, largest on top, amounts at the bar ends.
    Long names (市行政审批政务服务与数据管理局) are wrapped onto two lines rather than shrunk
    or cut."""
    amounts = plan.selected.assign(amount=lambda f: f["amount"].astype(float))
    top = amounts.groupby("unit")["amount"].sum().sort_values(kind="stable").tail(n)
    fig = style.figure()
    ax = fig.add_subplot()
    style.style_axes(ax, grid="x")
    bars = ax.barh(
        [_wrap(str(u)) for u in top.index], top.to_numpy(), height=0.68, color=PALETTE.blue
    )
    _bar_ends(ax, bars, top.to_numpy())
    ax.tick_params(axis="y", length=0, labelsize=SMALL_PT)
    ax.set_xlim(0, max(float(top.max()) if len(top) else 1.0, 1.0) * HEADROOM)
    style.money_axis(ax, "x")
    style.axis_label(ax, "x", L["top_units_x"])
    style.frame(
        fig,
        L["top_units_title"].format(year=plan.scenario.plan_year, n=len(top)),
        source or source_line(plan),
    )
    return fig


def commitments_chart(
    commitments: pd.DataFrame, pool: str = LEVEL_CITY, *, source: str | None = None
) -> Figure:
    """One pool's money by year: what earlier plans already committed (grey, at the base), the
    plan's construction and O&M on top, the total over each bar and the year's ceiling marked
    and labelled across it."""
    rows = commitments[commitments["pool"] == pool].sort_values("year")
    fig = style.figure()
    ax = fig.add_subplot()
    style.style_axes(ax, grid="y")
    x = np.arange(len(rows), dtype=float)
    bottom = np.zeros(len(rows))
    for key, colour in (
        ("carried", PALETTE.grey),
        ("construction", PALETTE.blue),
        ("om", PALETTE.ochre),
    ):
        values = rows[key].astype(float).to_numpy()
        if values.sum() > 0 or key != "carried":
            ax.bar(x, values, bottom=bottom, width=0.6, color=colour, label=L[key])
        bottom += values
    ceilings = rows["ceiling"].astype(float).to_numpy()
    top = float(np.nanmax(np.concatenate([bottom, ceilings, [1.0]])))
    ax.set_ylim(0, top * HEADROOM)
    for position, total in zip(x, bottom, strict=True):
        inside = total > top * HEADROOM * LABEL_INSIDE_SHARE
        style.annotate(
            ax,
            wan_label(total),
            (position, total),
            xytext=(0, -3 if inside else 2),
            ha="center",
            va="top" if inside else "bottom",
            color="white" if inside else PALETTE.ink,
            fontproperties=style.font(SMALL_PT, "bold"),
        )
    style.ceiling_marks(ax, x, ceilings)
    ax.set_xticks(x, [L["year_tick"].format(year=y) for y in rows["year"]])
    ax.set_xlim(-0.6, len(rows) - 0.4)
    style.money_axis(ax, "y")
    style.axis_label(ax, "y", L["commitments_y"])
    style.legend(ax)
    year = int(rows["year"].min()) if len(rows) else None
    style.frame(fig, L["commitments_title"].format(pool=pool), source or source_line(year=year))
    return fig


def knee(ceilings: Sequence[float], values: Sequence[float]) -> int | None:
    """The index of the frontier's knee: the point farthest above the straight line from the
    first point to the last once both axes are scaled to [0, 1] (the "Kneedle" rule of Satopää
    et al., 2011, for a concave rising curve). Past it, each further 万元 buys clearly less
    value. None when the curve has fewer than three points or does not rise."""
    x = np.asarray(ceilings, dtype=float)
    y = np.asarray(values, dtype=float)
    if len(x) < 3 or np.ptp(x) <= 0 or np.ptp(y) <= 0:
        return None
    xn = (x - x[0]) / (x[-1] - x[0])
    yn = (y - y.min()) / np.ptp(y)
    lift = yn - (yn[0] + (yn[-1] - yn[0]) * xn)
    best = int(np.argmax(lift))
    return best if 0 < best < len(x) - 1 and lift[best] > KNEE_LIFT else None


def frontier_chart(
    frontier: pd.DataFrame, plan: Plan, pool: str = LEVEL_CITY, *, source: str | None = None
) -> Figure:
    """Plan value against one pool's plan-year ceiling: the chosen plan marked and annotated,
    the knee (:func:`knee`) annotated, and the ceiling beyond which no more value is bought.
    Only amounts and values are written on the chart; which projects enter at each step is in
    the report's frontier table and in ``--why``."""
    year = plan.scenario.plan_year
    solved = frontier[frontier["status"].isin(("optimal", "time_limit"))].sort_values("ceiling")
    x = solved["ceiling"].astype(float).to_numpy()
    y = solved["value"].astype(float).to_numpy()
    fig = style.figure()
    ax = fig.add_subplot()
    style.style_axes(ax, grid="both")
    ax.plot(
        x, y, color=PALETTE.blue, linewidth=1.6, marker="o", markersize=3, label=L["frontier_line"]
    )
    if len(y):
        best = float(y.max())
        saturated = int(np.argmax(y >= best - SAME_VALUE))
        if saturated < len(x) - 1:
            used = float(solved["used"].iloc[saturated])
            style.annotate(
                ax,
                L["frontier_plateau"].format(used=wan_label(used)),
                (x[-1], best),
                xytext=(0, 5),  # above the flat run, clear of the chosen plan's note below it
                ha="right",
                va="bottom",
                color=PALETTE.muted,
            )
        # The knee of the rising part: the flat run past saturation would otherwise stretch
        # the scale and push the knee towards it.
        bend = knee(x[: saturated + 1], y[: saturated + 1])
        if bend is not None:
            ax.plot(
                [x[bend]],
                [y[bend]],
                marker="o",
                markersize=7,
                color=PALETTE.ochre,
                markerfacecolor="white",
                markeredgewidth=1.6,
                linestyle="none",
                zorder=5,
            )
            style.annotate(
                ax,
                L["frontier_knee"].format(
                    ceiling=wan_label(x[bend]), value=wan_label(float(y[bend]))
                ),
                (x[bend], y[bend]),
                xytext=KNEE_NOTE,
                textcoords="axes fraction",
                ha="left",
                va="bottom",
                arrowprops={"arrowstyle": "-", "color": PALETTE.muted, "linewidth": 0.6},
            )
    # On the curve's own scale: the ceiling left for new money once carried commitments are
    # deducted (what the frontier varies), not the scenario's gross ceiling.
    chosen = plan.prepared.problem.ceilings.get((pool, year))
    if chosen is not None and plan.objective is not None:
        cx, cy = float(chosen), float(plan.objective)
        ax.plot(
            [cx],
            [cy],
            marker="D",
            markersize=7,
            color=PALETTE.red,
            linestyle="none",
            zorder=6,
            label=L["frontier_chosen"],
        )
        style.annotate(
            ax,
            L["frontier_chosen_note"].format(ceiling=wan_label(cx), value=wan_label(cy)),
            (cx, cy),
            xytext=CHOSEN_NOTE,
            textcoords="axes fraction",
            ha="right",
            va="bottom",
            color=PALETTE.red,
            fontproperties=style.font(SMALL_PT, "bold"),
            arrowprops={"arrowstyle": "-", "color": PALETTE.red, "linewidth": 0.6},
        )
    right = max([*x, float(chosen) if chosen is not None else 0.0, 1.0])
    ax.set_xlim(0, right * 1.04)  # room for the markers at the far end
    ax.set_ylim(0, max(float(np.max(y)) if len(y) else 1.0, plan.objective or 0.0) * 1.1)
    style.money_axis(ax, "x")
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(wan_tick))
    style.axis_label(ax, "x", L["frontier_x"].format(pool=pool, year=year))
    style.axis_label(ax, "y", L["frontier_y"])
    style.legend(ax)
    style.frame(fig, L["frontier_title"].format(pool=pool, year=year), source or source_line(plan))
    return fig


def _percent(probability: float) -> str:
    if probability < 0.01:
        return L["fan_exceed_small"]
    return L["fan_exceed"].format(pct=round(probability * 100))


def risk_fan(risk: pd.DataFrame, pool: str = LEVEL_CITY, *, source: str | None = None) -> Figure:
    """One pool's simulated spend by year: the P50–P90 band, the plan's own figure beside it
    (the P50 differs from the plan because of overruns and slipped starts, which is what a
    reader asks first), each year's ceiling marked and labelled, and the chance of exceeding it
    written under the label where there is one."""
    rows = risk[risk["pool"] == pool].sort_values("year")
    x = np.arange(len(rows), dtype=float)
    p50 = rows["p50"].astype(float).to_numpy()
    p90 = rows["p90"].astype(float).to_numpy()
    fig = style.figure()
    ax = fig.add_subplot()
    style.style_axes(ax, grid="y")
    ax.fill_between(
        x, p50, p90, color=PALETTE.blue, alpha=BAND_ALPHA, linewidth=0, label=L["fan_band"]
    )
    ax.plot(x, p50, color=PALETTE.blue, linewidth=1.6, marker="o", markersize=4, label=L["fan_p50"])
    ax.plot(
        x,
        p90,
        color=PALETTE.blue,
        linewidth=1.0,
        linestyle=(0, (3, 2)),
        marker="o",
        markersize=3,
        label=L["fan_p90"],
    )
    if "planned" in rows:
        ax.plot(
            x,
            rows["planned"].astype(float).to_numpy(),
            color=PALETTE.ochre,
            marker="D",
            markersize=5,
            linestyle="none",
            label=L["fan_planned"],
            zorder=5,
        )
    ceilings = rows["ceiling"].astype(float).to_numpy()
    top = float(np.nanmax(np.concatenate([p90, ceilings, [1.0]])))
    ax.set_ylim(0, top * HEADROOM * 1.05)
    style.ceiling_marks(ax, x, ceilings)
    if "p_exceed" in rows:
        # Under the year, where no line crosses it.
        for position, ceiling, p in zip(x, ceilings, rows["p_exceed"].astype(float), strict=True):
            if np.isfinite(ceiling) and np.isfinite(p) and p > 0:
                style.annotate(
                    ax,
                    _percent(p),
                    (position, 0),
                    xycoords=("data", "axes fraction"),
                    xytext=(0, -18),
                    ha="center",
                    va="top",
                    color=PALETTE.red,
                    fontproperties=style.font(SMALL_PT, "bold"),
                )
    ax.set_xticks(x, [L["year_tick"].format(year=y) for y in rows["year"]])
    ax.set_xlim(-0.6, len(rows) - 0.4)
    style.money_axis(ax, "y")
    style.axis_label(ax, "y", L["commitments_y"])
    style.legend(ax, ncols=3)
    year = int(rows["year"].min()) if len(rows) else None
    fallback = L["source_plain"] if year is None else L["source_risk"].format(year=year)
    style.frame(fig, L["fan_title"].format(pool=pool), source or fallback)
    return fig

"""The house style of the charts, defined once: palette, sizes, fonts, number formats, and the
frame every chart shares (title above, source line below, legend between title and plot).

Sizes are for two charts to a row on an A4 landscape page (13 cm × 8 cm; the same PNG at 150 dpi
is 768 px wide, about the width of a dashboard column). Every text is drawn in the CJK family
:func:`workbench.report.fonts.configure` chose, tick labels and legends too, set per element so
that no later change of matplotlib's global settings can bring the boxes back. The conventions
are those of printed Chinese government reports: a title in Chinese above the chart, the source
(资料来源) under it, amounts in 万元 with thousands separators, values at the bar ends, a light
grid, no top or right frame, the legend outside the data.

The palette is Paul Tol's "high contrast" scheme (blue, ochre, red, dark to light in lightness):
restrained enough for a printed report, distinguishable under every common form of colour
blindness, and still distinct when printed in grey.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import FuncFormatter, MaxNLocator

from workbench.labels import CHART_LABELS as L
from workbench.report.fonts import configure


@dataclass(frozen=True)
class Palette:
    """The house colours. ``series`` are the data colours in the order series take them."""

    blue: str = "#004488"
    ochre: str = "#DDAA33"
    red: str = "#BB5566"
    grey: str = "#BBBBBB"  # already-committed money, context rather than the plan's own
    ink: str = "#1A1A1A"  # text and reference lines (ceilings)
    muted: str = "#5F5F5F"  # axes, source line, annotations
    grid: str = "#E3E3E3"

    @property
    def series(self) -> tuple[str, str, str]:
        return (self.blue, self.ochre, self.red)

    @property
    def colours(self) -> frozenset[str]:
        """Every colour a chart may draw data or reference marks in (lower-case hex)."""
        return frozenset(
            c.lower() for c in (self.blue, self.ochre, self.red, self.grey, self.ink, self.muted)
        )


PALETTE = Palette()

CM = 1 / 2.54
FIGURE_SIZE_CM = (13.0, 8.0)  # two charts to a row on A4 landscape
TITLE_PT, BODY_PT, SMALL_PT = 10.0, 8.0, 7.0
BAND_ALPHA = 0.18  # the P50–P90 band: light enough for the lines and labels on it to read
HEADROOM = 1.18  # axis room beyond the largest bar for its value label


def family() -> str:
    return configure()


def font(size: float = BODY_PT, weight: str = "normal") -> FontProperties:
    """The CJK family, with DejaVu Sans only as a per-glyph fallback."""
    return FontProperties(family=[family(), "DejaVu Sans"], size=size, weight=weight)


def figure(width: float = FIGURE_SIZE_CM[0] * CM, height: float = FIGURE_SIZE_CM[1] * CM) -> Figure:
    """A figure of the house size (inches), laid out by matplotlib's constrained layout so that
    title, legend and source line are given their room instead of overlapping the data."""
    configure()
    fig = Figure(figsize=(width, height), dpi=120, layout="constrained")
    fig.get_layout_engine().set(w_pad=0.04, h_pad=0.04, hspace=0.02, wspace=0.02)
    return fig


def style_axes(ax: Axes, *, grid: str) -> None:
    """Light grid on the value axis only, no top or right frame, small muted ticks."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(PALETTE.muted)
        ax.spines[side].set_linewidth(0.6)
    ax.tick_params(
        labelsize=BODY_PT,
        labelfontfamily=family(),
        colors=PALETTE.muted,
        labelcolor=PALETTE.ink,
        length=3,
        width=0.6,
    )
    ax.grid(axis=grid, color=PALETTE.grid, linewidth=0.6)
    ax.set_axisbelow(True)


def frame(fig: Figure, title: str, source: str) -> None:
    """Title above, left-aligned; source line below, left-aligned, muted."""
    fig.suptitle(title, x=0.01, ha="left", fontproperties=font(TITLE_PT, "bold"), color=PALETTE.ink)
    fig.supxlabel(source, x=0.01, ha="left", fontproperties=font(SMALL_PT), color=PALETTE.muted)


def legend(ax: Axes, ncols: int | None = None) -> None:
    """The legend in a row between the title and the plot: outside the data, read first. It is
    the axes' own legend, anchored above them, so that the constrained layout makes room for it
    (a figure legend placed "outside" collides with the title)."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    # Data series first, the reference mark (the ceiling) last, whatever order they were drawn.
    entries = sorted(zip(handles, labels, strict=True), key=lambda e: e[1] == L["ceiling"])
    columns = ncols or len(entries)
    rows = -(-len(entries) // columns)
    # matplotlib fills a legend column by column; reorder so that it reads row by row.
    entries = [
        entries[r * columns + c]
        for c in range(columns)
        for r in range(rows)
        if r * columns + c < len(entries)
    ]
    ax.legend(
        [e[0] for e in entries],
        [e[1] for e in entries],
        loc="lower left",
        bbox_to_anchor=(0.0, 1.01),
        borderaxespad=0.2,
        borderpad=0.0,
        ncols=columns,
        frameon=False,
        prop=font(BODY_PT),
        handlelength=1.6,
        columnspacing=1.2,
    )


def axis_label(ax: Axes, which: str, text: str) -> None:
    getattr(ax, f"set_{which}label")(text, fontproperties=font(BODY_PT), color=PALETTE.muted)


def wan_tick(value: float, _position: object = None) -> str:
    """A tick on a 万元 axis: thousands separators, decimals only when the tick has them."""
    if abs(value - round(value)) < 1e-9:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def wan_label(value: float) -> str:
    """A value at a bar end: whole 万元 from 100 up (the tables carry the exact amounts), up to
    two decimals below, so that a 12.01 万元 park project does not read as 12."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def money_axis(ax: Axes, which: str) -> None:
    axis = ax.xaxis if which == "x" else ax.yaxis
    axis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10], min_n_ticks=3))
    axis.set_major_formatter(FuncFormatter(wan_tick))


def annotate(ax: Axes, text: str, xy: tuple[float, float], **kwargs: Any) -> None:
    options: dict[str, Any] = {
        "fontproperties": font(SMALL_PT),
        "color": PALETTE.ink,
        "textcoords": "offset points",
    }
    options.update(kwargs)
    ax.annotate(text, xy, **options)


def ceiling_marks(ax: Axes, x: Sequence[float], ceilings: Sequence[float]) -> None:
    """Each year's ceiling as a dark dashed bar across its slot, labelled with its amount:
    ceilings differ from year to year, so a line joining them would suggest a path that none
    of the years has."""
    first = True
    for position, ceiling in zip(x, ceilings, strict=True):
        if ceiling is None or not np.isfinite(ceiling):
            continue
        ax.hlines(
            ceiling,
            position - 0.42,
            position + 0.42,
            colors=PALETTE.ink,
            linestyles=(0, (4, 2)),
            linewidth=1.1,
            label=L["ceiling"] if first else None,
            zorder=4,
        )
        annotate(
            ax,
            L["ceiling_value"].format(amount=wan_label(ceiling)),
            (position + 0.42, ceiling),
            xytext=(0, 2),
            ha="right",
            va="bottom",
            color=PALETTE.ink,
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
            zorder=5,
        )
        first = False

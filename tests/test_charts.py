"""The charts in the house style, drawn on the embedded sample: Chinese in the CJK family on
every text (a missing-glyph warning fails), the house size, thousands separators on the 万元
axes, the palette, the source line, legends outside the data, nothing drawn off the canvas or
over another label, and no project ids on the frontier. The PNGs are saved under
test-artifacts/charts/ for a person to look at."""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import replace
from decimal import Decimal
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from workbench.compare import plan_scenario
from workbench.data import sample_candidates, sample_systems, sample_usage
from workbench.intake import read_table
from workbench.intake.registry import read_systems, read_usage
from workbench.labels import CATEGORIES, CHART_LABELS, LEVEL_CITY
from workbench.planner.frontier import frontier
from workbench.policy import check
from workbench.report import charts, fonts
from workbench.report.fonts import CJK_FAMILIES, configure
from workbench.report.html import figure_bytes
from workbench.scenario import load_scenario
from workbench.simulate import assumptions_from, commitments, simulate

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "charts"
CJK = re.compile("[\u4e00-\u9fff]")
SOURCE_PREFIX = CHART_LABELS["source"].split("：")[0]  # "资料来源"
# Which axis of each chart carries 万元.
MONEY_AXIS = {"budget": "x", "units": "x", "commitments": "y", "frontier": "x", "risk": "y"}


@pytest.fixture(scope="module")
def plan():
    systems = read_systems([sample_systems()])
    usage = read_usage([sample_usage()], systems)
    result = check(
        read_table([sample_candidates()]).accepted,
        plan_year=2027,
        systems=systems.accepted,
        usage=usage.accepted,
    )
    return plan_scenario(result, load_scenario("base"), systems=systems.accepted)[0]


@pytest.fixture(scope="module")
def sweep(plan):
    return frontier(plan.prepared.problem, points=12)


@pytest.fixture(scope="module")
def risk(plan):
    return simulate(plan, assumptions_from(plan), draws=500, seed=1)


@pytest.fixture(scope="module")
def figures(plan, sweep, risk) -> dict[str, Figure]:
    return {
        "budget": charts.budget_by_category_and_pool(plan),
        "units": charts.top_units(plan),
        "commitments": charts.commitments_chart(commitments(plan)),
        "frontier": charts.frontier_chart(sweep, plan),
        "risk": charts.risk_fan(risk),
    }


def render(figure: Figure) -> tuple[bytes, list[warnings.WarningMessage]]:
    buffer = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # "Glyph … missing from font(s)" is a UserWarning
        figure.savefig(buffer, format="png")
    return buffer.getvalue(), caught


def drawn(figure: Figure) -> FigureCanvasAgg:
    """The figure drawn on an Agg canvas: tick labels exist and every text has its extent."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return canvas


def texts(figure: Figure) -> list[Text]:
    """Every text a reader sees: not empty, and no tick label of a tick outside the axis."""
    hidden = set()
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for value, label in zip(axis.get_ticklocs(), axis.get_ticklabels(), strict=True):
                if not low - 1e-9 <= value <= high + 1e-9:
                    hidden.add(id(label))
    return [
        t
        for t in figure.findobj(Text)
        if t.get_visible() and t.get_text().strip() and id(t) not in hidden
    ]


# --- fonts ---------------------------------------------------------------------------------


def test_a_cjk_family_is_configured():
    family = configure()
    assert family in CJK_FAMILIES
    import matplotlib

    assert matplotlib.rcParams["font.sans-serif"][0] == family


def test_every_chart_renders_without_missing_glyphs_and_is_saved(figures):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, figure in figures.items():
        png, caught = render(figure)
        assert png.startswith(b"\x89PNG") and len(png) > 10_000
        glyphs = [str(w.message) for w in caught if "missing from font" in str(w.message)]
        assert not glyphs, (name, glyphs)
        (ARTIFACTS / f"{name}.png").write_bytes(figure_bytes(figure))


def test_every_text_including_ticks_and_legends_is_in_the_cjk_family(figures):
    family = configure()
    for name, figure in figures.items():
        drawn(figure)
        found = texts(figure)
        ticks = [t for ax in figure.axes for t in ax.get_xticklabels() + ax.get_yticklabels()]
        legends = [t for ax in figure.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
        assert any(t in found for t in ticks), name  # tick labels are among the texts checked
        if name != "units":
            assert legends, name
        wrong = [
            (t.get_text(), t.get_fontfamily()) for t in found if t.get_fontfamily()[0] != family
        ]
        assert not wrong, (name, wrong)


def test_a_missing_glyph_would_fail(plan, monkeypatch):
    # The charts take their family from fonts.configure(): a Latin-only family there must show
    # up as missing-glyph warnings, else the test above could not fail.
    monkeypatch.setattr(fonts, "_configured", "DejaVu Sans")
    _, caught = render(charts.top_units(plan))
    assert any("missing from font" in str(w.message) for w in caught)


# --- house style ---------------------------------------------------------------------------


def test_house_size_two_to_an_a4_landscape_row(figures):
    for figure in figures.values():
        width, height = figure.get_size_inches() * 2.54
        assert width == pytest.approx(13, abs=0.05) and height == pytest.approx(8, abs=0.05)
    # Two charts and a gap fit across A4 landscape inside 15 mm margins.
    assert 2 * charts.FIGURE_SIZE_CM[0] + 0.5 <= 29.7 - 3


def test_titles_in_chinese_and_a_source_line_under_each_chart(figures):
    for name, figure in figures.items():
        assert CJK.search(figure.get_suptitle()), name
        source = figure.get_supxlabel()
        assert source.startswith(SOURCE_PREFIX), (name, source)
        drawn(figure)
        title_box = figure._suptitle.get_window_extent()
        source_box = figure._supxlabel.get_window_extent()
        for ax in figure.axes:
            box = ax.get_window_extent()
            assert title_box.y0 >= box.y1 and source_box.y1 <= box.y0, name


def test_the_sample_is_named_as_the_source(figures, plan):
    assert plan.scenario.sample
    assert figures["budget"].get_supxlabel() == CHART_LABELS["source_sample"]
    assert figures["commitments"].get_supxlabel() == CHART_LABELS["source"].format(year=2027)


def test_money_axes_have_thousands_separators(figures):
    for name, figure in figures.items():
        drawn(figure)
        ax = figure.axes[0]
        axis = MONEY_AXIS[name]
        low, high = ax.get_xlim() if axis == "x" else ax.get_ylim()
        ticks = ax.get_xticks() if axis == "x" else ax.get_yticks()
        labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
        shown = [(v, t.get_text()) for v, t in zip(ticks, labels, strict=True) if low <= v <= high]
        large = [(v, text) for v, text in shown if v >= 1000]
        assert large, (name, shown)  # else the check below would prove nothing
        assert all("," in text for _, text in large), (name, large)
        assert all(float(text.replace(",", "")) == pytest.approx(v) for v, text in shown)


@pytest.mark.parametrize(
    ("value", "tick", "label"),
    [
        (1000.0, "1,000", "1,000"),
        (12500.0, "12,500", "12,500"),
        (2.5, "2.5", "2.5"),
        (0.0, "0", "0"),
        (9451.39, "9,451.39", "9,451"),
        (12.01, "12.01", "12.01"),
        (16.1, "16.1", "16.1"),
    ],
)
def test_amount_formats(value, tick, label):
    assert charts.wan_tick(value) == tick
    assert charts.wan_label(value) == label


def _data_colours(figure: Figure) -> set[str]:
    out: set[str] = set()
    for ax in figure.axes:
        for patch in ax.patches:
            if isinstance(patch, Rectangle):
                out.add(to_hex(patch.get_facecolor(), keep_alpha=False))
        for line in ax.get_lines():
            out.add(to_hex(line.get_color(), keep_alpha=False))
        for collection in ax.collections:
            colours = (
                collection.get_edgecolor()
                if isinstance(collection, LineCollection)
                else collection.get_facecolor()
            )
            out |= {to_hex(c, keep_alpha=False) for c in colours}
    return out


def test_every_chart_draws_in_the_palette(figures):
    for name, figure in figures.items():
        colours = _data_colours(figure)
        assert charts.PALETTE.blue.lower() in colours, name
        assert colours <= charts.PALETTE.colours, (name, colours - charts.PALETTE.colours)


def test_frames_grid_and_legends(figures):
    for name, figure in figures.items():
        drawn(figure)
        ax = figure.axes[0]
        assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
        gridlines = [g for g in ax.get_xgridlines() + ax.get_ygridlines() if g.get_visible()]
        assert gridlines and all(
            to_hex(g.get_color()) == charts.PALETTE.grid.lower() for g in gridlines
        )
        legend = ax.get_legend()
        if legend is not None:  # outside the data: above the axes
            assert legend.get_window_extent().y0 >= ax.get_window_extent().y1 - 1, name


def assert_readable(figure: Figure, name: str) -> None:
    """Every text inside the canvas, and no two texts over each other."""
    canvas = drawn(figure)
    renderer = canvas.get_renderer()
    width, height = canvas.get_width_height()
    boxes = []
    for text in texts(figure):
        box = Text.get_window_extent(text, renderer)  # an annotation's text, not its arrow
        assert box.x0 >= -1 and box.y0 >= -1, (name, text.get_text())
        assert box.x1 <= width + 1 and box.y1 <= height + 1, (name, text.get_text())
        boxes.append((text.get_text(), box.shrunk(0.98, 0.9)))
    overlapping = [(a, b) for (a, p), (b, q) in combinations(boxes, 2) if p.overlaps(q)]
    assert not overlapping, (name, overlapping)


def test_no_text_leaves_the_canvas_or_covers_another(figures):
    for name, figure in figures.items():
        assert_readable(figure, name)


@pytest.mark.parametrize("share", [0.0, 0.1, 0.25, 0.6, 1.0])
def test_frontier_notes_stay_apart_wherever_the_chosen_plan_lies(plan, sweep, share):
    # The chart reads only the scenario's ceiling and the plan's value: a plan moved along the
    # sweep (its value read off the curve) is enough to place the chosen point anywhere.
    low, high = float(sweep["ceiling"].min()), float(sweep["ceiling"].max())
    ceiling = low + share * (high - low)
    value = float(np.interp(ceiling, sweep["ceiling"], sweep["value"]))
    ceilings = {**plan.scenario.ceilings, LEVEL_CITY: {2027: Decimal(str(round(ceiling, 2)))}}
    moved = replace(
        plan, scenario=plan.scenario.model_copy(update={"ceilings": ceilings}), objective=value
    )
    assert_readable(charts.frontier_chart(sweep, moved), f"frontier at {share:.0%}")


# --- each chart ----------------------------------------------------------------------------


def test_budget_chart_shows_every_wan_in_at_most_three_channels(figures, plan):
    ax = figures["budget"].axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    total = float(plan.selected["amount"].astype(float).sum())
    assert sum(b.get_width() for b in bars) == pytest.approx(total, abs=0.01)
    assert len({to_hex(b.get_facecolor()) for b in bars}) <= 3
    names = [t.get_text().split("\n")[0] for t in ax.get_yticklabels()]
    assert names == [c for c in CATEGORIES if c in set(plan.selected["category_effective"])]
    # City money and the 旗区/园区 are both there, each bar with its amount written at its end.
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert LEVEL_CITY in legend and CHART_LABELS["group_districts"] in legend
    written = {t.get_text() for t in ax.texts}
    assert all(charts.wan_label(b.get_width()) in written for b in bars if b.get_width() > 0)


def test_pool_groups():
    assert charts.pool_group(LEVEL_CITY, LEVEL_CITY) == LEVEL_CITY
    assert charts.pool_group("中央预算内投资", LEVEL_CITY) == CHART_LABELS["group_special"]
    assert charts.pool_group("杭锦旗", "旗区") == CHART_LABELS["group_districts"]
    assert charts.pool_group("中央预算内投资", "园区") == CHART_LABELS["group_districts"]


def test_top_units_names_are_whole_and_wrapped(figures, plan):
    ax = figures["units"].axes[0]
    amounts = plan.selected.assign(amount=plan.selected["amount"].astype(float))
    expected = amounts.groupby("unit")["amount"].sum().nlargest(10)
    shown = [t.get_text() for t in ax.get_yticklabels()]
    assert [s.replace("\n", "") for s in reversed(shown)] == list(expected.index)
    assert all(len(line) <= charts.UNIT_NAME_WIDTH for s in shown for line in s.split("\n"))
    assert any("\n" in s for s in shown)  # the sample has names longer than one line


@pytest.mark.parametrize(
    ("name", "wrapped"),
    [
        ("市公安局", "市公安局"),
        ("市政务服务中心（市大数据中心）", "市政务服务中心\n（市大数据中心）"),
        ("市行政审批政务服务与数据管理局", "市行政审批政务服务\n与数据管理局"),
        ("甲" * 25, "\n".join(["甲" * 9, "甲" * 9, "甲" * 7])),  # no natural break: even lines
    ],
)
def test_unit_names_wrap_at_the_natural_break(name, wrapped):
    assert charts._wrap(name, width=11) == wrapped


def test_commitments_mark_and_label_each_years_ceiling(figures, plan):
    table = commitments(plan)
    rows = table[table["pool"] == LEVEL_CITY].sort_values("year")
    ax = figures["commitments"].axes[0]
    marks = [c for c in ax.collections if isinstance(c, LineCollection)]
    levels = sorted(round(float(seg[0][1]), 2) for c in marks for seg in c.get_segments())
    assert levels == sorted(float(v) for v in rows["ceiling"])
    written = {t.get_text() for t in ax.texts}
    for ceiling in rows["ceiling"]:
        assert (
            CHART_LABELS["ceiling_value"].format(amount=charts.wan_label(float(ceiling))) in written
        )
    for total in rows[["construction", "om", "carried"]].astype(float).sum(axis=1):
        assert charts.wan_label(total) in written
    assert CHART_LABELS["ceiling"] in [t.get_text() for t in ax.get_legend().get_texts()]


def test_frontier_marks_the_chosen_plan_and_the_knee_and_names_no_project(figures, plan, sweep):
    figure = figures["frontier"]
    ax = figure.axes[0]
    ceiling = float(plan.scenario.ceilings[LEVEL_CITY][2027])
    chosen = [
        line
        for line in ax.get_lines()
        if len(line.get_xdata()) == 1
        and line.get_xdata()[0] == pytest.approx(ceiling)
        and line.get_ydata()[0] == pytest.approx(plan.objective)
    ]
    assert chosen and to_hex(chosen[0].get_color()) == charts.PALETTE.red.lower()
    written = " ".join(t.get_text() for t in texts(figure))
    assert charts.wan_label(ceiling) in written and charts.wan_label(plan.objective) in written
    assert CHART_LABELS["frontier_knee"].split("：")[0] in written
    ids = {pid for cell in sweep["entering"] for pid in cell} | set(plan.projects["project_id"])
    assert ids and not [pid for pid in ids if pid in written]
    assert not re.search(r"[A-Z]{2}\d{4}-\d{4}", written)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([0, 10, 12, 13, 13.5], 1),  # lift above the chord: 0.49 at 1, 0.39 at 2, 0.21 at 3
        ([0, 2, 4, 6, 8], None),  # a straight line has no knee
        ([0, 1, 2, 3, 10], None),  # convex: every point lies below the chord
        ([5, 5], None),
    ],
)
def test_knee(values, expected):
    assert charts.knee(list(range(len(values))), values) == expected


def test_risk_fan_writes_the_chance_of_exceeding_each_ceiling(figures, risk):
    rows = risk[risk["pool"] == LEVEL_CITY].sort_values("year")
    ax = figures["risk"].axes[0]
    written = {t.get_text() for t in ax.texts}
    exceeding = rows[rows["p_exceed"] > 0]
    assert len(exceeding)  # the sample's 2028 is at risk
    for p in exceeding["p_exceed"]:
        text = (
            CHART_LABELS["fan_exceed"].format(pct=round(p * 100))
            if p >= 0.01
            else CHART_LABELS["fan_exceed_small"]
        )
        assert text in written
    for ceiling in rows["ceiling"].dropna():
        assert CHART_LABELS["ceiling_value"].format(amount=charts.wan_label(ceiling)) in written
    planned = [line for line in ax.get_lines() if line.get_label() == CHART_LABELS["fan_planned"]]
    assert planned and np.allclose(planned[0].get_ydata(), rows["planned"].astype(float))


def test_other_pools_draw_too(plan, risk):
    for figure in (
        charts.commitments_chart(commitments(plan), "杭锦旗"),
        charts.risk_fan(risk, "中央预算内投资"),  # no ceiling in its last year
    ):
        _, caught = render(figure)
        assert not [w for w in caught if "missing from font" in str(w.message)]

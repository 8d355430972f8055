"""Charts render Chinese with a CJK font: any missing-glyph warning fails the test."""

from __future__ import annotations

import io
import warnings

import pytest

from workbench.compare import plan_scenario
from workbench.data import sample_candidates, sample_systems, sample_usage
from workbench.intake import read_table
from workbench.intake.registry import read_systems, read_usage
from workbench.planner.frontier import frontier
from workbench.policy import check
from workbench.report import charts
from workbench.report.fonts import CJK_FAMILIES, configure
from workbench.scenario import load_scenario
from workbench.simulate import assumptions_from, commitments, simulate


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


def render(figure) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" is a UserWarning
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def test_a_cjk_family_is_configured():
    family = configure()
    assert family in CJK_FAMILIES
    import matplotlib

    assert matplotlib.rcParams["font.sans-serif"][0] == family


def test_every_chart_renders_chinese_without_missing_glyphs(plan):
    figures = [
        charts.budget_by_category_and_pool(plan),
        charts.top_units(plan),
        charts.commitments_chart(commitments(plan)),
        charts.frontier_chart(frontier(plan.prepared.problem, points=6), plan),
        charts.risk_fan(simulate(plan, assumptions_from(plan), draws=500, seed=1)),
    ]
    for figure in figures:
        png = render(figure)
        assert png.startswith(b"\x89PNG") and len(png) > 10_000
        assert any("\u4e00" <= ch <= "\u9fff" for ch in figure.axes[0].get_title())


def test_a_missing_glyph_would_fail(plan):
    import matplotlib

    with matplotlib.rc_context({"font.sans-serif": ["DejaVu Sans"]}):
        figure = charts.top_units(plan)
        with pytest.raises(UserWarning, match="missing from font"):
            render(figure)

"""Spend profiles: given per-year amounts, the derived split, the O&M tail and renewals."""

from __future__ import annotations

from decimal import Decimal

from conftest import project

from workbench.planner.spend import spend_profile
from workbench.scenario import Scenario


def profile(result, **scenario) -> dict[tuple[str, int, str], Decimal]:
    sc = Scenario.model_validate({"name": "t", "plan_year": 2027, "horizon": 3, **scenario})
    table = spend_profile(result.candidates, sc)
    return {(r.project_id, r.year, r.kind): r.amount for r in table.itertuples()}


def test_derived_profile_spreads_the_rest_over_the_construction_years(checked):
    result = checked(
        [
            project(
                project_id="A",
                total_investment="1000",
                request_amount="400",
                construction_months="30",
                annual_om_cost="0",
            ),
            project(
                project_id="B",
                total_investment="100",
                request_amount="60",
                construction_months="12",
                annual_om_cost="0",
            ),
        ]
    )
    got = profile(result)
    # A: 400 now, 600 over the two later construction years (30 months → 3 years), exact to 0.01.
    assert got[("A", 2027, "construction")] == Decimal("400")
    assert got[("A", 2028, "construction")] + got[("A", 2029, "construction")] == Decimal("600")
    # B: one year, but it asks less than its total: the rest the year after.
    assert got[("B", 2028, "construction")] == Decimal("40")


def test_a_given_profile_is_used_as_it_is(checked):
    result = checked(
        [
            project(
                project_id="A",
                total_investment="900",
                request_amount="300",
                amount_2027="300",
                amount_2028="500",
                amount_2029="100",
                annual_om_cost="0",
            ),
        ]
    )
    got = profile(result)
    assert [got[("A", y, "construction")] for y in (2027, 2028, 2029)] == [
        Decimal("300"),
        Decimal("500"),
        Decimal("100"),
    ]


def test_om_tail_after_warranty_and_renewals_recur(checked):
    result = checked(
        [
            project(
                project_id="A",
                total_investment="100",
                request_amount="100",
                construction_months="6",
                warranty_months="12",
                annual_om_cost="15",
            ),
            project(
                project_id="R",
                category="运维服务类",
                existing_om="是",
                total_investment="80",
                request_amount="80",
            ),
        ]
    )
    got = profile(result)
    # 6 months of construction and 12 of warranty from 1 January 2027: O&M from July 2028,
    # half a year in 2028, a full year in 2029.
    assert got[("A", 2028, "om")] == Decimal("7.50") and got[("A", 2029, "om")] == Decimal("15")
    assert ("A", 2027, "om") not in got
    assert got[("R", 2028, "om")] == got[("R", 2029, "om")] == Decimal("80")
    assert got[("R", 2027, "om")] == Decimal("80")  # an O&M project's own money is O&M
    no_tail = profile(result, om={"include_tail": False})
    assert [key for key in no_tail if key[2] == "om"] == [("R", 2027, "om")]

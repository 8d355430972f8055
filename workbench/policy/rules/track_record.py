"""第六条第（五）、（七）项: what a unit's built systems (registry and usage) mean for its new projects."""

from __future__ import annotations

import pandas as pd

from workbench.policy.context import RuleContext, flag
from workbench.policy.findings import empty_findings, rule_findings
from workbench.policy.usage import add_years


def low_usage(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第六条第（五）项: a unit whose system was judged low-usage gets no new-build project for a
    year from that system's final acceptance."""
    spec = ctx.pack.rules.low_usage
    lows = ctx.low_usage()
    if not lows or ctx.systems is None:
        return empty_findings()
    systems = ctx.systems.set_index("system_id")
    blocking = []
    for system_id, low in lows.items():
        accepted = systems.at[system_id, "final_acceptance_date"]
        if accepted is None or pd.isna(accepted):
            continue
        window_end = add_years(accepted, spec.window_years)
        if accepted <= ctx.reference_date <= window_end:
            basis = (
                spec.basis_determined
                if low.basis == "determined"
                else spec.basis_computed.format(
                    start_month=low.start_month,
                    end_month=low.end_month,
                    months=len(low.rates),
                    rates="、".join(low.rates),
                )
            )
            blocking.append(
                {
                    "unit": systems.at[system_id, "unit"],
                    "system_id": system_id,
                    "system_name": systems.at[system_id, "name"],
                    "final_acceptance_date": accepted,
                    "window_end": window_end,
                    "basis": basis,
                    "reference_date": ctx.reference_date,
                }
            )
    if not blocking:
        return empty_findings()
    new_build = c["category_effective"].isin(spec.categories) & ~flag(c, "is_upgrade")
    hit = c[new_build].reset_index().merge(pd.DataFrame(blocking), on="unit").set_index("index")
    return rule_findings(
        "low_usage",
        spec,
        hit,
        [
            "unit",
            "system_id",
            "system_name",
            "final_acceptance_date",
            "window_end",
            "basis",
            "reference_date",
        ],
    )


def failed_evaluation(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第六条第（七）项: a unit whose system failed its performance evaluation, or was discontinued
    within two years of completion, in the year before the plan year gets in principle no
    investment (a soft exclusion, overridable with a recorded reason)."""
    spec = ctx.pack.rules.failed_evaluation
    s = ctx.systems
    if s is None or s.empty:
        return empty_findings()
    first_year = ctx.plan_year - spec.lookback_years
    evaluated = s["evaluation_date"]
    eval_year = evaluated.map(lambda d: d.year if pd.notna(d) else None)
    failed = s["performance_evaluation"].isin(spec.failed_values) & (
        evaluated.isna() | eval_year.between(first_year, ctx.plan_year - 1)
    )
    stopped = s["discontinued_date"].notna() & s["final_acceptance_date"].notna()
    shutdown_limit = (
        s["final_acceptance_date"]
        .where(stopped)
        .map(lambda d: add_years(d, int(spec.early_shutdown_years.value)) if pd.notna(d) else None)
    )
    stop_year = s["discontinued_date"].map(lambda d: d.year if pd.notna(d) else None)
    early = (
        stopped
        & spec.early_shutdown_years.relation.holds_series(
            s["discontinued_date"].where(stopped), shutdown_limit
        )
        & stop_year.between(first_year, ctx.plan_year - 1)
    )
    when = evaluated.map(lambda d: d.isoformat() if pd.notna(d) else spec.undated)
    events = pd.concat(
        [
            s[failed].assign(kind="failed", when=when[failed]),
            s[early].assign(kind="shutdown", when=""),
        ]
    )[["unit", "system_id", "name", "final_acceptance_date", "discontinued_date", "kind", "when"]]
    if events.empty:
        return empty_findings()
    events = events.rename(columns={"name": "system_name"})
    scope = c["category_effective"].isin(spec.categories)
    hit = c[scope].reset_index().merge(events, on="unit").set_index("index")
    hit["plan_year"] = ctx.plan_year
    return rule_findings(
        "failed_evaluation",
        spec,
        hit,
        [
            "unit",
            "system_id",
            "system_name",
            "final_acceptance_date",
            "discontinued_date",
            "kind",
            "when",
            "plan_year",
        ],
        template=lambda v: spec.messages[v["kind"]].format(**v),
    )

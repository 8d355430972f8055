"""第二十三、二十四、二十五条: construction and deployment periods, warranty, O&M response times."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.policy.context import RuleContext, flag
from workbench.policy.findings import concat_findings, rule_findings


def construction_period(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第二十三条: construction ≤ 2 years (infrastructure excepted); > 2000 万元 or cross-department
    may extend to 3 years after expert review; never beyond 3 years."""
    spec = ctx.pack.rules.construction_period
    months = c["construction_months"]
    scope = (
        c["category_effective"].isin(spec.categories)
        & ~flag(c, "is_infrastructure")
        & months.notna()
    )
    over_standard = scope & ~spec.standard_months.holds_series(months)
    over_maximum = scope & ~spec.extended_months.holds_series(months)
    ground = spec.extension_investment.holds_series(c["total_investment"]) | flag(
        c, "cross_department"
    )
    kind = pd.Series(
        np.select(
            [over_maximum, over_standard & ground, over_standard],
            ["over_maximum", "needs_review", "over_standard"],
            default="",
        ),
        index=c.index,
    )
    hit = c[kind != ""]
    ground_text = pd.Series(
        np.where(
            spec.extension_investment.holds_series(hit["total_investment"]),
            spec.grounds["investment"],
            spec.grounds["cross_department"],
        ),
        index=hit.index,
    )
    return rule_findings(
        "construction_period",
        spec,
        hit,
        {
            "construction_months": "construction_months",
            "total_investment": "total_investment",
            "cross_department": "cross_department",
            "kind": kind,
            "ground": ground_text,
        },
        severity=kind[hit.index].map(spec.severities),
        template=lambda v: spec.messages[v["kind"]].format(**v),
    )


def deployment_period(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第二十四条: procured services are deployed within 6 months of the contract."""
    spec = ctx.pack.rules.deployment_period
    hit = c["category_effective"].isin(spec.categories) & c["construction_months"].notna()
    hit &= ~spec.max_months.holds_series(c["construction_months"])
    return rule_findings("deployment_period", spec, c[hit], ["construction_months"])


def warranty(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第二十三、二十四条: warranty of at least one year (checked when the form states it)."""
    spec = ctx.pack.rules.warranty
    months = c["warranty_months"]
    hit = (
        c["category_effective"].isin(spec.categories)
        & months.notna()
        & ~spec.min_months.holds_series(months)
    )
    return rule_findings("warranty", spec, c[hit], ["warranty_months"])


def om_response(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第二十五条: 2 h response, 24 h general fix, 48 h plan for major problems."""
    spec = ctx.pack.rules.om_response
    scope = c["category_effective"].isin(spec.categories)
    parts = []
    for key, limit in spec.limits.items():
        hours = c[key]
        hit = c[scope & hours.notna() & ~limit.holds_series(hours)]
        parts.append(
            rule_findings(
                "om_response",
                spec,
                hit,
                {
                    "label": pd.Series(limit.label, index=hit.index),
                    "hours": key,
                    "limit": pd.Series(limit.value, index=hit.index),
                },
            )
        )
    return concat_findings(parts)

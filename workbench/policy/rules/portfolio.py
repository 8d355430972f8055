"""第三、五条: rules across projects (one system per department, one platform per domain, no duplicate investment)."""

from __future__ import annotations

import pandas as pd

from workbench.policy import similarity
from workbench.policy.context import RuleContext
from workbench.policy.findings import empty_findings, rule_findings


def one_department_one_system(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第三条 "一部门一系统": several new systems asked for by one unit."""
    spec = ctx.pack.rules.one_department_one_system
    adds = c["new_systems"].fillna(0).astype("int64")
    unit_total = adds.groupby(c["unit"]).transform("sum")
    hit = c[(adds > 0) & ~spec.max_new_systems_per_unit.holds_series(unit_total.astype("Int64"))]
    projects = hit.groupby("unit")["project_id"].agg(lambda ids: "、".join(ids))
    return rule_findings(
        "one_department_one_system",
        spec,
        hit,
        {
            "unit": "unit",
            "unit_new_systems": unit_total,
            "unit_projects": hit["unit"].map(projects),
        },
    )


def one_domain_one_platform(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第三条 "一领域一平台": several projects adding a system in one business domain."""
    spec = ctx.pack.rules.one_domain_one_platform
    adding = c[(c["new_systems"].fillna(0) > 0) & c["domain"].notna()]
    count = adding.groupby("domain")["project_id"].transform("size")
    hit = adding[count > 1]
    projects = hit.groupby("domain")["project_id"].agg(lambda ids: "、".join(ids))
    return rule_findings(
        "one_domain_one_platform",
        spec,
        hit,
        {
            "domain": "domain",
            "count": count[hit.index],
            "projects": hit["domain"].map(projects),
        },
    )


def duplicate_investment(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第五条: similar submissions from different units, flagged for the coordination review."""
    spec = ctx.pack.rules.duplicate_investment
    pairs = similarity.similar_pairs(c, spec)
    if pairs.empty:
        return empty_findings()
    both = pd.concat(
        [pairs, pairs.rename(columns={"left": "right", "right": "left"})], ignore_index=True
    ).sort_values(["left", "score", "right"], ascending=[True, False, True], kind="stable")
    left = c.loc[both["left"]].set_index(both.index)
    right = c.loc[both["right"]]
    hit = left.assign(
        other_id=right["project_id"].to_numpy(),
        other_name=right["name"].to_numpy(),
        other_unit=right["unit"].to_numpy(),
        score=both["score"].round(1).to_numpy(),
    )
    return rule_findings(
        "duplicate_investment",
        spec,
        hit,
        ["name", "other_id", "other_name", "other_unit", "score"],
    )

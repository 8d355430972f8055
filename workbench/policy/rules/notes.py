"""第四十三至四十五、十一、二十五、十三条: explanatory findings that tell the planner how a project is treated."""

from __future__ import annotations

import pandas as pd

from workbench.policy.context import RuleContext, flag
from workbench.policy.findings import rule_findings


def district_review(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第四十三至四十五条: banner and park projects are in the city library, drawn on their own
    pool, approved by the banner after the city's review."""
    spec = ctx.pack.rules.district_review
    hit = c[c["level"].isin(spec.levels)]
    return rule_findings(
        "district_review",
        spec,
        hit,
        {"district": hit["district"].fillna(""), "level": "level", "pool": "funding_pool"},
    )


def mandated(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第十一条: mandated or emergency additions are force-in candidates."""
    spec = ctx.pack.rules.mandated
    return rule_findings("mandated", spec, c[flag(c, "mandated")], ["mandated"])


def om_continuity(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第二十五条: O&M of running systems must not be interrupted."""
    spec = ctx.pack.rules.om_continuity
    return rule_findings("om_continuity", spec, c[flag(c, "existing_om")], ["existing_om"])


def classified(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第十三条: projects with classified content are approved as classified."""
    spec = ctx.pack.rules.classified
    return rule_findings("classified", spec, c[c["classified"].isin(spec.values)], ["classified"])

"""第八、十六、三十四、七条: conditions for entering the library and the plan, and who may apply."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.policy.context import RuleContext
from workbench.policy.findings import rule_findings


def ex_ante_evaluation(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第三十四条: 不可行 / 暂缓执行 may not enter the plan; no evaluation, no entry."""
    spec = ctx.pack.rules.ex_ante_evaluation
    value = c["ex_ante_evaluation"]
    kind = pd.Series(
        np.select(
            [value.isin(spec.blocked), value.isin(spec.missing)], ["blocked", "missing"], default=""
        ),
        index=c.index,
    )
    hit = c[kind != ""]
    return rule_findings(
        "ex_ante_evaluation",
        spec,
        hit,
        {"ex_ante_evaluation": "ex_ante_evaluation", "kind": kind},
        template=lambda v: spec.messages[v["kind"]].format(**v),
    )


def pre_review(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第八条: only projects that passed pre-review are in the library."""
    spec = ctx.pack.rules.pre_review
    hit = c[c["pre_review"].notna() & ~c["pre_review"].isin(spec.passed)]
    return rule_findings(
        "pre_review",
        spec,
        hit,
        ["pre_review"],
        template=lambda v: spec.messages[v["pre_review"]],
    )


def data_catalog(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第十六条: the data resource catalog is a necessary condition for approval."""
    spec = ctx.pack.rules.data_catalog
    hit = c["category_effective"].isin(spec.categories) & (c["has_data_catalog"] == False)  # noqa: E712
    return rule_findings("data_catalog", spec, c[hit.fillna(False)], ["has_data_catalog"])


def applicant_type(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第七条: public infrastructure and public support platforms are applied for by the big data
    center; business platforms and security projects by the departments."""
    spec = ctx.pack.rules.applicant_type
    hit = (
        c["level"].isin(spec.levels)
        & c["project_type"].isin(spec.public_types)
        & (c["unit"] != spec.big_data_center)
    )
    return rule_findings("applicant_type", spec, c[hit], ["project_type", "unit"])

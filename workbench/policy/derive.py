"""What the measures make of each project before any finding: its effective category (第一条),
approval route (第十五条, 第五条, 第四十六条), whether it needs supervision (第二十六条) and its
funding pool (第四十三至四十五条). Each is a vectorised function of the candidate table, and each
also returns its explanatory findings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.labels import (
    CATEGORY_OM,
    LEVEL_CITY,
    LEVEL_DISTRICT,
    ROUTE_DISTRICT,
    ROUTE_FILING,
    ROUTE_FULL,
    ROUTE_MERGED,
    ROUTE_OM,
    ROUTE_PLAN,
)
from workbench.money import to_decimal
from workbench.policy.context import flag
from workbench.policy.findings import concat_findings, empty_findings, figure_beside, rule_findings
from workbench.policy.pack import PolicyPack


def effective_category(
    candidates: pd.DataFrame, pack: PolicyPack
) -> tuple[pd.Series, pd.DataFrame]:
    """第一条, both ways: an upgrade whose total is ≤ 15 % of the original investment and
    ≤ 100 万元 is managed as 运维服务类; an upgrade declared 运维服务类 above either bound is not,
    and is managed by how it is delivered (建设类, or 采购服务类 when 实施方式 says 采购服务)."""
    spec = pack.rules.effective_category
    total = candidates["total_investment"]
    original = candidates["original_investment"]
    has_original = original.notna() & (original.where(original.notna(), 0) > 0)
    upgrade = flag(candidates, "is_upgrade") & has_original & total.notna()
    # total ≤ share × original ⇔ total / original ≤ share (original > 0): exact, no division.
    bound = (original.where(has_original, 0) * spec.upgrade_share.value).where(upgrade)
    within_share = spec.upgrade_share.relation.holds_series(total.where(upgrade), bound)
    within_amount = spec.upgrade_amount.holds_series(total)
    declared_om = candidates["category"] == CATEGORY_OM
    into_om = upgrade & within_share & within_amount & ~declared_om
    out_of_om = upgrade & ~(within_share & within_amount) & declared_om
    delivery = candidates.get("delivery_mode", pd.Series(None, index=candidates.index))
    delivered_as = delivery.map(spec.delivery_categories).fillna(spec.default_category)
    category = candidates["category"].where(~into_om, CATEGORY_OM).where(~out_of_om, delivered_as)
    share_limit = spec.upgrade_share.value * 100

    def share_of(rows: pd.DataFrame) -> pd.Series:
        exact = (
            rows["total_investment"].map(to_decimal)
            * 100
            / rows["original_investment"].map(to_decimal)
        )
        return exact.map(lambda v: figure_beside(v, (share_limit,)))

    into = candidates[into_om]
    findings_in = rule_findings(
        "effective_category",
        spec,
        into,
        {
            "category": "category",
            "total_investment": "total_investment",
            "original_investment": "original_investment",
            "share": share_of(into),
        },
    )
    out = candidates[out_of_om].assign(category_effective=category[out_of_om])
    exceeds = pd.Series(
        [
            "、".join(
                text
                for text, within in (
                    (spec.exceeds_share, within_share.loc[i]),
                    (spec.exceeds_amount, within_amount.loc[i]),
                )
                if not within
            )
            for i in out.index
        ],
        index=out.index,
        dtype=object,
    )
    findings_out = rule_findings(
        "effective_category",
        spec,
        out,
        {
            "category": "category",
            "category_effective": "category_effective",
            "total_investment": "total_investment",
            "original_investment": "original_investment",
            "share": share_of(out),
            "exceeds": exceeds,
        },
        template=spec.message_out_of_om,
    )
    return category, concat_findings([findings_in, findings_out])


def approval_route(
    candidates: pd.DataFrame, category: pd.Series, pack: PolicyPack
) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """第十五条 (and 第五条 for O&M, 第四十六条 for informatization parts of other projects):
    the first route whose condition holds, in the order the pack's ``reading`` gives. 旗区/园区
    projects are approved by their district (第四十五条): 第十五条 is about 市本级 approval."""
    spec = pack.rules.approval_route
    funds = pack.rules.other_funds
    total = candidates["total_investment"]
    is_om = category == CATEGORY_OM
    embedded = flag(candidates, "embedded_in_other_project")
    simple = flag(candidates, "simple_content")
    like_for_like = flag(candidates, "like_for_like")
    # (branch of the pack's `articles`/`reasons`, route, condition), first match wins.
    conditions = [
        ("district", ROUTE_DISTRICT, candidates["level"].isin(spec.district_levels)),
        ("om_plan", ROUTE_OM, is_om),
        ("filing", ROUTE_FILING, spec.filing_below.holds_series(total)),
        ("filing_other_funds", ROUTE_FILING, embedded & funds.filing_below.holds_series(total)),
        ("implementation_plan", ROUTE_PLAN, spec.implementation_plan_max.holds_series(total)),
        ("implementation_plan_mandated", ROUTE_PLAN, flag(candidates, "mandated")),
        (
            "merged_study",
            ROUTE_MERGED,
            spec.merged_study_max.holds_series(total) & (simple | like_for_like),
        ),
    ]
    branch = pd.Series(
        np.select(
            [c for _, _, c in conditions], [b for b, _, _ in conditions], default="full_study"
        ),
        index=candidates.index,
    )
    route = pd.Series(
        np.select([c for _, _, c in conditions], [r for _, r, _ in conditions], default=ROUTE_FULL),
        index=candidates.index,
    )
    article = branch.map(spec.articles)
    basis = pd.Series(
        np.where(simple, spec.merged_basis["simple"], spec.merged_basis["like_for_like"]),
        index=candidates.index,
    ).where(branch == "merged_study")

    def message(values: dict[str, object]) -> str:
        why = spec.reasons[str(values["branch"])].format(**values)
        return spec.message.format(why=why, **values)

    findings = rule_findings(
        "approval_route",
        spec,
        candidates,
        {
            "route": route,
            "route_article": article,
            "branch": branch,
            "total_investment": "total_investment",
            "level": "level",
            "basis": basis,
        },
        template=message,
        article=article,
    )
    return route, article, findings


def other_funds(candidates: pd.DataFrame, pack: PolicyPack) -> pd.DataFrame:
    """第四十六条: the informatization part of another funded project follows these measures above
    100 万元 and is filed below; exactly 100 is covered by neither sentence (see the pack)."""
    spec = pack.rules.other_funds
    embedded = (
        flag(candidates, "embedded_in_other_project") & candidates["total_investment"].notna()
    )
    if not embedded.any():
        return empty_findings()
    hit = candidates[embedded]
    total = hit["total_investment"]
    below = spec.filing_below.holds_series(total)
    above = spec.follows_measures_above.holds_series(total)
    outcome = pd.Series(
        np.select(
            [below, above], [spec.outcome_filing, spec.outcome_measures], default=spec.outcome_gap
        ),
        index=hit.index,
    )
    severity = pd.Series(np.where(below | above, spec.severity, spec.gap_severity), index=hit.index)
    return rule_findings(
        "other_funds",
        spec,
        hit,
        {"total_investment": "total_investment", "outcome": outcome},
        severity=severity,
    )


def supervision_required(
    candidates: pd.DataFrame, category: pd.Series, pack: PolicyPack
) -> tuple[pd.Series, pd.DataFrame]:
    """第二十六条: investment exceeding 200 万元 needs engineering supervision."""
    spec = pack.rules.supervision
    required = category.isin(spec.categories) & spec.threshold.holds_series(
        candidates["total_investment"]
    )
    findings = rule_findings(
        "supervision",
        spec,
        candidates[required],
        ["total_investment"],
    )
    return required, findings


def funding_pool(candidates: pd.DataFrame) -> pd.Series:
    """The pool a project draws on: its 资金来源 when given (special funds by name), else
    市本级 for city projects, the banner for 旗区 projects, the park (or banner + 园区) for parks."""
    level = candidates["level"].fillna("")
    district = candidates["district"].fillna("")
    park = (
        candidates["park"].fillna("")
        if "park" in candidates
        else pd.Series("", index=candidates.index)
    )
    by_level = np.where(
        level == LEVEL_CITY,
        LEVEL_CITY,
        np.where(park != "", park, np.where(level == LEVEL_DISTRICT, district, district + level)),
    )
    source = candidates.get("funding_source")
    pool = pd.Series(by_level, index=candidates.index)
    if source is not None:
        pool = source.where(source.notna() & (source != ""), pool)
    return pool

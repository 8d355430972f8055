"""第四十三至四十五、十一、二十五、十三条: explanatory findings that tell the planner how a project is treated."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.labels import CATEGORY_OM, SYSTEM_DISCONTINUED
from workbench.policy.context import RuleContext, flag
from workbench.policy.findings import concat_findings, rule_findings


def district_review(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第四十三至四十五条: banner and park projects are in the city library, drawn on their own
    pool, approved by the banner after the city's review; 第四十四条's review points where the
    form's data can speak to them (policy basis, city-wide coordination, intensive deployment,
    reuse, data sharing)."""
    spec = ctx.pack.rules.district_review
    district = c["level"].isin(spec.levels)
    hit = c[district]
    summary = rule_findings(
        "district_review",
        spec,
        hit,
        {"district": hit["district"].fillna(""), "level": "level", "pool": "funding_pool"},
    )
    if hit.empty:
        return summary
    adds = c["new_systems"].fillna(0) > 0
    city = c[~district & c["domain"].notna()]
    city_by_domain = city.groupby("domain")["project_id"].agg(lambda ids: "、".join(sorted(ids)))
    infrastructure = flag(c, "is_infrastructure")
    platform = c["project_type"].isin(ctx.pack.rules.applicant_type.public_types)
    words = spec.infrastructure_words
    what = pd.Series(
        np.select(
            [infrastructure & platform, infrastructure, platform],
            [
                f"{words['infrastructure']}和{words['platform']}",
                words["infrastructure"],
                words["platform"],
            ],
            default="",
        ),
        index=c.index,
    )
    catalog_rule = ctx.pack.rules.data_catalog
    points = {
        "necessity": ~flag(c, "mandated")
        & c["priority_areas"].map(
            lambda areas: not areas if isinstance(areas, tuple | list) else True
        ),
        "coordination": adds & c["domain"].isin(city_by_domain.index),
        "intensive": what != "",
        "reuse": adds & (c["retired_systems"].fillna(0) == 0),
        "data_sharing": (c["has_data_catalog"] == False)  # noqa: E712
        & ~c["category_effective"].isin(catalog_rule.categories),
    }
    parts = [summary]
    for key, mask in points.items():
        rows = c[district & mask.fillna(False).astype(bool)]
        point = spec.points[key]
        parts.append(
            rule_findings(
                "district_review",
                spec,
                rows,
                {
                    "point": pd.Series(key, index=rows.index),
                    "domain": rows["domain"],
                    "city_projects": rows["domain"].map(city_by_domain),
                    "what": what.loc[rows.index],
                    "new_systems": "new_systems",
                },
                severity=point.severity,
                template=point.message,
                article=spec.point_article,
            )
        )
    return concat_findings(parts)


def mandated(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第十一条: mandated or emergency additions are force-in candidates."""
    spec = ctx.pack.rules.mandated
    return rule_findings("mandated", spec, c[flag(c, "mandated")], ["mandated"])


def om_continuity(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第二十五条: O&M of running systems must not be interrupted."""
    spec = ctx.pack.rules.om_continuity
    return rule_findings("om_continuity", spec, c[flag(c, "existing_om")], ["existing_om"])


BLOCKING = ("exclude", "exclude_in_principle")


def om_interruption(c: pd.DataFrame, ctx: RuleContext, findings: pd.DataFrame) -> pd.DataFrame:
    """第二十五条 against the rules that exclude a continuing O&M of a running system: the
    exclusion stands, and the conflict is said out loud with what must be done. Replaces the
    "默认保障" note of :func:`om_continuity` for those projects (returns the findings whole)."""
    spec = ctx.pack.rules.om_interruption
    continuing = c[flag(c, "existing_om") & (c["category_effective"] == CATEGORY_OM)]
    if ctx.systems is not None and not ctx.systems.empty:
        stopped = set(ctx.systems.loc[ctx.systems["status"] == SYSTEM_DISCONTINUED, "system_id"])
        # A system already shut down has no service left to interrupt.
        all_stopped = continuing["related_systems"].map(
            lambda ids: (
                bool(ids) and set(ids) <= stopped if isinstance(ids, tuple | list) else False
            )
        )
        continuing = continuing[~all_stopped.astype(bool)]
    blocking = findings[
        findings["severity"].isin(BLOCKING) & findings["project_id"].isin(continuing["project_id"])
    ]
    if blocking.empty:
        return findings
    names = ctx.pack.rule_names()
    by_project = blocking.groupby("project_id", sort=False)
    texts = {
        pid: (
            "、".join(
                dict.fromkeys(
                    f"{names[r]}（{a}）" for r, a in zip(g["rule"], g["article"], strict=True)
                )
            ),
            "；".join(dict.fromkeys(spec.actions.get(r, spec.action_default) for r in g["rule"])),
        )
        for pid, g in by_project
    }
    rows = continuing[continuing["project_id"].isin(texts)]
    added = rule_findings(
        "om_interruption",
        spec,
        rows,
        {
            "blocking": rows["project_id"].map(lambda p: texts[p][0]),
            "actions": rows["project_id"].map(lambda p: texts[p][1]),
            "related_systems": "related_systems",
        },
    )
    kept = findings[~((findings["rule"] == "om_continuity") & findings["project_id"].isin(texts))]
    return concat_findings([kept, added])


def classified(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第十三条: projects with classified content are approved as classified."""
    spec = ctx.pack.rules.classified
    return rule_findings("classified", spec, c[c["classified"].isin(spec.values)], ["classified"])

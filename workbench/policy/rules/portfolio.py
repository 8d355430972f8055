"""第三、五条: rules across projects (one system per department, one platform per domain, no duplicate investment)."""

from __future__ import annotations

import pandas as pd

from workbench.policy import similarity
from workbench.policy.context import RuleContext
from workbench.policy.findings import empty_findings, plain, rule_findings


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
    """第五条: similar submissions from different units, flagged for the coordination review.

    One finding per project: its ``top_k`` most similar projects of other units with their
    scores, and how many more reach the bar (a July intake of "XX系统运维服务项目" would
    otherwise give every project hundreds of findings)."""
    spec = ctx.pack.rules.duplicate_investment
    similar = similarity.similar_projects(c, spec)
    if similar.empty:
        return empty_findings()
    hit = c.loc[similar.index]
    labels = c.index.tolist()
    ids, names, units = (
        dict(zip(labels, c[key].tolist(), strict=True)) for key in ("project_id", "name", "unit")
    )
    threshold, relation = plain(spec.similarity.value), spec.similarity.relation.value
    shown: dict[float, object] = {}  # a score as messages show it, 92.3
    # Projects of one unit with one core name share their list: each list is written once.
    written: dict[tuple, tuple[list[dict], str]] = {}
    records, messages = [], []
    for others, scores, count in zip(
        similar["others"], similar["scores"], similar["count"].tolist(), strict=True
    ):
        key = (others, scores, count)
        if key not in written:
            record = [
                {
                    "project_id": ids[j],
                    "unit": units[j],
                    "name": names[j],
                    "score": shown.get(score) or shown.setdefault(score, plain(round(score, 1))),
                }
                for j, score in zip(others, scores, strict=True)
            ]
            items = "、".join(
                spec.item.format(
                    other_unit=r["unit"],
                    other_id=r["project_id"],
                    other_name=r["name"],
                    score=r["score"],
                )
                for r in record
            )
            rest = count - len(record)
            more = (
                spec.more.format(count=rest, threshold=threshold, relation=relation) if rest else ""
            )
            written[key] = (record, spec.message.format(similar=items, more=more))
        record, message = written[key]
        records.append(record)
        messages.append(message)
    first = [r[0] for r in records]
    evidence = {
        "name": "name",
        # The most similar project, all those listed (top_k), and how many more reach the bar.
        "other_id": pd.Series([r["project_id"] for r in first], index=hit.index),
        "other_name": pd.Series([r["name"] for r in first], index=hit.index),
        "other_unit": pd.Series([r["unit"] for r in first], index=hit.index),
        "score": pd.Series([r["score"] for r in first], index=hit.index),
        "similar": pd.Series(records, index=hit.index),
        "more": pd.Series(similar["count"].to_numpy() - [len(r) for r in records], index=hit.index),
        "threshold": pd.Series(threshold, index=hit.index),
    }
    return rule_findings(
        "duplicate_investment",
        spec,
        hit,
        evidence,
        template=pd.Series(messages, index=hit.index),
    )

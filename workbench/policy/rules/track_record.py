"""第六条第（五）、（七）项: what a unit's built systems (registry and usage) mean for its new projects."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.labels import CATEGORY_OM
from workbench.policy.context import RuleContext, flag
from workbench.policy.findings import empty_findings, rule_findings
from workbench.policy.usage import add_years


def _scoped(
    hit: pd.DataFrame, severity: pd.Series, ctx: RuleContext
) -> tuple[pd.Series, pd.Series]:
    """第六条 binds 市本级 projects ("市本级政务信息化项目……不支持"): for 旗区/园区 projects its
    exclusions are review references (the pack's ``article_6_scope``) unless switched to full.
    Returns each row's severity and the note its message starts with ("" for none)."""
    scope = ctx.pack.article_6_scope
    by_analogy = ~hit["level"].isin(scope.levels) & (scope.district_mode == "reference")
    severity = severity.where(~by_analogy, scope.district_severity)
    note = pd.Series(np.where(by_analogy, scope.district_note + "：", ""), index=hit.index)
    return severity, note


def low_usage(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第六条第（五）项: a unit whose system was judged low-usage gets no new project (a new
    build, or any project adding a system) for a year from that system's final acceptance. A
    written determination decides; a computed run of low months is evidence (see the pack)."""
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
                    "determined": low.basis == "determined",
                    "reference_date": ctx.reference_date,
                }
            )
    if not blocking:
        return empty_findings()
    new_build = (c["category_effective"].isin(spec.categories) & ~flag(c, "is_upgrade")) | (
        c["new_systems"].fillna(0) > 0
    )
    # One row per (project, blocking system): a plain index, so per-row Series stay aligned.
    hit = c[new_build].merge(pd.DataFrame(blocking), on="unit")
    severity = pd.Series(
        np.where(hit["determined"].astype(bool), spec.severity, spec.computed_severity),
        index=hit.index,
    )
    severity, note = _scoped(hit, severity, ctx)
    return rule_findings(
        "low_usage",
        spec,
        hit,
        {
            "unit": "unit",
            "system_id": "system_id",
            "system_name": "system_name",
            "final_acceptance_date": "final_acceptance_date",
            "window_end": "window_end",
            "basis": "basis",
            "determined": "determined",
            "reference_date": "reference_date",
            "new_systems": "new_systems",
            "note": note,
        },
        severity=severity,
        template=lambda v: v["note"] + spec.message.format(**v),
    )


def _failures(ctx: RuleContext) -> pd.DataFrame:
    """The registry's systems that failed their performance evaluation, or were shut within two
    years of completion, in the lookback window before the plan year (one row per event)."""
    spec = ctx.pack.rules.failed_evaluation
    s = ctx.systems
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
    return events.rename(columns={"name": "system_name"})


def failed_evaluation(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第六条第（七）项: no investment next year in a system that failed its performance
    evaluation or was shut within two years of completion: the projects that invest in it
    (关联已建系统编号) are excluded in principle, whatever their category; the unit's other
    projects get a warning (the article names the system, not the unit)."""
    spec = ctx.pack.rules.failed_evaluation
    if ctx.systems is None or ctx.systems.empty:
        return empty_findings()
    events = _failures(ctx)
    if events.empty:
        return empty_findings()
    linked = c["related_systems"].map(
        lambda ids: tuple(ids) if isinstance(ids, tuple | list) else ()
    )
    pairs = _links(c).merge(events.drop(columns="unit"), on="system_id")
    direct = c.reset_index().merge(pairs, on="index").set_index("index")
    direct["scope"] = "direct"
    same_unit = c.reset_index().merge(events, on="unit").set_index("index")
    linked_pairs = set(zip(direct.index, direct["system_id"], strict=True))
    keep = [
        (i, sid) not in linked_pairs
        for i, sid in zip(same_unit.index, same_unit["system_id"], strict=True)
    ]
    same_unit = same_unit[keep]
    same_unit["scope"] = "unit"
    hit = pd.concat([direct, same_unit])
    if hit.empty:
        return empty_findings()
    unlinked = linked.reindex(hit.index).map(len) == 0
    hit = hit.assign(plan_year=ctx.plan_year, unlinked=unlinked.to_numpy()).reset_index(drop=True)
    unlinked_kind = (
        flag(hit, "is_upgrade")
        | (hit["category_effective"] == CATEGORY_OM)
        | flag(hit, "existing_om")
    ) & hit["unlinked"]
    hit["verify"] = np.where((hit["scope"] == "unit") & unlinked_kind, spec.verify, "")
    severity = pd.Series(
        np.where(hit["scope"] == "direct", spec.severity, spec.unit_severity), index=hit.index
    )
    severity, note = _scoped(hit, severity, ctx)

    def message(v: dict[str, object]) -> str:
        texts = spec.messages if v["scope"] == "direct" else spec.unit_messages
        return str(v["note"]) + texts[str(v["kind"])].format(**v)

    return rule_findings(
        "failed_evaluation",
        spec,
        hit,
        {
            "unit": "unit",
            "system_id": "system_id",
            "system_name": "system_name",
            "final_acceptance_date": "final_acceptance_date",
            "discontinued_date": "discontinued_date",
            "kind": "kind",
            "when": "when",
            "plan_year": "plan_year",
            "scope": "scope",
            "verify": "verify",
            "note": note,
        },
        severity=severity,
        template=message,
    )


def _links(c: pd.DataFrame) -> pd.DataFrame:
    """Each candidate's row index with the systems it invests in: those it names (关联已建系统
    编号) and its own 项目编号 (a project resubmitted under its number invests in its system)."""
    named = c["related_systems"].map(
        lambda ids: tuple(ids) if isinstance(ids, tuple | list) else ()
    )
    own = c["project_id"].astype(str).map(lambda pid: (pid,))
    linked = (named + own).map(lambda ids: tuple(dict.fromkeys(ids)))
    return (
        pd.DataFrame({"index": c.index, "system_id": linked})
        .explode("system_id")
        .dropna(subset=["system_id"])
    )


def evaluation_results(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第三十六条: a passed evaluation of the year before the plan year, noted on the projects
    that invest in the evaluated system (a failed one is 第六条第（七）项's)."""
    spec = ctx.pack.rules.evaluation_results
    s = ctx.systems
    if s is None or s.empty:
        return empty_findings()
    first_year = ctx.plan_year - spec.lookback_years
    year = s["evaluation_date"].map(lambda d: d.year if pd.notna(d) else None)
    noted = s[
        s["performance_evaluation"].isin(spec.noted_values)
        & year.between(first_year, ctx.plan_year - 1)
    ]
    if noted.empty:
        return empty_findings()
    evaluated = noted.rename(columns={"name": "system_name"})[
        ["system_id", "system_name", "performance_evaluation", "evaluation_date"]
    ]
    pairs = _links(c).merge(evaluated, on="system_id")
    if pairs.empty:
        return empty_findings()
    hit = c.drop(columns=["system_id", "system_name"], errors="ignore").reset_index()
    hit = hit.merge(pairs, on="index").reset_index(drop=True)
    hit["when"] = hit["evaluation_date"].map(lambda d: f"{d.year}年{d.month}月{d.day}日")
    hit["plan_year"] = ctx.plan_year
    return rule_findings(
        "evaluation_results",
        spec,
        hit,
        {
            "system_id": "system_id",
            "system_name": "system_name",
            "result": "performance_evaluation",
            "evaluation_date": "evaluation_date",
            "when": "when",
            "plan_year": "plan_year",
        },
    )


def overdue_rectification(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第三十八条: the projects of a unit whose rectification is overdue (the register's
    限期整改, :mod:`workbench.register.july`) are deferred in principle."""
    spec = ctx.pack.rules.overdue_rectification
    r = ctx.rectifications
    if r is None or r.empty:
        return empty_findings()
    overdue = r.rename(columns={"project_id": "rectified_id"})
    hit = c.reset_index(drop=True).merge(overdue, on="unit")
    # A project rectified under its own number is told so; the unit's others name it.
    own = c.merge(overdue, left_on="project_id", right_on="rectified_id", suffixes=("", "_r"))
    own = own[own["unit"] != own["unit_r"]].drop(columns="unit_r")
    hit = pd.concat([hit, own], ignore_index=True)
    if hit.empty:
        return empty_findings()

    def message(v: dict[str, object]) -> str:
        text = spec.own_message if v["own"] else spec.message
        return text.format(**{**v, "project_id": v["rectified_id"]})

    return rule_findings(
        "overdue_rectification",
        spec,
        hit,
        {
            "unit": "unit",
            "rectified_id": "rectified_id",
            "project_name": "project_name",
            "notice_date": "notice_date",
            "due_date": "due_date",
            "days_late": "days_late",
            "own": hit["project_id"] == hit["rectified_id"],
        },
        template=message,
    )

"""The rules of the measures, one function per rule, each vectorised over the candidate table.

Every function takes the candidate table (with the derived columns ``category_effective``,
``approval_route``, ``funding_pool``) and a :class:`RuleContext`, and returns findings
(:mod:`workbench.policy.findings`). The pack says what each rule is; these functions say how it is
checked. The order of :data:`RULES` is the order findings are produced in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.policy import similarity
from workbench.policy.findings import FINDING_COLUMNS, empty_findings, make_findings
from workbench.policy.pack import PolicyPack
from workbench.policy.usage import LowUsage, add_years, low_usage_systems, usage_rates


@dataclass
class RuleContext:
    pack: PolicyPack
    plan_year: int
    reference_date: dt.date
    systems: pd.DataFrame | None = None
    usage: pd.DataFrame | None = None
    _low_usage: dict[str, LowUsage] | None = field(default=None, repr=False)

    def low_usage(self) -> dict[str, LowUsage]:
        if self._low_usage is None:
            if self.systems is None or self.systems.empty:
                self._low_usage = {}
            else:
                usage = self.usage if self.usage is not None else pd.DataFrame(columns=_USAGE_KEYS)
                rates = usage_rates(usage, self.systems, self.pack)
                self._low_usage = low_usage_systems(self.systems, rates, self.pack)
        return self._low_usage


_USAGE_KEYS = ["system_id", "month", "logins", "business_volume", "satisfaction", "usage_rate"]


def _flag(frame: pd.DataFrame, key: str) -> pd.Series:
    return frame[key].fillna(False).astype(bool)


def construction_period(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第二十三条: construction ≤ 2 years (infrastructure excepted); > 2000 万元 or cross-department
    may extend to 3 years after expert review; never beyond 3 years."""
    spec = ctx.pack.rules.construction_period
    months = c["construction_months"]
    scope = (
        c["category_effective"].isin(spec.categories)
        & ~_flag(c, "is_infrastructure")
        & months.notna()
    )
    over_standard = scope & ~spec.standard_months.holds_series(months)
    over_maximum = scope & ~spec.extended_months.holds_series(months)
    ground = spec.extension_investment.holds_series(c["total_investment"]) | _flag(
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
            "投资超过2000万元",
            "涉及跨部门协同",
        ),
        index=hit.index,
    )
    return make_findings(
        hit,
        rule="construction_period",
        article=spec.article,
        severity=kind[hit.index].map(spec.severities),
        template=lambda v: spec.messages[v["kind"]].format(**v),
        evidence={
            "construction_months": "construction_months",
            "total_investment": "total_investment",
            "cross_department": "cross_department",
            "kind": kind,
            "ground": ground_text,
        },
    )


def deployment_period(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第二十四条: procured services are deployed within 6 months of the contract."""
    spec = ctx.pack.rules.deployment_period
    hit = c["category_effective"].isin(spec.categories) & c["construction_months"].notna()
    hit &= ~spec.max_months.holds_series(c["construction_months"])
    return make_findings(
        c[hit],
        rule="deployment_period",
        article=spec.article,
        severity=spec.severity,
        template=spec.message,
        evidence=["construction_months"],
    )


def warranty(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第二十三、二十四条: warranty of at least one year (checked when the form states it)."""
    spec = ctx.pack.rules.warranty
    months = c["warranty_months"]
    hit = (
        c["category_effective"].isin(spec.categories)
        & months.notna()
        & ~spec.min_months.holds_series(months)
    )
    return make_findings(
        c[hit],
        rule="warranty",
        article=spec.article,
        severity=spec.severity,
        template=spec.message,
        evidence=["warranty_months"],
    )


def om_response(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第二十五条: 2 h response, 24 h general fix, 48 h plan for major problems."""
    spec = ctx.pack.rules.om_response
    scope = c["category_effective"].isin(spec.categories)
    parts = []
    for key, limit in spec.limits.items():
        hours = c[key]
        hit = c[scope & hours.notna() & ~limit.holds_series(hours)]
        parts.append(
            make_findings(
                hit,
                rule="om_response",
                article=spec.article,
                severity=spec.severity,
                template=spec.message,
                evidence={
                    "label": pd.Series(limit.label, index=hit.index),
                    "hours": key,
                    "limit": pd.Series(limit.value, index=hit.index),
                },
            )
        )
    return _concat(parts)


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
    new_build = c["category_effective"].isin(spec.categories) & ~_flag(c, "is_upgrade")
    hit = c[new_build].reset_index().merge(pd.DataFrame(blocking), on="unit").set_index("index")
    return make_findings(
        hit,
        rule="low_usage",
        article=spec.article,
        severity=spec.severity,
        template=spec.message,
        evidence=[
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
    failed = (s["performance_evaluation"] == "不通过") & (
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
    when = evaluated.map(lambda d: d.isoformat() if pd.notna(d) else "评价日期未填写")
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
    return make_findings(
        hit,
        rule="failed_evaluation",
        article=spec.article,
        severity=spec.severity,
        template=lambda v: spec.messages[v["kind"]].format(**v),
        evidence=[
            "unit",
            "system_id",
            "system_name",
            "final_acceptance_date",
            "discontinued_date",
            "kind",
            "when",
            "plan_year",
        ],
    )


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
    return make_findings(
        hit,
        rule="ex_ante_evaluation",
        article=spec.article,
        severity=spec.severity,
        template=lambda v: spec.messages[v["kind"]].format(**v),
        evidence={"ex_ante_evaluation": "ex_ante_evaluation", "kind": kind},
    )


def pre_review(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第八条: only projects that passed pre-review are in the library."""
    spec = ctx.pack.rules.pre_review
    hit = c[c["pre_review"].notna() & ~c["pre_review"].isin(spec.passed)]
    return make_findings(
        hit,
        rule="pre_review",
        article=spec.article,
        severity=spec.severity,
        template=lambda v: spec.messages[v["pre_review"]],
        evidence=["pre_review"],
    )


def data_catalog(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第十六条: the data resource catalog is a necessary condition for approval."""
    spec = ctx.pack.rules.data_catalog
    hit = c["category_effective"].isin(spec.categories) & (c["has_data_catalog"] == False)  # noqa: E712
    return make_findings(
        c[hit.fillna(False)],
        rule="data_catalog",
        article=spec.article,
        severity=spec.severity,
        template=spec.message,
        evidence=["has_data_catalog"],
    )


def applicant_type(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第七条: public infrastructure and public support platforms are applied for by the big data
    center; business platforms and security projects by the departments."""
    spec = ctx.pack.rules.applicant_type
    hit = (
        c["level"].isin(spec.levels)
        & c["project_type"].isin(spec.public_types)
        & (c["unit"] != spec.big_data_center)
    )
    return make_findings(
        c[hit],
        rule="applicant_type",
        article=spec.article,
        severity=spec.severity,
        template=spec.message,
        evidence=["project_type", "unit"],
    )


def one_department_one_system(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第三条 "一部门一系统": several new systems asked for by one unit."""
    spec = ctx.pack.rules.one_department_one_system
    adds = c["new_systems"].fillna(0).astype("int64")
    unit_total = adds.groupby(c["unit"]).transform("sum")
    hit = c[(adds > 0) & ~spec.max_new_systems_per_unit.holds_series(unit_total.astype("Int64"))]
    projects = hit.groupby("unit")["project_id"].agg(lambda ids: "、".join(ids))
    return make_findings(
        hit,
        rule="one_department_one_system",
        article=spec.article,
        severity=spec.severity,
        template=spec.message,
        evidence={
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
    return make_findings(
        hit,
        rule="one_domain_one_platform",
        article=spec.article,
        severity=spec.severity,
        template=spec.message,
        evidence={
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
    return make_findings(
        hit,
        rule="duplicate_investment",
        article=spec.article,
        severity=spec.severity,
        template=spec.message,
        evidence=["name", "other_id", "other_name", "other_unit", "score"],
    )


def district_review(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第四十三至四十五条: banner and park projects are in the city library, drawn on their own
    pool, approved by the banner after the city's review."""
    spec = ctx.pack.rules.district_review
    hit = c[c["level"].isin(spec.levels)]
    return make_findings(
        hit,
        rule="district_review",
        article=spec.article,
        severity=spec.severity,
        template=spec.message,
        evidence={"district": hit["district"].fillna(""), "level": "level", "pool": "funding_pool"},
    )


def mandated(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第十一条: mandated or emergency additions are force-in candidates."""
    spec = ctx.pack.rules.mandated
    return make_findings(
        c[_flag(c, "mandated")],
        rule="mandated",
        article=spec.article,
        severity=spec.severity,
        template=spec.message,
        evidence=["mandated"],
    )


def om_continuity(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第二十五条: O&M of running systems must not be interrupted."""
    spec = ctx.pack.rules.om_continuity
    return make_findings(
        c[_flag(c, "existing_om")],
        rule="om_continuity",
        article=spec.article,
        severity=spec.severity,
        template=spec.message,
        evidence=["existing_om"],
    )


def classified(c: pd.DataFrame, ctx: RuleContext) -> pd.DataFrame:
    """第十三条: projects with classified content are approved as classified."""
    spec = ctx.pack.rules.classified
    return make_findings(
        c[c["classified"].isin(["是", "部分"])],
        rule="classified",
        article=spec.article,
        severity=spec.severity,
        template=spec.message,
        evidence=["classified"],
    )


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if not p.empty]
    if not parts:
        return empty_findings()
    return pd.concat(parts, ignore_index=True)[list(FINDING_COLUMNS)]


Rule = Callable[[pd.DataFrame, RuleContext], pd.DataFrame]

RULES: tuple[Rule, ...] = (
    pre_review,
    ex_ante_evaluation,
    data_catalog,
    low_usage,
    failed_evaluation,
    construction_period,
    deployment_period,
    warranty,
    om_response,
    applicant_type,
    one_department_one_system,
    one_domain_one_platform,
    duplicate_investment,
    district_review,
    mandated,
    om_continuity,
    classified,
)

"""The plan in a few figures and sentences (摘要): what the first page of the report, the 请示 and
the dashboard say, computed once from the plan so that they cannot disagree with its tables.

Every figure is a sum over ``plan.projects`` / ``plan.totals_by_pool_year()`` (tested against
them): the summary adds nothing the plan does not hold; it groups. What was left out is grouped
by why: a project 不予安排 by the rule (and article) of the finding that keeps it out, a project
not selected by the kind of its reason (资金不足, 所依赖项目未安排, 系统数量只减不增 …), read off
the reason texts of ``PLAN_REASONS``; what is forced in by the kind of forcing."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from workbench.labels import PLAN_REASONS, REPORT_LABELS, SUMMARY_LABELS
from workbench.money import format_wan, to_decimal
from workbench.planner import Plan
from workbench.policy import CheckResult
from workbench.units import unit_order

L = SUMMARY_LABELS
ZERO = Decimal(0)
SELECTED = ("selected", "forced_in")
EXCLUDING = ("exclude", "exclude_in_principle")
# Reason kinds of projects not selected, in the order the summary lists them; each is the
# PLAN_REASONS keys whose text it recognises (their fixed text before the first placeholder).
NOT_SELECTED_KINDS: dict[str, tuple[str, ...]] = {
    "budget": ("budget", "budget_too_big", "budget_no_line"),
    "deferred": ("deferred",),
    "dependency": ("dependency", "dependency_excluded"),
    "domain": ("domain",),
    "system_count": ("system_count",),
    "envelope": ("envelope",),
    "unit_cap": ("unit_cap",),
    "forced_out": ("forced_out",),
    "no_gain": ("no_gain",),
    "infeasible": ("infeasible", "solver_failed"),
}
FORCED_OUT = {"forced_out": NOT_SELECTED_KINDS["forced_out"]}  # excluded by the scenario
FORCED_KINDS: dict[str, tuple[str, ...]] = {
    "existing_om": ("forced_existing_om",),
    "mandated": ("forced_mandated",),
    "user": ("forced_user",),
}


def _sum(values: object) -> Decimal:
    return sum(
        (to_decimal(v) for v in values if v is not None and v == v),  # type: ignore[attr-defined]
        ZERO,
    )


def _fixed(key: str) -> str:
    """A reason template's fixed opening: 资金不足未安排：… → 资金不足未安排："""
    return PLAN_REASONS[key].split("{", 1)[0]


def reason_kind(reason: str, kinds: dict[str, tuple[str, ...]]) -> str:
    """The kind (a key of ``kinds``) whose template ``reason`` was written from, else ``other``.
    Templates that open with a placeholder only (情景指定… opens with text) never match by
    accident: an empty opening is skipped; the longest opening wins."""
    best, found = 0, "other"
    for kind, keys in kinds.items():
        for key in keys:
            opening = _fixed(key)
            if opening and reason.startswith(opening) and len(opening) > best:
                best, found = len(opening), kind
    return found


@dataclass(frozen=True)
class PoolLine:
    """One funding pool in the plan year: new money planned, commitments already carried in,
    and the ceiling (None: no ceiling set)."""

    pool: str
    planned: Decimal
    carried: Decimal
    ceiling: Decimal | None

    @property
    def used(self) -> Decimal:
        return self.planned + self.carried

    @property
    def share(self) -> float | None:
        if self.ceiling is None or self.ceiling == 0:
            return None
        return float(self.used / self.ceiling)

    @property
    def headroom(self) -> Decimal | None:
        return None if self.ceiling is None else self.ceiling - self.used


@dataclass(frozen=True)
class Group:
    """Projects grouped by why they are where they are: a label, the article where there is
    one, how many and their plan-year money."""

    label: str
    article: str
    count: int
    amount: Decimal
    status: str = ""  # excluded / not_selected / forced_in


@dataclass(frozen=True)
class PlanSummary:
    plan_year: int
    scenario: str
    feasible: bool
    candidates: int
    requested: Decimal
    selected: int
    amount: Decimal
    forced: int
    forced_amount: Decimal
    excluded: int
    excluded_amount: Decimal
    not_selected: int
    not_selected_amount: Decimal
    deferred: int
    out_years: Decimal
    pools: tuple[PoolLine, ...]
    left_out: tuple[Group, ...]
    forced_groups: tuple[Group, ...]
    last_year: int
    diagnosis: str = ""
    om_risks: int = 0  # running systems' O&M a rule keeps out (运维中断风险, 第二十五条)
    om_risk_article: str = ""
    commitment_sentence: str = ""
    risk_sentences: tuple[str, ...] = field(default_factory=tuple)

    def pool(self, name: str) -> PoolLine | None:
        return next((p for p in self.pools if p.pool == name), None)

    def paragraphs(self) -> list[str]:
        """The summary in sentences, as the first page and the 请示 say it."""
        out = [
            L["overview"].format(
                year=self.plan_year,
                scenario=self.scenario,
                candidates=self.candidates,
                requested=format_wan(self.requested),
                selected=self.selected,
                amount=format_wan(self.amount),
                forced=self.forced,
                forced_amount=format_wan(self.forced_amount),
            )
        ]
        if not self.feasible and self.diagnosis:
            out.append(L["infeasible"].format(diagnosis=self.diagnosis))
        limited = [p for p in self.pools if p.ceiling is not None]
        if limited:
            first = limited[0]
            out.append(
                L["pools_carried" if first.carried else "pools"].format(
                    pool=first.pool,
                    year=self.plan_year,
                    ceiling=format_wan(first.ceiling),
                    used=format_wan(first.used),
                    carried=format_wan(first.carried),
                    planned=format_wan(first.planned),
                    share=_percent(first.share),
                    others=len(limited) - 1,
                    full=sum(1 for p in limited[1:] if p.headroom is not None and p.headroom <= 0),
                )
            )
        if self.excluded or self.not_selected:
            biggest = sorted(self.left_out, key=lambda g: -g.count)[:4]
            reasons = "、".join(
                L["group_item"].format(label=g.label, count=g.count) for g in biggest
            )
            out.append(
                L["left_out"].format(
                    excluded=self.excluded,
                    not_selected=self.not_selected,
                    amount=format_wan(self.excluded_amount + self.not_selected_amount),
                    reasons=reasons,
                )
            )
        if self.om_risks:
            out.append(
                L["om_risk"].format(
                    count=self.om_risks,
                    article=self.om_risk_article,
                    where=REPORT_LABELS["sheet_unselected"],
                )
            )
        if self.commitment_sentence:
            out.append(self.commitment_sentence)
        out += list(self.risk_sentences)
        return out


def risk_sentence(risk: pd.DataFrame) -> str:
    """One sentence on the simulated risk: the pool and year most likely to exceed its ceiling,
    its median spend against the ceiling, and how many pools exceed theirs in more than the
    share of draws the 较不利情形 leaves out (narrative.ADVERSE_SHARE)."""
    from workbench.report.narrative import ADVERSE_SHARE, highest_risk, percent

    top = highest_risk(risk)
    limit = 1.0 - ADVERSE_SHARE
    if top is None:
        return L["risk_none"]
    if float(top["p_exceed"]) <= limit:
        return L["risk_low"].format(limit=percent(limit))
    shown = risk[risk["ceiling"].notna() & risk["p_exceed"].notna()]
    at_risk = shown.loc[shown["p_exceed"] > limit, "pool"].nunique()
    return L["risk"].format(
        pool=top["pool"],
        year=int(top["year"]),
        p=percent(float(top["p_exceed"])),
        median=format_wan(to_decimal(round(float(top["p50"]), 2))),
        ceiling=format_wan(to_decimal(top["ceiling"])),
        count=at_risk,
        limit=percent(limit),
        where=REPORT_LABELS["sheet_commitments"],
    )


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def _excluded_groups(plan: Plan, check: CheckResult) -> list[Group]:
    """不予安排 by the rule of the finding the plan's reason quotes (its article)."""
    rows = plan.projects[plan.projects["status"] == "excluded"]
    if rows.empty:
        return []
    findings = check.findings[check.findings["severity"].isin(EXCLUDING)]
    names = check.pack.rule_names()
    rule_of: dict[tuple[str, str], str] = {}
    for f in findings.itertuples():
        rule_of.setdefault((f.project_id, f.article), names.get(f.rule, f.rule))
    groups: dict[tuple[str, str], list[Decimal]] = {}
    for r in rows.itertuples():
        name = rule_of.get((r.project_id, r.article)) or (
            L["kind_forced_out"]
            if reason_kind(r.reason, FORCED_OUT) == "forced_out"
            else L["kind_other"]
        )
        groups.setdefault((name, r.article or ""), []).append(to_decimal(r.amount or 0))
    return [
        Group(
            name,
            article,
            len(amounts),
            sum(amounts, ZERO),
            "excluded",
        )
        for (name, article), amounts in groups.items()
    ]


def _kind_groups(
    rows: pd.DataFrame, kinds: dict[str, tuple[str, ...]], prefix: str, status: str
) -> list[Group]:
    groups: dict[str, list[Decimal]] = {}
    articles: dict[str, str] = {}
    for r in rows.itertuples():
        kind = reason_kind(str(r.reason), kinds)
        groups.setdefault(kind, []).append(to_decimal(r.amount or 0))
        articles.setdefault(kind, r.article or "")
    order = [*kinds, "other"]
    return [
        Group(
            L[f"{prefix}{kind}"],
            articles[kind],
            len(groups[kind]),
            sum(groups[kind], ZERO),
            status,
        )
        for kind in order
        if kind in groups
    ]


def plan_summary(
    plan: Plan,
    check: CheckResult,
    *,
    risk: pd.DataFrame | None = None,
) -> PlanSummary:
    """The plan's summary; ``risk`` (a Monte Carlo table, workbench.simulate.simulate) adds one
    sentence on the chance of exceeding a ceiling (the pool and year most at risk, and how many
    pools are at risk; each pool's own sentences are the dashboard's and the 多年度资金需求
    section's). It names no project, so a classified one is never named in it."""
    from workbench.report import narrative

    projects = plan.projects
    year = plan.scenario.plan_year
    chosen = projects[projects["status"].isin(SELECTED)]
    forced = projects[projects["status"] == "forced_in"]
    excluded = projects[projects["status"] == "excluded"]
    others = projects[projects["status"] == "not_selected"]
    spend = plan.spend
    later = spend[(spend["year"] > year) & spend["project_id"].isin(set(chosen["project_id"]))]
    table = plan.totals_by_pool_year()
    table = table[table["year"] == year]
    order = unit_order(table["pool"])
    pools = tuple(
        PoolLine(
            pool=r.pool,
            planned=to_decimal(r.amount),
            carried=to_decimal(r.carried),
            ceiling=None if r.ceiling is None or r.ceiling != r.ceiling else to_decimal(r.ceiling),
        )
        for r in sorted(table.itertuples(), key=lambda r: order.pool_key(r.pool))
    )
    excluded_groups = sorted(_excluded_groups(plan, check), key=lambda g: -g.count)
    left_out = tuple(
        excluded_groups + _kind_groups(others, NOT_SELECTED_KINDS, "kind_", "not_selected")
    )
    return PlanSummary(
        plan_year=year,
        scenario=plan.scenario.name,
        feasible=plan.status in ("optimal", "time_limit"),
        candidates=len(projects),
        requested=_sum(projects["amount"]),
        selected=len(chosen),
        amount=_sum(chosen["amount"]),
        forced=len(forced),
        forced_amount=_sum(forced["amount"]),
        excluded=len(excluded),
        excluded_amount=_sum(excluded["amount"]),
        not_selected=len(others),
        not_selected_amount=_sum(others["amount"]),
        deferred=len(plan.solution.deferred),
        out_years=_sum(later["amount"]),
        pools=pools,
        left_out=left_out,
        forced_groups=tuple(_kind_groups(forced, FORCED_KINDS, "forced_", "forced_in")),
        last_year=max(plan.scenario.years),
        diagnosis=plan.diagnosis or "",
        om_risks=len(plan.om_interruption),
        om_risk_article=check.pack.rule("om_interruption").article,
        commitment_sentence=narrative.commitment_sentence(plan),
        risk_sentences=() if risk is None else (risk_sentence(risk),),
    )


def pools_frame(summary: PlanSummary) -> pd.DataFrame:
    """The plan year's pools against their ceilings, as the summary page shows them."""
    columns = ("col_pool", "col_ceiling", "col_carried", "col_planned", "col_headroom", "col_share")
    rows = [(p.pool, p.ceiling, p.carried, p.planned, p.headroom, p.share) for p in summary.pools]
    return pd.DataFrame(rows, columns=[L[c] for c in columns])


__all__ = ["Group", "PlanSummary", "PoolLine", "plan_summary", "pools_frame", "reason_kind"]

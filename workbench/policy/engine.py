"""Running the policy pack over an intake: derived columns, then every rule's findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from workbench.policy import derive
from workbench.policy.context import RuleContext
from workbench.policy.findings import SEVERITY_ORDER, concat_findings, sort_findings
from workbench.policy.pack import PolicyPack, load_pack
from workbench.policy.rules import RULES
from workbench.policy.rules.notes import om_interruption

DERIVED_COLUMNS = (
    "category_effective",
    "approval_route",
    "approval_article",
    "supervision_required",
    "funding_pool",
)


@dataclass(frozen=True)
class CheckResult:
    """Candidates with their derived columns, and every finding (one row each)."""

    candidates: pd.DataFrame
    findings: pd.DataFrame
    pack: PolicyPack
    plan_year: int
    reference_date: dt.date

    def findings_for(self, project_id: str) -> pd.DataFrame:
        return self.findings[self.findings["project_id"] == project_id]

    def severity_counts(self) -> dict[str, int]:
        return self.findings["severity"].value_counts().to_dict()

    def worst_severity(self) -> pd.Series:
        """Per project, its most severe finding (``exclude`` first), or None."""
        rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
        worst = (
            self.findings.assign(_r=self.findings["severity"].map(rank))
            .groupby("project_id")["_r"]
            .min()
        )
        return (
            self.candidates["project_id"]
            .map(worst)
            .map(lambda r: SEVERITY_ORDER[int(r)] if pd.notna(r) else None)
        )


def check(
    candidates: pd.DataFrame,
    *,
    pack: PolicyPack | None = None,
    plan_year: int,
    reference_date: dt.date | None = None,
    systems: pd.DataFrame | None = None,
    usage: pd.DataFrame | None = None,
    rectifications: pd.DataFrame | None = None,
) -> CheckResult:
    """Apply every rule of ``pack`` to the accepted candidates.

    ``reference_date`` defaults to the pack's (1 January of the plan year): the day time windows
    such as 第六条第（五）项's "一年内" are measured at. ``rectifications``: the register's overdue
    rectifications (第三十八条), as plain data (:mod:`workbench.register.july`).
    """
    pack = pack or load_pack()
    reference_date = reference_date or pack.reference_date(plan_year)
    frame = candidates.copy()
    category, f_category = derive.effective_category(frame, pack)
    frame["category_effective"] = category
    route, article, f_route = derive.approval_route(frame, category, pack)
    frame["approval_route"] = route
    frame["approval_article"] = article
    supervision, f_supervision = derive.supervision_required(frame, category, pack)
    frame["supervision_required"] = supervision
    frame["funding_pool"] = derive.funding_pool(frame)

    ctx = RuleContext(
        pack=pack,
        plan_year=plan_year,
        reference_date=reference_date,
        systems=systems,
        usage=usage,
        rectifications=rectifications,
    )
    parts = [f_category, f_route, derive.other_funds(frame, pack), f_supervision]
    parts += [rule(frame, ctx) for rule in RULES]
    findings = om_interruption(frame, ctx, concat_findings(parts))
    findings = sort_findings(findings, list(frame["project_id"]))
    return CheckResult(
        candidates=frame,
        findings=findings,
        pack=pack,
        plan_year=plan_year,
        reference_date=reference_date,
    )

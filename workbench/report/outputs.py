"""Everything ``workbench plan --out DIR`` hands over, in one call: the plan as CSV, the
formatted workbook, the HTML report and (where Chromium is installed) its PDF. The distribution
edition unless ``internal``: classified projects are withheld in every file (document.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbench.compare import Comparison
from workbench.labels import REPORT_LABELS
from workbench.planner import Plan
from workbench.policy import CheckResult
from workbench.report.document import PlanDocument, Risk, plan_document
from workbench.report.html import write_html
from workbench.report.pdf import PdfError, find_chromium, html_to_pdf
from workbench.report.plan import write_plan_csv
from workbench.report.workbook import document_stem, write_workbook

FRONTIER_POINTS = 20


@dataclass(frozen=True)
class Outputs:
    document: PlanDocument
    paths: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def report_frontier(plan: Plan, points: int = FRONTIER_POINTS) -> pd.DataFrame | None:
    """The 市本级 plan-year frontier for the report's chart, or None where the pool has no
    ceiling to move."""
    from workbench.labels import LEVEL_CITY
    from workbench.planner.frontier import frontier

    problem = plan.prepared.problem
    if (LEVEL_CITY, plan.scenario.plan_year) not in problem.ceilings:
        return None
    return frontier(problem, pool=LEVEL_CITY, points=points)


def write_outputs(
    plan: Plan,
    check: CheckResult,
    out_dir: str | Path,
    *,
    comparison: Comparison | None = None,
    risk: Risk | None = None,
    frontier: pd.DataFrame | None = None,
    internal: bool = False,
    pdf: bool = True,
) -> Outputs:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    doc = plan_document(
        plan, check, comparison=comparison, risk=risk, frontier=frontier, internal=internal
    )
    stem = document_stem(doc)
    suffix = "_内部版" if internal else ""
    paths = [
        write_plan_csv(
            plan, out / f"年度计划草案_{plan.scenario.plan_year}{suffix}.csv", set(doc.redacted)
        ),
        write_workbook(doc, out / f"{stem}.xlsx"),
    ]
    html = write_html(doc, out / f"{stem}.html")
    paths.append(html)
    notes = []
    if pdf:
        if find_chromium() is None:
            notes.append(REPORT_LABELS["no_chromium"])
        else:
            try:
                paths.append(html_to_pdf(html, out / f"{stem}.pdf"))
            except PdfError as exc:
                notes.append(str(exc))
    return Outputs(doc, paths, notes)

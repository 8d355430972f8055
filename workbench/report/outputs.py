"""Everything ``workbench plan --out DIR`` hands over, in one call: the plan as CSV, the
formatted workbook, the HTML report, the 请示 draft (.docx) and (where Chromium is installed)
the report's PDF. The distribution
edition unless ``internal``: classified projects are withheld in every file (document.py).
The files are one output set (workbench.outputset): they appear in ``DIR`` together, with
``清单.json``, or not at all."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbench.compare import Comparison
from workbench.labels import OUTPUT_LABELS, REPORT_LABELS
from workbench.outputset import OutputSet
from workbench.planner import Plan
from workbench.policy import CheckResult
from workbench.provenance import file_sha256
from workbench.report.document import PlanDocument, Risk, plan_document
from workbench.report.html import write_html
from workbench.report.pdf import PdfError, find_chromium, html_to_pdf
from workbench.report.plan import write_plan_csv
from workbench.report.qingshi import qingshi_file_name, write_qingshi
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


def provenance_inputs(
    record: Mapping[str, object], scenario_paths: Iterable[str] = ()
) -> list[dict[str, object]]:
    """What a result was drafted from, with hashes, for 清单.json: the input tables of a
    provenance record (workbench.provenance), its policy pack and the scenario files."""
    inputs = [dict(i) for i in record.get("inputs") or []]  # type: ignore[union-attr]
    pack = record.get("policy_pack")
    if isinstance(pack, dict) and pack.get("path"):
        inputs.append({"table": "policy_pack", "file": pack["path"], "sha256": pack.get("sha256")})
    for path in dict.fromkeys(scenario_paths):
        if path and Path(path).is_file():
            inputs.append({"table": "scenario", "file": path, "sha256": file_sha256(path)})
    return inputs


def plan_inputs(plan: Plan) -> list[dict[str, object]]:
    return provenance_inputs(plan.provenance, [plan.scenario.path])


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
    supervision: Sequence[tuple[str, pd.DataFrame]] = (),
) -> Outputs:
    """Write the set into ``out_dir`` (the files of an earlier run are moved aside into
    ``out_dir/.上次输出``); the paths returned are where the files are once written.
    ``supervision``: the register's 监管事项 (``--db``), a sheet of the workbook."""
    doc = plan_document(
        plan,
        check,
        comparison=comparison,
        risk=risk,
        frontier=frontier,
        internal=internal,
        supervision=supervision,
    )
    stem = document_stem(doc)
    suffix = "_内部版" if internal else ""
    table = OUTPUT_LABELS["plan_table_file"].format(year=plan.scenario.plan_year, edition=suffix)
    notes = []
    with OutputSet(
        out_dir,
        kind="plan",
        inputs=plan_inputs(plan),
        scenario={"name": plan.scenario.name, "path": plan.scenario.path},
        status=plan.status,
    ) as out:
        paths = [
            write_plan_csv(plan, out.path(table), set(doc.redacted)),
            write_workbook(doc, out.path(f"{stem}.xlsx")),
        ]
        html = write_html(doc, out.path(f"{stem}.html"))
        paths.append(html)
        if doc.summary is not None and not doc.summary.feasible:
            notes.append(REPORT_LABELS["no_qingshi_infeasible"])
        elif doc.summary is not None:  # the 请示 that carries the plan to the government
            name = Path(qingshi_file_name(doc.summary))
            if internal:
                name = name.with_stem(name.stem + suffix)
            paths.append(
                write_qingshi(
                    doc.summary, out.path(name.name), attachments=[doc.title], internal=internal
                )
            )
        if pdf:
            if find_chromium() is None:
                notes.append(REPORT_LABELS["no_chromium"])
            else:
                try:
                    paths.append(html_to_pdf(html, out.path(f"{stem}.pdf")))
                except PdfError as exc:
                    notes.append(str(exc))
    return Outputs(doc, [out.final(p) for p in paths], notes)

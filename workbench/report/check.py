"""``workbench check`` output: a Chinese text a planner can read, and JSON in the contract's shape
(DESIGN §7). The text names each finding's rule by its Chinese name (the policy pack's ``name``);
the JSON keeps the rule id (``rule``) and adds the name (``rule_name``). The total investment is
printed exactly (``report.amounts``): it stands beside the approval route and supervision that
were decided on it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.intake import IntakeResult
from workbench.labels import CLI_LABELS, SEVERITY_LABELS
from workbench.money import format_wan_exact
from workbench.policy import CheckResult
from workbench.policy.findings import plain
from workbench.provenance import provenance
from workbench.report.jsonsafe import strict

# Shown in the project's heading line rather than repeated as finding lines in text output.
_HEADLINE_RULES = ("approval_route", "supervision")


def _intake_provenance(results: list[IntakeResult]) -> list[dict[str, object]]:
    return [{"table": r.table, **p} for r in results for p in r.provenance()]


def check_provenance(
    result: CheckResult, candidates: IntakeResult, registries: list[IntakeResult]
) -> dict:
    return provenance(
        inputs=_intake_provenance([candidates, *registries]),
        pack_id=result.pack.id,
        pack_path=result.pack.path,
        plan_year=result.plan_year,
        reference_date=result.reference_date,
    )


def _rejections(results: list[IntakeResult]) -> list[dict[str, object]]:
    rows = []
    for r in results:
        for rej in r.rejections.itertuples(index=False):
            rows.append(
                {
                    "table": r.table,
                    "file": rej.file,
                    "sheet": rej.sheet,
                    "row": None if pd.isna(rej.row) else int(rej.row),
                    "column": rej.column,
                    "reason": rej.reason,
                }
            )
    return rows


def _findings_by_project(result: CheckResult) -> dict[object, list[tuple]]:
    """Every finding as a ``(rule, rule name, article, severity, message, evidence)`` tuple,
    grouped by project in one pass over the columns (a per-project ``groupby`` costs a
    millisecond a project: 10 000 projects, ten seconds)."""
    found = result.findings
    names = result.pack.rule_names()
    grouped: dict[object, list[tuple]] = {}
    rules = found["rule"].tolist()
    for pid, *finding in zip(
        found["project_id"].tolist(),
        rules,
        [names.get(rule, rule) for rule in rules],
        found["article"].tolist(),
        found["severity"].tolist(),
        found["message"].tolist(),
        found["evidence"].tolist(),
        strict=True,
    ):
        grouped.setdefault(pid, []).append(tuple(finding))
    return grouped


_PROJECT_FIELDS = (
    "project_id",
    "name",
    "unit",
    "level",
    "funding_pool",
    "category",
    "category_effective",
    "approval_route",
    "approval_article",
)


def check_json(
    result: CheckResult, candidates: IntakeResult, registries: list[IntakeResult]
) -> dict:
    """The check as the contract's JSON object. Values are plain (amounts as exact strings,
    missing as None); :func:`workbench.report.jsonsafe.dumps` writes it as strict JSON."""
    grouped = _findings_by_project(result)
    frame = result.candidates
    columns = [frame[c].tolist() for c in _PROJECT_FIELDS]
    supervision = frame["supervision_required"].tolist()
    total = frame["total_investment"].tolist()
    request = frame["request_amount"].tolist()
    projects = []
    for i, values in enumerate(zip(*columns, strict=True)):
        project: dict[str, object] = {
            field: plain(value) for field, value in zip(_PROJECT_FIELDS, values, strict=True)
        }
        project["supervision_required"] = bool(supervision[i])
        project["total_investment"] = plain(total[i])
        project["request_amount"] = plain(request[i])
        project["findings"] = [
            {
                "rule": rule,
                "rule_name": name,
                "article": article,
                "severity": severity,
                "message": message,
                "evidence": evidence,
            }
            for rule, name, article, severity, message, evidence in grouped.get(values[0], ())
        ]
        projects.append(project)
    intakes = [candidates, *registries]
    return {
        "projects": projects,
        "rejected_rows": _rejections(intakes),
        "notices": strict(
            [
                {"table": r.table, "file": n.file, "sheet": n.sheet, "message": n.message}
                for r in intakes
                for n in r.notices.itertuples(index=False)
            ]
        ),
        "intake": strict({r.table: r.totals() for r in intakes}),
        "severity_counts": result.severity_counts(),
        "provenance": strict(check_provenance(result, candidates, registries)),
    }


def _location(file: str, sheet: str, row: object) -> str:
    parts = [Path(file).name]
    if sheet:
        parts.append(sheet)
    if row is not None and not pd.isna(row):
        parts.append(CLI_LABELS["row_at"].format(row=int(row)))
    return " ".join(parts)


def rejection_summary(intakes: list[IntakeResult]) -> str | None:
    """One Chinese line for standard error when any row was not accepted, naming the first place."""
    rejected = _rejections(intakes)
    if not rejected:
        return None
    first = rejected[0]
    column = f" {CLI_LABELS['column']}“{first['column']}”" if first["column"] else ""
    rows = sum(r.rejected_row_count for r in intakes) + sum(1 for r in rejected if r["row"] is None)
    return CLI_LABELS["rejected_exit"].format(
        rows=rows,
        problems=len(rejected),
        first=f"{_location(first['file'], first['sheet'], first['row'])}{column}：{first['reason']}",
    )


def check_text(
    result: CheckResult, candidates: IntakeResult, registries: list[IntakeResult]
) -> str:
    lines: list[str] = []
    totals = candidates.totals()
    lines.append(
        CLI_LABELS["projects_header"].format(
            count=len(result.candidates), plan_year=result.plan_year, policy=result.pack.id
        )
    )
    lines.append(CLI_LABELS["summary"].format(**totals))
    tables = {"systems": CLI_LABELS["table_systems"], "usage": CLI_LABELS["table_usage"]}
    for r in registries:
        lines.append(CLI_LABELS["registry_summary"].format(table=tables[r.table], **r.totals()))
    if not any(r.table == "systems" for r in registries):
        lines.append(CLI_LABELS["no_registry"])
    elif not any(r.table == "usage" for r in registries):
        lines.append(CLI_LABELS["no_usage"])
    counts = result.severity_counts()
    lines.append(
        CLI_LABELS["severity_counts"].format(
            counts="，".join(
                f"{SEVERITY_LABELS[s]}{counts[s]}条" for s in SEVERITY_LABELS if s in counts
            )
            or CLI_LABELS["none"]
        )
    )
    lines.append("")
    grouped = _findings_by_project(result)
    for row in result.candidates.itertuples(index=False):
        lines.append(f"{row.project_id}  {row.unit}  {row.name}")
        supervision = (
            CLI_LABELS["supervision_yes"]
            if row.supervision_required
            else CLI_LABELS["supervision_no"]
        )
        lines.append(
            f"  {CLI_LABELS['category']}：{row.category_effective}  "
            f"{CLI_LABELS['route']}：{row.approval_route}（{row.approval_article}）  "
            f"{CLI_LABELS['supervision']}：{supervision}  "
            f"{CLI_LABELS['amount']}：{format_wan_exact(row.total_investment)}{CLI_LABELS['wan']}"
        )
        for rule, name, article, severity, message, _evidence in grouped.get(row.project_id, ()):
            if rule not in _HEADLINE_RULES:
                lines.append(f"  [{SEVERITY_LABELS[severity]}] {article}：【{name}】{message}")
    intakes = [candidates, *registries]
    rejected = _rejections(intakes)
    notices = [
        (n.file, n.sheet, n.message) for r in intakes for n in r.notices.itertuples(index=False)
    ]
    if notices:
        lines += ["", CLI_LABELS["notices"]]
        lines += [
            f"  {_location(file, sheet, None)}：{message}" for file, sheet, message in notices
        ]
    lines += ["", f"{CLI_LABELS['rejected_rows']}（{len(rejected)}）"]
    if not rejected:
        lines.append(f"  {CLI_LABELS['none']}")
    for rej in rejected:
        column = f" {CLI_LABELS['column']}“{rej['column']}”" if rej["column"] else ""
        lines.append(
            f"  {_location(rej['file'], rej['sheet'], rej['row'])}{column}：{rej['reason']}"
        )
    return "\n".join(lines)

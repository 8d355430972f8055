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


def check_json(
    result: CheckResult, candidates: IntakeResult, registries: list[IntakeResult]
) -> dict:
    grouped = {pid: g for pid, g in result.findings.groupby("project_id", sort=False)}
    names = result.pack.rule_names()
    projects = []
    for row in result.candidates.itertuples(index=False):
        found = grouped.get(row.project_id)
        projects.append(
            {
                "project_id": row.project_id,
                "name": row.name,
                "unit": row.unit,
                "level": row.level,
                "funding_pool": row.funding_pool,
                "category": row.category,
                "category_effective": row.category_effective,
                "approval_route": row.approval_route,
                "approval_article": row.approval_article,
                "supervision_required": bool(row.supervision_required),
                "total_investment": plain(row.total_investment),
                "request_amount": plain(row.request_amount),
                "findings": []
                if found is None
                else [
                    {
                        "rule": f.rule,
                        "rule_name": names.get(f.rule, f.rule),
                        "article": f.article,
                        "severity": f.severity,
                        "message": f.message,
                        "evidence": f.evidence,
                    }
                    for f in found.itertuples(index=False)
                ],
            }
        )
    intakes = [candidates, *registries]
    payload = {
        "projects": projects,
        "rejected_rows": _rejections(intakes),
        "notices": [
            {"table": r.table, "file": n.file, "sheet": n.sheet, "message": n.message}
            for r in intakes
            for n in r.notices.itertuples(index=False)
        ],
        "intake": {r.table: r.totals() for r in intakes},
        "severity_counts": result.severity_counts(),
        "provenance": check_provenance(result, candidates, registries),
    }
    return strict(payload)  # type: ignore[return-value]


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
    grouped = {pid: g for pid, g in result.findings.groupby("project_id", sort=False)}
    names = result.pack.rule_names()
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
        found = grouped.get(row.project_id)
        if found is not None:
            for f in found.itertuples(index=False):
                if f.rule in _HEADLINE_RULES:
                    continue
                rule = names.get(f.rule, f.rule)
                lines.append(
                    f"  [{SEVERITY_LABELS[f.severity]}] {f.article}：【{rule}】{f.message}"
                )
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

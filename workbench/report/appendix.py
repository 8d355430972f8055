"""What the document says after the plan: the findings that keep out or warn (审核发现), the
routine 说明 findings counted by rule (附录), and 参数与来源 with the weights as applied."""

from __future__ import annotations

import pandas as pd

import workbench
from workbench.labels import (
    PLAN_COLUMNS,
    REPORT_LABELS,
    SCORING_LABELS,
    SESSION_LABELS,
    SEVERITY_LABELS,
    SOLVE_STATUS_LABELS,
)
from workbench.planner import Plan
from workbench.policy import CheckResult
from workbench.policy.findings import sort_findings
from workbench.provenance import file_name
from workbench.report.blocks import numbered
from workbench.report.model import Block, Risk

L = REPORT_LABELS
INFO = "info"  # the 说明 severity: routine findings, counted in the appendix


def findings_block(check: CheckResult, projects: pd.DataFrame, hidden: set[str]) -> Block:
    """审核发现 that bear on the plan: every finding that keeps a project out (不予安排, 原则上
    不予安排) or warns (提示), each with its project and article, except the one an excluded
    project's reason in 未安排项目及原因 already quotes (said once, not twice). Routine 说明
    findings are counted by rule in the appendix (:func:`routine_findings`)."""
    findings = sort_findings(check.findings, list(check.candidates["project_id"]))
    findings = findings[findings["severity"] != INFO]
    excluded = projects[projects["status"] == "excluded"].set_index("project_id")["reason"]
    quoted = [
        pid in excluded.index and str(excluded[pid]).startswith(str(message))
        for pid, message in zip(findings["project_id"], findings["message"], strict=True)
    ]
    findings = findings[~pd.Series(quoted, index=findings.index, dtype=bool)]
    findings = findings.reset_index(drop=True)
    names = projects.set_index("project_id")["name"]
    units = projects.set_index("project_id")["unit"]
    secret = findings["project_id"].isin(hidden)
    rule_names = check.pack.rule_names()
    frame = pd.DataFrame(
        {
            PLAN_COLUMNS["project_id"]: findings["project_id"],
            PLAN_COLUMNS["name"]: findings["project_id"].map(names),
            PLAN_COLUMNS["unit"]: findings["project_id"].map(units),
            # The rule's Chinese name: a reader never sees a rule id.
            L["rule"]: findings["rule"].map(lambda rule: rule_names.get(rule, rule)),
            PLAN_COLUMNS["article"]: findings["article"],
            L["severity"]: findings["severity"].map(SEVERITY_LABELS),
            L["finding"]: findings["message"].where(~secret, L["redacted_text"]),
        }
    )
    return Block(numbered(frame), wide=(PLAN_COLUMNS["name"], L["finding"]))


def routine_findings(check: CheckResult) -> Block:
    """附录: the 说明 findings (审批方式, 工程监理, 旗区审核 … of every project) counted by rule,
    with the articles they cite, in the pack's order of rules."""
    findings = check.findings[check.findings["severity"] == INFO]
    rule_names = check.pack.rule_names()
    order = list(rule_names)
    rows = []
    for rule, group in findings.groupby("rule", sort=False):
        rows.append(
            {
                L["rule"]: rule_names.get(rule, rule),
                PLAN_COLUMNS["article"]: "、".join(dict.fromkeys(group["article"])),
                L["appendix_projects"]: group["project_id"].nunique(),
                L["appendix_findings"]: len(group),
                "_o": order.index(rule) if rule in order else len(order),
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            L["rule"],
            PLAN_COLUMNS["article"],
            L["appendix_projects"],
            L["appendix_findings"],
            "_o",
        ],
    )
    frame = frame.sort_values("_o", kind="stable").drop(columns="_o").reset_index(drop=True)
    total = {
        L["rule"]: L["total"],
        L["appendix_findings"]: int(frame[L["appendix_findings"]].sum()),
    }
    return Block(numbered(frame), L["block_appendix"], total=total)


def provenance_blocks(
    plan: Plan,
    check: CheckResult,
    document_title: str,
    edition: str,
    generated: str,
    risk: Risk | None = None,
) -> list[Block]:
    """参数与来源, as a reader of the document can use it: every file by its name and SHA-256
    (no directory of the analyst's machine), tables, the scenario, the policy pack and the
    scoring model by their Chinese names, never a key of the provenance record."""
    p = plan.provenance
    pack = p.get("policy_pack") or {}
    scenario = p.get("scenario") or {}
    scoring = p.get("scoring") or {}
    solver = plan.solver
    consistency = scoring.get("consistency") or {}
    gap = solver.get("gap")
    rows = [
        (L["param_document"], document_title),
        (L["param_edition"], edition),
        (L["param_policy"], check.pack.title),
        (L["param_policy_file"], file_name(pack.get("path") or check.pack.path)),
        (L["param_policy_sha"], pack.get("sha256", "")),
        (L["param_scenario"], plan.scenario.name),
        (L["param_scenario_file"], file_name(scenario.get("path") or plan.scenario.path)),
        (L["plan_year"], str(plan.scenario.plan_year)),
        (L["param_horizon"], "、".join(str(y) for y in plan.scenario.years)),
        (L["param_reference_date"], str(p.get("reference_date", ""))),
        (L["param_solver"], f"{solver['name']} {solver['version']}"),
        (L["param_solver_status"], SOLVE_STATUS_LABELS[plan.status]),
        (L["param_gap"], "—" if gap is None or gap != gap else f"{gap:.2%}"),
        (L["param_solve_seconds"], f"{solver['solve_seconds']}"),
    ]
    if scoring:
        rows += [
            (L["param_scoring"], _scoring_title(plan, scoring)),
            (
                L["param_scoring_source"],
                SCORING_LABELS.get(f"source_{scoring.get('source', '')}", ""),
            ),
        ]
    if consistency:
        rows.append((L["param_consistency"], f"{consistency.get('cr', '')}"))
    if risk is not None:  # how the risk table was drawn, for whoever re-runs it
        rows.append(
            (L["param_risk"], L["param_risk_value"].format(draws=risk.draws, seed=risk.seed))
        )
    register = p.get("register") or {}
    if register:  # what the register gave, never where it is (a path, a server)
        rows.append((L["param_register"], L["param_register_value"].format(**register)))
    rows += [
        (L["param_version"], str(p.get("workbench_version", workbench.__version__))),
        (L["param_generated"], generated),
    ]
    blocks = [
        Block(
            pd.DataFrame(rows, columns=[L["key"], L["value"]]),
            L["block_parameters"],
            wide=(L["value"],),
        )
    ]
    inputs = p.get("inputs") or []
    if inputs:
        frame = pd.DataFrame(
            {
                L["input_table"]: [_table_name(i.get("table")) for i in inputs],
                L["input_file"]: [file_name(i.get("file")) for i in inputs],
                L["input_sha"]: [i.get("sha256", "") for i in inputs],
                L["input_bytes"]: [i.get("bytes", "") for i in inputs],
            }
        )
        blocks.append(Block(frame, L["block_inputs"], wide=(L["input_file"],)))
    weights = scoring.get("weights") or {}
    if weights:
        blocks.append(_weights_block(scoring))
    return blocks


def _weights_block(scoring: dict) -> Block:
    """The scoring weights as applied: where a criterion had no data (no expert scores yet) its
    weight went to the others (the run's note says so), and the applied column shows what each
    criterion really weighed; the model's own weight stands beside it when they differ."""
    weights = scoring.get("weights") or {}
    applied = scoring.get("applied") or weights
    names = scoring.get("names") or {}
    differs = any(abs(applied.get(k, 0.0) - v) > 1e-9 for k, v in weights.items())
    frame = pd.DataFrame(
        {
            L["weight_criterion"]: [names.get(k, k) for k in weights],
            L["weight_applied"]: [float(applied.get(k, 0.0)) for k in weights],
        }
    )
    percent: tuple[str, ...] = (L["weight_applied"],)
    if differs:
        frame[L["weight_model"]] = [float(v) for v in weights.values()]
        percent += (L["weight_model"],)
    notes = [str(n) for n in scoring.get("notes") or []]
    caption = L["block_weights"] + ("：" + "；".join(notes) if differs and notes else "")
    return Block(frame, caption, percent=percent)


def _table_name(table: object) -> str:
    """An intake table (``candidates``, ``systems``, ``usage``, ``commitments``) in Chinese."""
    return SESSION_LABELS.get(str(table), L["input_other"]) if table else L["input_other"]


def _scoring_title(plan: Plan, scoring: dict) -> str:
    """The scoring model's title: from the record when it has one, else from the model file the
    scenario names (a record written before titles were kept)."""
    if scoring.get("title"):
        return str(scoring["title"])
    from workbench.scoring import load_scoring

    try:
        model = load_scoring(plan.scenario.scoring)
    except Exception:  # the file may have moved since: the record is what is shown then
        return SCORING_LABELS["source_model"]
    return model.title if model.id == scoring.get("model") else SCORING_LABELS["source_model"]

"""The plan adopted (审定, 第九条) from the register (``workbench db adopt``, issue #13 item 4),
and what the register knows of each project for its obligations (:func:`project_facts`).

How a year's plan is drawn: the year's submissions in force (each project's latest for that
plan year) are rebuilt into the candidates table the forms gave (:func:`~workbench.register.
submissions.candidates_frame`) and checked again, together, with the policy pack the scenario
names; then scored and drafted under the scenario, exactly as ``workbench plan`` drafts a plan
from the forms. The stored findings at entry are the record of what each file showed when it
came in; the plan is drawn from one check of the whole year, so that rules comparing projects
see every department's submissions, and a pack corrected since is the pack applied. Where the
two checks disagree (say, the registry of built systems was given at entry but not now), the
projects are named in the output.

The own-input rules of ``plan`` apply (:mod:`workbench.planner.coverage`): submissions that are
all the embedded sample's rows may be planned under the sample's scenarios (``base`` by default);
any other intake needs its own scenario, covering every pool and year it asks money of.

Adopting records one ``adoptions`` row (year, scenario name, file and SHA-256, solve status, who,
when, provenance) and every project's decision (status, reason, article, the plan year's
amount, the submission it was drawn from). A year is adopted once; ``force`` records a new
adoption that supersedes the current one, which stays as it was. An infeasible plan, or one the
solver could not draft, is not adopted.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from workbench.labels import (
    CLI_LABELS,
    COVERAGE_MESSAGES,
    DB_LABELS,
    PLAN_STATUS_LABELS,
    SOLVE_STATUS_LABELS,
)
from workbench.provenance import file_name, file_sha256
from workbench.register.db import RegisterError, translated_errors, writing
from workbench.register.intake_import import check_year, read_registries, where_text
from workbench.register.records import ProjectFacts
from workbench.register.schema import adoptions, plan_decisions, projects, submissions
from workbench.register.store import Register, recorder
from workbench.register.submissions import (
    StoredSubmission,
    candidates_frame,
    read_findings,
    read_submissions,
)

if TYPE_CHECKING:
    import argparse

    import pandas as pd

    from workbench.planner.plan import Plan
    from workbench.scenario import Scenario

# The statuses of a project the plan takes in (workbench.planner.plan.SELECTED_STATUSES, named
# here so that reading the register does not load the solver).
ADOPTED_IN = ("selected", "forced_in")
# Solve statuses with a plan in hand: proved optimal, or stopped at the time limit.
ADOPTABLE = ("optimal", "time_limit")


@dataclass(frozen=True)
class AdoptionRecord:
    id: int
    plan_year: int
    scenario_name: str
    scenario_file: str
    scenario_sha256: str
    solve_status: str
    adopted_at: dt.datetime
    adopted_by: str
    supersedes_id: int | None
    provenance: dict[str, object]


@dataclass(frozen=True)
class DecisionRecord:
    adoption_id: int | None
    project_id: str
    submission_id: int
    plan_year: int
    status: str
    reason: str
    article: str
    amount: Decimal | None


@dataclass(frozen=True)
class Adopted:
    """What ``adopt_plan`` recorded: the adoption, every decision (with the project's name for
    the reader), the adoption it superseded, and the projects whose findings differ from those
    at entry."""

    database: str
    adoption: AdoptionRecord
    decisions: tuple[DecisionRecord, ...]
    names: dict[str, str]
    superseded: AdoptionRecord | None
    findings_changed: tuple[str, ...]
    sample: bool


# -- reading ----------------------------------------------------------------------------------


def _adoption(row: sa.Row) -> AdoptionRecord:
    return AdoptionRecord(
        id=row.id,
        plan_year=row.plan_year,
        scenario_name=row.scenario_name,
        scenario_file=row.scenario_file,
        scenario_sha256=row.scenario_sha256,
        solve_status=row.solve_status,
        adopted_at=row.adopted_at,
        adopted_by=row.adopted_by,
        supersedes_id=row.supersedes_id,
        provenance=dict(row.provenance or {}),
    )


def _superseded_ids() -> sa.Select:
    return sa.select(adoptions.c.supersedes_id).where(adoptions.c.supersedes_id.is_not(None))


def read_adoptions(conn: Connection, plan_year: int | None = None) -> list[AdoptionRecord]:
    """Every adoption (of a year), superseded ones too, in the order recorded."""
    query = sa.select(adoptions).order_by(adoptions.c.id)
    if plan_year is not None:
        query = query.where(adoptions.c.plan_year == plan_year)
    return [_adoption(row) for row in conn.execute(query)]


def current_adoption(conn: Connection, plan_year: int) -> AdoptionRecord | None:
    """The year's adoption in force: the one no later adoption supersedes."""
    query = (
        sa.select(adoptions)
        .where(adoptions.c.plan_year == plan_year)
        .where(adoptions.c.id.not_in(_superseded_ids()))
        .order_by(adoptions.c.id.desc())
    )
    row = conn.execute(query).first()
    return None if row is None else _adoption(row)


def read_decisions(conn: Connection, adoption_id: int) -> list[DecisionRecord]:
    query = (
        sa.select(plan_decisions, projects.c.project_key)
        .join(projects, projects.c.id == plan_decisions.c.project_id)
        .where(plan_decisions.c.adoption_id == adoption_id)
        .order_by(plan_decisions.c.id)
    )
    return [
        DecisionRecord(
            adoption_id=r.adoption_id,
            project_id=r.project_key,
            submission_id=r.submission_id,
            plan_year=r.plan_year,
            status=r.status,
            reason=r.reason,
            article=r.article,
            amount=r.amount,
        )
        for r in conn.execute(query)
    ]


def project_facts(conn: Connection) -> dict[str, ProjectFacts]:
    """What the obligations need to know of each project with a submission, from its latest
    (the latest plan year, then the latest recorded): the effective category as checked at
    entry, the construction period, the 申报单位; and the approved amount: the total
    investment of the submission an adopted plan (in force) took the project in from, the most
    recent such plan, else the latest submission's total investment. (The plan's own
    ``amount`` is the plan year's money; 第二十七条 and 第二十八条 weigh the project's approved
    total.)"""
    order = sa.func.row_number().over(
        partition_by=submissions.c.project_id,
        order_by=(submissions.c.plan_year.desc(), submissions.c.id.desc()),
    )
    ranked = sa.select(submissions.c.id, order.label("rank")).subquery()
    latest = sa.select(ranked.c.id).where(ranked.c.rank == 1)
    query = (
        sa.select(projects.c.project_key, submissions.c.row, submissions.c.checked)
        .join(projects, projects.c.id == submissions.c.project_id)
        .where(submissions.c.id.in_(latest))
    )
    approved_query = (
        sa.select(projects.c.project_key, submissions.c.row)
        .select_from(plan_decisions)
        .join(adoptions, adoptions.c.id == plan_decisions.c.adoption_id)
        .join(submissions, submissions.c.id == plan_decisions.c.submission_id)
        .join(projects, projects.c.id == plan_decisions.c.project_id)
        .where(plan_decisions.c.status.in_(ADOPTED_IN))
        .where(adoptions.c.id.not_in(_superseded_ids()))
        .order_by(adoptions.c.plan_year, adoptions.c.id)
    )
    approved = {
        key: _amount(row.get("total_investment")) for key, row in conn.execute(approved_query)
    }
    found: dict[str, ProjectFacts] = {}
    for key, row, checked in conn.execute(query):
        months = row.get("construction_months")
        found[key] = ProjectFacts(
            project_id=key,
            category=str(checked.get("category_effective") or row.get("category") or ""),
            construction_months=None if months is None else int(months),
            approved_amount=approved.get(key, _amount(row.get("total_investment"))),
            unit=str(row.get("unit") or ""),
        )
    return dict(sorted(found.items()))


def _amount(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# -- adopting ---------------------------------------------------------------------------------


def is_sample(stored: Sequence[StoredSubmission]) -> bool:
    """Whether every submission came from the embedded sample's files (by their SHA-256): its
    2027 intake, or the 2026 intake behind the demo register (:mod:`workbench.register.demo`)."""
    from workbench import data
    from workbench.register.demo import EARLIER_FILE

    sample = {file_sha256(data.sample_candidates()), file_sha256(data.sample_dir() / EARLIER_FILE)}
    return bool(stored) and all(s.source.sha256 in sample for s in stored)


def choose_scenario(name: str | None, plan_year: int, sample: bool) -> Scenario:
    """The scenario named; for the sample, the sample's base; for any other intake, none is
    assumed. Moved to ``plan_year`` when written for another."""
    from workbench.scenario import load_scenario

    if name:
        scenario = load_scenario(name)
    elif sample:
        scenario = load_scenario(None)
    else:
        raise RegisterError(DB_LABELS["adopt_needs_scenario"].format(year=plan_year))
    return scenario if scenario.plan_year == plan_year else scenario.for_year(plan_year)


def adopt_plan(
    register: Register,
    plan_year: int,
    *,
    scenario: str | None = None,
    systems: Sequence[str | Path] = (),
    usage: Sequence[str | Path] = (),
    by: str | None = None,
    force: bool = False,
) -> Adopted:
    """Draft the plan for ``plan_year`` from the register's submissions under ``scenario`` and
    record it as adopted (see the module's docstring)."""
    from workbench import data

    with translated_errors(register.url), register.engine.connect() as conn:
        stored = read_submissions(conn, plan_year=plan_year, latest=True)
        current = current_adoption(conn, plan_year)
        entry_findings = read_findings(conn, [s.id for s in stored])
    if not stored:
        raise RegisterError(
            DB_LABELS["adopt_no_submissions"].format(where=register.where, year=plan_year)
        )
    if current is not None and not force:
        raise RegisterError(_already(current))
    sample = is_sample(stored)
    chosen = choose_scenario(scenario, plan_year, sample)
    if sample and not systems:  # the sample's registry and usage, as `plan` reads them
        systems, usage = [str(data.sample_systems())], usage or [str(data.sample_usage())]
    registries, system_table, usage_table = read_registries(systems, usage)
    _refuse_rejected(registries)
    plan, findings = _draft(stored, chosen, plan_year, sample, system_table, usage_table)
    if plan.status not in ADOPTABLE:
        raise RegisterError(
            DB_LABELS["adopt_not_adoptable"].format(
                year=plan_year,
                scenario=chosen.name,
                status=SOLVE_STATUS_LABELS.get(plan.status, plan.status),
                diagnosis=plan.diagnosis.strip(),
            )
        )
    changed = _findings_changed(stored, entry_findings, findings)
    provenance = _provenance(plan, chosen, stored, registries, sample)
    who = recorder(by)
    now = dt.datetime.now(dt.UTC)
    with translated_errors(register.url), writing(register.engine) as conn:
        again = read_submissions(conn, plan_year=plan_year, latest=True)
        if [s.id for s in again] != [s.id for s in stored]:
            raise RegisterError(DB_LABELS["adopt_changed_meanwhile"].format(year=plan_year))
        current = current_adoption(conn, plan_year)
        if current is not None and not force:
            raise RegisterError(_already(current))
        adoption_id = conn.execute(
            sa.insert(adoptions)
            .values(
                plan_year=plan_year,
                scenario_name=chosen.name,
                scenario_file=file_name(chosen.path),
                scenario_sha256=file_sha256(chosen.path) if chosen.path else "",
                solve_status=plan.status,
                adopted_at=now,
                adopted_by=who,
                supersedes_id=None if current is None else current.id,
                provenance=provenance,
            )
            .returning(adoptions.c.id)
        ).scalar_one()
        decisions = _record_decisions(conn, plan, stored, adoption_id, chosen, who, now)
        adoption = _adoption(
            conn.execute(sa.select(adoptions).where(adoptions.c.id == adoption_id)).one()
        )
    return Adopted(
        database=register.where,
        adoption=adoption,
        decisions=tuple(decisions),
        names={s.project_id: s.name for s in stored},
        superseded=current,
        findings_changed=changed,
        sample=sample,
    )


def _refuse_rejected(registries: list) -> None:
    """A plan is not adopted on a registry or usage table with rows that were not accepted:
    what they would have shown is missing from the check (``plan`` drafts and exits 2; a
    decision on record waits for the corrected table)."""
    rejected = [(r.table, x) for r in registries for x in r.rejections.itertuples(index=False)]
    if not rejected:
        return
    table, first = rejected[0]
    place = where_text(table, first.file, first.sheet, first.row)
    column = f" {CLI_LABELS['column']}“{first.column}”" if first.column else ""
    raise RegisterError(
        DB_LABELS["adopt_registry_rejected"].format(
            rows=len(rejected), first=f"{place}{column}：{first.reason}"
        )
    )


def _already(current: AdoptionRecord) -> str:
    return DB_LABELS["adopt_already"].format(
        year=current.plan_year,
        at=_moment(current.adopted_at),
        by=current.adopted_by,
        scenario=current.scenario_name,
        id=current.id,
    )


def _draft(
    stored: Sequence[StoredSubmission],
    scenario: Scenario,
    plan_year: int,
    sample: bool,
    system_table: pd.DataFrame | None,
    usage_table: pd.DataFrame | None,
) -> tuple[Plan, pd.DataFrame]:
    """Check the stored rows again, together, and draft the plan as ``workbench plan`` does."""
    from workbench.compare import plan_scenario
    from workbench.planner.coverage import require_scenario_for_input
    from workbench.policy import check, load_pack

    result = check(
        candidates_frame(stored),
        pack=load_pack(scenario.policy),
        plan_year=plan_year,
        systems=system_table,
        usage=usage_table,
    )
    files = sorted({s.source.file for s in stored})
    command = COVERAGE_MESSAGES["init_command"].format(inputs=" ".join(files))
    require_scenario_for_input(result, scenario, using_sample=sample, command=command)
    plan, _ = plan_scenario(result, scenario, systems=system_table)
    return plan, result.findings


def _findings_changed(
    stored: Sequence[StoredSubmission], at_entry: list, now: pd.DataFrame
) -> tuple[str, ...]:
    """Projects whose findings (rule and severity) differ between entry and this check."""
    before: dict[str, set[tuple[str, str]]] = {s.project_id: set() for s in stored}
    for f in at_entry:
        before.setdefault(f.project_id, set()).add((f.rule, f.severity))
    after: dict[str, set[tuple[str, str]]] = {s.project_id: set() for s in stored}
    for pid, rule, severity in zip(now["project_id"], now["rule"], now["severity"], strict=True):
        after.setdefault(pid, set()).add((rule, severity))
    return tuple(sorted(p for p in before if before[p] != after.get(p, set())))


def _provenance(
    plan: Plan,
    scenario: Scenario,
    stored: Sequence[StoredSubmission],
    registries: list,
    sample: bool,
) -> dict[str, object]:
    import workbench
    from workbench.policy import load_pack
    from workbench.report.jsonsafe import dumps_bytes

    pack = load_pack(scenario.policy)
    record = {
        "policy_pack": {"id": pack.id, "sha256": file_sha256(pack.path)},
        "submissions": len(stored),
        "sample": sample,
        "registries": [
            {"table": r.table, "file": file_name(s.path), "sha256": s.sha256}
            for r in registries
            for s in r.sources
        ],
        "objective": plan.objective,
        "solver": plan.solver,
        "workbench_version": workbench.__version__,
    }
    return json.loads(dumps_bytes(record))


def _record_decisions(
    conn: Connection,
    plan: Plan,
    stored: Sequence[StoredSubmission],
    adoption_id: int,
    scenario: Scenario,
    by: str,
    now: dt.datetime,
) -> list[DecisionRecord]:
    from workbench.register.store import project_ids

    by_project = {s.project_id: s for s in stored}
    ids = project_ids(conn, by_project)
    sha = file_sha256(scenario.path) if scenario.path else ""
    decisions = [
        DecisionRecord(
            adoption_id=adoption_id,
            project_id=str(r.project_id),
            submission_id=by_project[str(r.project_id)].id,
            plan_year=by_project[str(r.project_id)].plan_year,
            status=str(r.status),
            reason=_text(r.reason),
            article=_text(r.article),
            amount=None if _missing(r.amount) else Decimal(str(r.amount)),
        )
        for r in plan.projects.itertuples(index=False)
    ]
    conn.execute(
        sa.insert(plan_decisions),
        [
            {
                "adoption_id": d.adoption_id,
                "project_id": ids[d.project_id],
                "submission_id": d.submission_id,
                "plan_year": d.plan_year,
                "scenario_name": scenario.name,
                "scenario_sha256": sha,
                "status": d.status,
                "reason": d.reason,
                "article": d.article,
                "amount": d.amount,
                "recorded_by": by,
                "recorded_at": now,
            }
            for d in decisions
        ],
    )
    return decisions


def _missing(value: object) -> bool:
    return value is None or value != value  # None, NaN


def _text(value: object) -> str:
    return "" if _missing(value) else str(value)


def _moment(value: dt.datetime) -> str:
    return DB_LABELS["utc"].format(moment=f"{value:%Y-%m-%d %H:%M:%S}")


# -- output -----------------------------------------------------------------------------------


def _adoption_json(a: AdoptionRecord | None) -> dict[str, object] | None:
    if a is None:
        return None
    return {
        "id": a.id,
        "plan_year": a.plan_year,
        "scenario": a.scenario_name,
        "scenario_file": a.scenario_file,
        "scenario_sha256": a.scenario_sha256,
        "solve_status": a.solve_status,
        "adopted_at": a.adopted_at.isoformat(timespec="seconds"),
        "adopted_by": a.adopted_by,
        "supersedes": a.supersedes_id,
    }


def adopt_json(done: Adopted) -> dict[str, object]:
    return {
        "database": done.database,
        "adoption": _adoption_json(done.adoption),
        "superseded": _adoption_json(done.superseded),
        "sample": done.sample,
        "findings_changed": list(done.findings_changed),
        "decisions": [
            {
                "project_id": d.project_id,
                "name": done.names.get(d.project_id, ""),
                "status": d.status,
                "status_label": PLAN_STATUS_LABELS.get(d.status, d.status),
                "reason": d.reason,
                "article": d.article,
                "amount": None if d.amount is None else format(d.amount.normalize(), "f"),
            }
            for d in done.decisions
        ],
    }


def adopt_text(done: Adopted) -> str:
    from workbench.money import format_wan_exact

    a = done.adoption
    lines = [
        DB_LABELS["adopt_header"].format(year=a.plan_year, where=done.database),
        DB_LABELS["adopt_scenario"].format(
            scenario=a.scenario_name,
            file=a.scenario_file,
            sha=a.scenario_sha256[:12],
            status=SOLVE_STATUS_LABELS.get(a.solve_status, a.solve_status),
        ),
        DB_LABELS["adopt_by"].format(by=a.adopted_by, at=_moment(a.adopted_at), id=a.id),
    ]
    if done.superseded is not None:
        s = done.superseded
        lines.append(
            DB_LABELS["adopt_supersedes"].format(
                id=s.id, at=_moment(s.adopted_at), by=s.adopted_by, scenario=s.scenario_name
            )
        )
    counts = []
    for status, label in PLAN_STATUS_LABELS.items():
        chosen = [d for d in done.decisions if d.status == status]
        if chosen:
            total = sum((d.amount or Decimal(0) for d in chosen), Decimal(0))
            counts.append(
                DB_LABELS["adopt_count"].format(
                    status=label, count=len(chosen), amount=format_wan_exact(total)
                )
            )
    lines.append("；".join(counts))
    if done.findings_changed:
        lines.append(
            DB_LABELS["adopt_findings_changed"].format(
                count=len(done.findings_changed), ids="、".join(done.findings_changed)
            )
        )
    lines.append("")
    for d in done.decisions:
        # A reason that already ends by citing its article does not cite it twice (as `plan`).
        article = DB_LABELS["adopt_article"].format(article=d.article) if d.article else ""
        article = "" if d.reason.endswith(article) else article
        lines.append(
            DB_LABELS["adopt_line"].format(
                pid=d.project_id,
                name=done.names.get(d.project_id, ""),
                status=PLAN_STATUS_LABELS.get(d.status, d.status),
                amount=format_wan_exact(d.amount) if d.amount is not None else "",
                reason=d.reason,
                article=article,
            )
        )
    return "\n".join(lines)


def run_adopt(args: argparse.Namespace) -> int:
    """``workbench db adopt``."""
    from workbench.register.cli import EXIT_OK, _print, _print_json

    if args.year is None:
        raise RegisterError(DB_LABELS["intake_no_year"])
    check_year(args.year)
    with Register.open(args.db) as register:
        done = register.adopt(
            args.year,
            scenario=args.scenario,
            systems=args.systems or (),
            usage=args.usage or (),
            by=args.by,
            force=args.force,
        )
    if args.format == "json":
        _print_json(adopt_json(done))
    else:
        _print(adopt_text(done))
    return EXIT_OK


__all__ = [
    "ADOPTED_IN",
    "Adopted",
    "AdoptionRecord",
    "DecisionRecord",
    "adopt_json",
    "adopt_plan",
    "adopt_text",
    "choose_scenario",
    "current_adoption",
    "is_sample",
    "project_facts",
    "read_adoptions",
    "read_decisions",
    "run_adopt",
]

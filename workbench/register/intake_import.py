"""July intakes into the register (``workbench db import``, issue #13 items 2 and 4).

The forms are read and checked exactly as ``workbench check`` reads and checks them (the
candidates' contract, then the policy pack, with the registry of built systems and their usage
when given). Then, in one write transaction:

- every file read is recorded in ``imports`` (kind ``intake``, ``systems`` or ``usage``) with
  its rows as finally counted;
- a 项目编号 the register does not know is registered under the row's 项目名称; one it knows
  is the same project, resubmitted (a later year, or a correction), and a name that differs
  from the project's name on the day the intake was received is recorded as a ``renamed``
  event (the register's way of renaming, :mod:`workbench.register.store`);
- each accepted row is stored as a submission for the plan year: every column of the intake
  contract by its key, typed as the contract says and written as JSON (amounts and numbers as
  exact decimal strings, yes/no as true/false, lists as lists, blanks as null), with what the
  check derived from it (``checked``) and its source (file name, SHA-256, sheet, row, import);
- the check's findings on the submissions stored are stored with them ("at entry").

Rows the intake does not accept are reported with file, sheet, row and column, as ``check``
reports them; the accepted rows are stored all the same. An amount finer than a fen (万元 to
six places) is not accepted here: the register keeps amounts exact to the fen.

Idempotent by content: a row is stored when it differs from the project's latest submission
for that plan year, so importing the same file twice, or a re-export of it under another name,
adds no submission, no finding and no event (the import itself is recorded, as every import
is). The row's identity is the SHA-256 of its canonical JSON (``row_sha256``); its
``content_key`` chains it to the submission it follows, so that a correction taken back later
(A, then B, then A again) is recorded as the third submission it is.

Findings at entry are those of the check over the files of this import, with the registry and
usage given with them: a rule that compares projects (duplicates, dependencies) sees the
projects imported together. ``db adopt`` checks the year's stored rows again, together.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from workbench.intake import IntakeResult, read_table
from workbench.intake.columns import load_contract
from workbench.intake.registry import read_systems, read_usage
from workbench.intake.validate import SOURCE_COLUMNS
from workbench.labels import CLI_LABELS, DB_LABELS, SESSION_LABELS
from workbench.policy import CheckResult, check
from workbench.policy.engine import DERIVED_COLUMNS
from workbench.provenance import file_name, file_sha256
from workbench.register.db import RegisterError, translated_errors, writing
from workbench.register.event_import import Rename, record_import_files, row_counts
from workbench.register.records import EventRecord
from workbench.register.registry_rows import RowsRecorded, record_rows
from workbench.register.schema import (
    AMOUNT_QUANTUM,
    RENAMED,
    findings,
    submissions,
)
from workbench.register.store import (
    EventSource,
    NewEvent,
    Register,
    insert_events,
    project_ids,
    recorder,
    register_projects,
    registered_names,
    rename_history,
)
from workbench.register.submissions import (
    in_contract,
    plain,
    row_json,
    row_sha256,
    submission_key,
)

_IDS_SHOWN = 20  # new projects named in the text output; the JSON names them all


@dataclass
class IntakeImport:
    """What ``import_intake`` did: the intake (rows accepted, rejected with their places, blank)
    and the registry and usage read with it; submissions added and already present, findings
    stored, projects registered and renamed."""

    intake: IntakeResult
    registries: list[IntakeResult]
    database: str
    plan_year: int
    policy_id: str
    policy_sha256: str
    added: int = 0
    already_present: int = 0
    findings_added: int = 0
    registered: list[str] = field(default_factory=list)
    renamed: list[Rename] = field(default_factory=list)
    registry_rows: list[RowsRecorded] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """The rows as :func:`~workbench.register.event_import.row_counts` counts them, and
        the findings stored."""
        counts = row_counts(self.intake, self.added, self.already_present)
        return {**counts, "findings": self.findings_added}


def read_registries(
    systems: Sequence[str | Path], usage: Sequence[str | Path]
) -> tuple[list[IntakeResult], pd.DataFrame | None, pd.DataFrame | None]:
    """The registry of built systems and their monthly usage, read as ``check`` reads them.
    Usage is read against the registry, so it needs one."""
    if usage and not systems:
        raise RegisterError(DB_LABELS["usage_needs_systems"])
    if not systems:
        return [], None, None
    registry = read_systems(list(systems))
    found = [registry]
    used = None
    if usage:
        use = read_usage(list(usage), registry)
        found.append(use)
        used = use.accepted
    return found, registry.accepted, used


def import_intake(
    register: Register,
    inputs: Sequence[str | Path],
    *,
    plan_year: int,
    systems: Sequence[str | Path] = (),
    usage: Sequence[str | Path] = (),
    commitments: Sequence[str | Path] = (),
    by: str | None = None,
    received: dt.date | None = None,
) -> IntakeImport:
    """Import a July intake for ``plan_year`` (``workbench db import``) in one transaction.
    ``received``: the day the forms were received, the date of a rename (default today)."""
    candidates = read_table(list(inputs))
    registries, system_table, usage_table = read_registries(systems, usage)
    if commitments:
        registries.append(read_table(list(commitments), "commitments"))
    for intake in (candidates, *registries):
        _reject_finer_than_a_fen(intake)
    pack = register.pack
    result = check(
        candidates.accepted,
        pack=pack,
        plan_year=plan_year,
        systems=system_table,
        usage=usage_table,
    )
    done = IntakeImport(
        intake=candidates,
        registries=registries,
        database=register.where,
        plan_year=plan_year,
        policy_id=pack.id,
        policy_sha256=file_sha256(pack.path),
    )
    entries = _entries(result)
    who = recorder(by)
    now = dt.datetime.now(dt.UTC)
    day = received or dt.date.today()
    with translated_errors(register.url), writing(register.engine) as conn:
        sources = record_import_files(conn, candidates, "intake", who, now)
        for registry in registries:
            files = record_import_files(conn, registry, registry.table, who, now)
            done.registry_rows.append(record_rows(conn, registry, files, who, now))
        names = {e.project_id: e.name for e in entries}
        known = project_ids(conn, names)
        first_import = {e.project_id: sources[e.source_file].import_id for e in entries}
        new = {pid: name for pid, name in names.items() if pid not in known}
        done.registered = register_projects(conn, new, who, now, first_import)
        ids = project_ids(conn, names)
        added = _record_submissions(conn, entries, ids, sources, done, who, now)
        done.added = len(added)
        done.already_present = len(entries) - len(added)
        done.findings_added = _record_findings(conn, added, ids, result, plan_year)
        renames = _renames(conn, [e for e in entries if e.project_id in added], ids, sources, day)
        inserted = insert_events(conn, [event for _, event in renames], ids, who, now)
        done.renamed = [r for (r, _), new in zip(renames, inserted, strict=True) if new]
    return done


@dataclass(frozen=True)
class _Entry:
    project_id: str
    name: str
    row: dict[str, object]
    row_sha256: str
    checked: dict[str, object]
    source_file: str
    sheet: str
    source_row: int


def _entries(result: CheckResult) -> list[_Entry]:
    contract = load_contract("candidates")
    frame = result.candidates
    derived = [c for c in DERIVED_COLUMNS if c in frame.columns]
    found = []
    for record in frame.to_dict("records"):
        row = row_json({k: v for k, v in record.items() if k not in derived}, contract)
        found.append(
            _Entry(
                project_id=str(record["project_id"]),
                name=str(row.get("name") or ""),
                row=row,
                row_sha256=row_sha256(row),
                checked={c: plain(record[c]) for c in derived},
                source_file=str(record["source_file"]),
                sheet=str(record["source_sheet"]),
                source_row=int(record["source_row"]),
            )
        )
    return found


def _reject_finer_than_a_fen(intake: IntakeResult) -> None:
    """Amounts the register cannot keep exactly (万元 to six places is one fen) are rejected
    with their place, as the event table rejects them."""
    contract = load_contract(intake.table)
    for key in list(intake.accepted.columns):
        if key in SOURCE_COLUMNS or not in_contract(contract, key):
            continue
        if contract.column(key).type != "amount":
            continue
        values = intake.accepted[key]
        finer = values.map(
            lambda v: isinstance(v, Decimal) and v.quantize(AMOUNT_QUANTUM) != v
        ).astype(bool)
        if finer.any():
            intake.reject(
                finer,
                contract.label(key),
                [DB_LABELS["amount_places"].format(amount=plain(v)) for v in values[finer]],
            )


def _insert_new(conn: Connection, table: sa.Table):  # the dialect's INSERT … ON CONFLICT
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing(index_elements=[table.c.content_key])


def _record_submissions(
    conn: Connection,
    entries: list[_Entry],
    ids: dict[str, int],
    sources: dict[str, EventSource],
    done: IntakeImport,
    by: str,
    now: dt.datetime,
) -> dict[str, int]:
    """Store each row that differs from its project's latest submission of the year; the
    projects whose row was stored → the new submission's id."""
    if not entries:
        return {}
    newest = (
        sa.select(
            submissions.c.project_id,
            submissions.c.id,
            submissions.c.row_sha256,
            submissions.c.content_key,
        )
        .where(submissions.c.plan_year == done.plan_year)
        .where(
            submissions.c.id.in_(
                sa.select(sa.func.max(submissions.c.id))
                .where(submissions.c.plan_year == done.plan_year)
                .group_by(submissions.c.project_id)
            )
        )
    )
    latest = {row.project_id: row for row in conn.execute(newest)}
    rows = []
    for entry in entries:
        before = latest.get(ids[entry.project_id])
        if before is not None and before.row_sha256 == entry.row_sha256:
            continue
        source = sources[entry.source_file]
        rows.append(
            {
                "project_id": ids[entry.project_id],
                "plan_year": done.plan_year,
                "row": entry.row,
                "checked": entry.checked,
                "row_sha256": entry.row_sha256,
                "previous_id": None if before is None else before.id,
                "policy_id": done.policy_id,
                "policy_sha256": done.policy_sha256,
                "recorded_by": by,
                "recorded_at": now,
                "import_id": source.import_id,
                "source_file": source.file,
                "source_sha256": source.sha256,
                "source_sheet": entry.sheet,
                "source_row": entry.source_row,
                "content_key": submission_key(
                    done.plan_year,
                    entry.project_id,
                    entry.row_sha256,
                    "" if before is None else before.content_key,
                ),
            }
        )
    if not rows:
        return {}
    stmt = _insert_new(conn, submissions).returning(submissions.c.project_id, submissions.c.id)
    by_id = {pid: key for key, pid in ids.items()}
    return {by_id[pid]: sid for pid, sid in conn.execute(stmt, rows)}


def _record_findings(
    conn: Connection,
    added: dict[str, int],
    ids: dict[str, int],
    result: CheckResult,
    plan_year: int,
) -> int:
    from workbench.report.jsonsafe import dumps_bytes

    found = result.findings[result.findings["project_id"].isin(added)]
    rows = [
        {
            "project_id": ids[pid],
            "plan_year": plan_year,
            "submission_id": added[pid],
            "rule": rule,
            "article": article or "",
            "severity": severity,
            "message": message or "",
            "evidence": None if _blank(evidence) else json.loads(dumps_bytes(evidence)),
        }
        for pid, rule, article, severity, message, evidence in zip(
            found["project_id"],
            found["rule"],
            found["article"],
            found["severity"],
            found["message"],
            found["evidence"],
            strict=True,
        )
    ]
    if rows:
        conn.execute(sa.insert(findings), rows)
    return len(rows)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _renames(
    conn: Connection,
    entries: list[_Entry],
    ids: dict[str, int],
    sources: dict[str, EventSource],
    day: dt.date,
) -> list[tuple[Rename, NewEvent]]:
    """Submissions whose 项目名称 differs from the project's name on ``day``: renames."""
    named = [e for e in entries if e.name]
    if not named:
        return []
    registered = registered_names(conn, {ids[e.project_id] for e in named})
    history = rename_history(conn, registered, day)
    found = []
    for entry in named:
        pid = ids[entry.project_id]
        earlier = history.get(pid, [])
        name_then = earlier[-1][1] if earlier else registered[pid]
        if entry.name == name_then:
            continue
        record = EventRecord(entry.project_id, RENAMED, day, None, entry.name)
        source = sources[entry.source_file]
        at = EventSource(
            source.file, source.sha256, entry.sheet, entry.source_row, source.import_id
        )
        found.append((Rename(entry.project_id, day, entry.name), NewEvent(record, at)))
    return found


# -- output -----------------------------------------------------------------------------------


def import_json(result: IntakeImport) -> dict[str, object]:
    from workbench.report.jsonsafe import strict

    intakes = [result.intake, *result.registries]
    return {
        "database": result.database,
        "plan_year": result.plan_year,
        "policy_pack": {"id": result.policy_id, "sha256": result.policy_sha256},
        **result.counts(),
        "registered": result.registered,
        "registry_rows": [
            {"table": r.table, "added": r.added, "already_present": r.already_present}
            for r in result.registry_rows
        ],
        "renamed": [
            {"project_id": r.project_id, "date": r.date.isoformat(), "name": r.name}
            for r in result.renamed
        ],
        "files": [
            {"table": i.table, "file": s.path, "sha256": s.sha256, "bytes": s.size}
            for i in intakes
            for s in i.sources
        ],
        "rejected_rows": [
            {
                "table": i.table,
                "file": r.file,
                "sheet": r.sheet,
                "row": None if pd.isna(r.row) else int(r.row),
                "column": r.column,
                "reason": r.reason,
            }
            for i in intakes
            for r in i.rejections.itertuples(index=False)
        ],
        "notices": strict(
            [
                {"table": i.table, "file": n.file, "sheet": n.sheet, "message": n.message}
                for i in intakes
                for n in i.notices.itertuples(index=False)
            ]
        ),
    }


def import_text(result: IntakeImport) -> str:
    lines = [
        DB_LABELS["intake_header"].format(where=result.database, year=result.plan_year),
        DB_LABELS["intake_summary"].format(**result.counts(), policy=result.policy_id),
    ]
    if result.registered:
        shown = "、".join(result.registered[:_IDS_SHOWN])
        if len(result.registered) > _IDS_SHOWN:
            shown = DB_LABELS["and_more"].format(items=shown)
        lines.append(DB_LABELS["registered"].format(count=len(result.registered), ids=shown))
    if result.renamed:
        items = "；".join(
            DB_LABELS["rename_item"].format(pid=r.project_id, date=r.date.isoformat(), name=r.name)
            for r in result.renamed
        )
        lines.append(DB_LABELS["renamed"].format(count=len(result.renamed), items=items))
    for rows in result.registry_rows:
        lines.append(
            DB_LABELS["registry_rows"].format(
                table=SESSION_LABELS[rows.table],
                added=rows.added,
                present=rows.already_present,
            )
        )
    tables = {r.table for r in result.registries}
    if "systems" not in tables:
        lines.append(CLI_LABELS["no_registry"])
    elif "usage" not in tables:
        lines.append(CLI_LABELS["no_usage"])
    intakes = [result.intake, *result.registries]
    notices = [(i.table, n) for i in intakes for n in i.notices.itertuples(index=False)]
    if notices:
        lines += ["", CLI_LABELS["notices"]]
        lines += [f"  {where_text(t, n.file, n.sheet, None)}：{n.message}" for t, n in notices]
    rejected = [(i.table, r) for i in intakes for r in i.rejections.itertuples(index=False)]
    lines += ["", f"{CLI_LABELS['rejected_rows']}（{len(rejected)}）"]
    if not rejected:
        lines.append(f"  {CLI_LABELS['none']}")
    for table, r in rejected:
        column = f" {CLI_LABELS['column']}“{r.column}”" if r.column else ""
        lines.append(f"  {where_text(table, r.file, r.sheet, r.row)}{column}：{r.reason}")
    return "\n".join(lines)


def where_text(table: str, file: str, sheet: str, row: object) -> str:
    parts = [] if table == "candidates" else [SESSION_LABELS.get(table, table)]
    parts.append(file_name(file))
    if sheet:
        parts.append(sheet)
    if row is not None and not pd.isna(row):
        parts.append(CLI_LABELS["row_at"].format(row=int(row)))
    return " ".join(parts)


def run_import(args: argparse.Namespace) -> int:
    """``workbench db import``: the forms named (or, with ``--sample``, the embedded sample,
    never silently) into the register; exit 2 when rows were not accepted."""
    from workbench import data
    from workbench.register.cli import EXIT_BAD_INPUT, EXIT_OK, _print, _print_json
    from workbench.report.check import rejection_summary

    inputs = list(args.inputs)
    systems, usage, year = args.systems, args.usage, args.year
    commitments = getattr(args, "commitments", None) or ()
    if args.sample:
        if inputs:
            raise RegisterError(DB_LABELS["intake_sample_and_input"])
        # The sample with its own registry and usage, as `check` reads it, unless given.
        inputs = [str(data.sample_candidates())]
        if systems is None:
            systems = [str(data.sample_systems())]
            usage = [str(data.sample_usage())] if usage is None else usage
        year = year or data.SAMPLE_PLAN_YEAR
    elif not inputs:
        raise RegisterError(DB_LABELS["intake_no_input"])
    if year is None:
        raise RegisterError(DB_LABELS["intake_no_year"])
    check_year(year)
    with Register.open(args.db) as register:
        result = register.import_intake(
            inputs,
            plan_year=year,
            systems=systems or (),
            usage=usage or (),
            commitments=commitments,
            by=args.by,
        )
    if args.format == "json":
        _print_json(import_json(result))
    else:
        _print(import_text(result))
    summary = rejection_summary([result.intake, *result.registries])
    if summary is not None:
        sys.stderr.write(summary + "\n")
        return EXIT_BAD_INPUT
    return EXIT_OK


def check_year(year: int) -> None:
    if not 2000 <= year <= 2100:  # the years a scenario may plan (workbench.scenario)
        raise RegisterError(DB_LABELS["bad_year"].format(year=year))


__all__ = [
    "IntakeImport",
    "import_intake",
    "import_json",
    "import_text",
    "read_registries",
    "run_import",
    "where_text",
]

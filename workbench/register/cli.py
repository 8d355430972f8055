"""``workbench db``: the 项目库's commands (issue #13, item 4): ``init``, ``upgrade``,
``events FILE``, ``history ID``; each with ``--db URL`` and ``--format text|json``.

This module is imported when the command line is built, so it imports nothing heavy at the top:
SQLAlchemy, Alembic and pandas are imported when a ``db`` command runs (``workbench check``
never loads them). Exit status as elsewhere (DESIGN §7): 0 done, 2 bad input (a register that
cannot be opened or is at another version, an event table with rows not accepted, an unknown
project), 3 an internal error (:func:`workbench.cli.main`). A database's own words reach the user
only with ``--debug``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.labels import CLI_HELP, CLI_LABELS, DB_HELP, DB_LABELS

if TYPE_CHECKING:
    from workbench.register.event_import import EventImport
    from workbench.register.store import ProjectInfo, RecordedEvent

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def add_db_command(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """The ``db`` command and its subcommands, under the command line's ``sub``; ``common``
    holds the options every command takes (``--debug``)."""
    db = sub.add_parser("db", parents=[common], help=DB_HELP["cmd_db"])
    commands = db.add_subparsers(
        dest="db_command", required=True, metavar=DB_HELP["metavar_command"]
    )

    def command(name: str) -> argparse.ArgumentParser:
        cmd = commands.add_parser(name, parents=[common], help=DB_HELP[f"cmd_{name}"])
        cmd.add_argument("--db", default=None, metavar=DB_HELP["metavar_db"], help=DB_HELP["db"])
        cmd.add_argument(
            "--format", choices=("text", "json"), default="text", help=CLI_HELP["format"]
        )
        return cmd

    command("init")
    command("upgrade")
    events = command("events")
    events.add_argument("files", nargs="+", metavar=CLI_LABELS["file"], help=DB_HELP["event_files"])
    events.add_argument("--by", default=None, metavar=DB_HELP["metavar_by"], help=DB_HELP["by"])
    events.add_argument("--new-projects", action="store_true", help=DB_HELP["new_projects"])
    history = command("history")
    history.add_argument(
        "project_id", metavar=DB_HELP["metavar_project"], help=DB_HELP["project_id"]
    )
    intake = command("import")  # workbench.register.intake_import
    intake.add_argument(
        "inputs", nargs="*", metavar=CLI_LABELS["file"], help=DB_HELP["intake_inputs"]
    )
    intake.add_argument("--sample", action="store_true", help=DB_HELP["sample"])
    adopt = command("adopt")  # workbench.register.adopt
    adopt.add_argument(
        "--scenario", default=None, metavar=DB_HELP["metavar_scenario"], help=CLI_HELP["scenario"]
    )
    adopt.add_argument("--force", action="store_true", help=DB_HELP["adopt_force"])
    for cmd, year in ((intake, "intake_year"), (adopt, "adopt_year")):
        cmd.add_argument("--year", type=int, metavar=DB_HELP["metavar_year"], help=DB_HELP[year])
        for table in ("systems", "usage"):  # as `workbench check` reads them
            cmd.add_argument(
                f"--{table}", nargs="*", metavar=CLI_LABELS["file"], help=CLI_HELP[table]
            )
        if cmd is intake:  # commitments made before the register (kept as rows, not adopted)
            cmd.add_argument(
                "--commitments", nargs="*", metavar=CLI_LABELS["file"], help=CLI_HELP["commitments"]
            )
        cmd.add_argument("--by", default=None, metavar=DB_HELP["metavar_by"], help=DB_HELP["by"])
    due = command("due")  # workbench.register.due
    due.add_argument(
        "--as-of", type=_as_of, default=None, metavar=DB_HELP["metavar_date"], help=DB_HELP["as_of"]
    )
    due.add_argument("--unit", default=None, metavar=DB_HELP["metavar_unit"], help=DB_HELP["unit"])
    command("demo").add_argument("--force", action="store_true", help=DB_HELP["demo_force"])
    export = command("export")  # workbench.register.export
    export.add_argument("out", metavar=CLI_LABELS["file"], help=DB_HELP["export_out"])


def _as_of(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(CLI_HELP["bad_date"].format(text=text)) from None


def run_db(args: argparse.Namespace) -> int:
    """Run a ``db`` subcommand. A :class:`~workbench.register.db.RegisterError` is bad input
    (exit 2, its Chinese message); anything else unexpected goes on to the command line's
    handler of internal errors."""
    from workbench.register.db import RegisterError

    try:
        return _HANDLERS[args.db_command](args)
    except RegisterError as exc:
        if getattr(args, "debug", False) and exc.detail:
            sys.stderr.write(f"{exc.detail}\n")
        sys.stderr.write(f"{exc}\n")
        return EXIT_BAD_INPUT


def _init(args: argparse.Namespace) -> int:
    from workbench.register.db import init_database

    done = init_database(args.db)
    _say(
        args,
        {"database": done.database, "revision": done.after},
        DB_LABELS["initialised"].format(where=done.database, head=done.after),
    )
    return EXIT_OK


def _upgrade(args: argparse.Namespace) -> int:
    from workbench.register.db import upgrade_database

    done = upgrade_database(args.db)
    key = "upgraded" if done.changed else "up_to_date"
    payload = {
        "database": done.database,
        "from_revision": done.before,
        "revision": done.after,
        "upgraded": done.changed,
    }
    _say(
        args,
        payload,
        DB_LABELS[key].format(where=done.database, before=done.before, after=done.after),
    )
    return EXIT_OK


def _events(args: argparse.Namespace) -> int:
    from workbench.register.store import Register
    from workbench.report.check import rejection_summary

    with Register.open(args.db) as register:
        result = register.import_events(args.files, by=args.by, new_projects=args.new_projects)
    if args.format == "json":
        _print_json(import_json(result))
    else:
        _print(import_text(result))
    summary = rejection_summary([result.intake])
    if summary is not None:
        sys.stderr.write(summary + "\n")
        return EXIT_BAD_INPUT
    return EXIT_OK


def _history(args: argparse.Namespace) -> int:
    from workbench.register.db import RegisterError
    from workbench.register.store import Register

    with Register.open(args.db) as register:
        project = register.project(args.project_id)
        if project is None:
            raise RegisterError(DB_LABELS["unknown_project_id"].format(value=args.project_id))
        found = register.history(args.project_id)
        names = {e.key: e for e in register.pack.lifecycle.events}
    if args.format == "json":
        _print_json(history_json(project, found, names))
    else:
        _print(history_text(project, found, names))
    return EXIT_OK


def _due(args: argparse.Namespace) -> int:
    from workbench.register.due import due_listing, due_text
    from workbench.register.store import Register

    with Register.open(args.db) as register:
        listing = due_listing(register, as_of=args.as_of or dt.date.today(), unit=args.unit)
    if args.format == "json":
        _print_json(listing.as_dict())
    else:
        _print(due_text(listing))
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    from workbench.register.demo import demo_text, write_demo

    done = write_demo(args.db, force=args.force)
    _say(args, done.as_dict(), demo_text(done, args.db))
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from workbench.register.export import export_register, export_text

    done = export_register(args.db, args.out)
    _say(args, done.as_dict(), export_text(done))
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from workbench.register.intake_import import run_import

    return run_import(args)


def _adopt(args: argparse.Namespace) -> int:
    from workbench.register.adopt import run_adopt

    return run_adopt(args)


_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": _init,
    "upgrade": _upgrade,
    "events": _events,
    "history": _history,
    "import": _import,
    "adopt": _adopt,
    "due": _due,
    "demo": _demo,
    "export": _export,
}


# -- output -----------------------------------------------------------------------------------


def import_json(result: EventImport) -> dict[str, object]:
    from workbench.report.jsonsafe import strict

    intake = result.intake
    return {
        "database": result.database,
        **result.counts(),
        "registered": result.registered,
        "renamed": [
            {"project_id": r.project_id, "date": r.date.isoformat(), "name": r.name}
            for r in result.renamed
        ],
        "files": [{"file": s.path, "sha256": s.sha256, "bytes": s.size} for s in intake.sources],
        "rejected_rows": [
            {
                "file": r.file,
                "sheet": r.sheet,
                "row": None if _missing(r.row) else int(r.row),
                "column": r.column,
                "reason": r.reason,
            }
            for r in intake.rejections.itertuples(index=False)
        ],
        "notices": strict(
            [
                {"file": n.file, "sheet": n.sheet, "message": n.message}
                for n in intake.notices.itertuples(index=False)
            ]
        ),
    }


def import_text(result: EventImport) -> str:
    counts = result.counts()
    lines = [
        DB_LABELS["import_header"].format(where=result.database),
        DB_LABELS["import_summary"].format(**counts),
    ]
    if result.registered:
        lines.append(
            DB_LABELS["registered"].format(
                count=len(result.registered), ids="、".join(result.registered)
            )
        )
    if result.renamed:
        items = "；".join(
            DB_LABELS["rename_item"].format(pid=r.project_id, date=r.date.isoformat(), name=r.name)
            for r in result.renamed
        )
        lines.append(DB_LABELS["renamed"].format(count=len(result.renamed), items=items))
    intake = result.intake
    if not intake.notices.empty:
        lines += ["", CLI_LABELS["notices"]]
        lines += [
            f"  {_location(n.file, n.sheet, None)}：{n.message}"
            for n in intake.notices.itertuples(index=False)
        ]
    lines += ["", f"{CLI_LABELS['rejected_rows']}（{len(intake.rejections)}）"]
    if intake.rejections.empty:
        lines.append(f"  {CLI_LABELS['none']}")
    for r in intake.rejections.itertuples(index=False):
        column = f" {CLI_LABELS['column']}“{r.column}”" if r.column else ""
        lines.append(f"  {_location(r.file, r.sheet, r.row)}{column}：{r.reason}")
    return "\n".join(lines)


def history_json(
    project: ProjectInfo, found: list[RecordedEvent], names: dict[str, object]
) -> dict[str, object]:
    from workbench.register.schema import RENAMED

    def amount(value: object) -> str | None:
        return None if value is None else format(value.normalize(), "f")

    events = []
    for e in found:
        event = names.get(e.record.kind)
        events.append(
            {
                "date": e.record.date.isoformat(),
                "kind": e.record.kind,
                "event": event.name if event else DB_LABELS[f"kind_{RENAMED}"],
                "article": event.article if event else None,
                "amount": amount(e.record.amount),
                "note": e.record.note,
                "result": e.record.result or None,
                "recorded_by": e.recorded_by,
                "recorded_at": e.recorded_at.isoformat(timespec="seconds"),
                "source": {
                    "file": e.source.file,
                    "sha256": e.source.sha256,
                    "sheet": e.source.sheet,
                    "row": e.source.row,
                },
            }
        )
    return {
        "project_id": project.project_id,
        "name": project.name,
        "registered_name": project.registered_name,
        "first_seen_at": project.first_seen_at.isoformat(timespec="seconds"),
        "first_seen_by": project.first_seen_by,
        "events": events,
    }


def history_text(project: ProjectInfo, found: list[RecordedEvent], names: dict[str, object]) -> str:
    from workbench.money import format_wan_exact

    lines = [
        DB_LABELS["history_header"].format(
            pid=project.project_id,
            name=project.name,
            first_seen=_moment(project.first_seen_at),
            count=len(found),
        )
    ]
    if not found:
        lines.append(f"  {DB_LABELS['history_none']}")
    for e in found:
        event = names.get(e.record.kind)
        if event is None:  # a register kind: the rename
            head = f"{DB_LABELS['kind_renamed']}：{DB_LABELS['history_rename'].format(name=e.record.note)}"
        else:
            head = f"{event.name}（{event.article}）"
            if e.record.amount is not None:
                amount = format_wan_exact(e.record.amount)
                head += " " + DB_LABELS["history_amount"].format(amount=amount)
            if e.record.result:
                head += " " + DB_LABELS["history_result"].format(result=e.record.result)
            if e.record.note:
                head += " " + DB_LABELS["history_note"].format(note=e.record.note)
        lines.append(f"  {e.record.date.isoformat()} {head}")
        trail = [DB_LABELS["history_recorded"].format(by=e.recorded_by, at=_moment(e.recorded_at))]
        if e.source.file:
            where = _location(e.source.file, e.source.sheet, e.source.row)
            trail.append(DB_LABELS["history_source"].format(where=where))
        lines.append("    " + "；".join(trail))
    return "\n".join(lines)


def _moment(value: object) -> str:
    return DB_LABELS["utc"].format(moment=f"{value:%Y-%m-%d %H:%M:%S}")


def _missing(value: object) -> bool:
    return value is None or value != value or str(value) == "<NA>"


def _location(file: str, sheet: str, row: object) -> str:
    parts = [Path(file).name]
    if sheet:
        parts.append(sheet)
    if not _missing(row):
        parts.append(CLI_LABELS["row_at"].format(row=int(row)))
    return " ".join(parts)


def _say(args: argparse.Namespace, payload: dict[str, object], text: str) -> None:
    if args.format == "json":
        _print_json(payload)
    else:
        _print(text)


def _print(text: str) -> None:
    try:
        print(text, flush=True)
    except BrokenPipeError:  # `workbench db history X | head`
        sys.stdout = None  # type: ignore[assignment]


def _print_json(payload: dict[str, object]) -> None:
    from workbench.report.jsonsafe import dumps_bytes

    data = dumps_bytes(payload) + b"\n"
    try:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None or (sys.stdout.encoding or "").lower().replace("-", "") != "utf8":
            sys.stdout.write(data.decode("utf-8"))
            sys.stdout.flush()
            return
        sys.stdout.flush()
        buffer.write(data)
        buffer.flush()
    except BrokenPipeError:
        sys.stdout = None  # type: ignore[assignment]


__all__ = ["add_db_command", "history_json", "history_text", "import_json", "import_text", "run_db"]

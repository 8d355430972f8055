"""The register's views as tables with Chinese headers (issue #13 item 6): what notebook
``08_项目库与监管`` and the 项目库 app show, and what the 监管事项 sheet will hold.

The functions take what ``workbench db due`` and ``db history`` compute
(:func:`workbench.register.due.due_listing`, :meth:`Register.history`) and only say it:

- :func:`obligations`: one row per obligation, in the listing's order (overdue first, then due
  soon, then by due date), with its project, unit, article, trigger, due date, status, the day
  it was met and the days late;
- :func:`overdue` and :func:`due_soon`: those two statuses only, as ``db due`` lists them;
- :func:`by_stage`: per obligation of the policy pack (each a stage of a project's life, in the
  pack's order, those nothing has started included), the count of each status;
- :func:`by_unit`: the same per 申报单位 (of the project's latest submission), most overdue first;
- :func:`findings`: what is not a deadline (a 调整备案 above 第二十八条's 15 %, a 整改通知
  without a deadline);
- :func:`timeline`: one project's events in date order, with amount, conclusion (a column only
  when one of its events has one), note, who recorded it and the file and row it came from.

No internal key reaches a table: statuses, obligations and events appear under their Chinese
names. :func:`open_views` opens everything for a register and a day (:class:`RegisterViews`):
the register named, else the demo register (``workbench db demo``'s, written into a temporary
SQLite file and said to be 合成数据) when there is no input folder either, else nothing (an
analyst's own forms without a register: one line says so, and every view is ``None``).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pandas as pd

from workbench.labels import (
    CLI_HELP,
    CLI_LABELS,
    DB_EXPORT_LABELS,
    DB_LABELS,
    PLAN_COLUMNS,
    REGISTER_LABELS,
    REGISTER_VIEW_LABELS,
    REPORT_LABELS,
)
from workbench.policy.pack import PolicyPack
from workbench.register.db import RegisterError
from workbench.register.due import DueListing, due_listing
from workbench.register.obligations import STATUSES, ObligationStatus
from workbench.register.schema import RENAMED
from workbench.register.store import RecordedEvent, Register

V = REGISTER_VIEW_LABELS
STATUS_NAMES = {status: REGISTER_LABELS[status] for status in STATUSES}
PROJECT_ID = PLAN_COLUMNS["project_id"]
NAME = PLAN_COLUMNS["name"]
UNIT = PLAN_COLUMNS["unit"]
ARTICLE = PLAN_COLUMNS["article"]
STATUS = DB_EXPORT_LABELS["column.status"]
TOTAL = REPORT_LABELS["total"]
OBLIGATION_COLUMNS = (
    PROJECT_ID,
    NAME,
    UNIT,
    V["obligation"],
    ARTICLE,
    V["trigger"],
    V["trigger_date"],
    V["due_date"],
    STATUS,
    V["met_date"],
    DB_LABELS["due_days_overdue"],
)


def _unit(units: Mapping[str, str], project_id: str) -> str:
    return units.get(project_id) or V["no_unit"]


def _obligation_row(
    o: ObligationStatus, names: Mapping[str, str], units: Mapping[str, str]
) -> list[object]:
    return [
        o.project_id,
        names.get(o.project_id, ""),
        _unit(units, o.project_id),
        o.obligation_name,
        o.article,
        o.trigger_name,
        o.trigger_date,
        o.due_date,
        STATUS_NAMES[o.status],
        o.met_date or "",
        o.days_late,
    ]


def obligations(listing: DueListing, units: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Every obligation, one row each, in the listing's order (overdue first, then due soon,
    then by due date); ``units`` gives each project's 申报单位."""
    units = units or {}
    rows = [_obligation_row(o, listing.names, units) for o in listing.report.obligations]
    return pd.DataFrame(rows, columns=list(OBLIGATION_COLUMNS))


def overdue(listing: DueListing, units: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The overdue obligations, most pressing first, with the days since their due date."""
    table = obligations(listing, units)
    table = table[table[STATUS] == STATUS_NAMES["overdue"]]
    return table.drop(columns=[STATUS, V["met_date"]]).reset_index(drop=True)


def due_soon(listing: DueListing, units: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The obligations due soon (the pack's ``due_soon`` window), with the days left."""
    table = obligations(listing, units)
    table = table[table[STATUS] == STATUS_NAMES["due_soon"]].reset_index(drop=True)
    left = [(due - listing.report.as_of).days for due in table[V["due_date"]]]
    table = table.drop(columns=[STATUS, V["met_date"], DB_LABELS["due_days_overdue"]])
    table[DB_LABELS["due_days_due_soon"]] = pd.Series(left, dtype="int64")
    return table


def _counted(counts: Counter[str]) -> list[int]:
    found = [counts[status] for status in STATUSES]
    return [*found, sum(found)]


def _with_total(table: pd.DataFrame, label_column: str) -> pd.DataFrame:
    numbers = [*STATUS_NAMES.values(), TOTAL]
    total = {column: "" for column in table.columns}
    total.update({label_column: TOTAL, **{c: int(table[c].sum()) for c in numbers}})
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def by_stage(listing: DueListing, pack: PolicyPack) -> pd.DataFrame:
    """Per obligation of the pack, in its order, the count of each status, and a totals row."""
    counts: dict[str, Counter[str]] = {o.key: Counter() for o in pack.lifecycle.obligations}
    for o in listing.report.obligations:
        counts.setdefault(o.obligation, Counter())[o.status] += 1
    names = {o.key: (o.name, o.article) for o in pack.lifecycle.obligations}
    names.update({o.obligation: (o.obligation_name, o.article) for o in listing.report.obligations})
    rows = [[*names[key], *_counted(found)] for key, found in counts.items()]
    columns = [V["obligation"], ARTICLE, *STATUS_NAMES.values(), TOTAL]
    return _with_total(pd.DataFrame(rows, columns=columns), V["obligation"])


def by_unit(listing: DueListing, units: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Per 申报单位, the count of each status, most overdue (then most due soon) first, and a
    totals row; projects whose unit the register does not know are counted together."""
    units = units or {}
    counts: dict[str, Counter[str]] = {}
    for o in listing.report.obligations:
        counts.setdefault(_unit(units, o.project_id), Counter())[o.status] += 1
    rows = [[unit, *_counted(found)] for unit, found in counts.items()]
    columns = [UNIT, *STATUS_NAMES.values(), TOTAL]
    table = pd.DataFrame(rows, columns=columns)
    order = [STATUS_NAMES["overdue"], STATUS_NAMES["due_soon"], TOTAL, UNIT]
    table = table.sort_values(order, ascending=[False, False, False, True], kind="stable")
    return _with_total(table.reset_index(drop=True), UNIT)


def findings(listing: DueListing) -> pd.DataFrame:
    """What the register says that is not a deadline, with its article and the event's date."""
    rows = [
        [f.project_id, listing.names.get(f.project_id, ""), f.article, f.date, f.message]
        for f in listing.report.findings
    ]
    columns = [PROJECT_ID, NAME, ARTICLE, DB_LABELS["col_date"], V["finding"]]
    return pd.DataFrame(rows, columns=columns)


def _amount(value: Decimal | None) -> Decimal | str:
    """As written (2600, 136.8), not at the register's six places; blank for none."""
    if value is None:
        return ""
    return Decimal(format(value.normalize(), "f"))


def _source(event: RecordedEvent) -> str:
    source = event.source
    parts = [source.file, source.sheet]
    if source.row is not None:
        parts.append(CLI_LABELS["row_at"].format(row=source.row))
    return " ".join(p for p in parts if p)


def timeline(register: Register, project_id: str) -> pd.DataFrame:
    """One project's events in date order (then in the order recorded), renames included; a
    结论 column when one of them has a conclusion. An unknown project is a
    :class:`RegisterError`."""
    from workbench.register.event_table import event_contract

    contract = event_contract(register.pack)
    names = {e.key: e.name for e in register.pack.lifecycle.events}
    rows = []
    for e in register.history(project_id):
        record = e.record
        renamed = record.kind == RENAMED
        rows.append(
            {
                DB_LABELS["col_date"]: record.date,
                DB_LABELS["col_event"]: DB_LABELS["kind_renamed"]
                if renamed
                else names.get(record.kind, record.kind),
                contract.label("amount"): _amount(record.amount),
                DB_LABELS["col_result"]: record.result,
                contract.label("note"): DB_LABELS["history_rename"].format(name=record.note)
                if renamed
                else record.note,
                DB_EXPORT_LABELS["column.recorded_by"]: e.recorded_by,
                V["source"]: _source(e),
            }
        )
    columns = [
        DB_LABELS["col_date"],
        DB_LABELS["col_event"],
        contract.label("amount"),
        DB_LABELS["col_result"],
        contract.label("note"),
        DB_EXPORT_LABELS["column.recorded_by"],
        V["source"],
    ]
    table = pd.DataFrame(rows, columns=columns)
    if not (table[DB_LABELS["col_result"]] != "").any():
        table = table.drop(columns=[DB_LABELS["col_result"]])
    return table


def parse_as_of(value: str | dt.date | None, default: dt.date) -> dt.date:
    """The day to list for: a date, ``YYYY-MM-DD``, or ``default`` when empty."""
    if isinstance(value, dt.date):
        return value
    text = (value or "").strip()
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RegisterError(CLI_HELP["bad_date"].format(text=text)) from None


class RegisterViews:
    """The views of one register on one day (``as_of``), for the notebook and the app. Without a
    register (``register`` None) every view is ``None`` and :attr:`note` says why."""

    def __init__(
        self,
        register: Register | None,
        as_of: dt.date,
        *,
        where: str,
        note: str = "",
        demo: bool = False,
        folder: tempfile.TemporaryDirectory | None = None,
    ) -> None:
        self.register = register
        self.where = where
        self.demo = demo
        self._intro = note
        self._folder = folder  # the demo's temporary folder, removed with this object
        self.listing: DueListing | None = None
        self.units: dict[str, str] = {}
        self.as_of = as_of
        self.refresh(as_of)

    def refresh(self, as_of: dt.date | None = None) -> None:
        """Read the register again (after an import), on ``as_of`` if given."""
        if as_of is not None:
            self.as_of = as_of
        if self.register is None:
            return
        self.listing = due_listing(self.register, as_of=self.as_of)
        facts = self.register.project_facts()
        self.units = {pid: f.unit for pid, f in facts.items() if f.unit}

    def close(self) -> None:
        if self.register is not None:
            self.register.close()
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def __enter__(self) -> RegisterViews:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def note(self) -> str:
        """What is said first: which register, and the counts on the day."""
        if self.listing is None:
            return self._intro
        total = DB_LABELS["due_header"].format(
            where=self.where,
            as_of=self.as_of.isoformat(),
            total=len(self.listing.report.obligations),
        )
        return "\n".join(filter(None, [self._intro, total, self.counts_line()]))

    def counts_line(self) -> str:
        """逾期…项，临期…项，已完成…项，未到期…项 (as ``db due`` says them)."""
        if self.listing is None:
            return ""
        counts = self.listing.counts()
        return "，".join(f"{STATUS_NAMES[s]}{counts[s]}项" for s in STATUSES)

    def obligations(self) -> pd.DataFrame | None:
        return None if self.listing is None else obligations(self.listing, self.units)

    def overdue(self) -> pd.DataFrame | None:
        return None if self.listing is None else overdue(self.listing, self.units)

    def due_soon(self) -> pd.DataFrame | None:
        return None if self.listing is None else due_soon(self.listing, self.units)

    def by_stage(self) -> pd.DataFrame | None:
        if self.listing is None or self.register is None:
            return None
        return by_stage(self.listing, self.register.pack)

    def by_unit(self) -> pd.DataFrame | None:
        return None if self.listing is None else by_unit(self.listing, self.units)

    def findings(self) -> pd.DataFrame | None:
        return None if self.listing is None else findings(self.listing)

    def notices(self) -> str:
        """The calendar's notices (a year counted by weekends only), one a line."""
        return "" if self.listing is None else "\n".join(self.listing.report.notices)

    def projects(self) -> list[tuple[str, str]]:
        """(项目编号, name) of every project in the register, by 项目编号."""
        if self.register is None:
            return []
        return sorted((p.project_id, p.name) for p in self.register.projects())

    @property
    def example_project(self) -> str | None:
        """The project of the first obligation listed (the most pressing overdue one), else the
        first project in the register."""
        if self.listing is not None and self.listing.report.obligations:
            return self.listing.report.obligations[0].project_id
        found = self.projects()
        return found[0][0] if found else None

    def project_line(self, project_id: str | None) -> str:
        if self.register is None or project_id is None:
            return ""
        project = self.register.project(project_id)
        name = project.name if project is not None else ""
        return V["project_line"].format(pid=project_id, name=name)

    def timeline(self, project_id: str | None) -> pd.DataFrame | None:
        if self.register is None or project_id is None:
            return None
        return timeline(self.register, project_id)


def demo_views(as_of: str | dt.date | None = None) -> RegisterViews:
    """The demo register (``workbench db demo``: the embedded sample, 合成数据) written into a
    temporary SQLite file, on ``as_of`` (default the day its story is told for)."""
    from workbench.register.demo import DEMO_AS_OF, write_demo

    day = parse_as_of(as_of, DEMO_AS_OF)
    folder = tempfile.TemporaryDirectory(prefix="workbench-demo-", ignore_cleanup_errors=True)
    try:
        path = str(Path(folder.name) / V["demo_file"])
        write_demo(path)
        register = Register.open(path)
    except BaseException:
        folder.cleanup()
        raise
    return RegisterViews(
        register, day, where=V["demo"], note=V["demo_note"], demo=True, folder=folder
    )


def open_views(
    db: str | None = None, as_of: str | dt.date | None = None, *, input_dir: str | None = None
) -> RegisterViews:
    """The views for notebook 08 and the app: the register ``db`` names (as ``--db`` takes it)
    on ``as_of`` (default today); without ``db``, the demo register on ``as_of`` (default the
    demo's day) when ``input_dir`` is empty too (the embedded sample), else no register."""
    if db:
        day = parse_as_of(as_of, dt.date.today())
        register = Register.open(db)
        return RegisterViews(register, day, where=register.where)
    if input_dir:
        return RegisterViews(
            None, parse_as_of(as_of, dt.date.today()), where="", note=V["no_register"]
        )
    return demo_views(as_of)


__all__ = [
    "OBLIGATION_COLUMNS",
    "RegisterViews",
    "by_stage",
    "by_unit",
    "demo_views",
    "due_soon",
    "findings",
    "obligations",
    "open_views",
    "overdue",
    "parse_as_of",
    "timeline",
]

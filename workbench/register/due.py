"""``workbench db due``: every obligation the register's events start, on a date (issue #13).

The statuses are :func:`workbench.register.obligations.due_report`'s; this module takes its
inputs from the register and says the result in Chinese or as the issue's JSON:

- The events are the register's as they stand, dated up to ``as_of`` (the default is today).
- ``facts`` (effective category, approved construction period, approved amount, unit) come
  from the project's latest submission (:meth:`Register.project_facts`, the July intake
  recorded by ``db import``); the approved amount is the project's latest 审核意见
  that carries an amount where one is recorded (the review opinion states the investment it
  approves, 第十三条), else the submission's. A project with no submission (events only) has
  no category or period: an obligation whose scope is a category is listed for it, and
  第二十三条's period is the principle's 2 years, as the pack reads unknown facts (a reminder
  too many, never one missed).
- ``--unit`` filters by the 申报单位 of the project's latest submission; projects without one
  are left out, and a notice counts them. A register with no submissions at all cannot be
  filtered: every project is listed, and a notice says so (listing nothing would read as
  "nothing overdue").
- The text lists the counts, then every overdue and due-soon obligation as a table (the others
  are counted; the JSON lists them all), the calendar's notices and the findings.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from workbench.labels import CLI_LABELS, DB_LABELS, REGISTER_LABELS
from workbench.register.obligations import STATUSES, DueReport, ObligationStatus, due_report
from workbench.register.records import EventRecord, ProjectFacts

if TYPE_CHECKING:
    from workbench.register.calendar import WorkingCalendar
    from workbench.register.store import Register

# The event whose amount is read as the approved investment, ahead of the submission's total
# (see the module's docstring).
APPROVAL_EVENT = "review_opinion"
# The statuses the text lists line by line; the others it counts.
LISTED: tuple[str, ...] = ("overdue", "due_soon")


@dataclass(frozen=True)
class DueListing:
    """What ``workbench db due`` shows: the report (filtered to a unit when asked and possible),
    the projects' names, and the register it was drawn from."""

    report: DueReport
    names: dict[str, str]
    database: str
    unit: str | None = None
    unit_notice: str = ""  # what became of the unit filter, when it could not be applied

    def counts(self) -> dict[str, int]:
        found = Counter(o.status for o in self.report.obligations)
        return {status: found[status] for status in STATUSES}

    def as_dict(self) -> dict[str, Any]:
        """The issue's JSON: ``as_of``, ``obligations``, ``findings``, ``notices``."""
        return self.report.as_dict()


def as_written(event: EventRecord) -> EventRecord:
    """The event with its amount as written (760, 136.8), not at the register's six places:
    the findings' messages quote it."""
    if event.amount is None:
        return event
    return replace(event, amount=Decimal(format(event.amount.normalize(), "f")))


def approved_amounts(events: Iterable[EventRecord]) -> dict[str, Decimal]:
    """Each project's approved investment: the amount of its latest 审核意见 that has one."""
    found: dict[str, Decimal] = {}
    for event in sorted(events, key=lambda e: e.date):
        if event.kind == APPROVAL_EVENT and event.amount is not None:
            found[event.project_id] = event.amount
    return found


def project_facts(register: Register, events: Sequence[EventRecord]) -> dict[str, ProjectFacts]:
    """What the obligations need to know of each project beyond its events, as far as the
    register can say (see the module's docstring)."""
    facts = register.project_facts()
    for pid, amount in approved_amounts(events).items():
        facts[pid] = replace(facts.get(pid) or ProjectFacts(pid), approved_amount=amount)
    return facts


def project_units(facts: dict[str, ProjectFacts]) -> dict[str, str] | None:
    """Each project's 申报单位 where a submission gives one; None when no project has one."""
    units = {pid: f.unit for pid, f in facts.items() if f.unit}
    return units or None


def due_listing(
    register: Register,
    *,
    as_of: dt.date,
    unit: str | None = None,
    calendar: WorkingCalendar | None = None,
) -> DueListing:
    """Every obligation in the register on ``as_of`` (``workbench db due``). A calendar file
    that cannot be read is a :class:`RegisterError` (bad input, its Chinese message)."""
    from workbench.register.calendar import CalendarError, WorkingCalendar
    from workbench.register.db import RegisterError

    try:
        calendar = calendar or WorkingCalendar()
    except CalendarError as exc:
        raise RegisterError(str(exc)) from exc
    events = [as_written(e) for e in register.events_as_of(as_of)]
    names = {p.project_id: p.name for p in register.projects()}
    facts = project_facts(register, events)
    unit_notice = ""
    unit = (unit or "").strip() or None
    if unit is not None:
        units = project_units(facts)
        if units is None:
            unit_notice = DB_LABELS["due_no_units"].format(unit=unit)
        else:
            chosen = {pid for pid, name in units.items() if name == unit}
            unknown = {e.project_id for e in events} - set(units)
            if not chosen:
                unit_notice = DB_LABELS["due_unit_unknown"].format(unit=unit)
            elif unknown:
                unit_notice = DB_LABELS["due_unit_missing"].format(count=len(unknown))
            events = [e for e in events if e.project_id in chosen]
    report = due_report(events, facts, as_of=as_of, pack=register.pack, calendar=calendar)
    if unit_notice:
        report = replace(report, notices=(unit_notice, *report.notices))
    return DueListing(report, names, register.where, unit, unit_notice)


# -- text -------------------------------------------------------------------------------------


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """Columns padded to their widest cell (a CJK character is two columns wide)."""
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = [c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)]
        return (indent + "  ".join(padded)).rstrip()

    return [line(header), *(line(r) for r in rows)]


def _row(o: ObligationStatus, names: dict[str, str], as_of: dt.date) -> list[str]:
    days = o.days_late if o.status == "overdue" else (o.due_date - as_of).days
    return [
        o.project_id,
        names.get(o.project_id, ""),
        o.obligation_name,
        o.article,
        f"{o.trigger_name} {o.trigger_date.isoformat()}",
        o.due_date.isoformat(),
        str(days),
    ]


def due_text(listing: DueListing) -> str:
    report, counts = listing.report, listing.counts()
    late = sum(1 for o in report.obligations if o.status == "met" and o.days_late > 0)
    labels = {s: REGISTER_LABELS[s] for s in STATUSES}
    lines = [
        DB_LABELS["due_header"].format(
            where=listing.database, as_of=report.as_of.isoformat(), total=len(report.obligations)
        ),
        "  "
        + "，".join(f"{labels[s]}{counts[s]}项" for s in STATUSES)
        + (DB_LABELS["due_met_late"].format(count=late) if late else ""),
    ]
    if listing.unit is not None:
        lines.append("  " + DB_LABELS["due_unit"].format(unit=listing.unit))
        if listing.unit_notice:
            lines.append("  " + listing.unit_notice)
    for status in LISTED:
        found = [o for o in report.obligations if o.status == status]
        lines += ["", f"{labels[status]}（{counts[status]}项）"]
        if not found:
            lines.append(f"  {CLI_LABELS['none']}")
            continue
        header = [*DB_LABELS["due_columns"].split("|"), DB_LABELS[f"due_days_{status}"]]
        lines += _table(header, [_row(o, listing.names, report.as_of) for o in found])
    rest = [s for s in STATUSES if s not in LISTED]
    lines += ["", DB_LABELS["due_rest"].format(items="、".join(labels[s] for s in rest))]
    notices = [n for n in report.notices if n != listing.unit_notice]
    if notices:
        lines += ["", DB_LABELS["due_notices"]]
        lines += [f"  {n}" for n in notices]
    lines += ["", DB_LABELS["due_findings"].format(count=len(report.findings))]
    if not report.findings:
        lines.append(f"  {CLI_LABELS['none']}")
    for f in report.findings:
        name = listing.names.get(f.project_id, "")
        lines.append(f"  {f.project_id}  {name}  {f.article}  {f.date.isoformat()}  {f.message}")
    return "\n".join(lines)


__all__ = [
    "APPROVAL_EVENT",
    "DueListing",
    "approved_amounts",
    "due_listing",
    "due_text",
    "project_facts",
    "project_units",
]

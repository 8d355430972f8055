"""Obligations from events: every deadline the measures set, with its status on a given day.

The pack says *what* each obligation is (``lifecycle.obligations``: article, trigger, the events
that meet it, period, boundary words, reading); this module says *how* a status is drawn from a
project's recorded events:

- Only events dated on or before ``as_of`` are seen: the list is the register as it stood then.
- An obligation starts at its trigger event (the first one; each one when it ``repeats``), or at
  the first fallback recorded when the trigger is not; with ``trigger_later_of`` the period
  counts from the latest of those recorded. The due date is counted as the Civil Code says
  (:mod:`workbench.register.periods`).
- It is met by the first ``met_by`` event on or after its start (for a window, on or after the
  day the window opens; for repeated triggers, each takes the earliest such event not taken by
  an earlier one).
- Status: ``met`` (a meeting event recorded; one recorded after the due date is still ``met``,
  with ``days_late`` > 0, as the pack's ``met_late_reading`` says), ``overdue`` (not met and the
  due date has passed; ``days_late`` counts the days since), ``due_soon`` (not met and the due
  date within the pack's ``due_soon`` period of ``as_of``, the due date itself included),
  ``not_yet`` (the rest, including a window not open yet).
- Sorted overdue first, then due soon, then by due date.

第二十八条's 调整备案 and 整改通知 without a deadline are findings, not obligations
(:func:`register_findings`): they have no date to be late for.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any, Literal

from workbench.labels import REGISTER_LABELS
from workbench.policy.pack import Obligation, PolicyPack
from workbench.register.calendar import WorkingCalendar
from workbench.register.periods import (
    PeriodUnit,
    WorkingDays,
    due_date,
    next_working_day,
    past_share,
    period_end,
)
from workbench.register.records import EventRecord, ProjectFacts

Status = Literal["overdue", "due_soon", "met", "not_yet"]
STATUSES: tuple[Status, ...] = ("overdue", "due_soon", "met", "not_yet")
_RANK: dict[str, int] = {"overdue": 0, "due_soon": 1, "met": 2, "not_yet": 2}

FindingKind = Literal["change_needs_approval", "change_unchecked", "rectification_without_deadline"]

# A date written in a note: 2026-10-15, 2026/10/15, 2026.10.15 or 2026年10月15日.
_NOTE_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


@dataclass(frozen=True)
class ObligationStatus:
    """One obligation of one project on ``as_of``: the fields of ``workbench db due --format
    json``, the Chinese names of the obligation and its trigger, and ``opens_on``, the first day
    a window obligation can be met (第三十四条、第三十五条; ``None`` for the others)."""

    project_id: str
    obligation: str
    article: str
    trigger: str
    trigger_date: dt.date
    due_date: dt.date
    status: Status
    met_date: dt.date | None
    days_late: int
    obligation_name: str
    trigger_name: str
    opens_on: dt.date | None = None

    @property
    def status_label(self) -> str:
        return REGISTER_LABELS[self.status]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings, ``None`` as it is."""
        return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in asdict(self).items()}


@dataclass(frozen=True)
class RegisterFinding:
    """Something the register says about an event that is not a deadline: a 调整备案 over the
    share 第二十八条 lets a unit adjust on its own, or one that cannot be judged, or a
    整改通知 whose note gives no deadline."""

    project_id: str
    finding: FindingKind
    article: str
    date: dt.date
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in asdict(self).items()}


@dataclass(frozen=True)
class DueReport:
    """What ``workbench db due`` shows: every obligation's status, the findings, and the
    calendar's notices (a year counted by weekends only)."""

    as_of: dt.date
    obligations: tuple[ObligationStatus, ...]
    findings: tuple[RegisterFinding, ...]
    notices: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "obligations": [o.as_dict() for o in self.obligations],
            "findings": [f.as_dict() for f in self.findings],
            "notices": list(self.notices),
        }


def note_deadline(note: str) -> dt.date | None:
    """The first valid date written in an event's note (第三十八条's 限期), else ``None``."""
    for match in _NOTE_DATE.finditer(note):
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            continue
    return None


def _facts_by_project(
    facts: Mapping[str, ProjectFacts] | Iterable[ProjectFacts] | None,
) -> dict[str, ProjectFacts]:
    if facts is None:
        return {}
    if isinstance(facts, Mapping):
        return dict(facts)
    return {f.project_id: f for f in facts}


def _events_by_project(
    events: Iterable[EventRecord], as_of: dt.date
) -> dict[str, dict[str, list[EventRecord]]]:
    """project → event key → that project's events of the kind up to ``as_of``, by date."""
    grouped: dict[str, dict[str, list[EventRecord]]] = defaultdict(lambda: defaultdict(list))
    for event in sorted(events, key=lambda e: (e.date, e.kind, e.note)):
        if event.date <= as_of:
            grouped[event.project_id][event.kind].append(event)
    return grouped


def _applies(obligation: Obligation, fact: ProjectFacts | None) -> bool:
    # A project whose category is not known is listed: a reminder too many, not one missed.
    if not obligation.categories or fact is None or not fact.category:
        return True
    return fact.category in obligation.categories


def _has_surplus(accepted: EventRecord, fact: ProjectFacts | None) -> bool:
    """第二十七条: the amount on 竣工验收 (actual investment) below the approved amount. When
    either is unknown a surplus cannot be ruled out, and the obligation is listed."""
    approved = fact.approved_amount if fact is not None else None
    if accepted.amount is None or approved is None:
        return True
    return accepted.amount < approved


def _starts(
    obligation: Obligation, timing: Obligation, kinds: Mapping[str, list[EventRecord]]
) -> list[EventRecord]:
    """The events the obligation's instances count from (empty: not started)."""
    for key in (timing.trigger, *timing.trigger_fallback):
        if kinds.get(key):
            trigger_events = kinds[key]
            break
    else:
        return []
    if obligation.repeats:
        return list(trigger_events)
    start = trigger_events[0]
    for key in timing.trigger_later_of:
        if kinds.get(key) and kinds[key][0].date > start.date:
            start = kinds[key][0]
    return [start]


def _period(timing: Obligation, fact: ProjectFacts | None) -> tuple[int, PeriodUnit]:
    amount, unit = timing.amount, timing.unit
    assert amount is not None and unit is not None  # the pack's validator guarantees both
    if timing.period_from_facts and fact is not None and fact.construction_months:
        amount = fact.construction_months
        if timing.max_amount is not None:
            amount = min(amount, timing.max_amount)
    return amount, unit


def _status(
    due: dt.date,
    met: dt.date | None,
    opens_on: dt.date | None,
    as_of: dt.date,
    soon_until: dt.date,
) -> tuple[Status, int]:
    if met is not None:
        return "met", max(0, (met - due).days)
    if as_of > due:
        return "overdue", (as_of - due).days
    if opens_on is not None and as_of < opens_on:
        return "not_yet", 0
    if due <= soon_until:
        return "due_soon", 0
    return "not_yet", 0


def _project_statuses(
    project_id: str,
    kinds: Mapping[str, list[EventRecord]],
    fact: ProjectFacts | None,
    as_of: dt.date,
    pack: PolicyPack,
    calendar: WorkingDays,
    soon_until: dt.date,
) -> list[ObligationStatus]:
    lifecycle = pack.lifecycle
    names = {e.key: e.name for e in lifecycle.events}
    by_key = lifecycle.obligation_by_key()
    found: list[ObligationStatus] = []
    for obligation in lifecycle.obligations:
        if not _applies(obligation, fact):
            continue
        timing = by_key[obligation.same_period_as] if obligation.same_period_as else obligation
        candidates = sorted(
            (e for key in obligation.met_by for e in kinds.get(key, ())), key=lambda e: e.date
        )
        taken = [False] * len(candidates)  # repeated triggers each take their own meeting event
        for start in _starts(obligation, timing, kinds):
            if obligation.condition == "surplus" and not _has_surplus(start, fact):
                continue
            opens_on: dt.date | None = None
            if obligation.deadline == "note":
                written = note_deadline(start.note)
                if written is None:
                    continue  # a finding (register_findings), not an obligation
                due = next_working_day(written, calendar)  # 第二百零三条 as for any last day
            else:
                amount, unit = _period(timing, fact)
                due = due_date(start.date, amount, unit, calendar)
                if obligation.opens_at_share is not None:
                    end = period_end(start.date, amount, unit, calendar)
                    opens_on = past_share(start.date, end, obligation.opens_at_share)
                elif obligation.opens_after is not None:
                    opens_on = period_end(start.date, obligation.opens_after, unit, calendar)
            earliest = max(start.date, opens_on) if opens_on is not None else start.date
            met_date = None
            for i, event in enumerate(candidates):
                if event.date >= earliest and not taken[i]:
                    taken[i], met_date = True, event.date
                    break
            status, days_late = _status(due, met_date, opens_on, as_of, soon_until)
            found.append(
                ObligationStatus(
                    project_id=project_id,
                    obligation=obligation.key,
                    article=obligation.article,
                    trigger=start.kind,
                    trigger_date=start.date,
                    due_date=due,
                    status=status,
                    met_date=met_date,
                    days_late=days_late,
                    obligation_name=obligation.name,
                    trigger_name=names[start.kind],
                    opens_on=opens_on,
                )
            )
    return found


def obligation_statuses(
    events: Iterable[EventRecord],
    facts: Mapping[str, ProjectFacts] | Iterable[ProjectFacts] | None,
    *,
    as_of: dt.date,
    pack: PolicyPack,
    calendar: WorkingDays,
) -> tuple[ObligationStatus, ...]:
    """Every obligation instance the events up to ``as_of`` start, with its status that day,
    sorted overdue first, then due soon, then by due date (then project and the pack's order).

    ``facts`` (per project, as a mapping by id or an iterable) gives the category an article's
    scope needs, the approved construction period (第二十三条、第三十四条) and the approved
    amount (第二十七条's surplus); a project without facts is treated as of every category.
    """
    by_project = _events_by_project(events, as_of)
    facts_by_id = _facts_by_project(facts)
    window = pack.lifecycle.due_soon
    soon_until = period_end(as_of, window.amount, window.unit, calendar)
    statuses: list[ObligationStatus] = []
    for project_id in sorted(by_project):
        statuses += _project_statuses(
            project_id,
            by_project[project_id],
            facts_by_id.get(project_id),
            as_of,
            pack,
            calendar,
            soon_until,
        )
    order = {o.key: i for i, o in enumerate(pack.lifecycle.obligations)}
    statuses.sort(
        key=lambda s: (
            _RANK[s.status],
            s.due_date,
            s.project_id,
            order[s.obligation],
            s.trigger_date,
        )
    )
    return tuple(statuses)


def _percent(value: Decimal) -> str:
    return f"{value * 100:.2f}".rstrip("0").rstrip(".")


def register_findings(
    events: Iterable[EventRecord],
    facts: Mapping[str, ProjectFacts] | Iterable[ProjectFacts] | None,
    *,
    as_of: dt.date,
    pack: PolicyPack,
) -> tuple[RegisterFinding, ...]:
    """第二十八条: each 调整备案 whose amount exceeds ``adjustments.self_managed_share`` of the
    approved amount (exactly the share is still the unit's to adjust and file), or that cannot
    be judged without an approved amount; 第三十八条: each 整改通知 whose note gives no
    deadline. Events after ``as_of`` are not seen. Sorted by project, date."""
    facts_by_id = _facts_by_project(facts)
    lifecycle = pack.lifecycle
    review = lifecycle.change_review
    share = pack.adjustments.self_managed_share
    note_obligations = [o for o in lifecycle.obligations if o.deadline == "note"]
    found: list[RegisterFinding] = []
    for project_id, kinds in sorted(_events_by_project(events, as_of).items()):
        fact = facts_by_id.get(project_id)
        if review is not None:
            approved = fact.approved_amount if fact is not None else None
            for event in kinds.get(review.event, ()):
                if event.amount is None:
                    continue
                fields = {"amount": event.amount, "limit": _percent(share.value)}
                if not approved:
                    kind: FindingKind = "change_unchecked"
                    message = review.unchecked.format(**fields)
                # Compared as amount against approved × share: exact in Decimal, no division.
                elif share.relation.holds(event.amount, approved * share.value):
                    continue
                else:
                    kind = "change_needs_approval"
                    message = review.message.format(
                        **fields, approved=approved, share=_percent(event.amount / approved)
                    )
                found.append(RegisterFinding(project_id, kind, review.article, event.date, message))
        for obligation in note_obligations:
            for event in kinds.get(obligation.trigger, ()):
                if note_deadline(event.note) is None:
                    message = REGISTER_LABELS["no_deadline"].format(date=event.date)
                    found.append(
                        RegisterFinding(
                            project_id,
                            "rectification_without_deadline",
                            obligation.article,
                            event.date,
                            message,
                        )
                    )
    found.sort(key=lambda f: (f.project_id, f.date))
    return tuple(found)


def due_report(
    events: Iterable[EventRecord],
    facts: Mapping[str, ProjectFacts] | Iterable[ProjectFacts] | None,
    *,
    as_of: dt.date,
    pack: PolicyPack,
    calendar: WorkingCalendar,
) -> DueReport:
    """Obligations, findings and the calendar's notices in one (``workbench db due``): the
    notices speak of the years the statuses asked the calendar about."""
    events = list(events)
    facts_by_id = _facts_by_project(facts)
    statuses = obligation_statuses(events, facts_by_id, as_of=as_of, pack=pack, calendar=calendar)
    findings = register_findings(events, facts_by_id, as_of=as_of, pack=pack)
    return DueReport(as_of, statuses, findings, calendar.notices())


__all__ = [
    "STATUSES",
    "DueReport",
    "ObligationStatus",
    "RegisterFinding",
    "due_report",
    "note_deadline",
    "obligation_statuses",
    "register_findings",
]

"""Plain records the register's parts pass to each other (no database types in them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class EventRecord:
    """One event of a project's life as recorded: ``kind`` is the event's key in the policy
    pack (``lifecycle.events``, e.g. ``contract_signed``), ``amount`` in 万元 where it has one."""

    project_id: str
    kind: str
    date: dt.date
    amount: Decimal | None = None
    note: str = ""
    result: str = ""  # an evaluation's conclusion (结论), as the pack's ``results`` spell it


@dataclass(frozen=True)
class ProjectFacts:
    """What an obligation may need to know of the project beyond its events: its effective
    category (第一条) and the construction period approved (months)."""

    project_id: str
    category: str = ""
    construction_months: int | None = None
    approved_amount: Decimal | None = None
    unit: str = ""  # the 申报单位 of its latest submission (db due --unit)

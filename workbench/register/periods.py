"""Periods counted as the Civil Code counts them (民法典第二百零一条至第二百零三条).

- 第二百零一条: 按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算. A period of *n*
  days started on day *s* runs from *s* + 1 to *s* + *n*; *n* working days are the *n* working
  days after *s*, whatever *s* is.
- 第二百零二条: 按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的
  最后一日. One month from 31 January is 28 February (29th in a leap year); one month from
  28 February is 28 March, not 31 March: the corresponding day, not the month's end.
- 第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日. A last day that
  is a weekend or a statutory holiday moves to the first working day after it; a 调休 Saturday
  is a working day and keeps the period ending there (the State Council's arrangement decides,
  as the Supreme People's Court read "有变通的，以实际休假日的次日为期间的最后一天").

The functions are pure; what is a working day is the ``calendar``'s answer
(:class:`workbench.register.calendar.WorkingCalendar`, or anything with ``is_working_day``).
"""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
from decimal import ROUND_CEILING, Decimal
from typing import Literal, Protocol

PeriodUnit = Literal["days", "working_days", "months", "years"]
UNITS: tuple[PeriodUnit, ...] = ("days", "working_days", "months", "years")

# A rest spell longer than this means a calendar that declares no working days at all.
_LONGEST_REST = 366


class WorkingDays(Protocol):
    """What the period arithmetic asks of a calendar."""

    def is_working_day(self, day: dt.date) -> bool: ...


def add_months(start: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` months after ``start``, or that month's last day when
    it has no corresponding day (第二百零二条)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, _gregorian.monthrange(year, month)[1]))


def next_working_day(day: dt.date, calendar: WorkingDays) -> dt.date:
    """``day`` if it is a working day, else the first working day after it (第二百零三条)."""
    for _ in range(_LONGEST_REST):
        if calendar.is_working_day(day):
            return day
        day += dt.timedelta(days=1)
    raise ValueError(f"no working day within {_LONGEST_REST} days of {day}")


def add_working_days(start: dt.date, count: int, calendar: WorkingDays) -> dt.date:
    """The ``count``-th working day after ``start`` (the start day is not counted, 第二百零一条;
    ``count`` 0 gives ``start``)."""
    day, remaining = start, count
    while remaining > 0:
        day = next_working_day(day + dt.timedelta(days=1), calendar)
        remaining -= 1
    return day


def period_end(
    start: dt.date, amount: int, unit: PeriodUnit, calendar: WorkingDays | None = None
) -> dt.date:
    """The period's last day as counted, before a holiday moves it (第二百零一、二百零二条).

    ``calendar`` is needed for working days only.
    """
    if amount < 0:
        raise ValueError(f"negative period: {amount} {unit}")
    if unit == "days":
        return start + dt.timedelta(days=amount)
    if unit == "months":
        return add_months(start, amount)
    if unit == "years":
        return add_months(start, 12 * amount)
    if unit == "working_days":
        if calendar is None:
            raise ValueError("a period of working days needs a calendar")
        return add_working_days(start, amount, calendar)
    raise ValueError(f"unknown period unit: {unit!r}")


def due_date(start: dt.date, amount: int, unit: PeriodUnit, calendar: WorkingDays) -> dt.date:
    """The last day of a period of ``amount`` ``unit`` started on ``start``: counted from the
    next day (第二百零一条), months and years to the corresponding day or the month's end
    (第二百零二条), and a last day on a weekend or statutory holiday moved to the first working
    day after it (第二百零三条). A period of working days ends on a working day already."""
    return next_working_day(period_end(start, amount, unit, calendar), calendar)


def past_share(start: dt.date, end: dt.date, share: Decimal) -> dt.date:
    """The first whole day after ``share`` of the period from ``start`` (not counted) to
    ``end`` has run, counted in days: for 第三十四条's "建设周期过半后", ``share`` 0.5. A period of
    730 days is half run at the end of its 365th day, so its 366th day is the first after half;
    one of 731 days is half run in the middle of its 366th day, so the 367th is."""
    days = (end - start).days
    run = int((Decimal(days) * share).to_integral_value(rounding=ROUND_CEILING))
    return start + dt.timedelta(days=run + 1)


__all__ = [
    "UNITS",
    "PeriodUnit",
    "WorkingDays",
    "add_months",
    "add_working_days",
    "due_date",
    "next_working_day",
    "past_share",
    "period_end",
]

"""Working days as the State Council arranges them, year by year.

Each year's holidays and 调休 working weekends come from the 国务院办公厅's notice on the
year's holidays (关于XXXX年部分节假日安排的通知), published each autumn or winter for the
next year. Three sources, in this order:

1. ``chinesecalendar`` for the years it carries (2004–2026 at version 1.11.0; read from the
   library itself, so a newer release that adds a year is used without a change here);
2. a calendar file ``<year>.yaml`` in ``models/calendars/`` that the bureau fills from the
   notice (see that folder's README.md and ``template.yaml``), for a year the library does not
   carry yet;
3. neither: Monday to Friday are working days and the rest are not, and :meth:`notices` says
   so, in Chinese, for every such year the calendar was asked about.

Nothing here reaches the network. The folder is ``folder`` if given, else
``$WORKBENCH_CALENDARS``, else ``calendars/`` in the models folder the policy packs are found in
(:func:`workbench.policy.pack.models_dir`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import chinese_calendar
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from workbench.labels import REGISTER_LABELS
from workbench.policy.pack import models_dir
from workbench.yamlfile import explain_validation_error, read_mapping

CALENDARS_ENV = "WORKBENCH_CALENDARS"
_YEAR_FILE = re.compile(r"^(?P<year>\d{4})\.ya?ml$")
# How many days that differ from the library a notice lists before "…".
_DIFFERENCES_SHOWN = 5

SourceKind = Literal["library", "file", "weekends"]


class CalendarError(ValueError):
    """A calendar folder or file that cannot be read or validated; the message is Chinese."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HolidaySpell(_Model):
    """One holiday of the notice, e.g. ``{name: 国庆节, first: 2027-10-01, last: 2027-10-07}``
    (``last`` may be left out for a single day)."""

    name: str = ""
    first: dt.date
    last: dt.date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> HolidaySpell:
        if self.last is not None and self.last < self.first:
            raise ValueError(
                REGISTER_LABELS["calendar_range_reversed"].format(first=self.first, last=self.last)
            )
        return self

    def days(self) -> list[dt.date]:
        last = self.last or self.first
        return [self.first + dt.timedelta(days=i) for i in range((last - self.first).days + 1)]


class YearFile(_Model):
    """A year's arrangement as the State Council's notice gives it."""

    year: int = Field(ge=1949, le=9999)
    notice: str = Field(min_length=1)  # the notice it was taken from, with its document number
    holidays: tuple[HolidaySpell, ...] = Field(min_length=1)
    working_days: tuple[dt.date, ...] = ()  # the 调休 weekends on which people work
    path: str = ""

    @model_validator(mode="after")
    def _dates_belong_to_the_year(self) -> YearFile:
        # A notice may open the year with a holiday begun on 30 or 31 December (2024's 元旦
        # was 2023-12-30 to 2024-01-01), and close it with a 调休 day in January.
        earliest, latest = dt.date(self.year - 1, 12, 1), dt.date(self.year + 1, 1, 31)
        rest = self.rest_days()
        for day in [*rest, *self.working_days]:
            if not earliest <= day <= latest:
                raise ValueError(
                    REGISTER_LABELS["calendar_date_outside"].format(day=day, year=self.year)
                )
        both = sorted(rest & set(self.working_days))
        if both:
            raise ValueError(REGISTER_LABELS["calendar_both"].format(day=both[0]))
        return self

    def rest_days(self) -> set[dt.date]:
        return {day for spell in self.holidays for day in spell.days()}


@dataclass(frozen=True)
class YearSource:
    """Where a year's working days come from: ``source`` is the library and its version, or
    the file and the notice it was taken from, or empty (weekends only)."""

    year: int
    kind: SourceKind
    source: str


def calendars_dir(folder: str | os.PathLike[str] | None = None) -> Path:
    """``folder``, else ``$WORKBENCH_CALENDARS``, else ``<models>/calendars``."""
    if folder is not None:
        return Path(folder)
    env = os.environ.get(CALENDARS_ENV)
    if env:
        return Path(env)
    return models_dir() / "calendars"


def library_years() -> range:
    """The years the installed ``chinesecalendar`` carries."""
    years = {day.year for day in chinese_calendar.holidays}
    return range(min(years), max(years) + 1)


def read_year_file(path: Path) -> YearFile:
    """One calendar file, validated; :class:`CalendarError` with a Chinese message if not."""
    messages = {
        "not_found": REGISTER_LABELS["calendar_not_found"],
        "yaml": REGISTER_LABELS["calendar_yaml"],
        "invalid": REGISTER_LABELS["calendar_invalid"],
    }
    data = read_mapping(path, messages, CalendarError)
    try:
        year_file = YearFile.model_validate({**data, "path": str(path)})
    except ValidationError as exc:
        # A whole-file check has no key to name: drop the empty "key: " in front of it.
        errors = re.sub(r"(^|；): ", r"\1", explain_validation_error(exc))
        raise CalendarError(messages["invalid"].format(path=path, errors=errors)) from exc
    named = int(_YEAR_FILE.match(path.name)["year"])  # type: ignore[index]
    if year_file.year != named:
        errors = REGISTER_LABELS["calendar_year_mismatch"].format(
            name=path.name, year=year_file.year
        )
        raise CalendarError(messages["invalid"].format(path=path, errors=errors))
    return year_file


class WorkingCalendar:
    """Whether a day is a working day, per the State Council's arrangement (see the module).

    The calendar remembers which years it was asked about, so that :meth:`notices` speaks of
    those only: a list of deadlines in 2026 says nothing about 2027.
    """

    def __init__(
        self, folder: str | os.PathLike[str] | None = None, *, use_library: bool = True
    ) -> None:
        self.folder = calendars_dir(folder)
        explicit = folder is not None or bool(os.environ.get(CALENDARS_ENV))
        if explicit and not self.folder.is_dir():
            raise CalendarError(REGISTER_LABELS["calendar_not_found"].format(name=self.folder))
        self._library = library_years() if use_library else range(0)
        self._files: dict[int, YearFile] = {}
        if self.folder.is_dir():
            for path in sorted(self.folder.iterdir()):
                if _YEAR_FILE.match(path.name) and path.is_file():
                    year_file = read_year_file(path)
                    self._files[year_file.year] = year_file
        # Files count only for years the library does not carry (it is the State Council's
        # arrangement as published; a file for such a year is checked against it).
        self._declared: dict[dt.date, bool] = {}
        for year, year_file in sorted(self._files.items()):
            if year in self._library:
                continue
            self._declared.update(dict.fromkeys(year_file.rest_days(), False))
            self._declared.update(dict.fromkeys(year_file.working_days, True))
        self._asked: set[int] = set()
        # The library's answers, per day: a register's obligations ask about the same days a
        # million times, and each of the library's answers costs tens of microseconds.
        self._known: dict[dt.date, bool] = {}

    def is_working_day(self, day: dt.date) -> bool:
        """True on a day people work: Monday to Friday outside holidays, and 调休 weekends."""
        self._asked.add(day.year)
        if day.year in self._library:
            known = self._known.get(day)
            if known is None:
                known = self._known[day] = chinese_calendar.is_workday(day)
            return known
        declared = self._declared.get(day)
        if declared is not None:
            return declared
        return day.weekday() < 5

    def year_source(self, year: int) -> YearSource:
        """Where ``year``'s working days come from."""
        if year in self._library:
            return YearSource(year, "library", f"chinesecalendar {chinese_calendar.__version__}")
        if year in self._files:
            year_file = self._files[year]
            return YearSource(year, "file", f"{year_file.notice}（{year_file.path}）")
        return YearSource(year, "weekends", "")

    def sources(self) -> tuple[YearSource, ...]:
        """The source of every year the calendar was asked about, for a report's provenance."""
        return tuple(self.year_source(year) for year in sorted(self._asked))

    def notices(self, years: Iterable[int] | None = None) -> tuple[str, ...]:
        """Chinese notices for the years asked about (or ``years``): a year counted by its
        weekends only, and a file that disagrees with the library for a year it carries."""
        notices = []
        for year in sorted(self._asked if years is None else set(years)):
            if self.year_source(year).kind == "weekends":
                notices.append(
                    REGISTER_LABELS["weekends_only"].format(year=year, folder=self.folder)
                )
            elif year in self._library and year in self._files:
                differing = self._differences(year)
                if differing:
                    shown = "、".join(str(d) for d in differing[:_DIFFERENCES_SHOWN])
                    more = "……" if len(differing) > _DIFFERENCES_SHOWN else ""
                    notices.append(
                        REGISTER_LABELS["calendar_differs"].format(year=year, days=shown + more)
                    )
        return tuple(notices)

    def _differences(self, year: int) -> list[dt.date]:
        year_file = self._files[year]
        rest, working = year_file.rest_days(), set(year_file.working_days)
        day, differing = dt.date(year, 1, 1), []
        while day.year == year:
            by_file = day in working or (day not in rest and day.weekday() < 5)
            if by_file != chinese_calendar.is_workday(day):
                differing.append(day)
            day += dt.timedelta(days=1)
        return differing


__all__ = [
    "CALENDARS_ENV",
    "CalendarError",
    "WorkingCalendar",
    "YearFile",
    "YearSource",
    "calendars_dir",
    "library_years",
    "read_year_file",
]

"""Periods as the Civil Code counts them (第二百零一条至第二百零三条) and the working-day calendar.

The 2026 arrangement the pinned dates rest on (国务院办公厅关于2026年部分节假日安排的通知, as
``chinesecalendar`` carries it; :func:`test_the_2026_autumn_arrangement_is_the_one_pinned`
checks it): 中秋节 Friday 25 to Sunday 27 September off; 国庆节 Thursday 1 to Wednesday 7
October off; Sunday 20 September and Saturday 10 October are 调休 working days. 28 February
2026 (a Saturday) is a 调休 working day of the Spring Festival. Every expected date below was
counted by hand on a paper calendar from that arrangement.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import chinese_calendar
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.register.calendar import (
    CALENDARS_ENV,
    CalendarError,
    WorkingCalendar,
    calendars_dir,
    library_years,
)
from workbench.register.periods import (
    add_months,
    add_working_days,
    due_date,
    past_share,
    period_end,
)

D = dt.date


@pytest.fixture(scope="module")
def calendar(tmp_path_factory) -> WorkingCalendar:
    """The library's years and an empty folder: nothing depends on the shipped files."""
    return WorkingCalendar(tmp_path_factory.mktemp("no_calendars"))


def write_year(folder, data: dict) -> None:
    (folder / f"{data['year']}.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, default_flow_style=False), "utf-8"
    )


def test_the_2026_autumn_arrangement_is_the_one_pinned():
    off = [D(2026, 9, d) for d in (25, 26, 27)] + [D(2026, 10, d) for d in range(1, 8)]
    assert all(not chinese_calendar.is_workday(day) for day in off)
    assert chinese_calendar.is_workday(D(2026, 9, 20))  # Sunday, 调休
    assert chinese_calendar.is_workday(D(2026, 10, 10))  # Saturday, 调休
    assert chinese_calendar.is_workday(D(2026, 2, 28))  # Saturday, 调休
    assert D(2026, 9, 20).weekday() == 6 and D(2026, 10, 10).weekday() == 5


def test_library_years_cover_2026_and_not_2027():
    years = library_years()
    assert 2004 in years and 2026 in years and 2027 not in years


# --- working days -------------------------------------------------------------------------


def test_ten_working_days_across_mid_autumn_and_national_day(calendar):
    # From Friday 18 September: 20 (Sun, 调休), 21, 22, 23, 24 | 25–27 off | 28, 29, 30 |
    # 1–7 October off | 8, 9 → the tenth is Friday 9 October.
    assert add_working_days(D(2026, 9, 18), 10, calendar) == D(2026, 10, 9)
    assert due_date(D(2026, 9, 18), 10, "working_days", calendar) == D(2026, 10, 9)


def test_the_saturday_after_national_day_is_counted(calendar):
    # From Wednesday 23 September: 24 | 28, 29, 30 | 8, 9, 10 (Sat, 调休), 12, 13, 14.
    assert due_date(D(2026, 9, 23), 10, "working_days", calendar) == D(2026, 10, 14)


def test_the_sunday_before_mid_autumn_is_a_working_day(calendar):
    # From Saturday 19 September the first working day is the 调休 Sunday 20 September.
    assert due_date(D(2026, 9, 19), 1, "working_days", calendar) == D(2026, 9, 20)


def test_the_start_day_is_not_counted(calendar):
    assert due_date(D(2026, 6, 8), 1, "working_days", calendar) == D(2026, 6, 9)  # Mon → Tue
    assert due_date(D(2026, 6, 13), 1, "working_days", calendar) == D(2026, 6, 15)  # Sat → Mon
    assert due_date(D(2026, 6, 1), 1, "days", calendar) == D(2026, 6, 2)
    assert due_date(D(2026, 6, 1), 30, "days", calendar) == D(2026, 7, 1)
    assert period_end(D(2026, 6, 1), 0, "days") == D(2026, 6, 1)


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 10, 31)),
    count=st.integers(min_value=1, max_value=30),
)
def test_working_days_agree_with_the_librarys_own_list(calendar, start, count):
    workdays = chinese_calendar.get_workdays(start + dt.timedelta(days=1), D(2026, 12, 31))
    assert add_working_days(start, count, calendar) == workdays[count - 1]


# --- calendar days and months: 第二百零二条、第二百零三条 ----------------------------------


def test_thirty_days_ending_on_national_day_end_after_the_holiday(calendar):
    assert period_end(D(2026, 9, 1), 30, "days") == D(2026, 10, 1)
    assert due_date(D(2026, 9, 1), 30, "days", calendar) == D(2026, 10, 8)
    assert due_date(D(2026, 9, 6), 30, "days", calendar) == D(2026, 10, 8)  # ends Tue 6 Oct


def test_a_period_ending_on_a_tiaoxiu_saturday_ends_there(calendar):
    assert due_date(D(2026, 9, 10), 30, "days", calendar) == D(2026, 10, 10)


def test_a_period_ending_on_an_ordinary_weekend_moves_to_monday(calendar):
    assert due_date(D(2026, 9, 17), 30, "days", calendar) == D(2026, 10, 19)  # Sat 17 Oct


def test_months_end_on_the_corresponding_day_or_the_months_last_day():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2027, 1, 31), 1) == D(2027, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)  # leap year
    assert add_months(D(2026, 3, 31), 1) == D(2026, 4, 30)
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    # From a month's end: the corresponding day, not the next month's end.
    assert add_months(D(2026, 2, 28), 1) == D(2026, 3, 28)
    assert add_months(D(2026, 4, 30), 1) == D(2026, 5, 30)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert period_end(D(2028, 2, 29), 1, "years") == D(2029, 2, 28)
    assert period_end(D(2028, 2, 29), 4, "years") == D(2032, 2, 29)
    assert period_end(D(2026, 9, 30), 24, "months") == D(2028, 9, 30)


def test_a_month_period_ending_on_a_working_saturday_or_in_a_holiday(calendar):
    # 28 February 2026 is a Saturday the Spring Festival arrangement made a working day.
    assert due_date(D(2026, 1, 31), 1, "months", calendar) == D(2026, 2, 28)
    # Six months from 3 April end on 3 October, inside National Day: moved to Thursday 8 October.
    assert due_date(D(2026, 4, 3), 6, "months", calendar) == D(2026, 10, 8)


def test_february_ends_in_2027_and_2028_without_their_arrangements(calendar):
    # 28 February 2027 is a Sunday; 29 February 2028 a Tuesday. Counted by weekends only.
    assert due_date(D(2027, 1, 31), 1, "months", calendar) == D(2027, 3, 1)
    assert due_date(D(2028, 1, 31), 1, "months", calendar) == D(2028, 2, 29)


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=D(2004, 1, 1), max_value=D(2021, 6, 30)),
    amount=st.integers(min_value=1, max_value=60),
    unit=st.sampled_from(["days", "months"]),
)
def test_a_due_date_is_the_first_working_day_on_or_after_the_periods_end(
    calendar, start, amount, unit
):
    end = period_end(start, amount, unit)
    due = due_date(start, amount, unit, calendar)
    assert chinese_calendar.is_workday(due)
    assert due >= end
    assert not chinese_calendar.get_workdays(end, due - dt.timedelta(days=1))


def test_past_half_of_a_period():
    # 2025-03-01 → 2027-03-01 is 730 days: half run at the end of 2026-03-01.
    assert past_share(D(2025, 3, 1), D(2027, 3, 1), Decimal("0.5")) == D(2026, 3, 2)
    # 2026-03-01 → 2028-03-01 is 731 days (29 February 2028): half run during 2027-03-02.
    assert past_share(D(2026, 3, 1), D(2028, 3, 1), Decimal("0.5")) == D(2027, 3, 3)


def test_bad_periods_are_refused(calendar):
    with pytest.raises(ValueError):
        period_end(D(2026, 1, 1), -1, "days")
    with pytest.raises(ValueError):
        period_end(D(2026, 1, 1), 3, "working_days")  # no calendar
    with pytest.raises(ValueError):
        period_end(D(2026, 1, 1), 3, "weeks")  # type: ignore[arg-type]


# --- years the library does not carry -------------------------------------------------------

# A made-up arrangement, for the test only: it is not 2027's (the State Council has not
# published that); it only has to differ from weekends-only counting.
FICTIONAL = {
    "year": 2027,
    "notice": "测试用虚构安排，并非国务院办公厅通知",
    "holidays": [
        {"name": "国庆节", "first": D(2027, 10, 1), "last": D(2027, 10, 7)},
        {"name": "元旦", "first": D(2026, 12, 31), "last": D(2027, 1, 1)},
    ],
    "working_days": [D(2027, 10, 9)],
}


def test_a_year_from_its_calendar_file(tmp_path):
    write_year(tmp_path, FICTIONAL)
    calendar = WorkingCalendar(tmp_path)
    # Thursday 30 September → Friday 8 October; Friday 8 → Saturday 9 (调休 in the file).
    assert due_date(D(2027, 9, 30), 1, "working_days", calendar) == D(2027, 10, 8)
    assert due_date(D(2027, 10, 8), 1, "working_days", calendar) == D(2027, 10, 9)
    assert due_date(D(2027, 9, 1), 30, "days", calendar) == D(2027, 10, 8)
    assert calendar.year_source(2027).kind == "file"
    assert "测试用虚构安排" in calendar.year_source(2027).source
    assert calendar.notices() == ()


def test_the_calendar_folder_from_the_environment(tmp_path, monkeypatch):
    write_year(tmp_path, FICTIONAL)
    monkeypatch.setenv(CALENDARS_ENV, str(tmp_path))
    assert calendars_dir() == tmp_path
    assert not WorkingCalendar().is_working_day(D(2027, 10, 4))  # a Monday off in the file


def test_a_year_without_a_file_is_counted_by_weekends_and_says_so(tmp_path):
    calendar = WorkingCalendar(tmp_path)
    assert due_date(D(2026, 9, 1), 30, "days", calendar) == D(2026, 10, 8)
    assert calendar.notices() == ()  # only 2026 was asked about
    # 1 October 2027 is a Friday: a working day when nothing says otherwise.
    assert due_date(D(2027, 9, 1), 30, "days", calendar) == D(2027, 10, 1)
    assert calendar.year_source(2027).kind == "weekends"
    (notice,) = calendar.notices()
    assert "2027年" in notice and "只按周末" in notice and "2027.yaml" in notice


def _library_2026(extra_holidays: list[dt.date]) -> dict:
    """2026 as the library has it, as a calendar file, with ``extra_holidays`` added."""
    weekdays_off = [d for d in chinese_calendar.holidays if d.year == 2026 and d.weekday() < 5]
    return {
        "year": 2026,
        "notice": "测试用",
        "holidays": [{"first": d} for d in sorted(weekdays_off + extra_holidays)],
        "working_days": sorted(d for d in chinese_calendar.workdays if d.year == 2026),
    }


def test_the_library_wins_over_a_file_and_a_disagreement_is_reported(tmp_path):
    write_year(tmp_path, _library_2026([]))
    agreeing = WorkingCalendar(tmp_path)
    assert agreeing.is_working_day(D(2026, 10, 8))
    assert agreeing.notices() == ()
    write_year(tmp_path, _library_2026([D(2026, 10, 8)]))
    calendar = WorkingCalendar(tmp_path)
    assert calendar.is_working_day(D(2026, 10, 8))  # as the library says
    (notice,) = calendar.notices()
    assert "2026-10-08" in notice and "2026-10-09" not in notice


def test_the_shipped_folder_holds_no_year_and_its_template_is_not_loaded():
    calendar = WorkingCalendar(calendars_dir())
    assert (calendar.folder / "template.yaml").exists()
    assert (calendar.folder / "README.md").exists()
    assert all(calendar.year_source(y).kind != "file" for y in range(2000, 2100))


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("2028.yaml", FICTIONAL, "year 却是2027"),
        ("2027.yaml", {**FICTIONAL, "working_days": [D(2027, 10, 4)]}, "既列为放假日"),
        ("2027.yaml", {**FICTIONAL, "working_days": [D(2029, 1, 6)]}, "不在2027年内"),
        ("2027.yaml", {**FICTIONAL, "holidays": []}, "holidays"),
        ("2027.yaml", {**FICTIONAL, "notice": ""}, "notice"),
        ("2027.yaml", {**FICTIONAL, "holiday": []}, "未知的键"),
        (
            "2027.yaml",
            {**FICTIONAL, "holidays": [{"first": D(2027, 10, 7), "last": D(2027, 10, 1)}]},
            "颠倒",
        ),
    ],
)
def test_a_broken_calendar_file_is_refused_in_chinese(tmp_path, name, data, fragment):
    (tmp_path / name).write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(CalendarError) as caught:
        WorkingCalendar(tmp_path)
    assert fragment in str(caught.value) and name in str(caught.value)


def test_a_missing_folder_named_explicitly_is_refused(tmp_path):
    with pytest.raises(CalendarError, match="找不到"):
        WorkingCalendar(tmp_path / "没有")

"""Deadline arithmetic on the Chinese statutory calendar (法定节假日 and 调休 make-up days).

`chinesecalendar` knows each year's State Council holiday notice up to its release. The
district enters later notices (and any correction) as rows of StatutoryDay, which override the
package for their dates, with a HolidayNotice row saying the year's notice is in. A year is
known when the package covers it or its notice has been entered. For a year that is not known,
Monday to Friday are working days and the deadline is marked estimated (按工作日估算): the
platform never invents a year's holidays.

A `Calendar` reads a year's rows the first time it is asked about that year: one computation
costs a query or two per year it touches, and an edit counts from the next computation.
"""

import datetime as dt
from typing import NamedTuple

import chinese_calendar
from django.utils import timezone

from .choices import DayKind
from .models import HolidayNotice, StatutoryDay


def package_knows(year: int) -> bool:
    """Whether chinesecalendar carries `year`'s notice."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class Calendar:
    """Working days for one computation: entered rows first, then chinesecalendar, then
    Monday–Friday for a year nobody knows."""

    def __init__(self) -> None:
        self._overrides: dict[int, dict[dt.date, bool]] = {}
        self._known: dict[int, bool] = {}

    def _rows(self, year: int) -> dict[dt.date, bool]:
        if year not in self._overrides:
            rows = StatutoryDay.objects.filter(date__year=year).values_list("date", "kind")
            self._overrides[year] = {day: kind == DayKind.WORKDAY for day, kind in rows}
        return self._overrides[year]

    def knows(self, year: int) -> bool:
        if year not in self._known:
            self._known[year] = (package_knows(year)
                                 or HolidayNotice.objects.filter(year=year).exists())
        return self._known[year]

    def is_workday(self, day: dt.date) -> bool:
        entered = self._rows(day.year).get(day)
        if entered is not None:
            return entered
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            return day.weekday() < 5

    def estimated(self, first: dt.date, last: dt.date) -> bool:
        """Whether a count over first..last rests on a year without a known notice."""
        return not all(self.knows(year) for year in range(first.year, last.year + 1))


class Deadline(NamedTuple):
    due: dt.datetime
    estimated: bool  # 按工作日估算: a year it spans has no known notice


def is_workday(day: dt.date, calendar: Calendar | None = None) -> bool:
    return (calendar or Calendar()).is_workday(day)


def add_working_days(start: dt.date, days: int, calendar: Calendar | None = None) -> dt.date:
    """The date of the `days`-th working day after `start` (`start` itself is not counted)."""
    calendar = calendar or Calendar()
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date, calendar: Calendar | None = None) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    calendar = calendar or Calendar()
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += calendar.is_workday(day)
    return count


def end_of_day(day: dt.date) -> dt.datetime:
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=tz)


def response_due(start: dt.datetime, hours: int) -> dt.datetime:
    return start + dt.timedelta(hours=hours)


def handling_deadline(start: dt.datetime, days: int,
                      calendar: Calendar | None = None) -> Deadline:
    """End of the `days`-th working day after the local date of `start`, and whether that
    count had to guess a year (Monday–Friday)."""
    calendar = calendar or Calendar()
    first = timezone.localtime(start).date()
    last = add_working_days(first, days, calendar)
    return Deadline(end_of_day(last), calendar.estimated(first, last))


def handling_due(start: dt.datetime, days: int) -> dt.datetime:
    return handling_deadline(start, days).due


def extended_deadline(due: dt.datetime, days: int) -> Deadline:
    """`days` more working days after the date of `due`."""
    return handling_deadline(due, days)


def extend_due(due: dt.datetime, days: int) -> dt.datetime:
    return extended_deadline(due, days).due


def unknown_years(years: set[int]) -> list[int]:
    """The years among `years` whose notice is neither in the package nor entered."""
    calendar = Calendar()
    return sorted(year for year in years if not calendar.knows(year))

"""Deadline arithmetic on the Chinese statutory calendar (法定节假日 and 调休 make-up days).

`chinesecalendar` knows each year's State Council holiday notice. For a year it does not
know yet, Monday to Friday are working days until the package is upgraded.
"""

import datetime as dt
import logging
from functools import lru_cache

import chinese_calendar
from django.utils import timezone

log = logging.getLogger(__name__)


@lru_cache(maxsize=64)
def _warn_no_calendar(year: int) -> None:
    log.warning("no statutory calendar for %s; counting Monday-Friday", year)


@lru_cache(maxsize=4096)
def is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        _warn_no_calendar(day.year)
        return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date of the `days`-th working day after `start` (`start` itself is not counted)."""
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_workday(day)
    return count


def end_of_day(day: dt.date) -> dt.datetime:
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=tz)


def response_due(start: dt.datetime, hours: int) -> dt.datetime:
    return start + dt.timedelta(hours=hours)


def handling_due(start: dt.datetime, days: int) -> dt.datetime:
    """End of the `days`-th working day after the local date of `start`."""
    return end_of_day(add_working_days(timezone.localtime(start).date(), days))


def extend_due(due: dt.datetime, days: int) -> dt.datetime:
    return end_of_day(add_working_days(timezone.localtime(due).date(), days))

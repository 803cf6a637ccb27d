"""Deadlines on the Chinese statutory calendar, the policies behind them and the overdue sweep.

Expected dates are written out by hand; the calendar facts they rest on are checked against
chinese_calendar first, so a wrong fact fails here and not silently in the arithmetic.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.utils import timezone

from banshi.appeals import actions, deadlines
from banshi.appeals.choices import HANDLING_STATES, Rating, State
from banshi.appeals.models import AppealEvent, Category, DeadlinePolicy

from .factories import dispatched, in_progress, submitted
from .test_workflow import ALL_STATES, fresh, in_state

# The calendar reads the district's entered holiday rows (none here): every test uses the db.
pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def end(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=SHANGHAI)


def oracle_add(start: dt.date, days: int) -> dt.date:
    """Independent count for 'today' tests: chinese_calendar, else Monday-Friday."""
    day = start
    while days:
        day += dt.timedelta(days=1)
        try:
            workday = chinese_calendar.is_workday(day)
        except NotImplementedError:
            workday = day.weekday() < 5
        days -= workday
    return day


# --- the calendar facts the expectations rest on ---------------------------------------------

def test_spring_festival_2026_facts():
    holidays = [D(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)]  # 02-15 .. 02-23
    assert not any(chinese_calendar.is_workday(day) for day in holidays)
    for makeup in (D(2026, 2, 14), D(2026, 2, 28)):  # 调休 Saturdays
        assert makeup.weekday() == 5 and chinese_calendar.is_workday(makeup)
    assert chinese_calendar.is_workday(D(2026, 2, 24))  # Tuesday after the break
    assert not chinese_calendar.is_workday(D(2026, 3, 1))  # ordinary Sunday


def test_national_day_2026_and_2025_facts():
    holidays = [D(2026, 10, 1) + dt.timedelta(days=i) for i in range(7)]  # 10-01 .. 10-07
    assert not any(chinese_calendar.is_workday(day) for day in holidays)
    assert D(2026, 9, 20).weekday() == 6 and chinese_calendar.is_workday(D(2026, 9, 20))
    assert D(2026, 10, 10).weekday() == 5 and chinese_calendar.is_workday(D(2026, 10, 10))
    assert not chinese_calendar.is_workday(D(2026, 9, 19))  # the Saturday before stays off
    # 2025: National Day + Mid-autumn 10-01 .. 10-08; Sunday 09-28 and Saturday 10-11 worked.
    assert D(2025, 9, 28).weekday() == 6 and chinese_calendar.is_workday(D(2025, 9, 28))
    assert D(2025, 10, 11).weekday() == 5 and chinese_calendar.is_workday(D(2025, 10, 11))
    assert not any(chinese_calendar.is_workday(D(2025, 10, i)) for i in range(1, 9))


# --- add_working_days / working_days_between --------------------------------------------------

@pytest.mark.parametrize(("start", "days", "expected"), [
    # Thu 02-12 + 5: Fri 13 (1), Sat 14 调休 (2), 15..23 off, Tue 24 (3), Wed 25 (4), Thu 26 (5)
    (D(2026, 2, 12), 5, D(2026, 2, 26)),
    # Fri 02-13 + 1: the make-up Saturday 02-14 counts
    (D(2026, 2, 13), 1, D(2026, 2, 14)),
    # from the make-up Saturday, the next working day is after the whole break
    (D(2026, 2, 14), 1, D(2026, 2, 24)),
    # starting inside the holiday
    (D(2026, 2, 18), 1, D(2026, 2, 24)),
    # Fri 02-27 + 1: make-up Saturday 02-28; + 2: Sunday 03-01 off, Monday 03-02
    (D(2026, 2, 27), 1, D(2026, 2, 28)),
    (D(2026, 2, 27), 2, D(2026, 3, 2)),
    # Thu 02-12 + 15: 13, 14, 24, 25, 26, 27, 28(Sat 调休), 03-02, 03, 04, 05, 06, 09, 10, 11
    (D(2026, 2, 12), 15, D(2026, 3, 11)),
    # zero days: the start itself
    (D(2026, 2, 15), 0, D(2026, 2, 15)),
    # Fri 09-18 + 1: Sat 19 off, Sunday 09-20 worked (调休 for National Day)
    (D(2026, 9, 18), 1, D(2026, 9, 20)),
    # Wed 09-30 + 1: 10-01..07 off -> Thu 10-08; + 3: 08, 09, Sat 10-10 (调休)
    (D(2026, 9, 30), 1, D(2026, 10, 8)),
    (D(2026, 9, 30), 3, D(2026, 10, 10)),
    # Thu 09-24 + 1: Mid-autumn Fri 25 .. Sun 27 off -> Mon 09-28
    (D(2026, 9, 24), 1, D(2026, 9, 28)),
    # 2025: Fri 09-26 + 1: Sat 27 off, Sunday 09-28 worked
    (D(2025, 9, 26), 1, D(2025, 9, 28)),
    # Tue 2025-09-30 + 1: 10-01..08 off -> Thu 10-09; + 3: 09, 10, Sat 10-11 (调休)
    (D(2025, 9, 30), 1, D(2025, 10, 9)),
    (D(2025, 9, 30), 3, D(2025, 10, 11)),
])
def test_add_working_days(start, days, expected):
    assert deadlines.add_working_days(start, days) == expected


@pytest.mark.parametrize(("start", "end_day", "expected"), [
    (D(2026, 2, 12), D(2026, 2, 26), 5),
    (D(2026, 2, 14), D(2026, 2, 23), 0),  # nothing but holiday after the make-up Saturday
    # 14 (Sat 调休), 24, 25, 26, 27, 28 (Sat 调休), 03-02
    (D(2026, 2, 13), D(2026, 3, 2), 7),
    # 20 (Sun 调休), 21, 22, 23, 24; 25..27 Mid-autumn; 28, 29, 30; 10-01..07 off;
    # 08, 09, 10 (Sat 调休); Sunday 11 off -> 5 + 3 + 3
    (D(2026, 9, 18), D(2026, 10, 11), 11),
    (D(2026, 2, 26), D(2026, 2, 26), 0),
    (D(2026, 2, 26), D(2026, 2, 12), 0),
])
def test_working_days_between(start, end_day, expected):
    assert deadlines.working_days_between(start, end_day) == expected


def test_between_is_the_inverse_of_add():
    for start in (D(2026, 2, 10), D(2026, 9, 17), D(2025, 9, 25)):
        for days in range(0, 25):
            assert deadlines.working_days_between(
                start, deadlines.add_working_days(start, days)) == days


def _year_has_data(year: int) -> bool:
    try:
        chinese_calendar.is_workday(D(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def test_year_without_calendar_data_counts_monday_to_friday():
    assert not _year_has_data(2040)
    # Fri 2040-03-02 + 1 -> Mon 03-05; + 5 -> Fri 03-09
    assert deadlines.add_working_days(D(2040, 3, 2), 1) == D(2040, 3, 5)
    assert deadlines.add_working_days(D(2040, 3, 2), 5) == D(2040, 3, 9)
    assert deadlines.working_days_between(D(2040, 3, 2), D(2040, 3, 12)) == 6
    assert deadlines.handling_due(at(D(2040, 3, 2), 9), 1) == end(D(2040, 3, 5))


def test_2027_falls_back_until_the_calendar_knows_it():
    if _year_has_data(2027):
        pytest.skip("chinese_calendar now knows 2027")
    # Fri 2027-01-01 would be New Year's Day, but without data it is an ordinary Friday:
    # Thu 2026-12-31 + 1 -> Fri 2027-01-01; + 2 -> Mon 2027-01-04
    assert deadlines.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)
    assert deadlines.add_working_days(D(2026, 12, 31), 2) == D(2027, 1, 4)
    assert deadlines.working_days_between(D(2027, 1, 1), D(2027, 1, 11)) == 6


# --- handling_due / response_due / extend_due -------------------------------------------------

def test_handling_due_is_end_of_the_nth_working_day_in_shanghai():
    due = deadlines.handling_due(at(D(2026, 2, 12), 10), 5)
    assert due == end(D(2026, 2, 26))
    local = timezone.localtime(due, SHANGHAI)
    assert (local.date(), local.time()) == (D(2026, 2, 26), dt.time(23, 59, 59))


def test_handling_due_counts_from_the_local_date():
    # 20:30 UTC on 02-12 is 04:30 on Fri 02-13 in Shanghai: count from the 13th:
    # Sat 14 (1), 24 (2), 25 (3), 26 (4), 27 (5)
    start = dt.datetime(2026, 2, 12, 20, 30, tzinfo=dt.UTC)
    assert deadlines.handling_due(start, 5) == end(D(2026, 2, 27))
    # 15:59 UTC on 02-12 is still the 12th in Shanghai
    start = dt.datetime(2026, 2, 12, 15, 59, tzinfo=dt.UTC)
    assert deadlines.handling_due(start, 5) == end(D(2026, 2, 26))


def test_response_due_counts_calendar_hours():
    start = at(D(2026, 2, 14), 18)  # across the holiday: hours are hours
    assert deadlines.response_due(start, 24) == at(D(2026, 2, 15), 18)


def test_extend_due_adds_working_days_to_the_deadline():
    # due Thu 02-12 23:59:59 + 3: Fri 13, Sat 14 (调休), Tue 24
    assert deadlines.extend_due(end(D(2026, 2, 12)), 3) == end(D(2026, 2, 24))


# --- dispatch applies the policy ---------------------------------------------------------------

def _assert_clock(appeal, hours: int, days: int) -> None:
    row = fresh(appeal)
    assert row.response_due_at == row.dispatched_at + dt.timedelta(hours=hours)
    local = timezone.localtime(row.handling_due_at, SHANGHAI)
    assert local.time() == dt.time(23, 59, 59)
    assert local.date() == oracle_add(timezone.localtime(row.dispatched_at, SHANGHAI).date(), days)


def test_dispatch_uses_the_default_policy(d):
    appeal = actions.dispatch(submitted(d), actor=d.dispatcher, unit=d.cgj,
                              category=d.cat_city_3)
    _assert_clock(appeal, 24, 15)


def test_dispatch_uses_the_category_policy_before_the_default(d):
    appeal = actions.dispatch(submitted(d), actor=d.dispatcher, unit=d.cgj, category=d.cat_env)
    _assert_clock(appeal, 12, 7)


def test_category_policy_applies_to_its_subcategories(d):
    water = Category.objects.create(code="0201", name="水污染", level=2, parent=d.cat_env)
    appeal = actions.dispatch(submitted(d), actor=d.dispatcher, unit=d.cgj, category=water)
    _assert_clock(appeal, 12, 7)


def test_urgent_uses_its_own_row(d):
    appeal = actions.dispatch(submitted(d), actor=d.dispatcher, unit=d.cgj,
                              category=d.cat_city_3, urgency="urgent")
    _assert_clock(appeal, 4, 5)


def test_urgent_environment_falls_back_to_the_urgent_default(d):
    # there is no (环境保护, urgent) row: the urgent default, not the normal 环境保护 row
    appeal = actions.dispatch(submitted(d), actor=d.dispatcher, unit=d.cgj, category=d.cat_env,
                              urgency="urgent")
    _assert_clock(appeal, 4, 5)


def test_without_policies_the_built_in_default_applies(d):
    DeadlinePolicy.objects.all().delete()
    appeal = actions.dispatch(submitted(d), actor=d.dispatcher, unit=d.cgj)
    _assert_clock(appeal, 24, 15)


def test_redispatch_restarts_the_clock(d):
    appeal = dispatched(d)
    first = fresh(appeal)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.zjj, category=d.cat_env)
    row = fresh(appeal)
    assert row.dispatched_at > first.dispatched_at
    _assert_clock(appeal, 12, 7)


# --- the overdue sweep ------------------------------------------------------------------------

def _overdue_events(appeal):
    return AppealEvent.objects.filter(appeal=appeal, action="overdue")


def test_nothing_is_marked_before_a_deadline(d):
    appeal = in_progress(d)
    assert actions.mark_overdue(now=fresh(appeal).handling_due_at) == 0
    assert not fresh(appeal).is_overdue


def test_late_handling_is_marked_once(d):
    appeal = in_progress(d)
    later = fresh(appeal).handling_due_at + dt.timedelta(seconds=1)
    assert actions.mark_overdue(now=later) == 1
    row = fresh(appeal)
    assert row.is_overdue and row.state == State.IN_PROGRESS
    [event] = _overdue_events(appeal)
    assert event.actor is None and event.actor_label == "系统"
    assert event.note == "超过办理期限未办结"
    assert event.from_state == event.to_state == State.IN_PROGRESS and event.unit == d.cgj
    assert actions.mark_overdue(now=later + dt.timedelta(days=3)) == 0
    assert _overdue_events(appeal).count() == 1


def test_late_response_is_marked_with_its_own_note(d):
    appeal = dispatched(d)
    row = fresh(appeal)
    late = row.response_due_at + dt.timedelta(minutes=1)
    assert late < row.handling_due_at
    assert actions.mark_overdue(now=late) == 1
    [event] = _overdue_events(appeal)
    assert event.note == "超过响应期限未接单" and event.from_state == State.DISPATCHED
    assert actions.mark_overdue(now=late) == 0


def test_accepted_case_is_not_late_on_response(d):
    appeal = in_progress(d)
    row = fresh(appeal)
    assert actions.mark_overdue(now=row.response_due_at + dt.timedelta(minutes=1)) == 0


@pytest.mark.parametrize("state", [s for s in ALL_STATES
                                   if s not in HANDLING_STATES])
def test_cases_not_in_handling_are_never_marked(d, state):
    appeal = in_state(d, state)
    assert actions.mark_overdue(now=timezone.now() + dt.timedelta(days=3650)) == 0
    assert not fresh(appeal).is_overdue and not _overdue_events(appeal).exists()


def test_sweep_marks_each_late_case_and_only_those(d):
    late = [in_progress(d), dispatched(d)]
    resolved_case = actions.resolve(in_progress(d), actor=d.cgj_staff, reply="已办")
    far = timezone.now() + dt.timedelta(days=3650)
    assert actions.mark_overdue(now=far) == 2
    assert all(fresh(a).is_overdue for a in late)
    assert not fresh(resolved_case).is_overdue


def test_approved_extension_moves_the_deadline_and_clears_overdue(d):
    appeal = in_progress(d)
    old = fresh(appeal).handling_due_at
    actions.mark_overdue(now=old + dt.timedelta(seconds=1))
    assert fresh(appeal).is_overdue
    actions.request_extension(appeal, actor=d.cgj_staff, days=10, reason="需协调")
    actions.decide_extension(appeal, actor=d.dispatcher, approve=True)
    row = fresh(appeal)
    assert row.handling_due_at == end(oracle_add(timezone.localtime(old, SHANGHAI).date(), 10))
    assert not row.is_overdue  # the new deadline is in the future
    # when the new deadline passes, the case is marked again
    assert actions.mark_overdue(now=row.handling_due_at + dt.timedelta(seconds=1)) == 1
    assert _overdue_events(appeal).count() == 2


def test_rejected_extension_keeps_the_deadline(d):
    appeal = in_progress(d)
    old = fresh(appeal).handling_due_at
    actions.request_extension(appeal, actor=d.cgj_staff, days=10, reason="需协调")
    actions.decide_extension(appeal, actor=d.dispatcher, approve=False)
    assert fresh(appeal).handling_due_at == old


def test_redispatch_after_return_clears_overdue(d):
    """A fresh clock after 退单 and 派单: not overdue until the new deadline passes."""
    appeal = dispatched(d)
    first_due = fresh(appeal).response_due_at
    assert actions.mark_overdue(now=first_due + dt.timedelta(minutes=1)) == 1
    actions.return_(appeal, actor=d.cgj_staff, reason="非本单位职责")
    actions.dispatch(fresh(appeal), actor=d.dispatcher, unit=d.zjj)
    row = fresh(appeal)
    assert not row.is_overdue
    assert actions.mark_overdue(now=row.response_due_at + dt.timedelta(minutes=1)) == 1
    assert _overdue_events(appeal).count() == 2


def test_reopen_clears_overdue(d):
    appeal = in_progress(d)
    actions.mark_overdue(now=fresh(appeal).handling_due_at + dt.timedelta(seconds=1))
    actions.resolve(appeal, actor=d.cgj_staff, reply="已办")
    assert fresh(appeal).is_overdue  # resolved late stays flagged
    actions.record_feedback(appeal, solved="solved", rating=Rating.UNSATISFIED, actor=d.dispatcher)
    row = fresh(appeal)
    assert row.state == State.IN_PROGRESS and not row.is_overdue

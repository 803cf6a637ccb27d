"""The event logs (AppealEvent, ProblemEvent) are append-only in the database itself.

The models refuse save-again and delete; these tests go around them — the base manager,
`_raw_delete`, raw SQL, a back-dated insert — and expect the database's triggers
(migration appeals.0004_append_only_events) to refuse each one, on SQLite and PostgreSQL.
"""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from banshi.appeals import actions
from banshi.appeals.choices import Action, ProblemAction
from banshi.appeals.models import AppealEvent, ProblemEvent

from .factories import dispatched

ATTEMPTS = ["base-update", "base-delete", "raw-delete", "sql-update", "sql-delete",
            "sql-update-all", "sql-delete-all"]


@pytest.fixture
def logs(d):
    """One appeal event and one problem event, as the actions wrote them."""
    appeal = dispatched(d)
    problem = actions.create_problem(actor=d.dispatcher, title="百花路路灯成片不亮")
    return {AppealEvent: appeal.events.first(), ProblemEvent: problem.events.first()}


# Raw statements; the table name is the model's own, never user input.
SQL = {
    "sql-update": ("UPDATE {table} SET note = %s WHERE id = %s", True),
    "sql-delete": ("DELETE FROM {table} WHERE id = %s", True),
    "sql-update-all": ("UPDATE {table} SET note = %s", False),
    "sql-delete-all": ("DELETE FROM {table}", False),
}


def tamper(model, event, how: str) -> None:
    rows = model._base_manager.filter(pk=event.pk)
    if how == "base-update":
        rows.update(note="篡改")
    elif how == "base-delete":
        rows.delete()
    elif how == "raw-delete":
        rows._raw_delete(rows.db)
    else:
        template, by_id = SQL[how]
        params = (["篡改"] if "update" in how else []) + ([event.pk] if by_id else [])
        sql = template.format(table=connection.ops.quote_name(model._meta.db_table))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


@pytest.mark.parametrize("model", [AppealEvent, ProblemEvent], ids=["appeal", "problem"])
@pytest.mark.parametrize("how", ATTEMPTS)
def test_the_database_refuses_changing_an_event(logs, model, how):
    event = logs[model]
    before = model.objects.filter(pk=event.pk).values().get()
    count = model.objects.count()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        tamper(model, event, how)
    assert model.objects.filter(pk=event.pk).values().get() == before
    assert model.objects.count() == count


def _new_event(model, logs, at):
    owner = "appeal" if model is AppealEvent else "problem"
    fields = {owner: getattr(logs[model], owner), "at": at, "note": "补记"}
    fields |= ({"action": Action.DISPATCH, "to_state": "dispatched"} if model is AppealEvent
               else {"action": ProblemAction.EDIT})
    return model(**fields)


@pytest.mark.parametrize("model", [AppealEvent, ProblemEvent], ids=["appeal", "problem"])
@pytest.mark.parametrize("ago", [dt.timedelta(minutes=10), dt.timedelta(days=400)],
                         ids=["10-minutes", "400-days"])
def test_the_database_refuses_a_back_dated_event(logs, model, ago):
    count = model.objects.count()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        model.objects.bulk_create([_new_event(model, logs, timezone.now() - ago)])
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        _new_event(model, logs, timezone.now() - ago).save()
    assert model.objects.count() == count


@pytest.mark.parametrize("model", [AppealEvent, ProblemEvent], ids=["appeal", "problem"])
def test_a_back_dated_raw_insert_is_refused(logs, model):
    event = logs[model]
    table = connection.ops.quote_name(model._meta.db_table)
    owner = "appeal_id" if model is AppealEvent else "problem_id"
    state = ", to_state, from_state" if model is AppealEvent else ""
    values = ", 'dispatched', ''" if model is AppealEvent else ""
    sql = (f"INSERT INTO {table} ({owner}, at, actor_label, action, note, data{state}) "  # noqa: S608
           f"VALUES (%s, %s, '', 'edit', '补记', '{{}}'{values})")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(sql, [getattr(event, owner), dt.datetime(2020, 1, 1, tzinfo=dt.UTC)])


@pytest.mark.parametrize("model", [AppealEvent, ProblemEvent], ids=["appeal", "problem"])
def test_events_of_now_and_a_little_earlier_are_written(logs, model):
    """Clocks drift a little between the web server and the database: a few minutes pass."""
    count = model.objects.count()
    model.objects.bulk_create([_new_event(model, logs, timezone.now()),
                               _new_event(model, logs, timezone.now() - dt.timedelta(minutes=2)),
                               _new_event(model, logs, timezone.now() + dt.timedelta(minutes=2))])
    assert model.objects.count() == count + 3


def test_problem_events_refuse_queryset_changes_in_the_application_too(logs):
    event = logs[ProblemEvent]
    with pytest.raises(TypeError):
        ProblemEvent.objects.filter(pk=event.pk).update(note="篡改")
    with pytest.raises(TypeError):
        ProblemEvent.objects.all().delete()
    with pytest.raises(TypeError):
        event.problem.events.update(note="篡改")
    assert ProblemEvent.objects.get(pk=event.pk).note == event.note


@pytest.mark.django_db(transaction=True)
def test_committed_events_stay_and_the_test_database_is_still_flushed(d):
    """Outside a test transaction the refusal holds for committed rows; pytest-django's
    flush after this test (TRUNCATE on PostgreSQL, DELETE on SQLite) still empties the
    tables (see tests/conftest.py)."""
    appeal = dispatched(d)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AppealEvent._base_manager.filter(appeal=appeal).update(note="篡改")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AppealEvent._base_manager.filter(appeal=appeal)._raw_delete(connection.alias)
    assert AppealEvent.objects.filter(appeal=appeal, note="篡改").count() == 0
    assert AppealEvent.objects.filter(appeal=appeal).count() == 2


# ------------------------------------------------------ 历史补录: the one permitted path

def test_a_historical_load_writes_past_events_through_the_actions_on_the_record(d):
    from banshi.appeals.clock import historical_load
    from banshi.appeals.models import HistoricalLoad

    past = timezone.now() - dt.timedelta(days=60)
    with historical_load(reason="测试：补录旧台账", run_by="pytest",
                         not_before=past - dt.timedelta(days=1)) as replay:
        replay.at(past)
        appeal = dispatched(d)
        replay.at(past + dt.timedelta(hours=3))
        appeal = actions.accept(appeal, actor=d.cgj_staff)
    times = list(appeal.events.order_by("pk").values_list("at", flat=True))
    assert times[0] == past and times[-1] == past + dt.timedelta(hours=3)
    assert times == sorted(times)
    appeal.refresh_from_db()
    assert appeal.dispatched_at == past and appeal.accepted_at == times[-1]
    assert appeal.handling_due_at < timezone.now()  # counted from the replayed dispatch
    load = HistoricalLoad.objects.get()
    assert (load.reason, load.run_by, load.events) == ("测试：补录旧台账", "pytest", len(times))
    assert load.finished_at is not None
    if connection.vendor == "postgresql":
        assert load.xact  # filled in by the database
    # The load is over: the clock is real again and the guard refuses back-dating again.
    assert actions.accept(dispatched(d), actor=d.cgj_staff).events.last().at > past
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AppealEvent.objects.bulk_create([_new_event(AppealEvent, {AppealEvent: appeal.events
                                                                  .first()}, past)])


def test_a_historical_load_keeps_to_its_earliest_date_and_never_writes_the_future(logs):
    from banshi.appeals.clock import historical_load

    earliest = timezone.now() - dt.timedelta(days=30)
    with historical_load(reason="测试", run_by="pytest", not_before=earliest) as replay:
        with pytest.raises(ValueError):
            replay.at(earliest - dt.timedelta(days=1))
        with pytest.raises(ValueError):
            replay.at(timezone.now() + dt.timedelta(hours=1))
        # The database keeps to the earliest date too, whatever the application asks.
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            AppealEvent.objects.bulk_create(
                [_new_event(AppealEvent, logs, earliest - dt.timedelta(days=2))])
        AppealEvent.objects.bulk_create(
            [_new_event(AppealEvent, logs, earliest + dt.timedelta(days=2))])


def test_historical_loads_do_not_nest_and_need_a_reason(db):
    from banshi.appeals.clock import historical_load

    with pytest.raises(ValueError), historical_load(reason=" ", run_by="pytest",
                                                    not_before=timezone.now()):
        pass
    with historical_load(reason="外层", run_by="pytest", not_before=timezone.now()), \
            pytest.raises(RuntimeError), \
            historical_load(reason="内层", run_by="pytest", not_before=timezone.now()):
        pass


def test_the_record_of_historical_loads_cannot_be_removed_or_rewritten(db):
    from banshi.appeals.clock import historical_load
    from banshi.appeals.models import HistoricalLoad

    with historical_load(reason="测试", run_by="pytest", not_before=timezone.now()):
        pass
    load = HistoricalLoad.objects.get()
    table = connection.ops.quote_name(HistoricalLoad._meta.db_table)
    for sql, params in [(f"DELETE FROM {table}", []),  # noqa: S608
                        (f"UPDATE {table} SET reason = %s", ["篡改"]),  # noqa: S608
                        (f"UPDATE {table} SET finished_at = NULL", [])]:  # noqa: S608
        with pytest.raises(IntegrityError, match="audit record"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql, params)
    assert HistoricalLoad.objects.get().reason == load.reason == "测试"


@pytest.mark.django_db(transaction=True)
def test_an_open_permit_serves_only_its_own_transaction_on_postgresql(d):
    """A permit row committed open (by hand: historical_load never commits one) is the
    record of it; on PostgreSQL it permits nothing to any later transaction."""
    from banshi.appeals.models import HistoricalLoad

    appeal = dispatched(d)
    past = timezone.now() - dt.timedelta(days=3)
    HistoricalLoad.objects.create(reason="手工插入", run_by="pytest",
                                  not_before=past - dt.timedelta(days=1))
    event = _new_event(AppealEvent, {AppealEvent: appeal.events.first()}, past)
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            event.save()
    else:  # SQLite has no transaction id: the documented weaker guard (README) lets it by
        event.save()
        assert AppealEvent.objects.filter(pk=event.pk, at=past).exists()

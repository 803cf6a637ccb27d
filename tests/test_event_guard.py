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

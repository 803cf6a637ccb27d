"""历史补录: a deliberate, audited door for back-dated events (banshi.appeals.clock).

The event guard of migration 0004 refuses an event dated more than 5 minutes before the
database's clock. It now lets one through when an open HistoricalLoad row permits it: the row
is open (`finished_at` empty), the event is not older than its `not_before`, and, on
PostgreSQL, the row was opened in the same transaction (`xact`, set by the database from
`pg_current_xact_id()`, so a row left open by anyone cannot serve another transaction).
SQLite has one writer at a time and no transaction id: there, the open row is written and
closed inside the one transaction that uses it, so no other connection sees it open.

The permits are the audit record of every historical load: the database refuses deleting a
row and changing a closed one (TRUNCATE, which `flush` uses on PostgreSQL, stays possible, as
for the event logs).

This migration re-installs the back-dating triggers on both engines (SQLite drops a table's
triggers when a migration rebuilds the table; see 0004); a later migration that rebuilds an
event table must run INSTALL[vendor] again.
"""

from importlib import import_module

import django.utils.timezone
from django.db import migrations, models

guard = import_module("banshi.appeals.migrations.0004_append_only_events")

PERMITS = "appeals_historicalload"
TOLERANCE = guard.BACKDATE_TOLERANCE_MINUTES
MESSAGE = guard.MESSAGE

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION banshi_refuse_backdated_event() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.at < now() - interval '{TOLERANCE} minutes' AND NOT EXISTS (
            SELECT 1 FROM {PERMITS} permit
            WHERE permit.finished_at IS NULL AND NEW.at >= permit.not_before
              AND permit.xact = pg_current_xact_id()::text
        ) THEN
            RAISE EXCEPTION '{MESSAGE}: back-dated insert into % refused', TG_TABLE_NAME
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$;
    """,
    f"""
    CREATE OR REPLACE FUNCTION banshi_guard_historical_load() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            NEW.xact := pg_current_xact_id()::text;
            RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.finished_at IS NULL THEN
            NEW.xact := OLD.xact;
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'historical loads are the audit record: % refused', TG_OP
            USING ERRCODE = 'restrict_violation';
    END $$;
    """,
    f"CREATE TRIGGER {PERMITS}_guard BEFORE INSERT OR UPDATE OR DELETE ON {PERMITS} "
    f"FOR EACH ROW EXECUTE FUNCTION banshi_guard_historical_load();",
]
POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS {PERMITS}_guard ON {PERMITS};",
    "DROP FUNCTION IF EXISTS banshi_guard_historical_load();",
    *guard.POSTGRESQL_FUNCTIONS[1:],  # the guard as 0004 made it
]


def sqlite_event_trigger(table: str) -> str:
    backdated = (f"(julianday(NEW.at) IS NULL OR julianday(NEW.at) < "
                 f"julianday('now', '-{TOLERANCE} minutes'))")
    permitted = (f"EXISTS (SELECT 1 FROM {PERMITS} WHERE finished_at IS NULL "
                 f"AND julianday(NEW.at) >= julianday(not_before))")
    return (f"CREATE TRIGGER {table}_not_backdated BEFORE INSERT ON {table} "
            f"WHEN {backdated} AND NOT {permitted} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: back-dated insert into {table} refused'); "
            f"END;")


def sqlite_permit_triggers() -> dict[str, str]:
    """{trigger name: CREATE TRIGGER statement} guarding the permits themselves."""
    def refuse(what: str) -> str:
        return f"BEGIN SELECT RAISE(ABORT, 'historical loads are the audit record: {what}'); END;"

    return {
        f"{PERMITS}_no_delete": f"CREATE TRIGGER {PERMITS}_no_delete BEFORE DELETE ON "
                                f"{PERMITS} " + refuse("DELETE refused"),
        f"{PERMITS}_closed": f"CREATE TRIGGER {PERMITS}_closed BEFORE UPDATE ON {PERMITS} "
                             f"WHEN OLD.finished_at IS NOT NULL " + refuse("UPDATE refused"),
    }


SQLITE_INSTALL = (
    [f"DROP TRIGGER IF EXISTS {t}_not_backdated;" for t in guard.TABLES]
    + [sqlite_event_trigger(t) for t in guard.TABLES]
    + list(sqlite_permit_triggers().values())
)
SQLITE_REMOVE = (
    [f"DROP TRIGGER IF EXISTS {name};" for name in sqlite_permit_triggers()]
    + [f"DROP TRIGGER IF EXISTS {t}_not_backdated;" for t in guard.TABLES]
    + [guard.sqlite_triggers(t)[f"{t}_not_backdated"] for t in guard.TABLES]
)
INSTALL = {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL}
REMOVE = {"postgresql": POSTGRESQL_REMOVE, "sqlite": SQLITE_REMOVE}


class Migration(migrations.Migration):

    dependencies = [
        ("appeals", "0011_problem_leaders_and_supervision"),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalLoad",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("reason", models.CharField(max_length=200, verbose_name="原因")),
                ("run_by", models.CharField(max_length=200, verbose_name="执行人")),
                ("not_before", models.DateTimeField(verbose_name="最早事件时间")),
                ("started_at", models.DateTimeField(default=django.utils.timezone.now,
                                                    verbose_name="开始时间")),
                ("finished_at", models.DateTimeField(blank=True, null=True,
                                                     verbose_name="结束时间")),
                ("events", models.PositiveIntegerField(default=0, verbose_name="补录事件数")),
                ("xact", models.CharField(blank=True, editable=False, max_length=32,
                                          verbose_name="数据库事务号")),
            ],
            options={
                "verbose_name": "历史补录记录",
                "verbose_name_plural": "历史补录记录",
                "ordering": ["-started_at"],
            },
        ),
        # Reversing drops the table (CreateModel's reverse) after the triggers that use it.
        migrations.RunPython(guard._run(INSTALL), guard._run(REMOVE), elidable=False),
    ]

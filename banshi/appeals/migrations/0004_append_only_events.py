"""The event logs are append-only in the database, not only in the application.

Triggers on appeals_appealevent and appeals_problemevent refuse every UPDATE and DELETE,
and an INSERT whose `at` lies more than BACKDATE_TOLERANCE before the database's clock
(PostgreSQL: the transaction's start, `now()`; SQLite: the statement's time). Actions stamp
events with the current time, imports included (an imported appeal keeps its 收到时间 in
`collected_at`, not in events). The one exception is a deliberate, audited 历史补录 (the demo
district's timeline): migration 0012_historical_loads re-installs the back-dating guard so
that an open HistoricalLoad row of the same transaction permits it (banshi.appeals.clock).

Left possible on purpose: emptying a whole table with TRUNCATE on PostgreSQL (what
`flush` and the test runner do; the table owner can also drop a trigger). The tests re-create
the SQLite DELETE triggers around their flush (tests/conftest.py).

SQLite drops a table's triggers when a migration rebuilds that table (any AlterField on it):
such a migration must run INSTALL[vendor] again, then 0012_historical_loads.INSTALL[vendor]
(the guard as it is now); tests/test_event_guard.py fails otherwise.
"""

from django.db import migrations

TABLES = ("appeals_appealevent", "appeals_problemevent")
BACKDATE_TOLERANCE_MINUTES = 5
MESSAGE = "the event log is append-only"

POSTGRESQL_FUNCTIONS = [
    f"""
    CREATE OR REPLACE FUNCTION banshi_refuse_event_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END $$;
    """,
    f"""
    CREATE OR REPLACE FUNCTION banshi_refuse_backdated_event() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.at < now() - interval '{BACKDATE_TOLERANCE_MINUTES} minutes' THEN
            RAISE EXCEPTION '{MESSAGE}: back-dated insert into % refused', TG_TABLE_NAME
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$;
    """,
]


def postgresql_install(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION banshi_refuse_event_change();",
        f"CREATE TRIGGER {table}_not_backdated BEFORE INSERT ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION banshi_refuse_backdated_event();",
    ]


def sqlite_triggers(table: str) -> dict[str, str]:
    """{trigger name: CREATE TRIGGER statement} for one table."""
    def refuse(what: str) -> str:
        return f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {what} refused'); END;"

    backdated = (f"julianday(NEW.at) IS NULL OR julianday(NEW.at) < "
                 f"julianday('now', '-{BACKDATE_TOLERANCE_MINUTES} minutes')")
    return {
        f"{table}_no_update": f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                              + refuse(f"UPDATE on {table}"),
        f"{table}_no_delete": f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                              + refuse(f"DELETE on {table}"),
        f"{table}_not_backdated": f"CREATE TRIGGER {table}_not_backdated BEFORE INSERT ON "
                                  f"{table} WHEN {backdated} "
                                  + refuse(f"back-dated insert into {table}"),
    }


INSTALL = {
    "postgresql": POSTGRESQL_FUNCTIONS + [s for t in TABLES for s in postgresql_install(t)],
    "sqlite": [sql for t in TABLES for sql in sqlite_triggers(t).values()],
}
REMOVE = {
    "postgresql": [f"DROP TRIGGER IF EXISTS {t}_{kind} ON {t};" for t in TABLES
                   for kind in ("append_only", "not_backdated")]
    + ["DROP FUNCTION IF EXISTS banshi_refuse_event_change();",
       "DROP FUNCTION IF EXISTS banshi_refuse_backdated_event();"],
    "sqlite": [f"DROP TRIGGER IF EXISTS {name};" for t in TABLES for name in sqlite_triggers(t)],
}


def _run(statements: dict):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(f"append-only event triggers for {vendor}")
        for sql in statements[vendor]:
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("appeals", "0003_event_actions_without_classify"),
    ]

    operations = [
        migrations.RunPython(_run(INSTALL), _run(REMOVE), elidable=False),
    ]

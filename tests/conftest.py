import os
import shutil
from pathlib import Path

import pytest

from . import shared
from .factories import build_district
from .shared import STACK, layer

REQUIRE = os.environ.get("BANSHI_REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("BANSHI_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _tasks_run_now():
    """Background tasks (huey) run at once, in process, during tests."""
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_addoption(parser):
    parser.addoption("--db-only", action="store_true",
                     help="run only the tests that use the database (scripts/test's second "
                          "engine: the others do not depend on it)")


def pytest_collection_modifyitems(config, items):
    shared.put_db_marker_last(items)
    shared.group_by_layers(items)
    if config.getoption("--db-only"):
        config.hook.pytest_deselected(items=[i for i in items if not shared.uses_db(i)])
        items[:] = [item for item in items if shared.uses_db(item)]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    shared.before(item)


@pytest.fixture(scope="session")
def _layer_stack(django_db_setup, django_db_blocker, tmp_path_factory):
    """The shared layers (tests/shared.py), rolled back before the test database goes."""
    STACK.blocker, STACK.tmp_factory = django_db_blocker, tmp_path_factory
    yield STACK
    STACK.trim([])


@pytest.fixture(autouse=True)
def _with_layers(request):
    """Push the layers this test asks for, under its own transaction (tests/shared.py)."""
    item = request.node
    if not shared.uses_db(item) or shared.transactional(item):
        return
    wanted = STACK.wanted(item.fixturenames)
    if wanted:
        request.getfixturevalue("_layer_stack").push(wanted)


@layer()
def d():
    """The test district with its three kinds of people (built once, see tests/shared.py)."""
    return build_district()


@pytest.fixture
def output_dir(request) -> Path:
    root = Path(os.environ.get("BANSHI_TEST_OUTPUT", "test-output"))
    path = root / request.node.name
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"Debian's chromium not found at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE:
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture
def browser(chromium_path):
    """Headless Debian chromium driven by Playwright (never a downloaded browser)."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path,
            args=["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_event_guard():
    """Transactional tests end with Django's `flush`. On PostgreSQL it TRUNCATEs, which the
    event log's triggers allow; on SQLite it DELETEs every row, which they refuse. Around a
    flush of a SQLite database, drop the DELETE triggers (of the event logs, of the
    collection records' log and of the historical loads' record) and create them again."""
    from importlib import import_module

    from django.core.management.commands import flush
    from django.db import DEFAULT_DB_ALIAS, connections

    guard = import_module("banshi.appeals.migrations.0004_append_only_events")
    permits = import_module("banshi.appeals.migrations.0012_historical_loads")
    records = import_module("banshi.collection.migrations.0003_record_events")
    original = flush.Command.handle

    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            return original(self, **options)
        triggers = {f"{t}_no_delete": guard.sqlite_triggers(t)[f"{t}_no_delete"]
                    for t in (*guard.TABLES, records.TABLE)}
        triggers |= {name: sql for name, sql in permits.sqlite_permit_triggers().items()
                     if name.endswith("_no_delete")}
        with connection.cursor() as cursor:
            for name in triggers:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        try:
            return original(self, **options)
        finally:
            with connection.cursor() as cursor:
                for sql in triggers.values():
                    cursor.execute(sql)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original

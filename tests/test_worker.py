"""The background worker: the overdue sweep task, its schedule, and `banshi worker`."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from huey.contrib.djhuey import HUEY

from banshi.appeals import actions
from banshi.appeals.choices import Action, State
from banshi.appeals.management.commands.worker import Command as WorkerCommand
from banshi.appeals.models import AppealEvent, DeadlinePolicy
from banshi.appeals.tasks import sweep_overdue

from .factories import dispatched, submitted

TASK = "banshi.appeals.tasks.sweep_overdue"


def late_appeal(d):
    """A case whose response deadline has passed the moment it is dispatched."""
    DeadlinePolicy.objects.create(urgency="critical", response_hours=0, handling_days=1)
    return actions.dispatch(submitted(d), actor=d.dispatcher, unit=d.cgj, urgency="critical")


def overdue_events(appeal):
    return AppealEvent.objects.filter(appeal=appeal, action=Action.OVERDUE)


def test_sweep_marks_an_overdue_case_once(d):
    appeal = late_appeal(d)
    on_time = dispatched(d)
    assert sweep_overdue.call_local() == 1
    appeal.refresh_from_db()
    on_time.refresh_from_db()
    assert appeal.is_overdue and appeal.state == State.DISPATCHED
    assert not on_time.is_overdue
    assert sweep_overdue.call_local() == 0
    events = list(overdue_events(appeal))
    assert len(events) == 1
    assert events[0].actor is None and events[0].note == "超过响应期限未接单"
    assert not overdue_events(on_time).exists()


def test_sweep_runs_as_the_consumer_runs_it(d, transactional_db):
    """Through huey's own execute(), with its database-connection handling."""
    appeal = late_appeal(d)
    HUEY.execute(sweep_overdue.s())
    HUEY.execute(sweep_overdue.s())
    appeal.refresh_from_db()
    assert appeal.is_overdue
    assert overdue_events(appeal).count() == 1


def test_sweep_is_scheduled_every_few_minutes():
    def scheduled(minute: int) -> bool:
        at = dt.datetime(2026, 3, 2, 9, minute, tzinfo=dt.UTC)
        return any(isinstance(task, sweep_overdue.task_class)
                   for task in HUEY.read_periodic(at))

    step = settings.BANSHI_SWEEP_MINUTES
    assert scheduled(0) and scheduled(step)
    assert step == 1 or not scheduled(1)


def test_worker_command_hands_its_options_to_run_huey():
    command = WorkerCommand()
    options = vars(command.create_parser("banshi", "worker").parse_args([]))
    assert options["workers"] == settings.HUEY["consumer"]["workers"]
    consumer = command.consumer_options(options["workers"], options["worker_type"])
    assert consumer == {"workers": options["workers"], "worker_type": "thread", "periodic": True}


@pytest.mark.slow
def test_banshi_worker_starts_the_consumer_with_the_sweep(tmp_path):
    """Start the real `banshi worker` process, see it list the sweep, stop it with Ctrl-C."""
    env = os.environ | {"BANSHI_DATA_DIR": str(tmp_path), "BANSHI_WORKERS": "1"}
    env.pop("DATABASE_URL", None)
    env.pop("BANSHI_REDIS_URL", None)
    manage = [sys.executable, "-m", "banshi.manage"]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True,
                   capture_output=True, timeout=120)
    log = tmp_path / "worker.log"
    with open(log, "w") as out:
        worker = subprocess.Popen([*manage, "worker"], env=env, stdout=out, stderr=out)
        try:
            deadline = time.monotonic() + 60
            while TASK not in log.read_text() and time.monotonic() < deadline:
                assert worker.poll() is None, log.read_text()
                time.sleep(0.2)
            worker.send_signal(signal.SIGINT)
            assert worker.wait(timeout=30) == 0
        finally:
            if worker.poll() is None:
                worker.kill()
    text = log.read_text()
    assert f"+ {TASK}" in text and "Periodic tasks are enabled" in text
    assert "workers=1" in text and "Consumer exiting" in text
    assert text.count("Huey consumer started") == 1  # logged once, not twice

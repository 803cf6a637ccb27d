"""The time actions stamp on what they change: now, or, inside a historical load, the moment
being replayed.

Every action reads the time through `now()` / `localdate()`. Outside a historical load that
is `timezone.now()`. `historical_load` is the one deliberate, audited way to write events
dated in the past (the demo district's own timeline; an old ledger replayed through the real
actions): it opens a HistoricalLoad row (reason, who, earliest date) that the database's
event guard accepts as a permit, lets the caller move the clock (`Replay.at`) while the actions
run, and closes the row with the number of back-dated events written — all in one transaction.
Outside it, a back-dated event is refused by the database as before.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone

from .models import AppealEvent, HistoricalLoad, ProblemEvent

# The guard's tolerance for clocks drifting apart (migration appeals.0004).
BACKDATE_TOLERANCE = dt.timedelta(minutes=5)

_replayed: ContextVar[dt.datetime | None] = ContextVar("banshi_replayed_time", default=None)
_open_load: ContextVar[HistoricalLoad | None] = ContextVar("banshi_historical_load",
                                                           default=None)


def now() -> dt.datetime:
    """The moment an action records: the replayed moment inside a historical load."""
    return _replayed.get() or timezone.now()


def localdate() -> dt.date:
    return timezone.localdate(now())


def replaying() -> bool:
    return _replayed.get() is not None


class Replay:
    """The clock of one historical load."""

    def __init__(self, load: HistoricalLoad):
        self.load = load

    def at(self, moment: dt.datetime) -> dt.datetime:
        """Let the next actions happen at `moment` (between the load's `not_before` and now)."""
        if timezone.is_naive(moment):
            raise ValueError("a replayed moment needs a time zone")
        if moment < self.load.not_before:
            raise ValueError(f"{moment} is before the load's earliest date {self.load.not_before}")
        if moment > timezone.now():
            raise ValueError(f"{moment} is in the future: a historical load writes the past")
        _replayed.set(moment)
        return moment

    def present(self) -> None:
        """Back to the real time, still inside the load."""
        _replayed.set(None)


EVENT_MODELS: tuple[type[AppealEvent] | type[ProblemEvent], ...] = (AppealEvent, ProblemEvent)


def _last_ids() -> dict[type[AppealEvent] | type[ProblemEvent], int]:
    return {model: model._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
            for model in EVENT_MODELS}


@contextmanager
def historical_load(*, reason: str, run_by: str, not_before: dt.datetime) -> Iterator[Replay]:
    """Write past events through the real actions, in one transaction, on the record.

    `reason` and `run_by` (a person or a command and the account running it) are kept on the
    HistoricalLoad row with the number of back-dated events written; `not_before` bounds how
    far back they may go. Loads do not nest.
    """
    if not reason.strip() or not run_by.strip():
        raise ValueError("a historical load needs a reason and who runs it")
    if _open_load.get() is not None:
        raise RuntimeError("a historical load is already open")
    with transaction.atomic():
        before = _last_ids()
        load = HistoricalLoad.objects.create(reason=reason.strip()[:200],
                                             run_by=run_by.strip()[:200], not_before=not_before)
        load_token, time_token = _open_load.set(load), _replayed.set(None)
        try:
            yield Replay(load)
        finally:
            _replayed.reset(time_token)
            _open_load.reset(load_token)
        load.finished_at = timezone.now()
        cutoff = load.started_at - BACKDATE_TOLERANCE
        load.events = sum(model._base_manager.filter(pk__gt=last, at__lt=cutoff).count()
                          for model, last in before.items())
        load.save(update_fields=["finished_at", "events"])

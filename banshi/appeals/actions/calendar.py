"""期限重算: when a year's statutory calendar is entered or corrected, the open handling
deadlines counted over that year are counted again from where their clock started."""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from .. import clock, deadlines
from ..choices import HANDLING_STATES, Action, ExtensionStatus
from ..models import Appeal
from .base import locked, record
from .workflow import policy_for


def handling_clock(appeal: Appeal) -> tuple[dt.datetime, int] | None:
    """(start, working days) of the running handling clock, as the actions set it: the
    dispatch, or the latest reopening after it (重新办理 restarts the count), with the
    policy's days plus every extension approved since. None without a clock."""
    if appeal.dispatched_at is None:
        return None
    start: dt.datetime = appeal.dispatched_at
    reopened = (appeal.events.filter(action=Action.REOPEN, at__gt=start)
                .order_by("-at").values_list("at", flat=True).first())
    if reopened is not None:
        start = reopened
    extended = (appeal.extension_requests
                .filter(status=ExtensionStatus.APPROVED, decided_at__gte=start)
                .aggregate(days=Sum("days"))["days"]) or 0
    return start, policy_for(appeal)[1] + int(extended)


def _span(years: list[int]) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    first = dt.datetime(years[0], 1, 1, tzinfo=tz)
    return first, dt.datetime(years[-1] + 1, 1, 1, tzinfo=tz)


def recompute_deadlines(years: Iterable[int], *, actor: User | None,
                        label: str | None = None) -> list[str]:
    """Count again the handling deadline of every case in handling whose count runs over one
    of `years`; each change (date or 按工作日估算) is an event. Returns the numbers changed."""
    wanted = sorted(set(years))
    if not wanted:
        return []
    first, after = _span(wanted)
    candidates = (Appeal.objects.filter(state__in=HANDLING_STATES, handling_due_at__gte=first,
                                        dispatched_at__lt=after)
                  .order_by("id").values_list("pk", flat=True))
    changed: list[str] = []
    with transaction.atomic():
        calendar = deadlines.Calendar()  # the rows as entered now, read once for the run
        for pk in list(candidates):
            appeal = locked(Appeal(pk=pk))
            if _recompute(appeal, calendar, wanted, actor=actor, label=label):
                changed.append(appeal.number)
    return changed


def _recompute(appeal: Appeal, calendar: deadlines.Calendar, years: list[int], *,
               actor: User | None, label: str | None) -> bool:
    start = handling_clock(appeal)
    old = appeal.handling_due_at
    if start is None or old is None or appeal.state not in HANDLING_STATES:
        return False
    new = deadlines.handling_deadline(*start, calendar)
    if (new.due, new.estimated) == (old, appeal.deadline_estimated):
        return False
    appeal.handling_due_at, appeal.deadline_estimated = new
    if new.due > clock.now():
        appeal.is_overdue = False  # the sweep flags it again if the new date passes
    appeal.save(update_fields=["handling_due_at", "deadline_estimated", "is_overdue"])
    record(appeal, Action.DEADLINE_RECOMPUTE, actor=actor, label=label,
           from_state=appeal.state, unit=appeal.unit, note=_note(years, old, new),
           data={"years": years, "from": timezone.localtime(old).isoformat(),
                 "to": timezone.localtime(new.due).isoformat(),
                 "estimated": new.estimated})
    return True


def _note(years: list[int], old: dt.datetime, new: deadlines.Deadline) -> str:
    basis = "、".join(str(year) for year in years) + "年法定节假日安排"
    before, after = (f"{timezone.localtime(when):%Y-%m-%d}" for when in (old, new.due))
    text = (f"按{basis}重算办理期限：{before} → {after}" if before != after
            else f"按{basis}核对办理期限，仍为{after}")
    return text + ("(仍按工作日估算)" if new.estimated else "")

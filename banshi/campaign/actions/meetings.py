"""Campaign meetings (动员大会, 推进会, 协调会, 周例会, 月度会议, 专题学习): record one, change
it, add its decisions (议定事项), make a decision a task. Recorded by those who may record for
the meeting's unit (`permissions.may_record_for`)."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from banshi.appeals.errors import InvalidInput
from banshi.org.models import Unit

from ...collection.choices import RecordAction
from ..choices import ActionKind, MeetingKind
from ..models import Decision, Meeting, OrgMember, Task
from .common import changed_fields, check_recording, day, optional_text, record_event, require_text
from .tasks import issue_task

TITLE_MAX = 200
PLACE_MAX = 200
CHAIR_MAX = 100
ATTENDEES_MAX = 10_000
MINUTES_MAX = 50_000
DECISION_MAX = 2_000
ATTENDEE_COUNT_MAX = 100_000


def _fields(*, kind: str, held_on: dt.date | None, title: str, place: str, chair: str,
            attendees: str, attendee_count: int, minutes: str) -> dict[str, Any]:
    if kind not in MeetingKind.values:
        raise InvalidInput(f"未知的会议类型：{kind}", "kind")
    if not 0 <= attendee_count <= ATTENDEE_COUNT_MAX:
        raise InvalidInput(f"参会人数须在0至{ATTENDEE_COUNT_MAX}之间", "attendee_count")
    return {
        "kind": kind, "held_on": day(held_on, "held_on", "召开日期"),
        "title": require_text(title, "title", "会议名称", TITLE_MAX),
        "place": optional_text(place, "place", "地点", PLACE_MAX),
        "chair": optional_text(chair, "chair", "主持人", CHAIR_MAX),
        "attendees": optional_text(attendees, "attendees", "参会人员", ATTENDEES_MAX),
        "attendee_count": attendee_count,
        "minutes": optional_text(minutes, "minutes", "会议纪要", MINUTES_MAX),
    }


def create_meeting(*, actor: User, unit: Unit | None, kind: str, held_on: dt.date | None,
                   title: str, place: str = "", chair: str = "", attendees: str = "",
                   attendee_count: int = 0, minutes: str = "") -> Meeting:
    """Record a meeting held by `unit` (the actor must be allowed to record for it)."""
    unit = check_recording(actor, unit)
    values = _fields(kind=kind, held_on=held_on, title=title, place=place, chair=chair,
                     attendees=attendees, attendee_count=attendee_count, minutes=minutes)
    with transaction.atomic():
        meeting = Meeting.objects.create(unit=unit, created_by=actor, **values)
        record_event(meeting, RecordAction.CREATE, actor=actor)
    return meeting


def update_meeting(meeting: Meeting, *, actor: User, unit: Unit | None, kind: str,
                   held_on: dt.date | None, title: str, place: str = "", chair: str = "",
                   attendees: str = "", attendee_count: int = 0,
                   minutes: str = "") -> Meeting:
    check_recording(actor, meeting.unit)
    values = _fields(kind=kind, held_on=held_on, title=title, place=place, chair=chair,
                     attendees=attendees, attendee_count=attendee_count, minutes=minutes)
    values["unit"] = check_recording(actor, unit)
    with transaction.atomic():
        changed = changed_fields(meeting, values)
        Meeting.objects.filter(pk=meeting.pk).update(**values)
        meeting.refresh_from_db()
        record_event(meeting, RecordAction.UPDATE, actor=actor, data={"fields": changed})
    return meeting


def add_decision(meeting: Meeting, *, actor: User, text: str) -> Decision:
    """Add a decision (议定事项) to the meeting, numbered after the others."""
    check_recording(actor, meeting.unit)
    body = require_text(text, "text", "议定事项", DECISION_MAX)
    with transaction.atomic():
        last = meeting.decisions.aggregate(n=Max("order"))["n"] or 0
        decision = Decision.objects.create(meeting=meeting, text=body, order=last + 1)
        record_event(meeting, RecordAction.ADD_DECISION, actor=actor,
                     data={"decision": decision.pk, "decisions": meeting.decisions.count()})
    return decision


def decision_to_task(decision: Decision, *, actor: User, assignees: Iterable[Unit],
                     due_on: dt.date | None, title: str = "", description: str = "",
                     kind: str = ActionKind.REQUIRED, owner: OrgMember | None = None,
                     issued_on: dt.date | None = None) -> Task:
    """Make a decision a task issued by the meeting's unit on the meeting's day unless told
    (title: the decision's text unless given), linked to it; the meeting's log says so."""
    meeting = decision.meeting
    check_recording(actor, meeting.unit)
    with transaction.atomic():
        task = issue_task(
            actor=actor, unit=meeting.unit, title=title or decision.text[:TITLE_MAX],
            description=description or decision.text, due_on=due_on, assignees=assignees,
            kind=kind, owner=owner, decision=decision,
            issued_on=issued_on or meeting.held_on)
        record_event(meeting, RecordAction.DECISION_TO_TASK, actor=actor,
                     data={"decision": decision.pk, "task": task.pk})
    return task

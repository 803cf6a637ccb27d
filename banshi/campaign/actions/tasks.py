"""Work tasks (工作任务): issue one to units with a deadline (from a meeting's decision or on
its own), each receiving unit reports progress on its assignment and completes it, the issuer
reopens it. Rights: `permissions.may_issue_task` and `may_handle_assignment`."""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction

from banshi.appeals import clock
from banshi.appeals.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from banshi.org.models import Unit

from ...collection.choices import RecordAction
from .. import permissions
from ..choices import ActionKind, AssignmentStatus
from ..models import Decision, OrgMember, Task, TaskAssignment, TaskReport
from .common import day, optional_text, record_event, require_text

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
REPORT_MAX = 5_000
NOTE_MAX = 1_000
ASSIGNEES_MAX = 200


def _assignees(units: Iterable[Unit]) -> list[Unit]:
    chosen = list(dict.fromkeys(units))
    if not chosen:
        raise InvalidInput("请选择承办单位", "assignees")
    if len(chosen) > ASSIGNEES_MAX:
        raise InvalidInput(f"承办单位不能超过{ASSIGNEES_MAX}个", "assignees")
    return chosen


def issue_task(*, actor: User, unit: Unit | None, title: str, due_on: dt.date | None,
               assignees: Iterable[Unit], description: str = "",
               kind: str = ActionKind.REQUIRED, issued_on: dt.date | None = None,
               owner: OrgMember | None = None, decision: Decision | None = None) -> Task:
    """Issue a task from `unit` to `assignees` (one assignment each)."""
    if unit is None:
        raise InvalidInput("请选择下达单位", "unit_code")
    units = _assignees(assignees)
    if not permissions.may_issue_task(actor, unit, units):
        raise NotPermitted(f"无权以“{unit.name}”向所选单位下达任务", "assignees")
    if kind not in ActionKind.values:
        raise InvalidInput(f"未知的任务性质：{kind}", "kind")
    issued = day(issued_on or clock.now().date(), "issued_on", "下达日期")
    due = day(due_on, "due_on", "完成时限")
    if due < issued:
        raise InvalidInput("完成时限不能早于下达日期", "due_on")
    if decision is not None and Task.objects.filter(decision=decision).exists():
        raise TransitionNotAllowed("该议定事项已转为任务", "decision")
    with transaction.atomic():
        task = Task.objects.create(
            unit=unit, created_by=actor, title=require_text(title, "title", "任务", TITLE_MAX),
            description=optional_text(description, "description", "任务要求", DESCRIPTION_MAX),
            kind=kind, issued_on=issued, due_on=due, owner=owner, decision=decision)
        TaskAssignment.objects.bulk_create(TaskAssignment(task=task, unit=u) for u in units)
        record_event(task, RecordAction.CREATE, actor=actor)
        record_event(task, RecordAction.ASSIGN, actor=actor,
                     data={"units": [u.code for u in units]})
    return task


def _check_handler(actor: User, assignment: TaskAssignment) -> None:
    if not permissions.may_handle_assignment(actor, assignment.unit):
        raise NotPermitted(f"只有“{assignment.unit.name}”可以办理本单位的任务", "unit_code")


def report_progress(assignment: TaskAssignment, *, actor: User, text: str) -> TaskReport:
    """The assigned unit reports how far it has got."""
    _check_handler(actor, assignment)
    body = require_text(text, "text", "进展情况", REPORT_MAX)
    with transaction.atomic():
        report = TaskReport.objects.create(assignment=assignment, text=body,
                                           reported_by=actor)
        record_event(assignment.task, RecordAction.REPORT_PROGRESS, actor=actor,
                     data={"unit": assignment.unit.code, "reports": assignment.reports.count()})
    return report


def complete_assignment(assignment: TaskAssignment, *, actor: User,
                        on: dt.date | None = None, note: str = "") -> TaskAssignment:
    """The assigned unit (or the office) marks its part done."""
    _check_handler(actor, assignment)
    if assignment.status == AssignmentStatus.DONE:
        raise TransitionNotAllowed("该单位的任务已完成", "status")
    done_on = day(on or clock.now().date(), "completed_on", "完成日期")
    text = optional_text(note, "note", "完成情况", NOTE_MAX)
    with transaction.atomic():
        TaskAssignment.objects.filter(pk=assignment.pk).update(
            status=AssignmentStatus.DONE, completed_on=done_on)
        assignment.refresh_from_db()
        if text:
            TaskReport.objects.create(assignment=assignment, text=text, reported_by=actor)
        record_event(assignment.task, RecordAction.COMPLETE, actor=actor,
                     data={"unit": assignment.unit.code})
    return assignment


def reopen_assignment(assignment: TaskAssignment, *, actor: User,
                      reason: str) -> TaskAssignment:
    """The issuing unit (or the office) reopens a completed assignment, with a reason."""
    if not permissions.may_record_for(actor, assignment.task.unit):
        raise NotPermitted("只有下达单位可以重新打开任务", "reason")
    if assignment.status != AssignmentStatus.DONE:
        raise TransitionNotAllowed("该单位的任务尚未完成", "status")
    why = require_text(reason, "reason", "重新打开原因", NOTE_MAX)
    with transaction.atomic():
        TaskAssignment.objects.filter(pk=assignment.pk).update(
            status=AssignmentStatus.OPEN, completed_on=None)
        assignment.refresh_from_db()
        record_event(assignment.task, RecordAction.REOPEN, actor=actor, note=why,
                     data={"unit": assignment.unit.code})
    return assignment

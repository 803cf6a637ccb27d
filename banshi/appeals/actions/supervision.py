"""督办: deadlines, extensions, overdue sweeps and leaders' supervision orders."""

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction

from .. import clock, deadlines
from ..choices import HANDLING_STATES, Action, ExtensionStatus
from ..limits import ANSWER_MAX, NOTE_MAX
from ..models import Appeal, ExtensionRequest, Supervision
from ..models.appeal import late_delegation
from ..transitions import APPEAL
from ..validators import date_problem
from .base import InvalidInput, locked, record, require_text

MAX_EXTENSION_DAYS = 30


def request_extension(appeal: Appeal, *, actor: User, days: int, reason: str) -> ExtensionRequest:
    """申请延期: the unit asks for more working days; the dispatcher decides."""
    reason = require_text(reason, "reason", "延期理由", NOTE_MAX)
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise InvalidInput(f"延期天数须为1到{MAX_EXTENSION_DAYS}个工作日", "days")
    with transaction.atomic():
        appeal = locked(appeal)
        APPEAL.check("extend", actor, appeal)
        request = ExtensionRequest.objects.create(
            appeal=appeal, days=days, reason=reason, requested_by=actor,
            requested_at=clock.now())
        record(appeal, Action.EXTEND_REQUEST, actor=actor, from_state=appeal.state,
               unit=appeal.unit, note=f"申请延期{days}个工作日：{reason}",
               data={"request": request.pk, "days": days})
    return request


def decide_extension(appeal: Appeal, *, actor: User, approve: bool, note: str = "") -> Appeal:
    """延期审批: approving moves the handling deadline by the requested working days."""
    with transaction.atomic():
        appeal = locked(appeal)
        APPEAL.check("decide_extension", actor, appeal)
        request = appeal.extension_requests.select_for_update().get(
            status=ExtensionStatus.PENDING)
        request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
        request.decided_by, request.decided_at = actor, clock.now()
        request.save()
        if approve and appeal.handling_due_at:
            extended = deadlines.extended_deadline(appeal.handling_due_at, request.days)
            appeal.handling_due_at = extended.due
            appeal.deadline_estimated = appeal.deadline_estimated or extended.estimated
            if appeal.handling_due_at > clock.now() and appeal.state in HANDLING_STATES:
                appeal.is_overdue = False
            appeal.save()
        verdict = f"同意延期{request.days}个工作日" if approve else "不同意延期"
        record(appeal, Action.EXTEND_DECISION, actor=actor, from_state=appeal.state,
               unit=appeal.unit, note=verdict + (f"：{note.strip()}" if note else ""),
               data={"request": request.pk, "approved": approve,
                     "handling_due_at": appeal.handling_due_at.isoformat()
                     if appeal.handling_due_at else None})
    return appeal


def clean_order(instruction: str, due_date: dt.date) -> str:
    """A 督办 order's instruction (cleaned) and due date (today or later, a real date), on an
    appeal or a shared problem."""
    instruction = require_text(instruction, "instruction", "督办要求", NOTE_MAX)
    if not isinstance(due_date, dt.date) or due_date < clock.localdate():
        raise InvalidInput("督办期限不能早于今天", "due_date")
    if problem := date_problem(due_date):
        raise InvalidInput(f"督办期限{problem}", "due_date")
    return instruction


def supervise(appeal: Appeal, *, actor: User, instruction: str, due_date: dt.date) -> Supervision:
    """督办: a leader's instruction with its own due date, shown to the unit until answered."""
    APPEAL.check_right("supervise", actor, appeal)
    instruction = clean_order(instruction, due_date)
    with transaction.atomic():
        appeal = locked(appeal)
        APPEAL.check("supervise", actor, appeal)
        order = Supervision.objects.create(
            appeal=appeal, instruction=instruction, due_date=due_date, issued_by=actor,
            issued_at=clock.now())
        record(appeal, Action.SUPERVISE, actor=actor, from_state=appeal.state, unit=appeal.unit,
               note=f"{instruction}(期限{due_date:%Y-%m-%d})",
               data={"supervision": order.pk, "due_date": due_date.isoformat()})
    return order


def answer_supervision(appeal: Appeal, *, actor: User, answer: str) -> Supervision:
    """督办反馈: the handling unit answers the oldest open order."""
    answer = require_text(answer, "answer", "督办反馈", ANSWER_MAX)
    with transaction.atomic():
        appeal = locked(appeal)
        APPEAL.check("answer_supervision", actor, appeal)
        order = appeal.open_supervisions().select_for_update().first()
        assert order is not None, "the guard refuses an appeal without an open order"
        order.answer, order.answered_by, order.answered_at = answer, actor, clock.now()
        order.save()
        record(appeal, Action.SUPERVISION_ANSWER, actor=actor, from_state=appeal.state,
               unit=appeal.unit, note=answer, data={"supervision": order.pk})
    return order


def mark_overdue(now: dt.datetime | None = None, batch: int = 500) -> int:
    """Flag open cases past a deadline; each row is claimed once by a conditional update,
    so two workers never both write its event. Returns how many were marked."""
    now = now or clock.now()
    marked = 0
    candidates = Appeal.objects.overdue_candidates(now).values_list("pk", flat=True)[:batch]
    for pk in list(candidates):
        with transaction.atomic():
            if not Appeal.objects.filter(pk=pk, is_overdue=False).update(is_overdue=True):
                continue
            appeal = Appeal.objects.select_related("unit").get(pk=pk)
            record(appeal, Action.OVERDUE, actor=None, label="系统", from_state=appeal.state,
                   unit=appeal.unit, note=_overdue_note(appeal, now))
            marked += 1
    return marked


def _overdue_note(appeal: Appeal, now: dt.datetime) -> str:
    """Which deadline the case missed: handling, the 转派 due date, or the response."""
    if appeal.handling_due_at and appeal.handling_due_at < now:
        return "超过办理期限未办结"
    if Appeal.objects.filter(pk=appeal.pk).filter(late_delegation(now)).exists():
        return "超过转派办理期限未办结"
    return "超过响应期限未接单"

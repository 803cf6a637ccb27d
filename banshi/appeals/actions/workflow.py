"""点单 → 接单 → 办结: the appeal's main path, one atomic function per transition."""

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction

from banshi.org.models import Unit

from .. import clock, deadlines
from ..choices import Action, ExtensionStatus, PhotoKind, Rating, Solved, State, TriageSource
from ..limits import NOTE_MAX, REPLY_MAX
from ..models import Appeal, Aspect, Category, DeadlinePolicy
from ..photos import Photo, check_photos, photo_transaction, save_photos
from ..public import ANSWER_PHOTOS, answer_photo_ids
from ..transitions import APPEAL
from .base import (
    EventData,
    InvalidInput,
    NotPermitted,
    TransitionNotAllowed,
    locked,
    optional_text,
    record,
    require_text,
)

DEFAULT_RESPONSE_HOURS, DEFAULT_HANDLING_DAYS = 24, 15


def policy_for(appeal: Appeal) -> tuple[int, int]:
    """(response hours, handling working days) for the appeal's category and urgency."""
    policies = DeadlinePolicy.objects.filter(urgency=appeal.urgency)
    if appeal.category is not None:
        specific = policies.filter(category=appeal.category.root).first()
        if specific:
            return specific.response_hours, specific.handling_days
    default = policies.filter(category__isnull=True).first()
    if default:
        return default.response_hours, default.handling_days
    return DEFAULT_RESPONSE_HOURS, DEFAULT_HANDLING_DAYS


def _start_clock(appeal: Appeal, now: dt.datetime) -> None:
    hours, days = policy_for(appeal)
    appeal.dispatched_at = now
    appeal.response_due_at = deadlines.response_due(now, hours)
    appeal.handling_due_at, appeal.deadline_estimated = deadlines.handling_deadline(now, days)
    appeal.is_overdue = False  # a fresh clock; the sweep flags it again when this one runs out


def dispatch(appeal: Appeal, *, actor: User, unit: Unit | None,
             category: Category | None = None, aspect: Aspect | None = None,
             urgency: str | None = None, note: str = "", label: str | None = None) -> Appeal:
    """派单: send the appeal to a unit, setting its category, aspect and deadlines."""
    return _dispatch(appeal, unit=unit, actor=actor, label=label, category=category,
                     aspect=aspect, urgency=urgency, note=note)


def _dispatch(appeal: Appeal, *, unit: Unit | None, actor: User | None,
              label: str | None = None, category: Category | None = None,
              aspect: Aspect | None = None, urgency: str | None = None, note: str = "",
              data: EventData | None = None, source: str = TriageSource.HUMAN,
              transition: str = "dispatch") -> Appeal:
    """The dispatch itself, for a person (`dispatch`) or the platform (`auto_dispatch` in
    banshi.appeals.learning.triage); `data` is added to the event's data."""
    if unit is None:
        raise InvalidInput("请选择承办单位", "unit_code")
    if not unit.is_active:
        raise InvalidInput(f"承办单位“{unit.name}”已停用", "unit_code")
    with transaction.atomic():
        appeal = locked(appeal)
        APPEAL.check(transition, actor, appeal)
        before = appeal.state
        appeal.category = category or appeal.category
        appeal.triage_source = source
        appeal.aspect = aspect or appeal.aspect
        appeal.urgency = urgency or appeal.urgency
        appeal.unit = unit
        appeal.delegated_by, appeal.delegation_due = None, None
        appeal.state = State.DISPATCHED
        _start_clock(appeal, clock.now())
        appeal.save()
        text = f"派至{unit.name}({unit.level_label})" + (f"：{note.strip()}" if note else "")
        record(appeal, Action.DISPATCH, actor=actor, from_state=before, unit=unit, note=text,
               label=label,
               data={"category": appeal.category.code if appeal.category else None,
                     "aspect": appeal.aspect.code if appeal.aspect else None, **(data or {})})
    return appeal


def accept(appeal: Appeal, *, actor: User, note: str = "") -> Appeal:
    """接单: the unit takes the case; the response clock stops."""
    with transaction.atomic():
        appeal = locked(appeal)
        APPEAL.check("accept", actor, appeal)
        appeal.state = State.IN_PROGRESS
        if appeal.delegated_by_id is None:  # a sub-unit's 接单 is not the case's response
            appeal.accepted_at = clock.now()
        appeal.save()
        record(appeal, Action.ACCEPT, actor=actor, from_state=State.DISPATCHED,
               unit=appeal.unit, note=note.strip())
    return appeal


def return_(appeal: Appeal, *, actor: User, reason: str) -> Appeal:
    """退单: the unit hands the case back with a reason: to the dispatcher, or, when the
    case was delegated to it, to the unit that delegated it (which keeps handling it)."""
    reason = require_text(reason, "reason", "退单理由", NOTE_MAX)
    with transaction.atomic():
        appeal = locked(appeal)
        APPEAL.check("return", actor, appeal)
        before, unit = appeal.state, appeal.unit
        if appeal.delegated_by is not None:
            return _return_up(appeal, actor=actor, reason=reason)
        appeal.state = State.RETURNED
        appeal.unit = None
        appeal.accepted_at = None
        appeal.response_due_at = appeal.handling_due_at = None
        appeal.deadline_estimated = False
        appeal.save()
        # The unit's own extension request goes with it; the next unit asks afresh.
        appeal.extension_requests.filter(status=ExtensionStatus.PENDING).update(
            status=ExtensionStatus.REJECTED, decided_at=clock.now())
        record(appeal, Action.RETURN, actor=actor, from_state=before, unit=unit, note=reason)
    return appeal


def _return_up(appeal: Appeal, *, actor: User, reason: str) -> Appeal:
    """A sub-unit's 退单 of a delegated case: back in progress at the delegating unit, which
    had accepted it; the sub-unit's pending extension request goes with it."""
    before, unit, holder = appeal.state, appeal.unit, appeal.delegated_by
    assert holder is not None
    appeal.state = State.IN_PROGRESS
    appeal.unit, appeal.delegated_by, appeal.delegation_due = holder, None, None
    appeal.save()
    appeal.extension_requests.filter(status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.REJECTED, decided_at=clock.now())
    record(appeal, Action.RETURN, actor=actor, from_state=before, unit=unit,
           note=f"退回{holder.name}：{reason}", data={"to": holder.code})
    return appeal


def escalate(appeal: Appeal, *, actor: User, note: str) -> Appeal:
    """上报: the case moves to the unit one level up, which must accept it anew."""
    note = require_text(note, "note", "上报说明", NOTE_MAX)
    with transaction.atomic():
        appeal = locked(appeal)
        APPEAL.check("escalate", actor, appeal)
        parent = appeal.unit.parent if appeal.unit else None
        assert parent is not None, "a handling appeal has a unit; the guard refuses a top one"
        before = appeal.state
        appeal.unit = parent
        appeal.delegated_by, appeal.delegation_due = None, None
        appeal.state = State.DISPATCHED
        appeal.accepted_at = None
        # The receiving unit gets its own response period; the handling deadline stays.
        appeal.response_due_at = deadlines.response_due(clock.now(), policy_for(appeal)[0])
        appeal.save()
        record(appeal, Action.ESCALATE, actor=actor, from_state=before, unit=parent,
               note=f"上报至{parent.name}：{note}")
    return appeal


def resolve(appeal: Appeal, *, actor: User, reply: str, photos: Sequence[Photo] = ()) -> Appeal:
    """答复: the unit has dealt with the case and answers the resident, with photos if it
    likes — through the unit that delegated it, when that unit reviews its sub-units'
    answers (审核): then the answer and its photos reach the resident on approval."""
    reply = require_text(reply, "reply", "答复内容", REPLY_MAX)
    checked = check_photos(photos)
    with photo_transaction():
        appeal = locked(appeal)
        APPEAL.check("resolve", actor, appeal)
        reviewer = appeal.delegated_by
        appeal.reply = reply
        if reviewer is not None and reviewer.review_delegated_answers:
            appeal.state = State.PENDING_REVIEW
            appeal.save()
            event = record(appeal, Action.RESOLVE, actor=actor, from_state=State.IN_PROGRESS,
                           unit=appeal.unit, note=reply,
                           data={"review_by": reviewer.code, "photos": len(checked)})
            save_photos(appeal, checked, kind=PhotoKind.ANSWER, event=event, public=False)
            return appeal
        appeal.state = State.RESOLVED
        appeal.resolved_at = clock.now()
        appeal.save()
        event = record(appeal, Action.RESOLVE, actor=actor, from_state=State.IN_PROGRESS,
                       unit=appeal.unit, note=reply, data={"photos": len(checked)})
        save_photos(appeal, checked, kind=PhotoKind.ANSWER, event=event, public=True)
        # Appeals merged into this one get the same reply, each with its own event.
        answer_merged(appeal, actor=actor, reply=reply, unit=appeal.unit, now=appeal.resolved_at)
    return appeal


SOLVED_MESSAGE = "请选择问题是否解决：解决、部分解决或未解决"
RATING_MESSAGE = "评价须为满意、基本满意或不满意"


def _answers(solved: str, rating: str) -> str:
    """The two answers checked (the field named when one is missing or unknown); the note."""
    if solved not in Solved.values:
        raise InvalidInput(SOLVED_MESSAGE, "solved")
    if rating not in Rating.values:
        raise InvalidInput(RATING_MESSAGE, "rating")
    return f"{Solved(solved).label}，{Rating(rating).label}"


def record_feedback(appeal: Appeal, *, rating: str, solved: str = "", comment: str = "",
                    actor: User | None = None, query_code: str | None = None) -> Appeal:
    """回访评价 by the resident (with the query code) or recorded for them by the dispatcher:
    two answers, 问题是否解决 (`solved`) and 满意度 (`rating`), both required.

    满意/基本满意 close the case; 不满意 reopens it for the same unit.
    """
    label = _answers(solved, rating)
    comment = optional_text(comment, "comment", "评价意见", NOTE_MAX)
    if actor is None and not appeal.check_query_code(query_code or ""):
        raise NotPermitted("查询码不正确")
    with transaction.atomic():
        appeal = locked(appeal)
        if actor is None:  # the resident, proven by the query code
            APPEAL.check_state("feedback", appeal)
        else:
            APPEAL.check("feedback", actor, appeal)
        appeal.rating, appeal.solved, appeal.rating_comment = rating, solved, comment
        note = f"{label}：{comment}" if comment else label
        data = {"rating": rating, "solved": solved}
        if rating == Rating.UNSATISFIED:
            appeal.save()
            record(appeal, Action.FEEDBACK, actor=actor, from_state=State.RESOLVED,
                   note=note, data=data)
            return _reopen(appeal, actor=actor, note="群众不满意，重新办理")
        appeal.state = State.CLOSED
        appeal.closed_at = clock.now()
        appeal.save()
        record(appeal, Action.FEEDBACK, actor=actor, from_state=State.RESOLVED,
               note=note, data=data)
    return appeal


def call_back(appeal: Appeal, *, actor: User, solved: str, rating: str,
              note: str = "") -> Appeal:
    """电话回访: the dispatcher called the resident after the answer and records their two
    answers. No state change (the resident's own 评价 closes or reopens the case); the
    answers are kept on the appeal (the last call-back's) and in an event. The metrics use
    the resident's own answers and these only where the resident gave none."""
    label = _answers(solved, rating)
    note = optional_text(note, "note", "回访记录", NOTE_MAX)
    with transaction.atomic():
        appeal = locked(appeal)
        APPEAL.check("call_back", actor, appeal)
        appeal.callback_solved, appeal.callback_rating = solved, rating
        appeal.callback_at = clock.now()
        appeal.save()
        record(appeal, Action.CALL_BACK, actor=actor, from_state=appeal.state,
               unit=appeal.unit, note=f"{label}：{note}" if note else label,
               data={"rating": rating, "solved": solved})
    return appeal


def _reopen(appeal: Appeal, *, actor: User | None, note: str) -> Appeal:
    before = appeal.state
    appeal.state = State.IN_PROGRESS
    appeal.reopen_count += 1
    appeal.resolved_at = appeal.closed_at = None
    _, days = policy_for(appeal)
    appeal.handling_due_at, appeal.deadline_estimated = deadlines.handling_deadline(
        clock.now(), days)
    appeal.is_overdue = False
    appeal.save()
    record(appeal, Action.REOPEN, actor=actor, from_state=before, unit=appeal.unit, note=note)
    return appeal


def reopen(appeal: Appeal, *, actor: User, note: str = "") -> Appeal:
    """重新办理: the dispatcher sends a resolved or closed case back to its unit."""
    with transaction.atomic():
        appeal = locked(appeal)
        APPEAL.check("reopen", actor, appeal)
        return _reopen(appeal, actor=actor, note=note.strip() or "重新办理")


def invalidate(appeal: Appeal, *, actor: User, reason: str) -> Appeal:
    """作废: spam, out of scope or a duplicate; kept in the ledger as 无效."""
    reason = require_text(reason, "reason", "作废理由", NOTE_MAX)
    with transaction.atomic():
        appeal = locked(appeal)
        APPEAL.check("invalidate", actor, appeal)
        before = appeal.state
        appeal.state = State.INVALID
        appeal.closed_at = clock.now()
        appeal.save()
        record(appeal, Action.INVALIDATE, actor=actor, from_state=before, note=reason)
    return appeal


def merge(appeal: Appeal, *, actor: User, into: Appeal, note: str = "") -> Appeal:
    """合并: a duplicate follows another appeal; it is answered when that one is."""
    if into.pk == appeal.pk:
        raise InvalidInput("不能合并到自身", "into")
    with transaction.atomic():
        appeal = locked(appeal)
        APPEAL.check("merge", actor, appeal)
        into = locked(into)  # its state now, not that of the object passed in
        if into.state in {State.MERGED, State.INVALID}:
            raise TransitionNotAllowed(
                f"诉求{into.number}已{into.get_state_display()}，不能作为合并目标"
            )
        before = appeal.state
        appeal.state = State.MERGED
        appeal.merged_into = into
        appeal.save()
        record(appeal, Action.MERGE, actor=actor, from_state=before,
               note=f"合并至{into.number}" + (f"：{note.strip()}" if note else ""),
               data={"into": into.number})
        if into.state in {State.RESOLVED, State.CLOSED} and into.reply:
            # The target was answered already: the duplicate gets that answer at once.
            answer_merged(into, actor=actor, reply=into.reply, unit=into.unit)
            appeal.refresh_from_db()
    return appeal



# ---------- answering: an answer reaches every appeal merged into the one answered ----------

def answer(appeal: Appeal, *, actor: User | None, reply: str, unit: Unit | None, note: str,
           now: dt.datetime, data: EventData, photos: Sequence[int] = ()) -> list[str]:
    """Move one locked appeal to `resolved` with `reply` (a problem's or another appeal's
    answer, whose resident-visible photos are `photos`: linked, not copied); then those
    merged into it. Returns the numbers answered."""
    before = appeal.state
    appeal.state = State.RESOLVED
    appeal.reply = reply
    appeal.resolved_at = now
    appeal.unit = unit or appeal.unit
    appeal.save()
    shared = {ANSWER_PHOTOS: list(photos)} if photos else {}
    record(appeal, Action.RESOLVE, actor=actor, from_state=before, unit=appeal.unit,
           note=note, data={**data, **shared})
    return [appeal.number] + answer_merged(appeal, actor=actor, reply=reply, unit=unit, now=now,
                                           photos=photos)


def answer_merged(appeal: Appeal, *, actor: User | None, reply: str, unit: Unit | None,
                  now: dt.datetime | None = None, photos: Sequence[int] | None = None
                  ) -> list[str]:
    """Answer every appeal merged into `appeal` (and, in turn, those merged into them)
    with the same reply and the resident-visible photos of `appeal`'s answer (`photos`,
    looked up when not given): each gets its own resolve event and can be rated by its
    resident. Call inside the transaction that resolved `appeal`; returns the numbers."""
    now = now or clock.now()
    followers = list(Appeal.objects.select_for_update()
                     .filter(merged_into=appeal, state=State.MERGED)
                     .order_by("collected_at", "id"))
    if not followers:
        return []
    photos = answer_photo_ids(appeal) if photos is None else photos
    answered: list[str] = []
    for follower in followers:
        answered += answer(follower, actor=actor, reply=reply, unit=unit, now=now,
                           note=f"随诉求{appeal.number}统一答复：{reply}",
                           data={"via_appeal": appeal.number}, photos=photos)
    return answered

"""The event log: one row per action, a consistent chain, append-only, text kept as given."""

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from banshi.appeals import actions
from banshi.appeals.choices import Action, Rating, State
from banshi.appeals.models import Appeal, AppealEvent

from .factories import HOSTILE, dispatched, in_progress, resolved, submitted, with_code
from .test_workflow import closed, fresh, returned


def _supervised(d):
    appeal = in_progress(d)
    actions.supervise(appeal, actor=d.leader, instruction="督办", due_date=timezone.localdate())
    return appeal


def _extension_pending(d):
    appeal = in_progress(d)
    actions.request_extension(appeal, actor=d.cgj_staff, days=3, reason="需协调")
    return appeal


def _overdue(d, appeal):
    actions.mark_overdue(now=fresh(appeal).handling_due_at + dt.timedelta(seconds=1))


# name, build, call, action, actor attribute on d (None: no user), from, to
STEPS = [
    ("dispatch", submitted, lambda d, a: actions.dispatch(a, actor=d.dispatcher, unit=d.cgj),
     Action.DISPATCH, "dispatcher", State.SUBMITTED, State.DISPATCHED),
    ("redispatch", dispatched,
     lambda d, a: actions.dispatch(a, actor=d.dispatcher, unit=d.zjj),
     Action.DISPATCH, "dispatcher", State.DISPATCHED, State.DISPATCHED),
    ("accept", dispatched, lambda d, a: actions.accept(a, actor=d.cgj_staff),
     Action.ACCEPT, "cgj_staff", State.DISPATCHED, State.IN_PROGRESS),
    ("return", in_progress, lambda d, a: actions.return_(a, actor=d.cgj_staff, reason="x"),
     Action.RETURN, "cgj_staff", State.IN_PROGRESS, State.RETURNED),
    ("escalate", in_progress, lambda d, a: actions.escalate(a, actor=d.cgj_staff, note="x"),
     Action.ESCALATE, "cgj_staff", State.IN_PROGRESS, State.DISPATCHED),
    ("request_extension", in_progress,
     lambda d, a: actions.request_extension(a, actor=d.cgj_staff, days=3, reason="x"),
     Action.EXTEND_REQUEST, "cgj_staff", State.IN_PROGRESS, State.IN_PROGRESS),
    ("decide_extension", _extension_pending,
     lambda d, a: actions.decide_extension(a, actor=d.dispatcher, approve=True),
     Action.EXTEND_DECISION, "dispatcher", State.IN_PROGRESS, State.IN_PROGRESS),
    ("resolve", in_progress, lambda d, a: actions.resolve(a, actor=d.cgj_staff, reply="已办"),
     Action.RESOLVE, "cgj_staff", State.IN_PROGRESS, State.RESOLVED),
    ("feedback", resolved,
     lambda d, a: actions.record_feedback(a, solved="solved",
                                          rating=Rating.SATISFIED, actor=d.dispatcher),
     Action.FEEDBACK, "dispatcher", State.RESOLVED, State.CLOSED),
    ("reopen", closed, lambda d, a: actions.reopen(a, actor=d.dispatcher),
     Action.REOPEN, "dispatcher", State.CLOSED, State.IN_PROGRESS),
    ("invalidate", submitted, lambda d, a: actions.invalidate(a, actor=d.dispatcher, reason="x"),
     Action.INVALIDATE, "dispatcher", State.SUBMITTED, State.INVALID),
    ("merge", returned,
     lambda d, a: actions.merge(a, actor=d.dispatcher, into=submitted(d)),
     Action.MERGE, "dispatcher", State.RETURNED, State.MERGED),
    ("supervise", in_progress,
     lambda d, a: actions.supervise(a, actor=d.leader, instruction="x",
                                    due_date=timezone.localdate()),
     Action.SUPERVISE, "leader", State.IN_PROGRESS, State.IN_PROGRESS),
    ("answer_supervision", _supervised,
     lambda d, a: actions.answer_supervision(a, actor=d.cgj_staff, answer="x"),
     Action.SUPERVISION_ANSWER, "cgj_staff", State.IN_PROGRESS, State.IN_PROGRESS),
    ("overdue", in_progress, _overdue,
     Action.OVERDUE, None, State.IN_PROGRESS, State.IN_PROGRESS),
]


@pytest.mark.parametrize(("name", "build", "call", "action", "actor", "from_state", "to_state"),
                         STEPS, ids=[s[0] for s in STEPS])
def test_every_action_writes_exactly_one_event(d, name, build, call, action, actor, from_state,
                                               to_state):
    appeal = build(d)
    before = set(AppealEvent.objects.values_list("pk", flat=True))
    call(d, appeal)
    new = AppealEvent.objects.exclude(pk__in=before).filter(appeal=appeal)
    # a merge target is a new appeal with its own submit event; count this appeal's only
    assert AppealEvent.objects.exclude(pk__in=before).exclude(
        appeal=appeal).filter(action=Action.SUBMIT).count() == (1 if name == "merge" else 0)
    [event] = new
    assert event.action == action
    assert event.from_state == from_state and event.to_state == to_state
    assert fresh(appeal).state == to_state
    if actor is None:
        assert event.actor is None and event.actor_label == "系统"
    else:
        user = getattr(d, actor)
        assert event.actor == user and user.get_username() in event.actor_label
    assert event.at is not None


def test_submit_writes_one_event_for_resident_and_worker(d):
    appeal, _ = actions.submit_appeal(title="t", content="c", region=d.community)
    [event] = appeal.events.all()
    assert (event.action, event.from_state, event.to_state) == (Action.SUBMIT, "", "submitted")
    assert event.actor is None and event.actor_label == "群众"
    appeal, _ = actions.submit_appeal(title="t", content="c", channel="symposium",
                                      region=d.community, actor=d.community_staff)
    [event] = appeal.events.all()
    assert event.actor == d.community_staff
    assert event.actor_label == "百花社区居委会 linshanzhai-01"


def test_unsatisfied_feedback_writes_the_rating_then_the_reopen(d):
    appeal = resolved(d)
    before = appeal.events.count()
    actions.record_feedback(appeal, solved="solved", rating=Rating.UNSATISFIED, actor=d.dispatcher)
    feedback, reopen = appeal.events.all()[before:]
    assert (feedback.action, feedback.from_state, feedback.to_state) == (
        Action.FEEDBACK, State.RESOLVED, State.RESOLVED)
    assert (reopen.action, reopen.from_state, reopen.to_state) == (
        Action.REOPEN, State.RESOLVED, State.IN_PROGRESS)
    assert feedback.data == {"rating": "unsatisfied", "solved": "solved"}


def test_refused_actions_write_nothing(d):
    appeal = dispatched(d)
    count = AppealEvent.objects.count()
    for call in (lambda: actions.accept(appeal, actor=d.zjj_staff),
                 lambda: actions.resolve(appeal, actor=d.cgj_staff, reply="x"),
                 lambda: actions.return_(appeal, actor=d.cgj_staff, reason="")):
        with pytest.raises(actions.ActionError):
            call()
    assert AppealEvent.objects.count() == count


def test_chain_of_a_long_life_is_consistent(d):
    appeal, code = with_code(d)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.zjj)
    appeal = actions.return_(appeal, actor=d.zjj_staff, reason="应由城管局办理")
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj, category=d.cat_city_3)
    appeal = actions.accept(appeal, actor=d.cgj_staff)
    actions.request_extension(appeal, actor=d.cgj_staff, days=5, reason="需协调供电公司")
    appeal = actions.decide_extension(appeal, actor=d.dispatcher, approve=True)
    appeal = actions.resolve(appeal, actor=d.cgj_staff, reply="已修复")
    appeal = actions.record_feedback(appeal, solved="solved",
                                     rating=Rating.UNSATISFIED, query_code=code)
    appeal = actions.resolve(appeal, actor=d.cgj_staff, reply="已更换线路")
    appeal = actions.record_feedback(appeal, solved="solved",
                                     rating=Rating.SATISFIED, query_code=code)

    events = list(fresh(appeal).events.all())
    assert [e.action for e in events] == [
        "submit", "dispatch", "return", "dispatch", "accept", "extend_request",
        "extend_decision", "resolve", "feedback", "reopen", "resolve", "feedback"]
    assert events[0].from_state == ""
    for previous, event in zip(events, events[1:], strict=False):
        assert event.from_state == previous.to_state, event
        assert event.at >= previous.at
    assert events[-1].to_state == fresh(appeal).state == State.CLOSED
    assert [e.to_state for e in events] == [
        "submitted", "dispatched", "returned", "dispatched", "in_progress", "in_progress",
        "in_progress", "resolved", "resolved", "in_progress", "resolved", "closed"]
    assert [e.actor for e in events] == [
        None, d.dispatcher, d.zjj_staff, d.dispatcher, d.cgj_staff, d.cgj_staff, d.dispatcher,
        d.cgj_staff, None, None, d.cgj_staff, None]
    assert events[2].unit == d.zjj and events[3].unit == d.cgj
    assert fresh(appeal).reopen_count == 1


def test_chain_stays_consistent_with_overdue_and_supervision(d):
    appeal = dispatched(d)
    actions.mark_overdue(now=fresh(appeal).response_due_at + dt.timedelta(minutes=1))
    actions.supervise(appeal, actor=d.leader, instruction="立即接单", due_date=timezone.localdate())
    actions.accept(appeal, actor=d.cgj_staff)
    actions.answer_supervision(appeal, actor=d.cgj_staff, answer="已接单")
    actions.escalate(appeal, actor=d.cgj_staff, note="需区级协调")
    events = list(fresh(appeal).events.all())
    assert [e.action for e in events] == [
        "submit", "dispatch", "overdue", "supervise", "accept", "supervision_answer", "escalate"]
    for previous, event in zip(events, events[1:], strict=False):
        assert event.from_state == previous.to_state
    assert events[-1].to_state == fresh(appeal).state


# --- append-only ---------------------------------------------------------------------------

def test_events_cannot_be_edited_or_deleted(d):
    appeal = resolved(d)
    event = appeal.events.first()
    original = (event.note, event.action, event.to_state)
    event.note = "篡改"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AppealEvent.objects.filter(pk=event.pk).update(note="篡改")
    with pytest.raises(TypeError):
        AppealEvent.objects.all().update(note="篡改")
    with pytest.raises(TypeError):
        AppealEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(TypeError):
        AppealEvent.objects.all().delete()
    with pytest.raises(TypeError):
        appeal.events.update(note="篡改")
    with pytest.raises(TypeError):
        appeal.events.all().delete()
    # bulk_update runs its own atomic block; the savepoint keeps the test's transaction usable
    with pytest.raises(TypeError), transaction.atomic():
        AppealEvent.objects.bulk_update([event], ["note"])
    stored = AppealEvent.objects.get(pk=event.pk)
    assert (stored.note, stored.action, stored.to_state) == original
    assert AppealEvent.objects.filter(appeal=appeal).count() == 4


def test_an_appeal_with_events_cannot_be_deleted(d):
    appeal = dispatched(d)
    with pytest.raises(ProtectedError):
        Appeal.objects.filter(pk=appeal.pk).delete()
    assert AppealEvent.objects.filter(appeal=appeal).count() == 2


def test_new_events_can_still_be_written(d):
    appeal = submitted(d)
    actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj)
    assert appeal.events.count() == 2


# --- hostile text round-trips --------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE, ids=["script", "sql", "emoji", "fullwidth", "long"])
def test_hostile_text_comes_back_byte_identical(d, text):
    title = text[:200]
    appeal, _ = actions.submit_appeal(title=title, content=text, region=d.community,
                                      contact_name=text[:100], address=text[:255])
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj, note=text[:500])
    appeal = actions.accept(appeal, actor=d.cgj_staff)
    appeal = actions.resolve(appeal, actor=d.cgj_staff, reply=text)
    row = Appeal.objects.get(number=appeal.number)
    assert row.title.encode() == title.encode()
    assert row.content.encode() == text.encode()
    assert row.contact_name.encode() == text[:100].encode()
    assert row.address.encode() == text[:255].encode()
    assert row.reply.encode() == text.encode()
    resolve_event = row.events.get(action=Action.RESOLVE)
    assert resolve_event.note.encode() == text.encode()
    assert Appeal.objects.filter(content=text).get().pk == row.pk
    assert Appeal.objects.filter(reply=text).count() == 1


@pytest.mark.parametrize("text", HOSTILE[:4], ids=["script", "sql", "emoji", "fullwidth"])
def test_hostile_reasons_and_comments_are_kept(d, text):
    appeal, code = with_code(d)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj)
    appeal = actions.return_(appeal, actor=d.cgj_staff, reason=text)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj)
    appeal = actions.resolve(actions.accept(appeal, actor=d.cgj_staff), actor=d.cgj_staff,
                             reply="已办")
    actions.record_feedback(appeal, solved="solved",
                            rating=Rating.BASICALLY_SATISFIED, comment=text,
                            query_code=code)
    row = fresh(appeal)
    assert row.rating_comment == text
    assert row.events.get(action=Action.RETURN).note == text


def test_a_hostile_title_over_200_characters_is_refused(d):
    with pytest.raises(actions.InvalidInput) as info:
        actions.submit_appeal(title=HOSTILE[-1], content="c")
    assert info.value.field == "title"

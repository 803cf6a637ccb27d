"""The appeal workflow at the action level: every transition, allowed and refused.

States are reached only through actions (never by setting `state`), so each test also
exercises the path that leads to it.
"""

import datetime as dt
import re

import pytest
from django.db import transaction
from django.utils import timezone

from banshi.appeals import actions, deadlines
from banshi.appeals.actions import InvalidInput, NotPermitted, TransitionNotAllowed
from banshi.appeals.actions.intake import next_number
from banshi.appeals.choices import HANDLING_STATES, ExtensionStatus, Rating, State
from banshi.appeals.models import Appeal, AppealEvent, DailyCounter, ExtensionRequest
from banshi.org.choices import Role

from .factories import (
    dispatched,
    in_progress,
    make_user,
    pending_review,
    resolved,
    submitted,
    with_code,
)

ALL_STATES = list(State.values)


# --- helpers shared with the other workflow test modules ----------------------------------

def staff_of(d, unit):
    """The test user working for `unit` (None for a unit without staff in the district)."""
    return {d.cgj.pk: d.cgj_staff, d.zjj.pk: d.zjj_staff, d.street_unit.pk: d.street_staff,
            d.community_unit.pk: d.community_staff,
            d.community2_unit.pk: d.community2_staff}.get(getattr(unit, "pk", None))


def handler(d, appeal):
    """Whoever may act for the unit holding `appeal`: its staff, else the admin."""
    return staff_of(d, appeal.unit) or d.admin


def fresh(appeal) -> Appeal:
    return Appeal.objects.get(pk=appeal.pk)


def closed(d, **kwargs):
    return actions.record_feedback(resolved(d, **kwargs), solved="solved", rating=Rating.SATISFIED,
                                   actor=d.dispatcher)


def returned(d, **kwargs):
    return actions.return_(dispatched(d, **kwargs), actor=d.cgj_staff, reason="不属于本单位职责")


def merged(d, **kwargs):
    target = submitted(d, title="同一路段路灯不亮")
    return actions.merge(submitted(d, **kwargs), actor=d.dispatcher, into=target)


def invalid(d, **kwargs):
    return actions.invalidate(submitted(d, **kwargs), actor=d.dispatcher, reason="重复提交")


BUILDERS = {
    State.SUBMITTED: submitted, State.DISPATCHED: dispatched, State.IN_PROGRESS: in_progress,
    State.RESOLVED: resolved, State.CLOSED: closed, State.RETURNED: returned,
    State.MERGED: merged, State.INVALID: invalid, State.PENDING_REVIEW: pending_review,
}


def in_state(d, state: str, **kwargs) -> Appeal:
    appeal = BUILDERS[state](d, **kwargs)
    assert fresh(appeal).state == state
    return appeal


# --- every action from every state ----------------------------------------------------------

def _pending_request(d, appeal):
    """A pending extension request: asked for by the unit where it can be, else a stale row
    (left over from an earlier state) so that the state guard itself is what refuses."""
    if appeal.state in WORKING:
        actions.request_extension(appeal, actor=handler(d, appeal), days=3, reason="材料待补")
    else:
        ExtensionRequest.objects.create(appeal=appeal, days=3, reason="材料待补",
                                        requested_by=d.cgj_staff)


def _answer(d, appeal):
    return actions.answer_supervision(appeal, actor=handler(d, appeal), answer="已按要求办理")


CALLS = {
    "dispatch": lambda d, a: actions.dispatch(a, actor=d.dispatcher, unit=d.zjj),
    "accept": lambda d, a: actions.accept(a, actor=handler(d, a)),
    "return_": lambda d, a: actions.return_(a, actor=handler(d, a), reason="非本单位职责"),
    "escalate": lambda d, a: actions.escalate(a, actor=handler(d, a), note="需区级协调"),
    "request_extension": lambda d, a: actions.request_extension(
        a, actor=handler(d, a), days=5, reason="需协调供电公司"),
    "decide_extension": lambda d, a: actions.decide_extension(a, actor=d.dispatcher,
                                                              approve=True),
    "resolve": lambda d, a: actions.resolve(a, actor=handler(d, a), reply="已修复"),
    "record_feedback": lambda d, a: actions.record_feedback(
        a, solved="solved", rating=Rating.SATISFIED, actor=d.dispatcher),
    "reopen": lambda d, a: actions.reopen(a, actor=d.dispatcher, note="回访发现未修好"),
    "invalidate": lambda d, a: actions.invalidate(a, actor=d.dispatcher, reason="广告"),
    "merge": lambda d, a: actions.merge(a, actor=d.dispatcher, into=submitted(d)),
    "supervise": lambda d, a: actions.supervise(
        a, actor=d.leader, instruction="三日内办结", due_date=timezone.localdate()),
}

HANDLING = HANDLING_STATES
# The unit works on the case (not while its answer awaits the delegating unit's 审核).
WORKING = {State.DISPATCHED, State.IN_PROGRESS}
# action -> {from state: to state}
ALLOWED = {
    "dispatch": {s: State.DISPATCHED for s in (State.SUBMITTED, State.RETURNED,
                                               State.DISPATCHED)},
    "accept": {State.DISPATCHED: State.IN_PROGRESS},
    "return_": {s: State.RETURNED for s in WORKING},
    "escalate": {s: State.DISPATCHED for s in WORKING},
    "request_extension": {s: s for s in WORKING},
    "decide_extension": {s: s for s in HANDLING},
    "resolve": {State.IN_PROGRESS: State.RESOLVED},
    "record_feedback": {State.RESOLVED: State.CLOSED},
    "reopen": {s: State.IN_PROGRESS for s in (State.RESOLVED, State.CLOSED)},
    "invalidate": {s: State.INVALID for s in (State.SUBMITTED, State.RETURNED)},
    "merge": {s: State.MERGED for s in (State.SUBMITTED, State.RETURNED, State.DISPATCHED)},
    "supervise": {s: s for s in (State.SUBMITTED, State.DISPATCHED, State.IN_PROGRESS,
                                 State.PENDING_REVIEW, State.RETURNED, State.RESOLVED)},
}
SETUP = {"decide_extension": _pending_request}
CASES = [(name, state) for name in CALLS for state in ALL_STATES]


@pytest.mark.parametrize(("name", "state"), CASES, ids=[f"{n}-{s}" for n, s in CASES])
def test_action_from_every_state(d, name, state):
    appeal = in_state(d, state)
    if name in SETUP:
        SETUP[name](d, appeal)
    events = AppealEvent.objects.filter(appeal=appeal).count()
    allowed = ALLOWED[name]
    if state in allowed:
        CALLS[name](d, appeal)
        assert fresh(appeal).state == allowed[state]
        assert AppealEvent.objects.filter(appeal=appeal).count() == events + 1
    else:
        with pytest.raises(TransitionNotAllowed) as info:
            CALLS[name](d, appeal)
        assert info.value.status == 409 and info.value.message
        assert fresh(appeal).state == state
        assert AppealEvent.objects.filter(appeal=appeal).count() == events


@pytest.mark.parametrize("state", ALL_STATES)
def test_answer_supervision_needs_an_open_order_in_every_state(d, state):
    appeal = in_state(d, state)
    with pytest.raises(TransitionNotAllowed):
        _answer(d, appeal)


@pytest.mark.parametrize("state", [State.DISPATCHED, State.IN_PROGRESS, State.RESOLVED])
def test_answer_supervision_by_the_handling_unit(d, state):
    appeal = in_state(d, state)
    order = actions.supervise(appeal, actor=d.leader, instruction="本周内答复",
                              due_date=timezone.localdate())
    answered = _answer(d, appeal)
    assert answered.pk == order.pk and answered.answer == "已按要求办理"
    assert answered.answered_by == d.cgj_staff and answered.answered_at is not None
    assert not fresh(appeal).open_supervisions().exists()
    assert fresh(appeal).state == state
    with pytest.raises(TransitionNotAllowed):
        _answer(d, appeal)  # nothing left to answer


def test_answer_supervision_takes_the_oldest_open_order(d):
    appeal = in_progress(d)
    today = timezone.localdate()
    later = actions.supervise(appeal, actor=d.leader, instruction="二次督办",
                              due_date=today + dt.timedelta(days=5))
    first = actions.supervise(appeal, actor=d.dispatcher, instruction="首次督办", due_date=today)
    assert _answer(d, appeal).pk == first.pk
    assert _answer(d, appeal).pk == later.pk


# --- what each successful transition writes ------------------------------------------------

def test_dispatch_sets_unit_category_and_clock(d):
    appeal = submitted(d)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj, category=d.cat_city_3,
                              aspect=d.aspect, urgency="urgent", note="请尽快处理")
    row = fresh(appeal)
    assert row.state == State.DISPATCHED and row.unit == d.cgj
    assert row.category == d.cat_city_3 and row.aspect == d.aspect and row.urgency == "urgent"
    assert row.dispatched_at is not None
    assert row.response_due_at == row.dispatched_at + dt.timedelta(hours=4)
    assert row.handling_due_at > row.response_due_at
    assert row.accepted_at is None
    event = row.events.last()
    assert event.action == "dispatch" and event.unit == d.cgj and "请尽快处理" in event.note


def test_redispatch_moves_the_case_and_keeps_its_category(d):
    appeal = dispatched(d)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.zjj)
    row = fresh(appeal)
    assert row.state == State.DISPATCHED and row.unit == d.zjj
    assert row.category == d.cat_city_3  # not given again, so kept


def test_dispatch_to_an_inactive_unit_is_invalid(d):
    d.zjj.is_active = False
    d.zjj.save()
    appeal = submitted(d)
    with pytest.raises(InvalidInput) as info:
        actions.dispatch(appeal, actor=d.dispatcher, unit=d.zjj)
    assert info.value.field == "unit_code"
    assert fresh(appeal).state == State.SUBMITTED


def test_accept_sets_accepted_at(d):
    appeal = dispatched(d)
    before = timezone.now()
    appeal = actions.accept(appeal, actor=d.cgj_staff, note="已安排人员")
    row = fresh(appeal)
    assert row.state == State.IN_PROGRESS
    assert before <= row.accepted_at <= timezone.now()
    assert row.unit == d.cgj


def test_admin_may_act_for_any_unit(d):
    appeal = actions.accept(dispatched(d, unit=d.zjj), actor=d.admin)
    assert fresh(appeal).state == State.IN_PROGRESS


def test_return_clears_unit_and_deadlines_then_dispatch_again(d):
    appeal = in_progress(d)
    appeal = actions.return_(appeal, actor=d.cgj_staff, reason="应由住建局办理")
    row = fresh(appeal)
    assert row.state == State.RETURNED and row.unit is None
    assert row.response_due_at is None and row.handling_due_at is None
    assert row.accepted_at is None
    event = row.events.last()
    assert event.action == "return" and event.unit == d.cgj and event.note == "应由住建局办理"
    appeal = actions.dispatch(row, actor=d.dispatcher, unit=d.zjj)
    row = fresh(appeal)
    assert row.state == State.DISPATCHED and row.unit == d.zjj
    assert row.response_due_at and row.handling_due_at
    actions.accept(row, actor=d.zjj_staff)
    assert fresh(row).state == State.IN_PROGRESS


def test_return_closes_a_pending_extension_request(d):
    """Otherwise the old unit's request would block (or extend) the next unit's case."""
    appeal = in_progress(d)
    request = actions.request_extension(appeal, actor=d.cgj_staff, days=5, reason="需协调")
    actions.return_(appeal, actor=d.cgj_staff, reason="应由住建局办理")
    request.refresh_from_db()
    assert request.status == ExtensionStatus.REJECTED and request.decided_at is not None
    appeal = actions.dispatch(fresh(appeal), actor=d.dispatcher, unit=d.zjj)
    with pytest.raises(TransitionNotAllowed):
        actions.decide_extension(appeal, actor=d.dispatcher, approve=True)
    actions.accept(appeal, actor=d.zjj_staff)
    new = actions.request_extension(appeal, actor=d.zjj_staff, days=3, reason="需勘查")
    assert new.status == ExtensionStatus.PENDING and new.requested_by == d.zjj_staff


def test_escalate_from_community_goes_to_its_street(d):
    appeal = actions.accept(dispatched(d, unit=d.community_unit), actor=d.community_staff)
    due = fresh(appeal).handling_due_at
    appeal = actions.escalate(appeal, actor=d.community_staff, note="社区无力解决")
    row = fresh(appeal)
    assert row.unit == d.street_unit and row.state == State.DISPATCHED
    assert row.accepted_at is None and row.handling_due_at == due
    event = row.events.last()
    assert event.action == "escalate" and event.unit == d.street_unit
    assert "林山寨街道办事处" in event.note and "社区无力解决" in event.note
    actions.accept(row, actor=d.street_staff)
    assert fresh(row).state == State.IN_PROGRESS


def test_escalate_from_department_goes_to_district(d):
    appeal = actions.escalate(dispatched(d), actor=d.cgj_staff, note="涉及多个部门")
    row = fresh(appeal)
    assert row.unit == d.district_unit and row.state == State.DISPATCHED


def test_escalate_restarts_the_response_clock(d):
    """The unit receiving an escalated case gets its own response period to accept it."""
    appeal = in_progress(d)
    dispatched_at = fresh(appeal).dispatched_at
    start = timezone.now()
    actions.escalate(appeal, actor=d.cgj_staff, note="涉及多个部门")
    end = timezone.now()
    row = fresh(appeal)
    assert start + dt.timedelta(hours=24) <= row.response_due_at <= end + dt.timedelta(hours=24)
    assert row.response_due_at > dispatched_at + dt.timedelta(hours=24)
    assert row.dispatched_at == dispatched_at


def test_escalate_from_district_is_refused(d):
    district_staff = make_user("district-staff", Role.UNIT, d.district_unit)
    appeal = actions.accept(dispatched(d, unit=d.district_unit), actor=district_staff)
    with pytest.raises(TransitionNotAllowed) as info:
        actions.escalate(appeal, actor=district_staff, note="再上报")
    assert "最高层级" in info.value.message
    row = fresh(appeal)
    assert row.unit == d.district_unit and row.state == State.IN_PROGRESS


def test_resolve_sets_reply_and_resolved_at(d):
    appeal = in_progress(d)
    appeal = actions.resolve(appeal, actor=d.cgj_staff, reply="  已更换灯泡，恢复照明。  ")
    row = fresh(appeal)
    assert row.state == State.RESOLVED and row.reply == "已更换灯泡，恢复照明。"
    assert row.resolved_at is not None and row.closed_at is None


@pytest.mark.parametrize("rating", [Rating.SATISFIED, Rating.BASICALLY_SATISFIED])
def test_resident_feedback_with_query_code_closes(d, rating):
    appeal, code = with_code(d)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj)
    appeal = actions.accept(appeal, actor=d.cgj_staff)
    appeal = actions.resolve(appeal, actor=d.cgj_staff, reply="已修复")
    actions.record_feedback(appeal, solved="solved", rating=rating, comment="谢谢", query_code=code)
    row = fresh(appeal)
    assert row.state == State.CLOSED and row.closed_at is not None
    assert row.rating == rating and row.rating_comment == "谢谢"
    event = row.events.last()
    assert event.actor is None and event.actor_label == "群众"


def test_dispatcher_call_back_records_feedback(d):
    appeal = actions.record_feedback(resolved(d), solved="solved",
                                     rating=Rating.BASICALLY_SATISFIED,
                                     actor=d.dispatcher, comment="电话回访")
    row = fresh(appeal)
    assert row.state == State.CLOSED and row.rating == Rating.BASICALLY_SATISFIED
    assert row.events.last().actor == d.dispatcher


@pytest.mark.parametrize("code", ["", None, "000000x", "12345"])
def test_feedback_with_wrong_query_code_is_refused(d, code):
    appeal = resolved(d)
    with pytest.raises(NotPermitted):
        actions.record_feedback(appeal, solved="solved", rating=Rating.SATISFIED, query_code=code)
    assert fresh(appeal).state == State.RESOLVED and fresh(appeal).rating == ""


def test_feedback_with_another_appeals_code_is_refused(d):
    _other, other_code = with_code(d)
    appeal, code = with_code(d)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj)
    appeal = actions.resolve(actions.accept(appeal, actor=d.cgj_staff), actor=d.cgj_staff,
                             reply="已修复")
    if other_code != code:
        with pytest.raises(NotPermitted):
            actions.record_feedback(appeal, solved="solved",
                                    rating=Rating.SATISFIED, query_code=other_code)
    assert fresh(appeal).state == State.RESOLVED


def test_unsatisfied_reopens_with_a_new_handling_deadline(d):
    appeal, code = with_code(d)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj)
    appeal = actions.accept(appeal, actor=d.cgj_staff)
    # Push the old deadline far out, so the reopened one is visibly recomputed.
    actions.request_extension(appeal, actor=d.cgj_staff, days=20, reason="需协调")
    extended = actions.decide_extension(appeal, actor=d.dispatcher, approve=True)
    appeal = actions.resolve(appeal, actor=d.cgj_staff, reply="已修复")
    actions.record_feedback(appeal, solved="solved", rating=Rating.UNSATISFIED, comment="还是不亮",
                            query_code=code)
    row = fresh(appeal)
    assert row.state == State.IN_PROGRESS and row.reopen_count == 1
    assert row.unit == d.cgj and row.resolved_at is None and row.closed_at is None
    assert row.rating == Rating.UNSATISFIED and row.rating_comment == "还是不亮"
    assert row.handling_due_at < extended.handling_due_at
    reopened = row.events.last()
    assert reopened.action == "reopen" and reopened.from_state == State.RESOLVED
    assert row.handling_due_at == deadlines.handling_due(reopened.at, 15)
    # The unit answers again; the resident is satisfied the second time.
    actions.resolve(row, actor=d.cgj_staff, reply="已更换线路")
    actions.record_feedback(row, solved="solved", rating=Rating.SATISFIED, query_code=code)
    row = fresh(row)
    assert row.state == State.CLOSED and row.reopen_count == 1 and row.reply == "已更换线路"


def test_dispatcher_reopens_a_closed_case(d):
    appeal = closed(d)
    appeal = actions.reopen(appeal, actor=d.dispatcher, note="群众再次来电")
    row = fresh(appeal)
    assert row.state == State.IN_PROGRESS and row.reopen_count == 1
    assert row.closed_at is None and row.resolved_at is None
    assert row.unit == d.cgj and row.handling_due_at is not None
    actions.resolve(row, actor=d.cgj_staff, reply="再次处理")
    actions.reopen(row, actor=d.dispatcher)
    assert fresh(row).reopen_count == 2


def test_invalidate_sets_closed_at(d):
    appeal = actions.invalidate(returned(d), actor=d.dispatcher, reason="超出受理范围")
    row = fresh(appeal)
    assert row.state == State.INVALID and row.closed_at is not None
    assert row.events.last().note == "超出受理范围"


def test_merge_links_the_duplicate(d):
    target = dispatched(d)
    appeal = actions.merge(submitted(d), actor=d.dispatcher, into=target, note="同一路段")
    row = fresh(appeal)
    assert row.state == State.MERGED and row.merged_into == target
    assert row.events.last().data == {"into": target.number}
    assert list(target.merged_appeals.all()) == [row]


@pytest.mark.parametrize("target_state", [State.INVALID, State.MERGED])
def test_merge_into_invalid_or_merged_is_refused(d, target_state):
    target = in_state(d, target_state)
    appeal = submitted(d)
    with pytest.raises(TransitionNotAllowed):
        actions.merge(appeal, actor=d.dispatcher, into=target)
    assert fresh(appeal).state == State.SUBMITTED and fresh(appeal).merged_into is None


def test_merge_checks_the_targets_current_state(d):
    """The target passed in may be a stale object; its state in the DB decides."""
    target = submitted(d)
    actions.invalidate(target, actor=d.dispatcher, reason="广告")  # `target` still says submitted
    appeal = submitted(d)
    with pytest.raises(TransitionNotAllowed):
        actions.merge(appeal, actor=d.dispatcher, into=target)
    assert fresh(appeal).state == State.SUBMITTED


def test_merge_into_itself_is_invalid(d):
    appeal = submitted(d)
    with pytest.raises(InvalidInput) as info:
        actions.merge(appeal, actor=d.dispatcher, into=appeal)
    assert info.value.field == "into"


def test_request_and_decide_extension(d):
    appeal = in_progress(d)
    request = actions.request_extension(appeal, actor=d.cgj_staff, days=5, reason="需协调")
    assert request.status == ExtensionStatus.PENDING and request.days == 5
    with pytest.raises(TransitionNotAllowed):
        actions.request_extension(appeal, actor=d.cgj_staff, days=3, reason="再延")
    due = fresh(appeal).handling_due_at
    actions.decide_extension(appeal, actor=d.dispatcher, approve=False, note="理由不充分")
    request.refresh_from_db()
    assert request.status == ExtensionStatus.REJECTED and request.decided_by == d.dispatcher
    assert fresh(appeal).handling_due_at == due
    with pytest.raises(TransitionNotAllowed):
        actions.decide_extension(appeal, actor=d.dispatcher, approve=True)
    actions.request_extension(appeal, actor=d.cgj_staff, days=3, reason="再延")
    actions.decide_extension(appeal, actor=d.dispatcher, approve=True)
    assert fresh(appeal).handling_due_at > due


def test_supervise_creates_an_open_order(d):
    appeal = dispatched(d)
    due = timezone.localdate() + dt.timedelta(days=3)
    order = actions.supervise(appeal, actor=d.leader, instruction="三日内办结", due_date=due)
    assert order.due_date == due and order.issued_by == d.leader
    assert list(fresh(appeal).open_supervisions()) == [order]
    assert fresh(appeal).state == State.DISPATCHED


# --- wrong actor ----------------------------------------------------------------------------

def _no_staff_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("outsider", password="x-pw-12345")


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


WRONG_ACTORS = [
    ("dispatch by a unit", "submitted",
     lambda d, a: actions.dispatch(a, actor=d.cgj_staff, unit=d.cgj)),
    ("dispatch by a leader", "submitted",
     lambda d, a: actions.dispatch(a, actor=d.leader, unit=d.cgj)),
    ("dispatch by no staff", "submitted",
     lambda d, a: actions.dispatch(a, actor=_no_staff_user(), unit=d.cgj)),
    ("dispatch by anonymous", "submitted",
     lambda d, a: actions.dispatch(a, actor=_anonymous(), unit=d.cgj)),
    ("sibling accepts", "dispatched", lambda d, a: actions.accept(a, actor=d.zjj_staff)),
    ("dispatcher accepts", "dispatched", lambda d, a: actions.accept(a, actor=d.dispatcher)),
    ("leader accepts", "dispatched", lambda d, a: actions.accept(a, actor=d.leader)),
    ("sibling returns", "dispatched",
     lambda d, a: actions.return_(a, actor=d.zjj_staff, reason="x")),
    ("sibling escalates", "in_progress",
     lambda d, a: actions.escalate(a, actor=d.zjj_staff, note="x")),
    ("leader resolves", "in_progress",
     lambda d, a: actions.resolve(a, actor=d.leader, reply="已办")),
    ("sibling resolves", "in_progress",
     lambda d, a: actions.resolve(a, actor=d.zjj_staff, reply="已办")),
    ("dispatcher resolves", "in_progress",
     lambda d, a: actions.resolve(a, actor=d.dispatcher, reply="已办")),
    ("sibling asks extension", "in_progress",
     lambda d, a: actions.request_extension(a, actor=d.zjj_staff, days=3, reason="x")),
    ("unit decides extension", "in_progress",
     lambda d, a: actions.decide_extension(a, actor=d.cgj_staff, approve=True)),
    ("leader decides extension", "in_progress",
     lambda d, a: actions.decide_extension(a, actor=d.leader, approve=True)),
    ("unit calls back", "resolved",
     lambda d, a: actions.record_feedback(a, solved="solved",
                                          rating="satisfied", actor=d.cgj_staff)),
    ("unit reopens", "closed", lambda d, a: actions.reopen(a, actor=d.cgj_staff)),
    ("leader reopens", "closed", lambda d, a: actions.reopen(a, actor=d.leader)),
    ("unit invalidates", "submitted",
     lambda d, a: actions.invalidate(a, actor=d.cgj_staff, reason="x")),
    ("unit merges", "submitted",
     lambda d, a: actions.merge(a, actor=d.cgj_staff, into=submitted(d))),
    ("unit supervises", "in_progress",
     lambda d, a: actions.supervise(a, actor=d.cgj_staff, instruction="x",
                                    due_date=timezone.localdate())),
    ("street supervises", "in_progress",
     lambda d, a: actions.supervise(a, actor=d.street_staff, instruction="x",
                                    due_date=timezone.localdate())),
    ("sibling answers supervision", "in_progress",
     lambda d, a: actions.answer_supervision(a, actor=d.zjj_staff, answer="x")),
    ("leader answers supervision", "in_progress",
     lambda d, a: actions.answer_supervision(a, actor=d.leader, answer="x")),
]


@pytest.mark.parametrize(("label", "state", "call"), WRONG_ACTORS,
                         ids=[w[0].replace(" ", "-") for w in WRONG_ACTORS])
def test_wrong_actor_is_not_permitted(d, label, state, call):
    appeal = in_state(d, state)
    if "supervision" in label:
        actions.supervise(appeal, actor=d.leader, instruction="督办", due_date=timezone.localdate())
    if "decides" in label:
        actions.request_extension(appeal, actor=d.cgj_staff, days=3, reason="需协调")
    events = AppealEvent.objects.filter(appeal=appeal).count()
    with pytest.raises(NotPermitted) as info:
        call(d, appeal)
    assert info.value.status == 403 and info.value.message
    row = fresh(appeal)
    assert row.state == state and row.unit == appeal.unit
    assert AppealEvent.objects.filter(appeal=appeal).count() == events


def test_street_cannot_act_for_its_community(d):
    appeal = dispatched(d, unit=d.community_unit)
    with pytest.raises(NotPermitted):
        actions.accept(appeal, actor=d.street_staff)
    with pytest.raises(NotPermitted):
        actions.accept(appeal, actor=d.community2_staff)
    actions.accept(appeal, actor=d.community_staff)
    assert fresh(appeal).state == State.IN_PROGRESS


def test_former_unit_cannot_act_after_escalation(d):
    appeal = actions.escalate(in_progress(d), actor=d.cgj_staff, note="需区级协调")
    with pytest.raises(NotPermitted):
        actions.accept(appeal, actor=d.cgj_staff)
    with pytest.raises(NotPermitted):
        actions.return_(appeal, actor=d.cgj_staff, reason="x")


def test_leader_cannot_enter_offline_appeals(d):
    with pytest.raises(NotPermitted):
        actions.submit_appeal(title="t", content="c", channel="symposium", actor=d.leader)
    assert not Appeal.objects.exists()


# --- bad input ------------------------------------------------------------------------------

BAD_INPUT = [
    ("return empty reason", "dispatched", "reason",
     lambda d, a: actions.return_(a, actor=d.cgj_staff, reason="   ")),
    ("return no reason", "dispatched", "reason",
     lambda d, a: actions.return_(a, actor=d.cgj_staff, reason=None)),
    ("escalate empty note", "in_progress", "note",
     lambda d, a: actions.escalate(a, actor=d.cgj_staff, note="")),
    ("resolve empty reply", "in_progress", "reply",
     lambda d, a: actions.resolve(a, actor=d.cgj_staff, reply=" \n ")),
    ("resolve reply too long", "in_progress", "reply",
     lambda d, a: actions.resolve(a, actor=d.cgj_staff, reply="答" * 10001)),
    ("invalidate empty reason", "submitted", "reason",
     lambda d, a: actions.invalidate(a, actor=d.dispatcher, reason="")),
    ("extension 0 days", "in_progress", "days",
     lambda d, a: actions.request_extension(a, actor=d.cgj_staff, days=0, reason="x")),
    ("extension 31 days", "in_progress", "days",
     lambda d, a: actions.request_extension(a, actor=d.cgj_staff, days=31, reason="x")),
    ("extension days as text", "in_progress", "days",
     lambda d, a: actions.request_extension(a, actor=d.cgj_staff, days="5", reason="x")),
    ("extension empty reason", "in_progress", "reason",
     lambda d, a: actions.request_extension(a, actor=d.cgj_staff, days=5, reason="")),
    ("supervise due yesterday", "in_progress", "due_date",
     lambda d, a: actions.supervise(a, actor=d.leader, instruction="x",
                                    due_date=timezone.localdate() - dt.timedelta(days=1))),
    ("supervise empty instruction", "in_progress", "instruction",
     lambda d, a: actions.supervise(a, actor=d.leader, instruction="",
                                    due_date=timezone.localdate())),
    ("answer empty", "in_progress", "answer",
     lambda d, a: actions.answer_supervision(a, actor=d.cgj_staff, answer="")),
    ("unknown rating", "resolved", "rating",
     lambda d, a: actions.record_feedback(a, solved="solved", rating="great", actor=d.dispatcher)),
    ("rating comment too long", "resolved", "comment",
     lambda d, a: actions.record_feedback(a, solved="solved",
                                          rating="satisfied", comment="评" * 2001,
                                          actor=d.dispatcher)),
]


@pytest.mark.parametrize(("label", "state", "field", "call"), BAD_INPUT,
                         ids=[b[0].replace(" ", "-") for b in BAD_INPUT])
def test_bad_input_names_the_field(d, label, state, field, call):
    appeal = in_state(d, state)
    events = AppealEvent.objects.filter(appeal=appeal).count()
    with pytest.raises(InvalidInput) as info:
        call(d, appeal)
    assert info.value.field == field and info.value.status == 422 and info.value.message
    assert fresh(appeal).state == state
    assert AppealEvent.objects.filter(appeal=appeal).count() == events


def test_extension_bounds_are_inclusive(d):
    appeal = in_progress(d)
    actions.request_extension(appeal, actor=d.cgj_staff, days=30, reason="需协调")
    actions.decide_extension(appeal, actor=d.dispatcher, approve=False)
    assert actions.request_extension(appeal, actor=d.cgj_staff, days=1, reason="x").days == 1


@pytest.mark.parametrize(("fields", "field"), [
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"title": "标" * 201}, "title"),
    ({"content": ""}, "content"),
    ({"channel": "fax"}, "channel"),
    ({"contact_name": "名" * 101}, "contact_name"),
    ({"contact_phone": "1" * 41}, "contact_phone"),
    ({"address": "址" * 256}, "address"),
], ids=["empty-title", "blank-title", "title-201", "empty-content", "unknown-channel",
        "long-name", "long-phone", "long-address"])
def test_submit_bad_input(d, fields, field):
    with pytest.raises(InvalidInput) as info:
        submitted(d, **fields)
    assert info.value.field == field
    assert not Appeal.objects.exists() and not AppealEvent.objects.exists()


@pytest.mark.parametrize("region", ["street", "district"])
def test_submit_region_must_be_a_community(d, region):
    with pytest.raises(InvalidInput) as info:
        submitted(d, region=getattr(d, region))
    assert info.value.field == "region_code"
    assert not Appeal.objects.exists()


def test_submit_collected_in_the_future_is_invalid(d):
    with pytest.raises(InvalidInput) as info:
        submitted(d, collected_at=timezone.now() + dt.timedelta(days=1))
    assert info.value.field == "collected_at"


def test_submit_title_of_200_chars_is_fine(d):
    assert fresh(submitted(d, title="标" * 200)).title == "标" * 200


def test_offline_entry_records_the_collecting_unit(d):
    appeal, _ = actions.submit_appeal(title="楼道灯坏", content="3号楼楼道灯坏了",
                                      channel="household_visit", region=d.community,
                                      actor=d.community_staff)
    row = fresh(appeal)
    assert row.collector_unit == d.community_unit and row.created_by == d.community_staff
    assert row.channel == "household_visit" and row.state == State.SUBMITTED


# --- numbers and query codes ----------------------------------------------------------------

def test_numbers_are_sequential_per_day(d):
    first, second, third = submitted(d), submitted(d), submitted(d)
    day = timezone.localdate(first.collected_at)
    assert timezone.localdate(third.collected_at) == day  # fails only across midnight
    assert [first.number, second.number, third.number] == [
        f"ZY{day:%Y%m%d}-0001", f"ZY{day:%Y%m%d}-0002", f"ZY{day:%Y%m%d}-0003"]


def test_number_continues_the_days_counter_not_the_id(d):
    DailyCounter.objects.create(day=timezone.localdate(), last=41)
    appeal = submitted(d)
    assert re.fullmatch(r"ZY\d{8}-0042", appeal.number)
    assert not appeal.number.endswith(f"-{appeal.pk:04d}")


def test_a_new_day_restarts_at_0001(db):
    today, tomorrow = dt.date(2026, 2, 12), dt.date(2026, 2, 13)
    with transaction.atomic():
        assert next_number(today) == "ZY20260212-0001"
        assert next_number(today) == "ZY20260212-0002"
        assert next_number(tomorrow) == "ZY20260213-0001"
        assert next_number(today) == "ZY20260212-0003"
        assert next_number(tomorrow) == "ZY20260213-0002"
    assert DailyCounter.objects.get(day=today).last == 3
    assert DailyCounter.objects.get(day=tomorrow).last == 2


def test_query_code_is_six_digits_and_stored_only_hashed(d):
    appeal, code = with_code(d, contact_name="张三", contact_phone="13812341234")
    assert re.fullmatch(r"\d{6}", code)
    row = Appeal.objects.filter(pk=appeal.pk).values().get()
    for column, value in row.items():
        if isinstance(value, str) and column not in {"number", "query_code_hash"}:
            assert code not in value, column
    assert row["number"] != code
    assert row["query_code_hash"] != code and len(row["query_code_hash"]) == 64
    for event in AppealEvent.objects.filter(appeal=appeal).values():
        assert all(code not in str(value) for value in event.values())
    assert fresh(appeal).check_query_code(code)
    assert not fresh(appeal).check_query_code(f"{(int(code) + 1) % 10**6:06d}")
    assert not fresh(appeal).check_query_code("")


def test_query_codes_differ_between_appeals(d):
    codes = {with_code(d)[1] for _ in range(20)}
    assert len(codes) > 1


def test_merge_into_an_answered_appeal_answers_the_duplicate_at_once(d):
    target = resolved(d)
    appeal, code = actions.submit_appeal(title="路灯又坏", content="百花路路灯不亮",
                                         region=d.community)
    appeal = actions.merge(appeal, actor=d.dispatcher, into=target)
    assert appeal.state == State.RESOLVED and appeal.reply == target.reply
    assert [e.action for e in appeal.events.all()][-2:] == ["merge", "resolve"]
    closed = actions.record_feedback(appeal, solved="solved", rating="satisfied", query_code=code)
    assert closed.state == State.CLOSED

"""The transition tables are the one statement of what may happen when: for every state an
appeal can be in and every action, the action function does exactly what the table says, and
the page forms are exactly the table's rows."""

import pytest

from banshi.appeals import actions
from banshi.appeals.choices import State
from banshi.appeals.models import Appeal
from banshi.appeals.transitions import APPEAL, PROBLEM
from banshi.web.case_forms import ACTION_FORMS, case_forms
from banshi.web.problem_forms import PROBLEM_FORMS

from .factories import dispatched, in_progress, pending_review, resolved, submitted, today


def _closed(d):
    return actions.record_feedback(resolved(d), actor=d.dispatcher, solved="solved",
                                   rating="satisfied")


def _returned(d):
    return actions.return_(dispatched(d), actor=d.cgj_staff, reason="不属于本单位职责")


def _invalid(d):
    return actions.invalidate(submitted(d), actor=d.dispatcher, reason="重复提交")


def _merged(d):
    return actions.merge(submitted(d), actor=d.dispatcher, into=submitted(d))



STATES = {
    State.SUBMITTED: submitted, State.DISPATCHED: dispatched, State.IN_PROGRESS: in_progress,
    State.RESOLVED: resolved, State.CLOSED: _closed, State.RETURNED: _returned,
    State.MERGED: _merged, State.INVALID: _invalid, State.PENDING_REVIEW: pending_review,
}


def _actor(d, name, appeal):
    """Someone who holds the right the row names (so only the state can refuse)."""
    right = APPEAL[name].right
    for person in (d.cgj_staff, d.community_staff, d.street_staff, d.dispatcher, d.leader):
        if right(person, appeal):
            return person
    return None


# One valid call of each action; the table's row of the same name must agree with it.
CALLS = {
    "dispatch": lambda d, a, who: actions.dispatch(a, actor=who, unit=d.zjj),
    "accept": lambda d, a, who: actions.accept(a, actor=who),
    "return": lambda d, a, who: actions.return_(a, actor=who, reason="不属于本单位"),
    "extend": lambda d, a, who: actions.request_extension(a, actor=who, days=3, reason="施工"),
    "decide_extension": lambda d, a, who: actions.decide_extension(a, actor=who, approve=True),
    "escalate": lambda d, a, who: actions.escalate(a, actor=who, note="需上级协调"),
    "resolve": lambda d, a, who: actions.resolve(a, actor=who, reply="已处理"),
    "progress": lambda d, a, who: actions.add_progress(a, actor=who, note="已到现场查看",
                                                       public=True),
    "delegate": lambda d, a, who: actions.delegate(a, actor=who, unit=d.community_unit,
                                                   note="请社区办理"),
    "review": lambda d, a, who: actions.review(a, actor=who, approve=True),
    "feedback": lambda d, a, who: actions.record_feedback(a, actor=who, solved="solved",
                                                          rating="satisfied"),
    "call_back": lambda d, a, who: actions.call_back(a, actor=who, solved="partly_solved",
                                                     rating="basically_satisfied"),
    "reopen": lambda d, a, who: actions.reopen(a, actor=who, note="复核"),
    "supervise": lambda d, a, who: actions.supervise(a, actor=who, instruction="尽快办理",
                                                     due_date=today()),
    "answer_supervision": lambda d, a, who: actions.answer_supervision(a, actor=who,
                                                                       answer="正在办理"),
    "invalidate": lambda d, a, who: actions.invalidate(a, actor=who, reason="无效"),
    "merge": lambda d, a, who: actions.merge(a, actor=who, into=submitted(d)),
    "undo_auto_dispatch": lambda d, a, who: actions.undo_auto_dispatch(a, actor=who),
}


def test_every_person_facing_row_has_a_call_and_a_form():
    # the platform's own rows; link_problem: see the problems tests
    system = {"auto_dispatch", "route_to_street", "link_problem"}
    assert set(CALLS) == set(APPEAL) - system
    assert {f.transition for f in ACTION_FORMS.values()} == set(CALLS)
    assert {f.transition for f in PROBLEM_FORMS.values()} == set(PROBLEM)


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("name", list(CALLS))
def test_the_action_does_what_the_table_says(d, state, name):
    appeal = STATES[state](d)
    assert appeal.state == state
    who = _actor(d, name, appeal)
    if who is None:  # nobody of this district holds the right here (e.g. no unit to handle)
        assert not any(APPEAL.allowed(name, p, appeal)
                       for p in (d.admin, d.dispatcher, d.cgj_staff))
        return
    allowed = APPEAL.allowed(name, who, appeal)
    try:
        CALLS[name](d, appeal, who)
    except actions.ActionError as exc:
        assert not allowed, f"the table allows {name} from {state} but the action said {exc}"
        assert isinstance(exc, actions.TransitionNotAllowed)
        assert exc.message == APPEAL.state_refusal(name, Appeal.objects.get(pk=appeal.pk))
    else:
        assert allowed, f"the table refuses {name} from {state} but the action did it"


@pytest.mark.parametrize("name", list(CALLS))
def test_a_person_without_the_right_is_refused_with_the_rights_message(d, name):
    appeal = in_progress(d)
    outsider = d.zjj_staff  # a sibling department: neither dispatcher nor handler
    if APPEAL[name].right(outsider, appeal):
        pytest.skip(f"{name} is open to every unit")
    with pytest.raises(actions.NotPermitted) as refused:
        CALLS[name](d, appeal, outsider)
    assert refused.value.message == APPEAL[name].right.denied


def test_the_case_page_offers_exactly_what_the_table_allows(d):
    appeal = in_progress(d)
    for user in (d.dispatcher, d.cgj_staff, d.zjj_staff, d.leader, d.admin):
        offered = {ACTION_FORMS[n].transition for n, _form in case_forms(user, appeal)}
        assert offered == {n for n in CALLS if APPEAL.allowed(n, user, appeal)}


def test_the_api_lists_what_the_table_allows_and_serves_exactly_that(d):
    """GET /appeals/{number} names the actions the caller may take now; each one named is
    accepted by its endpoint and none left out would have been (no 403 or 409 for them)."""
    from django.test import Client

    from banshi.org.models import ApiToken

    appeal = in_progress(d)
    for user in (d.dispatcher, d.cgj_staff, d.leader):
        headers = {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"}
        body = Client().get(f"/api/v1/appeals/{appeal.number}", headers=headers).json()
        expected = [n for n in APPEAL.offered(user, appeal)
                    if n not in {"link_problem", "undo_auto_dispatch"}]
        assert body["allowed_actions"] == expected, user
    staff = {"Authorization": f"Bearer {ApiToken.objects.issue(d.cgj_staff)}"}
    answered = Client().post(f"/api/v1/appeals/{appeal.number}/resolve", {"reply": "已修复"},
                             content_type="application/json", headers=staff)
    assert answered.status_code == 200
    assert answered.json()["allowed_actions"] == []  # resolved: the unit waits for the rating

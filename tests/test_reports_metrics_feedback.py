"""The resident's two answers (问题是否解决 and 满意度) and the dispatcher's 电话回访: required,
named when missing or wrong, through the action, the H5 rate form, the case page and the API;
hostile text stored and shown escaped."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from banshi.appeals import actions
from banshi.appeals.choices import Action, State
from banshi.appeals.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from banshi.appeals.public import public_note
from banshi.appeals.transitions import APPEAL
from banshi.org.models import ApiToken

from .factories import HOSTILE, in_progress, login, resolved, with_code


def fresh(appeal):
    appeal.refresh_from_db()
    return appeal


def resolved_with_code(d):
    appeal, code = with_code(d)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj, category=d.cat_city_3)
    appeal = actions.accept(appeal, actor=d.cgj_staff)
    return actions.resolve(appeal, actor=d.cgj_staff, reply="已修复"), code


@pytest.mark.parametrize("solved", ["", "yes", "解决", None])
def test_feedback_needs_the_solved_answer(d, solved):
    appeal = resolved(d)
    with pytest.raises(InvalidInput) as caught:
        actions.record_feedback(appeal, actor=d.dispatcher, solved=solved or "",
                                rating="satisfied")
    assert caught.value.field == "solved" and "问题是否解决" in caught.value.message
    assert fresh(appeal).state == State.RESOLVED and fresh(appeal).rating == ""


def test_feedback_records_both_answers_in_the_event(d):
    appeal = actions.record_feedback(resolved(d), actor=d.dispatcher, solved="partly_solved",
                                     rating="basically_satisfied", comment="还行")
    appeal = fresh(appeal)
    assert (appeal.solved, appeal.rating, appeal.state) == ("partly_solved",
                                                            "basically_satisfied", "closed")
    event = appeal.events.filter(action=Action.FEEDBACK).get()
    assert event.data == {"rating": "basically_satisfied", "solved": "partly_solved"}
    assert event.note == "部分解决，基本满意：还行"
    assert public_note(event) == "已评价：部分解决，基本满意"


def test_h5_rate_form_asks_both_and_names_the_missing_one(client, d):
    appeal, code = resolved_with_code(d)
    page = client.post(reverse("web:track"), {"number": appeal.number, "code": code})
    html = page.content.decode()
    assert "您反映的问题是否解决" in html and 'name="solved"' in html
    missing = client.post(reverse("web:rate"), {"number": appeal.number, "code": code,
                                               "rating": "satisfied"})
    assert missing.status_code == 422 and "请选择问题是否解决" in missing.content.decode()
    assert fresh(appeal).state == State.RESOLVED
    done = client.post(reverse("web:rate"), {"number": appeal.number, "code": code,
                                            "solved": "unsolved", "rating": "unsatisfied",
                                            "comment": HOSTILE[0]})
    assert done.status_code == 200
    appeal = fresh(appeal)
    assert (appeal.solved, appeal.state, appeal.rating_comment) == ("unsolved",
                                                                    State.IN_PROGRESS,
                                                                    HOSTILE[0])


def _api(user=None):
    client = Client()
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"} if user else {}
    return lambda path, body: client.post(f"/api/v1{path}", json.dumps(body),
                                          content_type="application/json", headers=headers)


def test_api_feedback_names_the_missing_answer(d):
    appeal, code = resolved_with_code(d)
    post = _api()
    missing = post(f"/appeals/{appeal.number}/feedback", {"rating": "satisfied",
                                                         "query_code": code})
    assert missing.status_code in (400, 422) and missing.json()["field"] == "solved"
    wrong = post(f"/appeals/{appeal.number}/feedback", {"rating": "satisfied",
                                                       "solved": "maybe", "query_code": code})
    assert wrong.status_code == 422 and "solved" in wrong.content.decode()
    ok = post(f"/appeals/{appeal.number}/feedback", {"rating": "satisfied", "solved": "solved",
                                                    "query_code": code})
    assert ok.status_code == 200 and fresh(appeal).solved == "solved"


# ---------- 电话回访 ----------

def test_call_back_records_answers_without_moving_the_case(d):
    appeal = resolved(d)
    before = appeal.events.count()
    appeal = actions.call_back(appeal, actor=d.dispatcher, solved="solved",
                               rating="satisfied", note="电话回访，群众表示满意")
    appeal = fresh(appeal)
    assert appeal.state == State.RESOLVED and appeal.rating == "" and appeal.solved == ""
    assert (appeal.callback_solved, appeal.callback_rating) == ("solved", "satisfied")
    assert appeal.callback_at is not None
    event = appeal.events.all()[before]
    assert (event.action, event.from_state, event.to_state) == (Action.CALL_BACK,
                                                                State.RESOLVED,
                                                                State.RESOLVED)
    # Again after the resident closed it: the last call-back is kept.
    closed = actions.record_feedback(appeal, actor=d.dispatcher, solved="solved",
                                     rating="satisfied")
    closed = actions.call_back(closed, actor=d.dispatcher, solved="partly_solved",
                               rating="basically_satisfied")
    assert fresh(closed).callback_rating == "basically_satisfied"
    assert closed.events.filter(action=Action.CALL_BACK).count() == 2


def test_call_back_rules(d):
    with pytest.raises(TransitionNotAllowed):  # not answered yet
        actions.call_back(in_progress(d), actor=d.dispatcher, solved="solved",
                          rating="satisfied")
    with pytest.raises(NotPermitted):
        actions.call_back(resolved(d), actor=d.cgj_staff, solved="solved", rating="satisfied")
    for solved, rating, field in [("", "satisfied", "solved"), ("solved", "", "rating"),
                                  ("solved", "great", "rating")]:
        with pytest.raises(InvalidInput) as caught:
            actions.call_back(resolved(d), actor=d.dispatcher, solved=solved, rating=rating)
        assert caught.value.field == field
    with pytest.raises(InvalidInput) as caught:
        actions.call_back(resolved(d), actor=d.dispatcher, solved="solved",
                          rating="satisfied", note="长" * 10000)
    assert caught.value.field == "note"
    assert APPEAL["call_back"].states == {State.RESOLVED, State.CLOSED}


def test_call_back_on_the_case_page(client, d):
    appeal = resolved(d)
    login(client, "dispatcher")
    page = client.get(reverse("web:case", args=[appeal.number])).content.decode()
    assert "电话回访" in page and reverse("web:act", args=[appeal.number, "call-back"]) in page
    url = reverse("web:act", args=[appeal.number, "call-back"])
    missing = client.post(url, {"rating": "satisfied"})
    assert missing.status_code in (400, 409, 422)
    assert "请选择问题是否解决" in missing.content.decode()
    for text in HOSTILE:
        response = client.post(url, {"solved": "partly_solved", "rating": "basically_satisfied",
                                     "note": text})
        assert response.status_code in (302, 400, 422), text[:10]
    note = "<script>alert('x')</script>"
    client.post(url, {"solved": "solved", "rating": "satisfied", "note": note})
    page = client.get(reverse("web:case", args=[appeal.number])).content.decode()
    assert "电话回访：<b>解决</b>，<b>满意</b>" in page
    assert note not in page and "&lt;script&gt;" in page


def test_call_back_through_the_api(d):
    appeal = resolved(d)
    post = _api(d.dispatcher)
    missing = post(f"/appeals/{appeal.number}/call_back", {"solved": "solved"})
    assert missing.status_code == 422 and missing.json()["field"] == "rating"
    ok = post(f"/appeals/{appeal.number}/call_back", {"solved": "unsolved",
                                                      "rating": "unsatisfied", "note": "未修好"})
    assert ok.status_code == 200 and ok.json()["state"] == "resolved"
    assert "call_back" in ok.json()["allowed_actions"]
    assert fresh(appeal).callback_solved == "unsolved"
    unit = _api(d.cgj_staff)(f"/appeals/{appeal.number}/call_back",
                             {"solved": "solved", "rating": "satisfied"})
    assert unit.status_code == 403

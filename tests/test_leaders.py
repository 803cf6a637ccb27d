"""领导包联: assigning leaders to units and problems (page, admin, action log), the leader's
board (包联 first), 督办 inside and outside the 包联 (action, page, API), 督办 on shared problems
and its answer, and the sweep that marks late 转派 cases overdue.

People: the dispatcher (assigns 包联), the test leader (包联: 林山寨街道 and 区城市管理局, see
tests/factories.py), a second leader with no 包联, the 住建局 (outside the leader's 包联)."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from banshi.appeals import actions
from banshi.appeals.choices import ProblemAction
from banshi.appeals.models import Appeal, AppealEvent, ProblemSupervision
from banshi.appeals.transitions import APPEAL, PROBLEM
from banshi.org.choices import Role
from banshi.org.models import ApiToken, LeaderAssignment, LeaderAssignmentChange, Unit

from .factories import HOSTILE, dispatched, in_progress, login, make_user, submitted, today

LEADERS = reverse("web:leaders")


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def open_problem(d, owner=None, title="百花路路灯普遍不亮"):
    return actions.create_problem(actor=d.dispatcher, title=title, owner_unit=owner or d.zjj)


def overdue(d, unit, **kwargs) -> Appeal:
    appeal = dispatched(d, unit, **kwargs)
    actions.mark_overdue(now=appeal.response_due_at + dt.timedelta(minutes=1))
    return fresh(appeal)


# ---------- the rule ----------


def test_a_leader_supervises_only_within_their_baolian(d):
    inside = dispatched(d, d.cgj)
    community = dispatched(d, d.community_unit)  # a community of the 包联 street
    outside = dispatched(d, d.zjj)
    actions.supervise(inside, actor=d.leader, instruction="限期办结", due_date=today())
    actions.supervise(community, actor=d.leader, instruction="限期办结", due_date=today())
    with pytest.raises(actions.NotPermitted) as refused:
        actions.supervise(outside, actor=d.leader, instruction="限期办结", due_date=today())
    assert refused.value.message == "只能督办包联单位的诉求"
    assert not outside.supervisions.exists()
    actions.supervise(outside, actor=d.dispatcher, instruction="派单员督办", due_date=today())
    with pytest.raises(actions.NotPermitted) as refused:
        actions.supervise(outside, actor=d.zjj_staff, instruction="x", due_date=today())
    assert refused.value.message == "只有区级领导和派单员可以督办"


def test_baolian_covers_delegated_cases_linked_problems_and_new_cases_of_the_street(d):
    other = make_user("leader2", Role.LEADER)
    held = in_progress(d, d.zjj)
    assert not APPEAL.allowed("supervise", other, held)
    problem = open_problem(d)
    actions.assign_leader(other, actor=d.dispatcher, units=[], problems=[problem])
    linked = actions.link_appeal(in_progress(d, d.zjj), problem, actor=d.dispatcher)
    assert APPEAL["supervise"].right(other, linked)
    assert not APPEAL["supervise"].right(other, held)
    # a case 转派'd by the street to its community: the street's leader, and no one else
    street_case = actions.accept(dispatched(d, d.street_unit), actor=d.street_staff)
    down = actions.delegate(street_case, actor=d.street_staff, unit=d.community2_unit,
                            note="请社区办理")
    assert APPEAL["supervise"].right(d.leader, down) and not APPEAL["supervise"].right(other, down)
    # not yet at any unit: by where it is (a community of the 包联 street)
    waiting = submitted(d)
    assert APPEAL.allowed("supervise", d.leader, waiting)
    assert not APPEAL.allowed("supervise", other, waiting)


def test_only_leaders_get_baolian_and_only_streets_and_departments(d):
    with pytest.raises(actions.NotPermitted):
        actions.assign_leader(d.leader, actor=d.leader, units=[d.zjj], problems=[])
    with pytest.raises(actions.InvalidInput) as bad:
        actions.assign_leader(d.cgj_staff, actor=d.dispatcher, units=[d.zjj], problems=[])
    assert bad.value.field == "leader"
    with pytest.raises(actions.InvalidInput) as bad:
        actions.assign_leader(d.leader, actor=d.dispatcher, units=[d.community_unit],
                              problems=[])
    assert bad.value.field == "units" and "社区" in bad.value.message
    assert set(Unit.objects.led_by(d.leader)) == {d.street_unit, d.cgj}


def test_every_change_is_logged_and_problems_get_an_event(d):
    problem = open_problem(d)
    before = LeaderAssignmentChange.objects.count()
    actions.assign_leader(d.leader, actor=d.dispatcher, units=[d.cgj], problems=[problem],
                          note=HOSTILE[0])
    actions.assign_leader(d.leader, actor=d.dispatcher, units=[d.cgj], problems=[problem])
    change = LeaderAssignmentChange.objects.order_by("-pk").first()
    assert LeaderAssignmentChange.objects.count() == before + 1  # the repeat changed nothing
    assert change.actor == d.dispatcher and change.note == HOSTILE[0]
    assert change.data["units_removed"] == ["linshanzhai"]
    assert change.data["problems_added"] == [problem.code]
    event = problem.events.get(action=ProblemAction.ASSIGN_LEADER)
    assert "确定包联领导" in event.note and event.actor == d.dispatcher
    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(TypeError):
        LeaderAssignmentChange.objects.all().delete()


# ---------- the 领导包联 page ----------


def test_dispatcher_edits_baolian_on_the_page_with_the_grouped_picker(client, d):
    problem = open_problem(d)
    login(client, "dispatcher")
    page = client.get(LEADERS, {"leader": d.leader.pk}).content.decode()
    assert 'class="unit-select"' in page and "multiple" in page
    assert "<optgroup" in page and "百花社区居委会" not in page  # streets and departments only
    response = client.post(LEADERS, {"leader": d.leader.pk, "units": ["zjj", "linshanzhai"],
                                     "problems": [problem.code], "note": HOSTILE[4][:2000]})
    assert response.status_code == 302
    assert set(Unit.objects.led_by(d.leader)) == {d.zjj, d.street_unit}
    assert list(d.leader.led_problems.all()) == [problem]
    html = client.get(LEADERS).content.decode()
    assert "区住房和城乡建设局" in html and problem.code in html and "变更记录" in html


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_notes_on_the_leaders_page(client, d, text):
    login(client, "dispatcher")
    response = client.post(LEADERS, {"leader": d.leader.pk, "units": ["zjj"], "note": text})
    if len(text) > 2000:
        assert response.status_code == 422 and "2000" in response.content.decode()
        assert set(Unit.objects.led_by(d.leader)) == {d.street_unit, d.cgj}
        return
    assert response.status_code == 302
    assert LeaderAssignmentChange.objects.order_by("-pk").first().note == text.strip()
    html = client.get(LEADERS).content.decode()
    assert "<script>alert" not in html


def test_page_refuses_bad_units_and_unknown_leaders(client, d):
    login(client, "dispatcher")
    response = client.post(LEADERS, {"leader": d.leader.pk, "units": ["linshanzhai-01"]})
    assert response.status_code == 422  # a community is not offered
    response = client.post(LEADERS, {"leader": d.cgj_staff.pk, "units": ["zjj"]})
    assert response.status_code == 422 and "请选择区级领导" in response.content.decode()
    assert set(Unit.objects.led_by(d.leader)) == {d.street_unit, d.cgj}


def test_a_leader_reads_their_own_and_cannot_change_it(client, d):
    make_user("leader2", Role.LEADER)
    login(client, "leader")
    html = client.get(LEADERS, {"leader": d.leader.pk}).content.decode()
    assert "林山寨街道办事处" in html and "区城市管理局" in html
    assert "leader2" not in html and "保存包联" not in html and "编辑" not in html
    response = client.post(LEADERS, {"leader": d.leader.pk, "units": ["zjj"]})
    assert response.status_code == 403
    assert set(Unit.objects.led_by(d.leader)) == {d.street_unit, d.cgj}
    assert login(Client(), "cgj").get(LEADERS).status_code == 403


def test_admin_edits_baolian_through_the_action(client, d):
    d.admin.is_staff = d.admin.is_superuser = True
    d.admin.save()
    problem = open_problem(d)
    assignment = LeaderAssignment.objects.get(leader=d.leader)
    login(client, "admin")
    change_url = reverse("admin:org_leaderassignment_change", args=[assignment.pk])
    assert client.get(change_url).status_code == 200
    response = client.post(change_url, {"units": [d.zjj.pk], "problems": [problem.pk],
                                        "note": "调整分工"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(Unit.objects.led_by(d.leader)) == {d.zjj}
    assert list(d.leader.led_problems.all()) == [problem]
    assert LeaderAssignmentChange.objects.order_by("-pk").first().note == "调整分工"
    listing = client.get(reverse("admin:org_leaderassignment_changelist"), {"q": "leader"})
    assert listing.status_code == 200 and "区住房和城乡建设局" in listing.content.decode()
    lookup = client.get(reverse("admin:autocomplete"), {
        "app_label": "org", "model_name": "leaderassignment", "field_name": "units",
        "term": "街道"})
    assert [r["text"] for r in lookup.json()["results"]] == ["林山寨街道办事处"]


# ---------- the leader's board ----------


def test_the_leaders_board_lists_their_baolian_first(client, d):
    mine = overdue(d, d.cgj, title="城管局超期的诉求")
    theirs = overdue(d, d.zjj, title="住建局超期的诉求")
    problem = open_problem(d, owner=d.cgj, title="城管共性问题整改")
    actions.add_milestone(problem, actor=d.cgj_staff, title="更换灯具",
                          due_date=today() - dt.timedelta(days=2))
    actions.supervise_problem(problem, actor=d.leader, instruction="按期整改",
                              due_date=today())
    html = login(client, "leader").get(reverse("web:home")).content.decode()
    led = html.index("我包联的单位")
    assert led < html.index(mine.number) < html.index("其他超期未办结") < html.index(theirs.number)
    assert led < html.index(problem.code) < html.index("其他督办事项")
    assert "1 个节点逾期" in html
    board = client.get(reverse("web:supervision")).content.decode()
    assert board.index("我包联的单位") < board.index(mine.number) < board.index(theirs.number)


def test_a_leader_without_baolian_sees_the_hint(client, d):
    make_user("leader2", Role.LEADER)
    late = overdue(d, d.zjj)
    html = login(client, "leader2").get(reverse("web:home")).content.decode()
    assert "尚未设置包联" in html and "区派单员" in html and late.number in html


# ---------- 督办 refused outside the 包联: page and API ----------


def test_supervise_page_refuses_a_case_outside_baolian(client, d):
    outside = in_progress(d, d.zjj)
    login(client, "leader")
    page = client.get(reverse("web:case", args=[outside.number])).content.decode()
    assert 'id="action-supervise"' not in page
    response = client.post(reverse("web:act", args=[outside.number, "supervise"]),
                           {"instruction": "越权督办", "due_date": today().isoformat()})
    assert response.status_code == 403
    assert "只能督办包联单位的诉求" in response.content.decode()
    assert not outside.supervisions.exists()


def test_supervise_api_refuses_a_case_outside_baolian(d):
    outside, inside = in_progress(d, d.zjj), in_progress(d, d.cgj)
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(d.leader)}"}
    body = json.dumps({"instruction": "限期办结", "due_date": "2099-01-01"})
    refused = Client().post(f"/api/v1/appeals/{outside.number}/supervise", body,
                            content_type="application/json", headers=headers)
    assert refused.status_code == 403 and refused.json()["detail"] == "只能督办包联单位的诉求"
    shown = Client().get(f"/api/v1/appeals/{outside.number}", headers=headers).json()
    assert "supervise" not in shown["allowed_actions"]
    ok = Client().post(f"/api/v1/appeals/{inside.number}/supervise", body,
                       content_type="application/json", headers=headers)
    assert ok.status_code == 200 and ok.json()["supervisions"][0]["answered_at"] is None


# ---------- 督办 on shared problems ----------


def test_problem_supervision_and_its_answer_write_events(d):
    problem = open_problem(d, owner=d.cgj)
    with pytest.raises(actions.TransitionNotAllowed):
        actions.answer_problem_supervision(problem, actor=d.cgj_staff, answer="无督办")
    order = actions.supervise_problem(problem, actor=d.leader, instruction=HOSTILE[2],
                                      due_date=today() + dt.timedelta(days=5))
    assert order.issued_by == d.leader and order.answered_at is None
    with pytest.raises(actions.NotPermitted):
        actions.answer_problem_supervision(problem, actor=d.zjj_staff, answer="越权")
    answered = actions.answer_problem_supervision(problem, actor=d.cgj_staff,
                                                  answer=HOSTILE[3])
    assert answered.pk == order.pk and answered.answer == HOSTILE[3].strip()
    assert answered.answered_by == d.cgj_staff
    kinds = list(problem.events.values_list("action", flat=True))
    assert kinds[-2:] == [ProblemAction.SUPERVISE, ProblemAction.SUPERVISION_ANSWER]
    with pytest.raises(actions.InvalidInput):
        actions.supervise_problem(problem, actor=d.leader, instruction="x",
                                  due_date=today() - dt.timedelta(days=1))


def test_problem_supervision_follows_the_baolian(d):
    owned_by_zjj = open_problem(d)
    with pytest.raises(actions.NotPermitted) as refused:
        actions.supervise_problem(owned_by_zjj, actor=d.leader, instruction="x", due_date=today())
    assert refused.value.message == "只能督办包联的共性问题"
    actions.assign_leader(d.leader, actor=d.dispatcher, units=[d.cgj], problems=[owned_by_zjj])
    actions.supervise_problem(owned_by_zjj, actor=d.leader, instruction="x", due_date=today())
    actions.supervise_problem(owned_by_zjj, actor=d.dispatcher, instruction="y", due_date=today())
    with pytest.raises(actions.NotPermitted):
        actions.supervise_problem(owned_by_zjj, actor=d.zjj_staff, instruction="z",
                                  due_date=today())
    assert PROBLEM.offered(d.zjj_staff, owned_by_zjj) == [
        "milestone", "resolve", "answer_supervision"]


def test_problem_supervision_through_the_pages(client, d):
    problem = open_problem(d, owner=d.cgj)
    act = reverse("web:problem-act", args=[problem.code, "supervise"])
    login(client, "leader")
    page = client.get(reverse("web:problem", args=[problem.code])).content.decode()
    assert 'id="action-supervise"' in page
    due = (today() + dt.timedelta(days=7)).isoformat()
    assert f'value="{due}"' in page  # the default due date, an ISO date
    for text in HOSTILE:
        response = client.post(act, {"instruction": text, "due_date": due})
        if len(text) > 2000:
            assert response.status_code == 422
        else:
            assert response.status_code == 302
    assert ProblemSupervision.objects.filter(problem=problem).count() == len(HOSTILE) - 1
    page = client.get(reverse("web:problem", args=[problem.code])).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    home = login(Client(), "cgj").get(reverse("web:home")).content.decode()
    assert "督办待反馈" in home and problem.code in home
    answer = reverse("web:problem-act", args=[problem.code, "answer-supervision"])
    cgj = login(Client(), "cgj")
    assert cgj.post(answer, {"answer": HOSTILE[0]}).status_code == 302
    order = ProblemSupervision.objects.filter(problem=problem).order_by("due_date", "id").first()
    assert order.answer == HOSTILE[0] and order.answered_by == d.cgj_staff
    zjj = login(Client(), "zjj")
    assert zjj.post(answer, {"answer": "越权"}).status_code == 404


# ---------- the overdue sweep: the 转派 due date ----------


def test_a_community_past_its_delegation_due_is_marked_overdue(d):
    case = actions.accept(dispatched(d, d.street_unit), actor=d.street_staff)
    due = timezone.localdate() + dt.timedelta(days=1)
    case = actions.delegate(case, actor=d.street_staff, unit=d.community_unit, note="请办理",
                            due=due)
    case = actions.accept(case, actor=d.community_staff)  # held, in progress at the community
    end_of_due = timezone.make_aware(dt.datetime.combine(due, dt.time(23, 59)))
    assert actions.mark_overdue(now=end_of_due) == 0  # the due day is not over yet
    assert actions.mark_overdue(now=end_of_due + dt.timedelta(minutes=2)) == 1
    case = fresh(case)
    assert case.is_overdue and case.unit == d.community_unit
    event = AppealEvent.objects.filter(appeal=case, action="overdue").get()
    assert event.note == "超过转派办理期限未办结"


def test_an_answered_delegation_is_not_marked_by_its_due_date(d):
    case = actions.accept(dispatched(d, d.street_unit), actor=d.street_staff)
    due = timezone.localdate() + dt.timedelta(days=1)
    case = actions.delegate(case, actor=d.street_staff, unit=d.community_unit, note="请办理",
                            due=due)
    case = actions.resolve(actions.accept(case, actor=d.community_staff),
                           actor=d.community_staff, reply="已处理")
    assert case.state == "pending_review"
    later = timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=1), dt.time(9)))
    assert actions.mark_overdue(now=later) == 0
    assert not fresh(case).is_overdue


def _api(user, path: str, body: dict):
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"}
    return Client().post(f"/api/v1{path}", json.dumps(body), content_type="application/json",
                         headers=headers)


def test_problem_supervision_through_the_api(d):
    problem = open_problem(d, owner=d.cgj)
    outside = open_problem(d, title="住建局牵头的问题")
    order = {"instruction": "本月内完成整改", "due_date": "2099-01-01"}
    refused = _api(d.leader, f"/problems/{outside.code}/supervise", order)
    assert refused.status_code == 403 and refused.json()["detail"] == "只能督办包联的共性问题"
    early = _api(d.cgj_staff, f"/problems/{problem.code}/answer_supervision", {"answer": "x"})
    assert early.status_code == 409 and early.json()["detail"] == "没有待反馈的督办"
    ok = _api(d.leader, f"/problems/{problem.code}/supervise", order)
    assert ok.status_code == 200, ok.content
    body = ok.json()
    assert body["supervisions"][0]["due_date"] == "2099-01-01"
    assert body["supervisions"][0]["answered_at"] is None and body["owner_unit_code"] == "cgj"
    assert body["allowed_actions"] == ["supervise"]
    for text in HOSTILE:
        response = _api(d.cgj_staff, f"/problems/{problem.code}/answer_supervision",
                        {"answer": text})
        if len(text) > 5000:
            assert response.status_code == 422
            continue
        assert response.status_code in (200, 409)
        if response.status_code == 200:
            assert response.json()["supervisions"][0]["answer"] == text.strip()
    assert _api(d.zjj_staff, f"/problems/{problem.code}/answer_supervision",
                {"answer": "越权"}).status_code == 404
    assert _api(d.leader, "/problems/WT19990101-01/supervise", order).status_code == 404
    assert list(problem.events.values_list("action", flat=True)).count(
        ProblemAction.SUPERVISION_ANSWER) == 1


def _problem_in(d, status: str):
    if status == "candidate":
        from .test_problems import Cluster

        numbers = [submitted(d, title=f"候选诉求{i}").number for i in range(3)]
        [problem] = actions.record_candidates([Cluster(numbers)]).created
        return actions.edit_problem(problem, actor=d.dispatcher, owner_unit=d.cgj)
    problem = open_problem(d, owner=d.cgj)
    if status == "resolved":
        actions.resolve_problem(problem, actor=d.cgj_staff, reply="已整改")
    return fresh(problem)


@pytest.mark.parametrize("status", ["candidate", "open", "resolved"])
@pytest.mark.parametrize("name", ["supervise", "answer_supervision"])
def test_problem_supervision_does_what_the_table_says(d, status, name):
    problem = _problem_in(d, status)
    if name == "answer_supervision" and status == "open":
        actions.supervise_problem(problem, actor=d.dispatcher, instruction="x", due_date=today())
    who = d.dispatcher if name == "supervise" else d.cgj_staff
    allowed = PROBLEM.allowed(name, who, problem)
    call = {
        "supervise": lambda: actions.supervise_problem(problem, actor=who, instruction="督办",
                                                       due_date=today()),
        "answer_supervision": lambda: actions.answer_problem_supervision(
            problem, actor=who, answer="已整改"),
    }[name]
    try:
        call()
    except actions.TransitionNotAllowed as exc:
        assert not allowed and exc.message == PROBLEM.state_refusal(name, fresh(problem))
    else:
        assert allowed and status == "open"


def test_nobody_signed_in_has_baolian(d):
    from django.contrib.auth.models import AnonymousUser

    from banshi.appeals.models import Problem

    open_problem(d)  # a problem with no leader must not match "no user"
    dispatched(d, d.cgj)
    for nobody in (None, AnonymousUser()):
        assert not Unit.objects.led_by(nobody).exists()
        assert not Problem.objects.led_by(nobody).exists()
        assert not Appeal.objects.led_by(nobody).exists()

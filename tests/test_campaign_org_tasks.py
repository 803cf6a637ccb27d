"""Work tasks: issued to units through the page and the API, each unit's status, progress
reports by the assigned unit, complete and reopen, the overdue list, filters, and who sees
which task and which unit's part of it."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from banshi.appeals.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from banshi.campaign.actions import tasks as actions
from banshi.campaign.choices import AssignmentStatus
from banshi.campaign.models import Task, TaskAssignment
from banshi.campaign.stats import campaign_figures
from banshi.org.models import ApiToken

from .campaign_org_world import START, org_world  # noqa: F401
from .factories import HOSTILE, login

API = "/api/v1/campaign/tasks"


def api(user, method="GET", path=API, body=None, **params):
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"}
    if method == "GET":
        return Client().get(path, params, headers=headers)
    return Client().post(path, json.dumps(body), content_type="application/json",
                         headers=headers)


def issue(world, *units, due=None, **fields):
    d = world.d
    values = {"title": "排查安全隐患", "issued_on": START} | fields
    return actions.issue_task(actor=d.dispatcher, unit=d.district_unit,
                              due_on=due or timezone.localdate() + dt.timedelta(days=10),
                              assignees=units or [d.cgj, d.street_unit], **values)


def test_issued_through_the_page_to_several_units(org_world, client):  # noqa: F811
    login(client, "dispatcher")
    member = org_world.records["member"]
    response = client.post(reverse("web:campaign-task-new"), {
        "unit": "district", "title": "开展“我为群众办实事”清单梳理", "kind": "required",
        "description": "各单位形成清单", "issued_on": "2026-03-06", "due_on": "2026-03-31",
        "owner": member.pk, "assignees": ["cgj", "zjj", "linshanzhai"]})
    task = Task.objects.get(title="开展“我为群众办实事”清单梳理")
    assert response.status_code == 302
    assert task.owner == member and task.kind == "required"
    assert sorted(task.assignments.values_list("unit__code", flat=True)) == [
        "cgj", "linshanzhai", "zjj"]
    page = client.get(reverse("web:campaign-task", args=[task.pk])).content.decode()
    assert page.count('class="card" id="assignment-') == 3 and "王协调" in page


def test_a_unit_issues_only_to_units_below_it(org_world):  # noqa: F811
    d = org_world.d
    task = actions.issue_task(actor=d.street_staff, unit=d.street_unit, title="社区自查",
                              due_on=START + dt.timedelta(days=5), issued_on=START,
                              assignees=[d.community_unit, d.community2_unit])
    assert task.assignments.count() == 2
    with pytest.raises(NotPermitted):
        actions.issue_task(actor=d.street_staff, unit=d.street_unit, title="越权",
                           due_on=START, issued_on=START, assignees=[d.cgj])
    with pytest.raises(InvalidInput) as refused:
        actions.issue_task(actor=d.dispatcher, unit=d.district_unit, title="时限倒置",
                           due_on=START, issued_on=START + dt.timedelta(days=1),
                           assignees=[d.cgj])
    assert refused.value.field == "due_on"
    with pytest.raises(InvalidInput) as refused:
        actions.issue_task(actor=d.dispatcher, unit=d.district_unit, title="无人承办",
                           due_on=START, issued_on=START, assignees=[])
    assert refused.value.field == "assignees"


def test_the_assigned_unit_reports_completes_and_the_issuer_reopens(org_world, client):  # noqa: F811
    task = issue(org_world)
    cgj_part = task.assignments.get(unit__code="cgj")
    login(client, "cgj")
    page = client.get(reverse("web:campaign-task", args=[task.pk])).content.decode()
    assert "区城市管理局" in page and "林山寨街道办事处" not in page  # its own part only
    response = client.post(reverse("web:campaign-task-report", args=[task.pk, cgj_part.pk]),
                           {"text": "已排查12处"})
    assert response.status_code == 302 and cgj_part.reports.get().text == "已排查12处"
    response = client.post(reverse("web:campaign-task-complete", args=[task.pk, cgj_part.pk]))
    cgj_part.refresh_from_db()
    assert response.status_code == 302 and cgj_part.status == AssignmentStatus.DONE
    again = client.post(reverse("web:campaign-task-complete", args=[task.pk, cgj_part.pk]))
    assert again.status_code == 409
    refused = client.post(reverse("web:campaign-task-reopen", args=[task.pk, cgj_part.pk]),
                          {"reason": "自己打开"})
    assert refused.status_code == 403
    other = task.assignments.get(unit__code="linshanzhai")
    assert client.post(reverse("web:campaign-task-report", args=[task.pk, other.pk]),
                       {"text": "越权"}).status_code == 404
    office = Client()
    login(office, "dispatcher")
    response = office.post(reverse("web:campaign-task-reopen", args=[task.pk, cgj_part.pk]),
                           {"reason": "台账不全，请补充"})
    cgj_part.refresh_from_db()
    assert response.status_code == 302 and cgj_part.status == AssignmentStatus.OPEN
    assert cgj_part.completed_on is None


def test_reopening_needs_a_reason(org_world, client):  # noqa: F811
    done_task, done = org_world.records["done_task"], org_world.records["done"]
    login(client, "dispatcher")
    response = client.post(reverse("web:campaign-task-reopen", args=[done_task.pk, done.pk]),
                           {"reason": "  "})
    assert response.status_code == 422
    done.refresh_from_db()
    assert done.status == AssignmentStatus.DONE


def test_the_overdue_list(org_world, client):  # noqa: F811
    today = timezone.localdate()
    late = issue(org_world, org_world.d.cgj, org_world.d.zjj, title="逾期未报",
                 due=today - dt.timedelta(days=3))
    actions.complete_assignment(late.assignments.get(unit__code="zjj"),
                                actor=org_world.d.zjj_staff)
    issue(org_world, org_world.d.cgj, title="尚未到期", due=today + dt.timedelta(days=3))
    login(client, "dispatcher")
    page = client.get(reverse("web:campaign-tasks-overdue")).content.decode()
    # the world's 制定实施方案 (百花社区, due 03-12) and 逾期未报 at the 城管局 only
    assert "制定实施方案" in page and "逾期未报" in page and "尚未到期" not in page
    assert "共 2 项" in page and "区住房和城乡建设局" not in page
    figures = campaign_figures(org_world.d.dispatcher, START, today)
    assert figures["tasks_overdue"] == TaskAssignment.objects.overdue().count() == 2
    login(client, "cgj")
    page = client.get(reverse("web:campaign-tasks-overdue")).content.decode()
    assert "逾期未报" in page and "制定实施方案" not in page and "共 1 项" in page
    listed = client.get(reverse("web:campaign-tasks")).content.decode()
    assert 'id="overdue-count">1<' in listed


def test_the_list_filters_by_kind_status_and_unit(org_world, client):  # noqa: F811
    issue(org_world, org_world.d.cgj, title="城管自选", kind="optional")
    login(client, "dispatcher")
    url = reverse("web:campaign-tasks")
    page = client.get(url, {"kind": "optional"}).content.decode()
    assert "城管自选" in page and "报送清单" in page and "制定实施方案" not in page
    page = client.get(url, {"status": "done"}).content.decode()
    assert "报送清单" in page and "城管自选" not in page
    page = client.get(url, {"status": "overdue"}).content.decode()
    assert "制定实施方案" in page and "报送清单" not in page and "城管自选" not in page
    page = client.get(url, {"unit": "linshanzhai"}).content.decode()
    assert "制定实施方案" in page and "城管自选" not in page


def test_who_sees_a_task(org_world):  # noqa: F811
    task = org_world.records["task"]
    expected = {"admin": 200, "dispatcher": 200, "leader": 200, "inspector": 200,
                "street": 200, "community": 200, "department": 404}
    for role, status in expected.items():
        client = Client()
        client.force_login(org_world.users[role])
        assert client.get(reverse("web:campaign-task", args=[task.pk])).status_code == status
    other = Client()
    login(other, "linshanzhai-02")  # the street's other community: not assigned
    assert other.get(reverse("web:campaign-task", args=[task.pk])).status_code == 404


def test_the_api_lists_and_takes_the_assigned_units_report(org_world):  # noqa: F811
    d = org_world.d
    task = issue(org_world, d.cgj, d.street_unit)
    cgj = api(d.cgj_staff).json()
    assert [row["id"] for row in cgj["results"]] == [task.pk]
    assert [a["unit_code"] for a in cgj["results"][0]["assignments"]] == ["cgj"]
    everything = api(d.dispatcher, status="overdue").json()
    assert [row["id"] for row in everything["results"]] == [org_world.records["task"].pk]
    assert everything["results"][0]["assignments"][0]["overdue"] is True
    response = api(d.cgj_staff, "POST", f"{API}/{task.pk}/report",
                   {"text": "已完成排查", "complete": True})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit_code"] == "cgj" and body["status"] == "done"
    assert body["reports"][0]["text"] == "已完成排查"
    # a unit the task is not assigned to
    response = api(d.zjj_staff, "POST", f"{API}/{task.pk}/report", {"text": "越权"})
    assert response.status_code == 404
    # the office names the unit; without it, the office has no own part
    response = api(d.dispatcher, "POST", f"{API}/{task.pk}/report", {"text": "代报"})
    assert response.status_code == 422 and response.json()["field"] == "unit_code"
    response = api(d.dispatcher, "POST", f"{API}/{task.pk}/report",
                   {"text": "代报", "unit_code": "linshanzhai"})
    assert response.status_code == 201
    # the leader sees the task but reports for nobody
    response = api(d.leader, "POST", f"{API}/{task.pk}/report",
                   {"text": "越权", "unit_code": "cgj"})
    assert response.status_code == 403


def test_the_api_issues_a_task(org_world):  # noqa: F811
    d = org_world.d
    response = api(d.dispatcher, "POST", body={
        "unit_code": "district", "title": "专项治理", "kind": "optional",
        "issued_on": "2026-04-01", "due_on": "2026-04-30", "assignees": ["cgj", "zjj"],
        "owner_id": org_world.records["member"].pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner_name"] == "王协调" and len(body["assignments"]) == 2
    bad = api(d.dispatcher, "POST", body={
        "unit_code": "district", "title": "专项治理", "due_on": "2026-04-30",
        "assignees": ["nowhere"]})
    assert bad.status_code == 422 and bad.json()["field"] == "assignees"
    bad = api(d.dispatcher, "POST", body={
        "unit_code": "district", "title": "专项治理", "due_on": "2026-04-30",
        "assignees": []})
    assert bad.status_code == 422 and bad.json()["field"] == "assignees"


def test_completing_twice_is_refused(org_world):  # noqa: F811
    done = org_world.records["done"]
    with pytest.raises(TransitionNotAllowed):
        actions.complete_assignment(done, actor=org_world.d.community_staff)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_tasks_and_reports(org_world, client, text):  # noqa: F811
    login(client, "dispatcher")
    response = client.post(reverse("web:campaign-task-new"), {
        "unit": "district", "title": text[:200], "kind": "required", "description": text,
        "issued_on": "2026-03-05", "due_on": "2026-03-31", "assignees": ["cgj"]})
    assert response.status_code == 302, response.content.decode()[:300]
    task = Task.objects.get(assignments__unit__code="cgj")
    part = task.assignments.get()
    response = client.post(reverse("web:campaign-task-report", args=[task.pk, part.pk]),
                           {"text": text[:5000]})
    assert response.status_code == 302
    for url in (reverse("web:campaign-task", args=[task.pk]), reverse("web:campaign-tasks")):
        assert "<script>alert" not in client.get(url).content.decode()
    response = api(org_world.d.cgj_staff, "POST", f"{API}/{task.pk}/report", {"text": text})
    assert response.status_code == (201 if len(text) <= 5000 else 422)

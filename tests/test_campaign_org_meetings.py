"""Meetings: recorded through the pages and the API, the list by kind and month, decisions,
and a decision made a task (转为任务) with its assignees and deadline."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from banshi.appeals.errors import NotPermitted, TransitionNotAllowed
from banshi.campaign.actions import meetings as actions
from banshi.campaign.models import Meeting, Task
from banshi.collection.choices import RecordAction
from banshi.collection.models import RecordEvent
from banshi.org.models import ApiToken

from .campaign_org_world import START, org_world  # noqa: F401
from .factories import HOSTILE, login

API = "/api/v1/campaign/meetings"


def api(world, role: str, method: str = "GET", path: str = API, body=None, **params):
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(world.users[role])}"}
    if method == "GET":
        return Client().get(path, params, headers=headers)
    return Client().post(path, json.dumps(body), content_type="application/json",
                         headers=headers)


def test_recorded_through_the_page(org_world, client):  # noqa: F811
    login(client, "dispatcher")
    response = client.post(reverse("web:campaign-meeting-new"), {
        "unit": org_world.d.district_unit.code, "kind": "mobilisation", "held_on": "2026-03-05",
        "title": "全区动员大会", "place": "区委礼堂", "chair": "区委书记",
        "attendees": "领导小组成员\n各单位主要负责人", "attendee_count": "320",
        "minutes": "动员部署。"})
    meeting = Meeting.objects.get(kind="mobilisation")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:campaign-meeting", args=[meeting.pk])
    assert (meeting.held_on, meeting.attendee_count, meeting.chair) == (START, 320, "区委书记")
    page = client.get(response["Location"]).content.decode()
    assert "全区动员大会" in page and "各单位主要负责人" in page and "动员部署。" in page
    assert [e.action for e in RecordEvent.objects.of(meeting)] == [RecordAction.CREATE]


def test_the_list_filters_by_kind_and_month(org_world, client):  # noqa: F811
    d = org_world.d
    for day, kind in (("2026-03-09", "weekly"), ("2026-03-16", "weekly"),
                      ("2026-04-06", "weekly"), ("2026-03-25", "monthly")):
        actions.create_meeting(actor=d.dispatcher, unit=d.district_unit, kind=kind,
                               held_on=dt.date.fromisoformat(day),
                               title=f"会议{day}")
    login(client, "dispatcher")
    page = client.get(reverse("web:campaign-meetings"),
                      {"kind": "weekly", "month": "2026-03"}).content.decode()
    assert "会议2026-03-09" in page and "会议2026-03-16" in page
    assert "会议2026-04-06" not in page and "会议2026-03-25" not in page
    assert "共 2 次" in page
    bad = client.get(reverse("web:campaign-meetings"), {"month": "March"})
    assert bad.status_code == 200 and "月份格式为 2026-03" in bad.content.decode()


def test_a_unit_records_only_for_its_scope(org_world, client):  # noqa: F811
    login(client, "linshanzhai-01")
    page = client.get(reverse("web:campaign-meeting-new")).content.decode()
    assert 'value="linshanzhai-01"' in page and 'value="linshanzhai"' not in page
    response = client.post(reverse("web:campaign-meeting-new"), {
        "unit": "linshanzhai", "kind": "weekly", "held_on": "2026-03-09", "title": "越权",
        "attendee_count": "1"})
    assert response.status_code == 422 and not Meeting.objects.filter(title="越权").exists()
    with pytest.raises(NotPermitted):
        actions.create_meeting(actor=org_world.d.community_staff, unit=org_world.d.street_unit,
                               kind="weekly", held_on=START, title="越权")


def test_a_decision_becomes_a_task_through_the_pages(org_world, client):  # noqa: F811
    d, meeting = org_world.d, org_world.records["meeting"]
    login(client, "linshanzhai")
    response = client.post(reverse("web:campaign-meeting-decision-add", args=[meeting.pk]),
                           {"text": "百花社区一周内清理楼道"})
    assert response.status_code == 302
    decision = meeting.decisions.get(text="百花社区一周内清理楼道")
    url = reverse("web:campaign-meeting-decision-task", args=[meeting.pk, decision.pk])
    form = client.get(url).content.decode()
    assert "百花社区一周内清理楼道" in form and 'value="linshanzhai-02"' in form
    response = client.post(url, {"kind": "optional", "due_on": "2026-03-20",
                                 "assignees": ["linshanzhai-01", "linshanzhai-02"]})
    task = Task.objects.get(decision=decision)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:campaign-task", args=[task.pk])
    assert (task.unit, task.issued_on, task.title, task.kind) == (
        d.street_unit, meeting.held_on, "百花社区一周内清理楼道", "optional")
    assert {a.unit for a in task.assignments.all()} == {d.community_unit, d.community2_unit}
    page = client.get(reverse("web:campaign-meeting", args=[meeting.pk])).content.decode()
    assert reverse("web:campaign-task", args=[task.pk]) in page
    assert RecordAction.DECISION_TO_TASK in [e.action for e in RecordEvent.objects.of(meeting)]
    with pytest.raises(TransitionNotAllowed):
        actions.decision_to_task(decision, actor=d.street_staff, due_on=START,
                                 assignees=[d.community_unit])
    assert Task.objects.filter(decision=decision).count() == 1


def test_a_street_cannot_task_a_unit_outside_it(org_world, client):  # noqa: F811
    meeting, decision = org_world.records["meeting"], org_world.records["decision"]
    login(client, "linshanzhai")
    response = client.post(
        reverse("web:campaign-meeting-decision-task", args=[meeting.pk, decision.pk]),
        {"kind": "required", "due_on": "2026-03-20", "assignees": ["cgj"]})
    assert response.status_code == 403 and not Task.objects.filter(decision=decision).exists()


def test_the_api_records_lists_and_makes_tasks(org_world):  # noqa: F811
    d = org_world.d
    response = api(org_world, "street", "POST", body={
        "unit_code": "linshanzhai", "kind": "progress", "held_on": "2026-04-22",
        "title": "街道推进会", "attendee_count": 40})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["kind_label"] == "推进会" and created["decisions"] == []
    listed = api(org_world, "street", kind="progress", month="2026-04").json()
    assert [row["id"] for row in listed["results"]] == [created["id"]]
    assert api(org_world, "street", month="2026-05").json()["count"] == 0
    path = f"{API}/{created['id']}/decisions"
    decision = api(org_world, "street", "POST", path, {"text": "各社区报送台账"}).json()
    task = api(org_world, "street", "POST", f"{path}/{decision['id']}/task", {
        "due_on": "2026-05-01", "assignees": ["linshanzhai-01"]})
    assert task.status_code == 201, task.content
    body = task.json()
    assert body["decision_id"] == decision["id"] and body["meeting_id"] == created["id"]
    assert [a["unit_code"] for a in body["assignments"]] == ["linshanzhai-01"]
    again = api(org_world, "street", "GET").json()["results"]
    [row] = [r for r in again if r["id"] == created["id"]]
    assert row["decisions"][0]["task_id"] == body["id"]
    assert Task.objects.get(pk=body["id"]).unit == d.street_unit


@pytest.mark.parametrize("body,field", [
    ({"kind": "party"}, "kind"), ({"held_on": "2026-02-30"}, "held_on"),
    ({"title": ""}, "title"), ({"attendee_count": -1}, "attendee_count"),
    ({"unit_code": "nowhere"}, "unit_code"), ({"title": "会\x00议"}, "title"),
    ({"minutes": "长" * 50_001}, "minutes")])
def test_the_api_names_the_bad_field(org_world, body, field):  # noqa: F811
    good = {"unit_code": "linshanzhai", "kind": "weekly", "held_on": "2026-03-09",
            "title": "周例会"}
    response = api(org_world, "street", "POST", body=good | body)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert api(org_world, "street", month="2026-3").status_code == 422


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_through_the_page_and_api(org_world, client, text):  # noqa: F811
    login(client, "linshanzhai")
    response = client.post(reverse("web:campaign-meeting-new"), {
        "unit": "linshanzhai", "kind": "weekly", "held_on": "2026-03-09", "title": text[:200],
        "place": text[:200], "chair": text[:100], "attendees": text, "minutes": text,
        "attendee_count": "3"})
    assert response.status_code == 302, response.content.decode()[:300]
    meeting = Meeting.objects.get(kind="weekly")
    assert meeting.minutes == text.strip()
    page = client.get(reverse("web:campaign-meeting", args=[meeting.pk])).content.decode()
    assert "<script>alert" not in page
    response = client.post(reverse("web:campaign-meeting-decision-add", args=[meeting.pk]),
                           {"text": text[:2000]})
    assert response.status_code == 302
    assert "<script>alert" not in client.get(reverse("web:campaign-meetings")).content.decode()
    api_response = api(org_world, "street", "POST", body={
        "unit_code": "linshanzhai", "kind": "weekly", "held_on": "2026-03-16",
        "title": text[:200], "minutes": text})
    assert api_response.status_code == 201 and api_response.json()["minutes"] == text


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_the_decision_task_form(org_world, client, text):  # noqa: F811
    meeting, decision = org_world.records["meeting"], org_world.records["decision"]
    login(client, "linshanzhai")
    response = client.post(
        reverse("web:campaign-meeting-decision-task", args=[meeting.pk, decision.pk]),
        {"title": text[:200], "description": text, "kind": "required", "due_on": "2026-03-20",
         "assignees": ["linshanzhai-01"]})
    assert response.status_code == 302, response.content.decode()[:300]
    task = Task.objects.get(decision=decision)
    assert task.description == text.strip()
    page = client.get(reverse("web:campaign-task", args=[task.pk])).content.decode()
    assert "<script>alert" not in page


def test_edited_through_the_page(org_world, client):  # noqa: F811
    meeting = org_world.records["meeting"]
    login(client, "linshanzhai")
    form = client.get(reverse("web:campaign-meeting-edit", args=[meeting.pk])).content.decode()
    assert "林山寨街道协调会" in form
    response = client.post(reverse("web:campaign-meeting-edit", args=[meeting.pk]), {
        "unit": "linshanzhai", "kind": "coordination", "held_on": "2026-03-06",
        "title": "林山寨街道协调会(改期)", "attendee_count": "12"})
    meeting.refresh_from_db()
    assert response.status_code == 302
    assert (meeting.title, meeting.held_on, meeting.attendee_count) == (
        "林山寨街道协调会(改期)", dt.date(2026, 3, 6), 12)
    [update, *_] = RecordEvent.objects.of(meeting)
    assert update.action == RecordAction.UPDATE
    assert update.data["fields"] == ["attendee_count", "held_on", "title"]
    moved = client.post(reverse("web:campaign-meeting-edit", args=[meeting.pk]), {
        "unit": "cgj", "kind": "coordination", "held_on": "2026-03-06", "title": "越权",
        "attendee_count": "1"})
    assert moved.status_code == 422
    meeting.refresh_from_db()
    assert meeting.unit == org_world.d.street_unit

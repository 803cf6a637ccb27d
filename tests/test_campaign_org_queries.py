"""The org area's lists answer in a number of queries that does not grow with their rows
(no query per meeting, task, assignment, report or matter)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banshi.campaign.actions import matters, meetings, tasks
from banshi.org.models import ApiToken

from .campaign_org_world import START, org_world  # noqa: F401

PAGES = ["campaign-org", "campaign-meetings", "campaign-tasks", "campaign-tasks-overdue",
         "campaign-matters", "campaign-matters-summary"]
APIS = ["/api/v1/campaign/organisation", "/api/v1/campaign/meetings",
        "/api/v1/campaign/tasks", "/api/v1/campaign/matters"]


def add_rows(world, n: int) -> None:
    d = world.d
    for i in range(n):
        meeting = meetings.create_meeting(actor=d.dispatcher, unit=d.district_unit,
                                          kind="weekly", held_on=START + dt.timedelta(days=i),
                                          title=f"周例会{i}")
        decision = meetings.add_decision(meeting, actor=d.dispatcher, text=f"议定{i}")
        task = meetings.decision_to_task(decision, actor=d.dispatcher,
                                         due_on=START + dt.timedelta(days=30),
                                         assignees=[d.cgj, d.zjj, d.street_unit])
        for assignment in task.assignments.all():
            tasks.report_progress(assignment, actor=d.dispatcher, text="进展")
        matter = matters.create_matter(actor=d.dispatcher, unit=d.zjj, title=f"实事{i}",
                                       committed_on=START, target_count=2)
        matters.add_progress(matter, actor=d.dispatcher, added=1, on=START)


def queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = run()
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", PAGES)
def test_pages_do_not_query_per_row(org_world, name):  # noqa: F811
    client = Client()
    client.force_login(org_world.d.dispatcher)
    url = reverse(f"web:{name}")
    add_rows(org_world, 2)
    few = queries(lambda: client.get(url))
    add_rows(org_world, 6)
    assert queries(lambda: client.get(url)) == few


@pytest.mark.parametrize("path", APIS)
def test_api_lists_do_not_query_per_row(org_world, path):  # noqa: F811
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(org_world.d.dispatcher)}"}
    add_rows(org_world, 2)
    Client().get(path, headers=headers)  # the token's first use records it once
    few = queries(lambda: Client().get(path, headers=headers))
    add_rows(org_world, 6)
    assert queries(lambda: Client().get(path, headers=headers)) == few

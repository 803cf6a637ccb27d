"""The demo district reproduces the report's organisation, meetings and practical results
(issue 9): "一办五组", 59 seconded staff, the 动员大会 on 3月5日, 2 推进会, 6 协调会, weekly and
monthly office meetings, the 区城管局's 50余处 and 西流湖街道's 40余条 — counted from the
records by GET /api/v1/stats/campaign and the organisation API, never written in a page."""

import datetime as dt
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from banshi.campaign.choices import AssignmentStatus, GroupKind, MatterStatus
from banshi.campaign.models import (
    Meeting,
    OrgGroup,
    OrgMember,
    PracticalMatter,
    Task,
    TaskAssignment,
)
from banshi.demo.collection_common import CAMPAIGN_START
from banshi.org.models import ApiToken

from .shared import layer


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, appeals=0)
    return out.getvalue()


@layer()
def org_seeded() -> str:
    """The demo district without appeals (the campaign's records seeded), built once."""
    return seed()


def get(path: str, **params):
    dispatcher = get_user_model().objects.get(username="dispatcher")
    return Client().get(f"/api/v1{path}", params, headers={
        "Authorization": f"Bearer {ApiToken.objects.issue(dispatcher)}"}).json()


def mondays(start: dt.date, end: dt.date) -> int:
    return sum(1 for n in range((end - start).days + 1)
               if (start + dt.timedelta(days=n)).weekday() == 0)


def months_with_a_25th(start: dt.date, end: dt.date) -> int:
    """Months from the campaign's start whose 25th is within [start, end]."""
    count, day = 0, start
    while day <= end:
        if day.day == 25:
            count += 1
        day += dt.timedelta(days=1)
    return count


def test_the_meetings_by_kind_are_counted_from_the_records(org_seeded):
    today = timezone.localdate()
    figures = get("/stats/campaign", start=CAMPAIGN_START.isoformat(), end=today.isoformat())
    meetings = figures["meetings"]
    assert (meetings["动员大会"], meetings["推进会"], meetings["协调会"]) == (1, 2, 6)
    assert meetings["周例会"] == mondays(CAMPAIGN_START, today) > 30
    assert meetings["月度会议"] == months_with_a_25th(CAMPAIGN_START, today) >= 8
    assert sum(meetings.values()) == Meeting.objects.count()
    [mobilisation] = Meeting.objects.filter(kind="mobilisation")
    assert mobilisation.held_on == CAMPAIGN_START == dt.date(2026, 3, 5)


def test_one_office_five_groups_and_59_seconded_staff(org_seeded):
    tree = get("/campaign/organisation")
    assert tree["seconded_staff"] == 59
    [leadership] = tree["groups"]
    assert leadership["kind"] == "leadership"
    assert {m["role"] for m in leadership["members"]} >= {"组长", "副组长"}
    [office] = leadership["children"]
    assert office["kind"] == "office"
    assert any(m["role"] == "办公室主任" and "区委常委" in m["title"] for m in office["members"])
    working = [g for g in office["children"] if g["kind"] == "working"]
    assert len(working) == 5
    [branch] = [g for g in office["children"] if g["kind"] == "party_branch"]
    assert branch["rules"] and branch["children"][0]["kind"] == "branch_committee"
    # counted independently: distinct (name, home unit) of the seconded rows
    rows = OrgMember.objects.filter(seconded=True).values_list("name", "home_unit_id")
    assert len(set(rows)) == 59 < len(rows)  # the committee's members are counted once
    homes = {unit for _name, unit in rows}
    assert len(homes) > 20  # spread over the departments and the streets
    assert OrgGroup.objects.filter(kind=GroupKind.WORKING).count() == 5


def test_the_units_practical_results_are_records_with_counts(org_seeded):
    ads = PracticalMatter.objects.get(unit__code="cgj", title__contains="违规户外广告")
    assert ads.done_count >= 50 and ads.status == MatterStatus.CLOSED and ads.count_unit == "处"
    assert ads.done_count == sum(p.added for p in ads.progress.all())
    assert PracticalMatter.objects.filter(unit__code="cgj", title__contains="违法建筑").exists()
    liaisons = PracticalMatter.objects.get(unit__code="xiliuhu")
    assert liaisons.done_count >= 40 and liaisons.count_unit == "条"
    assert PracticalMatter.objects.filter(unit__code="jianshelu", title__contains="一楼一议",
                                          status=MatterStatus.OPEN).exists()
    assert PracticalMatter.objects.filter(unit__code="czj", title__contains="税收").exists()
    today = timezone.localdate()
    figures = get("/stats/campaign", start=CAMPAIGN_START.isoformat(), end=today.isoformat())
    assert figures["practical_matters"] == PracticalMatter.objects.count() >= 20
    assert figures["practical_matters_done"] == PracticalMatter.objects.filter(
        status=MatterStatus.CLOSED).count() > 0
    assert PracticalMatter.objects.values("unit").distinct().count() >= 15


def test_tasks_come_from_decisions_and_a_few_are_overdue(org_seeded):
    today = timezone.localdate()
    assert Task.objects.exists()
    assert not Task.objects.filter(decision__isnull=True).exists()
    assert set(Task.objects.values_list("kind", flat=True)) == {"required", "optional"}
    overdue = TaskAssignment.objects.filter(status=AssignmentStatus.OPEN,
                                            task__due_on__lt=today)
    figures = get("/stats/campaign", start=CAMPAIGN_START.isoformat(), end=today.isoformat())
    assert figures["tasks_overdue"] == overdue.count()
    assert 0 < overdue.count() < TaskAssignment.objects.count() // 4


def test_seeding_again_adds_no_record(org_seeded):
    models = (OrgGroup, OrgMember, Meeting, Task, TaskAssignment, PracticalMatter)
    before = [m.objects.count() for m in models]
    out = seed()
    assert "组织机构已存在" in out and "会议已存在" in out and "办实事清单已存在" in out
    assert [m.objects.count() for m in models] == before

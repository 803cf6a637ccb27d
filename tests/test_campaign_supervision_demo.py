"""The demo district's supervision reproduces the report — "7个巡回指导组对71个单位逐一督导，
实现全覆盖" — counted here independently from the records, and the statistics API and the
coverage matrix say the same."""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from banshi.campaign.models import (
    Campaign,
    GuidanceGroup,
    GuidanceMember,
    GuidanceVisit,
    Rectification,
)
from banshi.collection.models import RecordEvent
from banshi.org.choices import UnitKind
from banshi.org.models import ApiToken, Unit

from .shared import layer

FIRST_VISIT = dt.date(2026, 3, 10)
NAMES = [f"第{n}巡回指导组" for n in "一二三四五六七"]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, appeals=0)
    return out.getvalue()


@layer()
def sup_demo() -> str:
    """The demo district without appeals: its campaign records, seeded once."""
    return seed()


def counts() -> Counter:
    return Counter(groups=GuidanceGroup.objects.count(), members=GuidanceMember.objects.count(),
                   visits=GuidanceVisit.objects.count(), items=Rectification.objects.count(),
                   done=Rectification.objects.filter(status="done").count())


@pytest.mark.slow
def test_seven_groups_cover_the_71_units_each_once(sup_demo):
    groups = list(GuidanceGroup.objects.order_by("order"))
    assert [g.name for g in groups] == NAMES
    for group in groups:
        roles = Counter(group.members.values_list("role", flat=True))
        assert roles["组长"] == 1 and roles["副组长"] == 1 and roles["成员"] >= 2, group.name
    inspector = get_user_model().objects.get(username="inspector")
    assert [m.group.name for m in GuidanceMember.objects.filter(user=inspector)] == [NAMES[0]]
    covering = Counter(uid for g in groups for uid in g.covered_units.values_list("pk", flat=True))
    assert set(covering.values()) == {1}  # no unit in two groups
    wanted = set(Unit.objects.filter(kind__in=[UnitKind.STREET, UnitKind.DEPARTMENT])
                 .values_list("pk", flat=True))
    assert set(covering) == wanted and len(wanted) == 71
    kinds = Counter(Unit.objects.filter(pk__in=covering).values_list("kind", flat=True))
    assert kinds == {UnitKind.STREET: 14, UnitKind.DEPARTMENT: 57}


@pytest.mark.slow
def test_every_unit_is_visited_by_its_own_group_within_the_campaign(sup_demo):
    today = timezone.localdate()
    campaign = Campaign.objects.current()
    visited = set()
    for visit in GuidanceVisit.objects.select_related("group"):
        assert visit.group.covered_units.filter(pk=visit.unit_id).exists()
        assert FIRST_VISIT <= visit.visited_on <= today
        assert visit.group.campaign == campaign
        visited.add(visit.unit_id)
        expected = "inspector" if visit.group.name == NAMES[0] else "dispatcher"
        assert visit.created_by.username == expected
        event = RecordEvent.objects.of(visit).get()
        assert event.actor.username == expected
    assert len(visited) == 71
    items = Rectification.objects.all()
    assert items.filter(status="open").exists() and items.filter(status="done").exists()
    for item in items.filter(status="done").select_related("unit"):
        assert RecordEvent.objects.of(item).get(action="rectify").actor.username == item.unit.code


@pytest.mark.slow
def test_the_statistics_and_the_matrix_agree_with_the_count(sup_demo):
    today = timezone.localdate()
    dispatcher = get_user_model().objects.get(username="dispatcher")
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(dispatcher)}"}
    stats = Client().get("/api/v1/stats/campaign", {"start": "2026-03-05",
                                                     "end": today.isoformat()},
                         headers=headers).json()
    open_items = Rectification.objects.filter(
        status="open", visit__visited_on__gte=dt.date(2026, 3, 5)).count()
    assert (stats["supervision_groups"], stats["supervision_units"],
            stats["supervision_units_visited"], stats["supervision_coverage"]) == (7, 71, 71, 1.0)
    assert stats["rectifications_open"] == open_items > 0
    matrix = Client().get("/api/v1/campaign/coverage", headers=headers).json()
    assert (len(matrix["groups"]), matrix["units"], matrix["visited"], matrix["coverage"],
            matrix["full_coverage"]) == (7, 71, 71, 1.0, True)
    assert sum(g["units_count"] for g in matrix["groups"]) == 71
    client = Client()
    client.force_login(dispatcher)
    page = client.get("/staff/campaign/coverage/").content.decode()
    assert 'id="full-coverage"' in page and 'id="coverage-percent">100%<' in page


@pytest.mark.slow
def test_seeding_again_adds_nothing(sup_demo):
    before = counts()
    assert "巡回督导：已存在" in seed()
    assert counts() == before

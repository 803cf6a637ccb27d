"""The demo's exemplars (banshi/demo/campaign_exemplars.py): a finished 党史学习之星 round and
the good practices, made through the actions; the statistics' `exemplars` figure equals the
selected nominees of published rounds counted here independently; seeding twice adds nothing."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from banshi.campaign.choices import NominationStatus, ObjectionStatus, RoundStage, StoryStatus
from banshi.campaign.models import (
    GoodPractice,
    Nomination,
    Objection,
    PanelScore,
    Selection,
    SelectionRound,
    Vote,
)
from banshi.collection.models import RecordEvent
from banshi.demo import campaign_exemplars
from banshi.demo.campaign import demo_campaign
from banshi.demo.seeding import load_reference_data, seed_accounts
from banshi.org.models import ApiToken

START = dt.date(2026, 3, 5)


@pytest.mark.django_db
def test_demo_exemplars_counted_from_records():
    load_reference_data()
    seed_accounts()
    campaign = demo_campaign()
    said = campaign_exemplars.seed(campaign, random.Random(7))
    round_ = SelectionRound.objects.get(selection__name="党史学习之星")
    assert round_.stage == RoundStage.PUBLISHED
    assert START <= round_.published_on <= timezone.localdate()
    nominations = Nomination.objects.filter(round=round_)
    by_unit = Counter(nominations.values_list("unit_id", flat=True))
    assert len(by_unit) >= 20 and max(by_unit.values()) <= round_.quota_per_unit
    rejected = nominations.filter(status=NominationStatus.REJECTED)
    assert 1 <= rejected.count() < 10 and all(n.reject_reason for n in rejected)
    judges = set(PanelScore.objects.filter(nomination__round=round_)
                 .values_list("judge__username", flat=True))
    assert judges == {"leader", "dispatcher"}
    votes = Vote.objects.filter(round=round_)
    assert votes.count() > 100
    assert votes.values("voter").distinct().count() == votes.count()  # one vote per person
    assert not votes.filter(voter__startswith="139").exists()
    objection = Objection.objects.get(nomination__round=round_)
    assert objection.status == ObjectionStatus.DISMISSED and objection.response
    selected = [n for n in nominations if n.status == NominationStatus.SELECTED]
    assert len(selected) == round_.places
    assert sorted(n.rank for n in selected) == list(range(1, round_.places + 1))
    assert f"入选{len(selected)}人" in said and f"群众投票{votes.count()}票" in said

    # the statistics API against the independent count
    dispatcher = get_user_model().objects.get(username="dispatcher")
    token = ApiToken.objects.issue(dispatcher)
    figures = Client().get("/api/v1/stats/campaign",
                           {"start": START.isoformat(), "end": timezone.localdate().isoformat()},
                           headers={"Authorization": f"Bearer {token}"}).json()
    assert figures["exemplars"] == len(selected)

    published = GoodPractice.objects.filter(status=StoryStatus.PUBLISHED)
    assert set(published.values_list("unit__code", flat=True)) == {"lianhu", "jianshelu"}
    assert published.filter(unit__code="jianshelu", title__contains="因院施策、一楼一议").exists()
    assert all(START <= p.published_on <= timezone.localdate() for p in published)
    assert GoodPractice.objects.filter(status=StoryStatus.SUBMITTED).count() == 1
    assert RecordEvent.objects.of(round_.selection).filter(action="advance").count() == 4

    # the pages show them: the results page lists the selected, the stories are public
    results = Client().get(f"/h5/campaign/rounds/{round_.pk}/results/").content.decode()
    assert results.count('class="nominee-card"') == len(selected)
    office = Client()
    office.force_login(dispatcher)
    page = office.get(f"/staff/campaign/rounds/{round_.pk}/").content.decode()
    assert page.count("campaign/nominations/") >= nominations.count()
    assert "异议不成立" in page
    stories = Client().get("/h5/campaign/practices/").content.decode()
    assert "因院施策、一楼一议" in stories and "西流湖" not in stories

    before = (Selection.objects.count(), Nomination.objects.count(), Vote.objects.count(),
              GoodPractice.objects.count())
    again = campaign_exemplars.seed(campaign, random.Random(7))
    assert "已存在" in again
    assert before == (Selection.objects.count(), Nomination.objects.count(),
                      Vote.objects.count(), GoodPractice.objects.count())

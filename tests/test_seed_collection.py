"""The demo district reproduces the report's collection figures from its records (issue 8):
"全区共召开群众诉求征集意见座谈会126场,发放调查问卷17344份、收回15823份,设置征集意见箱287个,
入户走访群众5981人次,征集群众诉求2119条" — counted by the statistics, never written in a page."""

import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from banshi.appeals.choices import Channel
from banshi.appeals.models import Appeal
from banshi.collection.models import (
    BoxOpening,
    HouseholdVisit,
    LiaisonPairing,
    Response,
    Symposium,
)
from banshi.collection.stats import collection_figures
from banshi.demo import seeding as demo
from banshi.demo.collection_common import CAMPAIGN_START
from banshi.org.choices import UnitKind
from banshi.org.models import Unit

from .test_seed import seed, seeded  # noqa: F401 - a fixture

SOURCE_MODELS = {Channel.SYMPOSIUM: Symposium, Channel.OPINION_BOX: BoxOpening,
                 Channel.HOUSEHOLD_VISIT: HouseholdVisit, Channel.SURVEY: Response}


def figures():
    dispatcher = get_user_model().objects.get(username="dispatcher")
    return collection_figures(dispatcher, CAMPAIGN_START, timezone.localdate())


def test_the_demo_records_add_up_to_the_reports_figures(seeded):  # noqa: F811
    found = figures()
    assert found["symposiums"] == Symposium.objects.count() == 126
    assert found["surveys_distributed"] == 17344 and found["surveys_returned"] == 15823
    assert found["opinion_boxes"] == 287
    assert found["household_visit_person_times"] == 5981
    assert found["liaisons"] == 1200 and found["liaison_households"] >= 32000
    street = Unit.objects.get(code="zhongyuanxilu")
    assert Symposium.objects.filter(unit__path__startswith=street.path).count() == 9
    # the seeded appeals (the story's and those pasted from the groups), all in the campaign
    assert found["appeals_collected"] == Appeal.objects.count() == 60
    assert sum(found["appeals_by_channel"].values()) == 60


def test_demo_appeals_come_from_records_of_their_own_street_and_before_them(seeded):  # noqa: F811
    linked = Appeal.objects.exclude(source_id=None).select_related("region__parent")
    assert linked.exists()
    for appeal in linked:
        record = appeal.source
        if appeal.channel in SOURCE_MODELS:
            assert isinstance(record, SOURCE_MODELS[appeal.channel]), appeal.number
            unit = record.box.unit if isinstance(record, BoxOpening) else record.unit
            day = (timezone.localdate(record.submitted_at) if isinstance(record, Response)
                   else getattr(record, "held_on", None) or getattr(record, "opened_on", None)
                   or record.visited_on)
            assert day <= timezone.localtime(appeal.collected_at).date(), appeal.number
            street = Unit.objects.get(region=appeal.region.parent, kind=UnitKind.STREET)
            assert unit.path.startswith(street.path), (appeal.number, unit.path)
        else:  # pasted from a group: the message, word for word
            assert appeal.channel in {Channel.WECHAT_GROUP, Channel.QQ_GROUP, Channel.PLATFORM}
            assert appeal.source.text == appeal.content


def test_seeding_again_adds_no_record(seeded):  # noqa: F811
    before = Counter(symposiums=Symposium.objects.count(), pairings=LiaisonPairing.objects.count(),
                     responses=Response.objects.count(), appeals=Appeal.objects.count())
    seed()
    after = Counter(symposiums=Symposium.objects.count(), pairings=LiaisonPairing.objects.count(),
                    responses=Response.objects.count(), appeals=Appeal.objects.count())
    assert after == before


@pytest.mark.slow
def test_the_full_demo_collects_the_reports_2119_appeals_in_the_campaign(db):
    seed(appeals=demo.DEMO_APPEALS)
    found = figures()
    assert found["appeals_collected"] == 2119
    in_campaign = Appeal.objects.filter(collected_at__date__gte=CAMPAIGN_START)
    assert in_campaign.count() == Appeal.objects.count() == 2119
    oldest = Appeal.objects.order_by("collected_at").first().collected_at
    assert timezone.now() - oldest > dt.timedelta(days=120)  # spread over the campaign
    assert Appeal.objects.exclude(source_id=None).count() > 300

"""The demo's briefing for the campaign period says what the report says, from records: "全区共
召开群众诉求征集意见座谈会126场,发放调查问卷17344份、收回15823份,设置征集意见箱287个,入户走访群众
5981人次,征集群众诉求2119条" and "区委派出7个巡回指导组…已经对全区71家单位逐一进行督导". The
seeded layer holds 60 appeals (the full 2119 in the slow test): the last number is counted
here from the appeals, the others from the demo's records."""

import io

import docx
import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone

from banshi.appeals.models import Appeal
from banshi.campaign.models import Campaign, GuidanceGroup, GuidanceVisit, campaign_start
from banshi.collection.choices import BoxStatus
from banshi.collection.models import Distribution, HouseholdVisit, OpinionBox, Response, Symposium
from banshi.demo import seeding as demo
from banshi.reports.briefing import build_briefing

from .test_seed import seed, seeded  # noqa: F401 - a fixture

REPORT = ("全区共召开群众诉求征集意见座谈会{symposiums}场,发放调查问卷{distributed}份、"
          "收回{returned}份,设置征集意见箱{boxes}个,入户走访群众{people}人次,"
          "征集群众诉求{appeals}条")


def campaign_briefing() -> str:
    dispatcher = get_user_model().objects.get(username="dispatcher")
    content = build_briefing(dispatcher, campaign_start(), timezone.localdate())
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def counted() -> dict:
    """The report's figures counted straight from the demo's rows."""
    return {"symposiums": Symposium.objects.count(),
            "distributed": Distribution.objects.aggregate(n=Sum("copies"))["n"],
            "returned": Response.objects.count(),
            "boxes": OpinionBox.objects.exclude(status=BoxStatus.REMOVED).count(),
            "people": HouseholdVisit.objects.aggregate(n=Sum("people_met"))["n"],
            "appeals": Appeal.objects.filter(
                collected_at__date__gte=campaign_start()).count()}


def test_the_demo_briefing_holds_the_reports_collection_sentence(seeded):  # noqa: F811
    figures = counted()
    assert figures | {"appeals": 0} == {"symposiums": 126, "distributed": 17344,
                                        "returned": 15823, "boxes": 287, "people": 5981,
                                        "appeals": 0}
    assert figures["appeals"] == 60
    text = campaign_briefing()
    assert REPORT.format(**figures) + "。" in text
    assert text.startswith("中原区“我为群众办实事”实践活动工作简报")


def test_the_demo_briefing_holds_the_reports_supervision_sentence(seeded):  # noqa: F811
    campaign = Campaign.objects.current()
    groups = GuidanceGroup.objects.filter(campaign=campaign).count()
    visited = (GuidanceVisit.objects.filter(group__campaign=campaign)
               .values("unit").distinct().count())
    assert (groups, visited) == (7, 71)
    text = campaign_briefing()
    assert f"区委派出{groups}个巡回指导组" in text
    assert f"已经对全区{visited}家单位逐一进行督导" in text


@pytest.mark.slow
def test_the_full_demo_briefing_says_the_reports_sentence_word_for_word(db):
    seed(appeals=demo.DEMO_APPEALS)
    assert ("全区共召开群众诉求征集意见座谈会126场,发放调查问卷17344份、收回15823份,"
            "设置征集意见箱287个,入户走访群众5981人次,征集群众诉求2119条") in campaign_briefing()

"""The demo district reproduces the report's campaign figures from its records (issue 9):
一办五组 and 59 seconded staff; the mobilisation meeting on 3月5日, 2 progress and 6
coordination meetings plus the weekly and monthly ones; 7 guidance groups that visited all 71
units; 1,395 person-times at the four red venues; 141 secretaries' lectures to 7,000+; 35
expert talks to 3,992 — counted by the statistics and shown on the campaign page, never
written in a page."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from banshi.campaign.choices import GroupKind, SpeakerKind
from banshi.campaign.models import OrgGroup, OrgMember, StudyActivity
from banshi.campaign.stats import campaign_figures, lectures_by_speaker_kind, venue_visits
from banshi.demo.collection_common import CAMPAIGN_START
from banshi.org.choices import UnitKind
from banshi.org.models import Unit

from .test_seed import seed, seeded  # noqa: F401 - a fixture


def dispatcher():
    return get_user_model().objects.get(username="dispatcher")


def test_the_demo_campaign_adds_up_to_the_reports_figures(seeded):  # noqa: F811
    today = timezone.localdate()
    found = campaign_figures(dispatcher(), CAMPAIGN_START, today)
    meetings = found["meetings"]
    assert (meetings["动员大会"], meetings["推进会"], meetings["协调会"]) == (1, 2, 6)
    weeks = len({(CAMPAIGN_START + dt.timedelta(days=n)).isocalendar()[:2]
                 for n in range((today - CAMPAIGN_START).days + 1)})
    assert weeks - 1 <= meetings["周例会"] <= weeks
    months = (today.year - CAMPAIGN_START.year) * 12 + today.month - CAMPAIGN_START.month + 1
    assert months - 1 <= meetings["月度会议"] <= months
    assert (found["supervision_groups"], found["supervision_units"],
            found["supervision_units_visited"], found["supervision_coverage"]) == (7, 71, 71, 1.0)
    covered = Unit.objects.filter(guidance_groups__isnull=False).distinct()
    assert {u.kind for u in covered} == {UnitKind.STREET, UnitKind.DEPARTMENT}
    assert found["venue_visit_person_times"] == 1395
    assert {row["venue"] for row in venue_visits(dispatcher(), CAMPAIGN_START, today)} == {
        "郑州美术馆新馆", "黄河博物馆", "任长霞纪念馆", "郑州烈士陵园"}
    speakers = {row["kind"]: row for row in
                lectures_by_speaker_kind(dispatcher(), CAMPAIGN_START, today)}
    assert speakers[SpeakerKind.SECRETARY]["lectures"] == 141
    assert speakers[SpeakerKind.SECRETARY]["person_times"] >= 7000
    assert speakers[SpeakerKind.EXPERT]["lectures"] == 35
    assert speakers[SpeakerKind.EXPERT]["person_times"] == 3992
    assert speakers[SpeakerKind.EXPERT]["speakers"] >= 20
    assert StudyActivity.objects.filter(kind="central_group", is_special=True).count() == 2
    assert found["exemplars"] > 0 and found["practical_matters_done"] > 0
    assert OrgGroup.objects.filter(kind=GroupKind.WORKING).count() == 5
    assert OrgGroup.objects.filter(kind=GroupKind.OFFICE).count() == 1
    assert OrgMember.objects.filter(seconded=True).values("name", "home_unit").distinct() \
        .count() == 59


def test_the_campaign_page_shows_the_report_s_numbers(seeded):  # noqa: F811
    client = Client()
    client.force_login(dispatcher())
    html = client.get(reverse("web:campaign")).content.decode()
    assert "成立领导小组，下设“一办五组”，领导小组办公室抽调59名工作人员集中办公。" in html
    assert "3月5日动员大会召开后，召开工作推进会2次、协调会6次" in html
    assert "派出7个巡回指导组，已对71家单位逐一进行督导(督导范围71家，覆盖率100.0%)，" \
           "实现巡回指导全覆盖。" in html
    assert 'id="full-coverage"' in html


def test_seeding_the_campaign_again_creates_nothing(seeded):  # noqa: F811
    before = (OrgMember.objects.count(), StudyActivity.objects.count())
    out = seed()
    assert (OrgMember.objects.count(), StudyActivity.objects.count()) == before, out

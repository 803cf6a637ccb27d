"""The campaign statistics (活动工作统计): records of every kind in and out of a period, in
two streets, a community and two departments; every figure checked against the counts written
here by hand — per role, per unit, through the function, the API and the campaign page."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from banshi.campaign.choices import (
    AssignmentStatus,
    GroupKind,
    MatterStatus,
    MeetingKind,
    NominationStatus,
    RectificationStatus,
    RoundStage,
    SpeakerKind,
    StudyKind,
)
from banshi.campaign.models import (
    Campaign,
    GuidanceGroup,
    GuidanceVisit,
    Meeting,
    Nomination,
    OrgGroup,
    OrgMember,
    PracticalMatter,
    Rectification,
    Selection,
    SelectionRound,
    Speaker,
    StudyActivity,
    Task,
    TaskAssignment,
    Venue,
    campaign_start,
)
from banshi.campaign.stats import FIGURES, campaign_figures
from banshi.org.models import ApiToken

from .factories import HOSTILE, add_other_street
from .shared import layer

D = dt.date
START, END = D(2026, 3, 5), D(2026, 3, 31)
API = "/api/v1/stats/campaign"


@layer("d")
def cworld(d):
    """The records below, built once and shared (tests/shared.py)."""
    return build_world(d)


def build_world(d):
    other = add_other_street(d)
    units = {"district": d.district_unit, "street": d.street_unit,
             "community": d.community_unit, "sibling": other.street_unit,
             "sibling_community": other.community_unit, "cgj": d.cgj, "zjj": d.zjj}
    campaign = Campaign.objects.create(name="测试活动", started_on=START,
                                       goals="学史明理、学史增信")
    office = OrgGroup.objects.create(campaign=campaign, unit=d.district_unit,
                                     kind=GroupKind.OFFICE, name="领导小组办公室")
    for n in range(2):
        working = OrgGroup.objects.create(campaign=campaign, unit=d.district_unit,
                                          kind=GroupKind.WORKING, name=f"第{n + 1}工作组",
                                          parent=office)
        OrgMember.objects.create(group=working, name=f"成员{n}", seconded=True,
                                 home_unit=d.cgj)
    for unit, kind, day in [
        ("district", MeetingKind.MOBILISATION, START),
        ("district", MeetingKind.PROGRESS, D(2026, 3, 20)),
        ("district", MeetingKind.PROGRESS, D(2026, 4, 10)),
        ("district", MeetingKind.COORDINATION, D(2026, 3, 6)),
        ("district", MeetingKind.COORDINATION, D(2026, 3, 7)),
        ("district", MeetingKind.WEEKLY, D(2026, 3, 9)),
        ("district", MeetingKind.WEEKLY, D(2026, 3, 16)),
        ("district", MeetingKind.WEEKLY, D(2026, 3, 2)), ("district", MeetingKind.MONTHLY, END),
        ("street", MeetingKind.STUDY, D(2026, 3, 12)),
        ("sibling", MeetingKind.COORDINATION, D(2026, 3, 15)),
    ]:
        Meeting.objects.create(unit=units[unit], kind=kind, title=f"{kind.label}会议", held_on=day)
    secretary = Speaker.objects.create(name="书记甲", kind=SpeakerKind.SECRETARY)
    expert = Speaker.objects.create(name="专家乙", kind=SpeakerKind.EXPERT)
    teacher = Speaker.objects.create(name="薛荣", kind=SpeakerKind.TEACHER)
    v1 = Venue.objects.create(name="黄河博物馆")
    v2 = Venue.objects.create(name="郑州烈士陵园")
    for unit, kind, day, people, extra in [
        ("district", StudyKind.CENTRAL_GROUP, D(2026, 3, 10), 30, {"is_special": True}),
        ("street", StudyKind.LECTURE, D(2026, 3, 11), 100, {"speaker": secretary}),
        ("community", StudyKind.PARTY_LECTURE, D(2026, 3, 12), 50, {"speaker": expert}),
        ("community", StudyKind.VENUE_VISIT, D(2026, 3, 13), 40, {"venue": v1}),
        ("sibling", StudyKind.FIRST_LESSON, D(2026, 3, 14), 200, {"speaker": teacher}),
        ("sibling_community", StudyKind.VENUE_VISIT, D(2026, 3, 15), 25, {"venue": v2}),
        ("street", StudyKind.THREE_ONE, D(2026, 4, 2), 10, {}),
    ]:
        StudyActivity.objects.create(unit=units[unit], kind=kind, title=f"{kind.label}活动",
                                     held_on=day, person_times=people, **extra)
    g1 = GuidanceGroup.objects.create(campaign=campaign, unit=d.district_unit, name="第一组",
                                      order=1)
    g1.covered_units.set([d.street_unit, d.cgj])
    g2 = GuidanceGroup.objects.create(campaign=campaign, unit=d.district_unit, name="第二组",
                                      order=2)
    g2.covered_units.set([other.street_unit, d.zjj])
    street_visit = GuidanceVisit.objects.create(group=g1, unit=d.street_unit,
                                                visited_on=D(2026, 3, 20), findings="台账不全")
    GuidanceVisit.objects.create(group=g1, unit=d.cgj, visited_on=D(2026, 4, 5))
    sibling_visit = GuidanceVisit.objects.create(group=g2, unit=other.street_unit,
                                                 visited_on=D(2026, 3, 21))
    for visit, status in [(street_visit, RectificationStatus.OPEN),
                          (street_visit, RectificationStatus.DONE),
                          (sibling_visit, RectificationStatus.OPEN)]:
        Rectification.objects.create(visit=visit, unit=visit.unit, item="完善台账",
                                     due_on=D(2026, 4, 30), status=status)
    selection = Selection.objects.create(unit=d.district_unit, name="党史学习之星")
    published = SelectionRound.objects.create(selection=selection, number=1,
                                              stage=RoundStage.PUBLISHED,
                                              published_on=D(2026, 3, 30))
    running = SelectionRound.objects.create(selection=selection, number=2,
                                            stage=RoundStage.SCORING)
    for rnd, unit, status in [(published, "street", NominationStatus.SELECTED),
                              (published, "sibling", NominationStatus.SELECTED),
                              (published, "community", NominationStatus.NOT_SELECTED),
                              (running, "street", NominationStatus.SELECTED)]:
        Nomination.objects.create(round=rnd, unit=units[unit], nominee="某某", deeds="事迹",
                                  status=status)
    for unit, day, closed in [("street", D(2026, 3, 6), D(2026, 3, 20)),
                              ("community", D(2026, 3, 7), None),
                              ("cgj", D(2026, 3, 8), D(2026, 4, 3)),
                              ("sibling", D(2026, 2, 28), D(2026, 3, 10))]:
        PracticalMatter.objects.create(
            unit=units[unit], title="实事", committed_on=day, target_count=10,
            done_count=10 if closed else 3,
            status=MatterStatus.CLOSED if closed else MatterStatus.OPEN, closed_on=closed)
    due_march = Task.objects.create(unit=d.district_unit, title="三月任务",
                                    issued_on=START, due_on=D(2026, 3, 15))
    due_april = Task.objects.create(unit=d.district_unit, title="四月任务",
                                    issued_on=START, due_on=D(2026, 4, 10))
    for task, unit, status in [(due_march, "street", AssignmentStatus.OPEN),
                               (due_march, "community", AssignmentStatus.DONE),
                               (due_march, "sibling", AssignmentStatus.OPEN),
                               (due_april, "street", AssignmentStatus.OPEN)]:
        TaskAssignment.objects.create(task=task, unit=units[unit], status=status)
    return {"other": other, "units": units, "street_visit": street_visit}


MEETINGS_NONE = {label: 0 for _kind, label in MeetingKind.choices}
# what each role sees in [START, END], counted by hand from the rows above
DISTRICT = {
    "meetings": MEETINGS_NONE | {"动员大会": 1, "推进会": 1, "协调会": 3, "周例会": 2,
                                 "月度会议": 1, "专题学习": 1},
    "study_activities": 6, "study_person_times": 445, "lectures": 3,
    "lecture_person_times": 350, "venue_visits": 2, "venue_visit_person_times": 65,
    "supervision_groups": 2, "supervision_units": 4, "supervision_units_visited": 2,
    "supervision_coverage": 0.5, "rectifications_open": 2, "exemplars": 2,
    "practical_matters": 3, "practical_matters_done": 1, "tasks_overdue": 2,
}
STREET = {
    "meetings": MEETINGS_NONE | {"专题学习": 1},
    "study_activities": 3, "study_person_times": 190, "lectures": 2,
    "lecture_person_times": 150, "venue_visits": 1, "venue_visit_person_times": 40,
    "supervision_groups": 1, "supervision_units": 1, "supervision_units_visited": 1,
    "supervision_coverage": 1.0, "rectifications_open": 1, "exemplars": 1,
    "practical_matters": 2, "practical_matters_done": 1, "tasks_overdue": 1,
}
COMMUNITY = {
    "meetings": MEETINGS_NONE,
    "study_activities": 2, "study_person_times": 90, "lectures": 1,
    "lecture_person_times": 50, "venue_visits": 1, "venue_visit_person_times": 40,
    "supervision_groups": 0, "supervision_units": 0, "supervision_units_visited": 0,
    "supervision_coverage": None, "rectifications_open": 0, "exemplars": 0,
    "practical_matters": 1, "practical_matters_done": 0, "tasks_overdue": 0,
}


def api_get(user, **params):
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"} if user else {}
    return Client().get(API, params, headers=headers)


def test_the_figures_are_the_interface_s_keys(d, cworld):
    got = campaign_figures(d.dispatcher, START, END)
    assert set(got) == set(FIGURES)
    assert list(got["meetings"]) == [label for _kind, label in MeetingKind.choices]


@pytest.mark.parametrize(("role", "expected"), [
    ("dispatcher", DISTRICT), ("leader", DISTRICT), ("admin", DISTRICT),
    ("street_staff", STREET), ("community_staff", COMMUNITY)])
def test_api_counts_what_each_role_may_see(d, cworld, role, expected):
    response = api_get(getattr(d, role), start=START.isoformat(), end=END.isoformat())
    assert response.status_code == 200, response.content
    assert response.json() == expected


def test_a_department_sees_its_own_units_figures(d, cworld):
    got = api_get(d.cgj_staff, start="2026-03-01", end="2026-04-30").json()
    # the 城管局's matter (closed 04-03, inside this period) and its April visit
    assert got["practical_matters"] == 1 and got["practical_matters_done"] == 1
    assert (got["supervision_units"], got["supervision_units_visited"]) == (1, 1)
    assert got["meetings"]["动员大会"] == 0 and got["study_activities"] == 0


def test_the_period_moves_every_figure(d, cworld):
    april = api_get(d.dispatcher, start="2026-04-01", end="2026-04-30").json()
    assert april["meetings"]["推进会"] == 1 and april["meetings"]["动员大会"] == 0
    assert (april["study_activities"], april["study_person_times"]) == (1, 10)
    assert april["supervision_units_visited"] == 1 and april["supervision_coverage"] == 0.25
    assert april["tasks_overdue"] == 1  # the April task, still open for the street
    assert april["practical_matters"] == 0
    whole = api_get(d.dispatcher, start="2026-01-01", end="2026-12-31").json()
    assert whole["meetings"]["周例会"] == 3 and whole["practical_matters"] == 4
    assert whole["supervision_units_visited"] == 3


def test_unit_filter_narrows_and_out_of_scope_is_404(d, cworld):
    period = {"start": START.isoformat(), "end": END.isoformat()}
    narrowed = api_get(d.dispatcher, **period, unit="linshanzhai").json()
    assert narrowed == STREET
    assert api_get(d.street_staff, **period, unit="zhongyuanxilu").status_code == 404
    assert api_get(d.street_staff, **period, unit="no-such-unit").status_code == 404
    assert api_get(d.street_staff, **period, unit="linshanzhai-01").json() == COMMUNITY


def test_refusals(d, cworld):
    assert api_get(None, start="2026-03-01", end="2026-03-31").status_code == 401
    nobody = User.objects.create_user("nobody-campaign")
    assert api_get(nobody, start="2026-03-01", end="2026-03-31").status_code == 403
    backwards = api_get(d.dispatcher, start="2026-03-31", end="2026-03-01")
    assert backwards.status_code == 422 and backwards.json()["field"] == "end"
    for text in HOSTILE:
        response = api_get(d.dispatcher, start=text, end="2026-03-31")
        assert response.status_code in (400, 422), text[:20]
        response = api_get(d.dispatcher, start="2026-03-01", end="2026-03-31", unit=text)
        assert response.status_code in (404, 422), text[:20]


def test_coverage_reaches_one_when_every_unit_is_visited(d, cworld):
    group = GuidanceGroup.objects.get(name="第一组")
    GuidanceVisit.objects.create(group=group, unit=d.cgj, visited_on=D(2026, 3, 25))
    other = GuidanceGroup.objects.get(name="第二组")
    GuidanceVisit.objects.create(group=other, unit=d.zjj, visited_on=D(2026, 3, 26))
    got = api_get(d.dispatcher, start=START.isoformat(), end=END.isoformat()).json()
    assert (got["supervision_units_visited"], got["supervision_coverage"]) == (4, 1.0)


def test_the_campaign_start_is_the_current_campaign_s(d, cworld):
    assert campaign_start() == START
    Campaign.objects.create(name="已结束的活动", started_on=D(2026, 9, 1), status="finished")
    assert campaign_start() == START  # a finished campaign is not the current one
    Campaign.objects.create(name="下一次活动", started_on=D(2026, 10, 1))
    assert campaign_start() == D(2026, 10, 1)


def test_without_a_campaign_the_setting_is_the_start(d, settings):
    settings.BANSHI_CAMPAIGN_START = D(2026, 2, 1)
    assert campaign_start() == D(2026, 2, 1)
    got = campaign_figures(d.dispatcher, START, END)
    assert got["supervision_groups"] == 0 and got["supervision_coverage"] is None
    assert page(d.dispatcher).status_code == 200


# ---------- the campaign page ----------

def page(user, **params):
    client = Client()
    client.force_login(user)
    return client.get(reverse("web:campaign"), params)


def charts_of(html: str) -> dict:
    start = html.index('<script id="campaign-charts" type="application/json">')
    return json.loads(html[start:].split(">", 1)[1].split("</script>", 1)[0])


def test_page_shows_the_figures_sentences_organisation_calendar_and_matrix(d, cworld):
    response = page(d.dispatcher, start=START.isoformat(), end=END.isoformat(), month="2026-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert "成立领导小组，下设“一办二组”，领导小组办公室抽调2名工作人员集中办公。" in html
    assert "3月5日动员大会召开后，召开工作推进会1次、协调会3次、周例会2次、月度会议1次。" in html
    assert "派出2个巡回指导组，已对2家单位逐一进行督导(督导范围4家，覆盖率50.0%)。" in html
    assert ("开展各类学习活动6次、445人次，其中宣讲3场、350人次；"
            "赴红色教育基地参观学习65人次。") in html
    assert "全覆盖" not in html
    assert html.count('class="cell visited"') == 2 and html.count('class="cell pending"') == 2
    assert 'data-day="2026-03-05"' in html and "动员大会" in html
    charts = charts_of(html)
    assert {row["name"]: row["value"] for row in charts["meetings"]}["协调会"] == 3
    assert {row["name"]: row["value"] for row in charts["venues"]} == {
        "黄河博物馆": 40, "郑州烈士陵园": 25}
    assert {row["name"]: row["lectures"] for row in charts["speakers"]} == {
        "书记讲师": 1, "宣讲团专家": 1, "教师": 1}


def test_page_shows_full_coverage_and_the_street_only_its_own(d, cworld):
    response = page(d.street_staff, start=START.isoformat(), end=END.isoformat(),
                    month="2026-03")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="full-coverage"' in html  # the street's one covered unit was visited
    assert "中原西路街道办事处" not in html.split('id="coverage"')[1]
    assert "书记甲" not in html and "第一类" not in html
    calendar = html.split('id="calendar"')[1].split('id="coverage"')[0]
    assert "动员大会" not in calendar  # the district's meeting is not the street's
    assert "专题学习" in calendar


def test_page_refuses_bad_input_without_crashing(d, cworld):
    for text in HOSTILE:
        response = page(d.dispatcher, start=text, end="2026-03-31", month=text)
        assert response.status_code in (200, 400), text[:20]
        assert "<script>alert" not in response.content.decode()
    assert page(d.dispatcher, unit="zhongyuanxilu").status_code == 200
    assert page(d.street_staff, unit="zhongyuanxilu").status_code == 404
    nobody = User.objects.create_user("nobody-campaign-page")
    assert page(nobody).status_code == 403
    anonymous = Client().get(reverse("web:campaign"))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_calendar_opens_on_the_latest_month_with_work(d, cworld):
    html = page(d.dispatcher, start=START.isoformat(), end="2026-04-30").content.decode()
    calendar = html.split('id="calendar"')[1].split('id="coverage"')[0]
    assert "2026年4月 · 2 项" in calendar  # the April 推进会 and the 三会一课
    html = page(d.dispatcher, start=START.isoformat(), end="2026-12-31").content.decode()
    assert "2026年4月" in html.split('id="calendar"')[1]
    html = page(d.dispatcher, start=START.isoformat(), end=END.isoformat(),
                month="2026-05").content.decode()
    assert "2026年5月 · 0 项" in html

"""The collection statistics (征集工作统计): records of every kind in and out of a period, in
two streets, their communities and a department; every figure checked against a count made
here, by hand, from the same tables — per role, per unit, through the function, the API, the
page and the Excel export."""

import datetime as dt
import io
import json
from collections import Counter
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from banshi.appeals import actions
from banshi.appeals.choices import Channel
from banshi.collection.choices import BoxStatus, DistributionMode, ResponseSource
from banshi.collection.models import (
    BoxOpening,
    Distribution,
    HouseholdVisit,
    Liaison,
    LiaisonPairing,
    OpinionBox,
    Questionnaire,
    Response,
    Symposium,
)
from banshi.collection.stats import CHANNEL_KEYS, collection_figures, stats_unit
from banshi.org.models import ApiToken

from .factories import HOSTILE, add_other_street

START, END = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
EARLY, LATE = dt.date(2026, 2, 27), dt.date(2026, 4, 1)
D = dt.date
UNITS = ("street", "community", "sibling_street", "other_community", "department")
# the units each unit's subtree holds (a street its community)
SUBTREE = {"street": {"street", "community"}, "community": {"community"},
           "sibling_street": {"sibling_street", "other_community"},
           "other_community": {"other_community"}, "department": {"department"}}
DISTRICT_ROLES = ("dispatcher", "leader", "admin")
ROLE_SCOPE = {role: set(UNITS) for role in DISTRICT_ROLES} | SUBTREE

SYMPOSIUMS = [("street", START, 20), ("street", LATE, 11), ("community", END, 15),
              ("sibling_street", D(2026, 3, 10), 30), ("other_community", EARLY, 9),
              ("department", D(2026, 3, 15), 12)]
DISTRIBUTIONS = [("street", START, 100), ("community", D(2026, 3, 12), 50),
                 ("sibling_street", LATE, 70), ("department", D(2026, 3, 20), 40),
                 ("other_community", D(2026, 3, 2), 25)]
# (unit, local date, local time): the period's edges in local time
RESPONSES = [("street", START, dt.time(0, 10)), ("street", END, dt.time(23, 50)),
             ("street", D(2026, 2, 28), dt.time(23, 59)), ("community", D(2026, 3, 5), dt.time(12)),
             ("sibling_street", LATE, dt.time(0, 0)), ("department", D(2026, 3, 20), dt.time(10)),
             ("department", D(2026, 3, 21), dt.time(10)),
             ("other_community", D(2026, 3, 3), dt.time(9))]
# (code, unit, installed, status)
BOXES = [("B1", "street", D(2025, 12, 1), BoxStatus.ACTIVE),
         ("B2", "community", END, BoxStatus.SUSPENDED),
         ("B3", "community", LATE, BoxStatus.ACTIVE),
         ("B4", "street", D(2026, 1, 1), BoxStatus.REMOVED),
         ("B5", "sibling_street", D(2026, 3, 10), BoxStatus.ACTIVE),
         ("B6", "department", EARLY, BoxStatus.ACTIVE)]
OPENINGS = [("B1", START, 7), ("B1", LATE, 5), ("B4", D(2026, 3, 5), 3), ("B5", D(2026, 3, 11), 4),
            ("B6", EARLY, 9)]
VISITS = [("community", START, 3), ("community", LATE, 2), ("street", D(2026, 3, 9), 4),
          ("other_community", D(2026, 3, 9), 5), ("department", END, 1)]
# (unit, appointed, active, pairing dates)
LIAISONS = [("community", D(2026, 1, 10), True, [D(2026, 1, 11), END, LATE]),
            ("community", LATE, True, [LATE]), ("street", START, False, [START]),
            ("sibling_street", EARLY, True, [EARLY, D(2026, 3, 5)]),
            ("other_community", END, True, [])]


@dataclass
class AppealSpec:
    """An appeal and, by hand, who may see it (Appeal.objects.visible_to's rule: the handling
    unit's subtree, the collecting unit itself, a community its own area) and which units'
    narrowing keeps it (handled or collected in the subtree, or located in the area)."""

    key: str
    collector: str | None
    area: str  # "a1", "a2" (street A's communities) or "b" (street B's)
    channel: str
    day: dt.date
    seen_by: set[str]
    in_units: set[str]
    dispatch_to: str | None = None


APPEALS = [
    AppealSpec("a1", "street", "a1", Channel.SYMPOSIUM, START, {"street", "community"},
               {"street", "community"}),
    AppealSpec("a2", "community", "a1", Channel.HOUSEHOLD_VISIT, D(2026, 3, 3), {"community"},
               {"street", "community"}),
    AppealSpec("a3", None, "a2", Channel.ONLINE_FORM, D(2026, 3, 4), set(), {"street"}),
    AppealSpec("a4", "sibling_street", "b", Channel.PLATFORM, END,
               {"sibling_street", "other_community"}, {"sibling_street", "other_community"}),
    AppealSpec("a5", "department", "a1", Channel.HOTLINE, D(2026, 3, 6),
               {"department", "community"}, {"department", "street", "community"}),
    AppealSpec("a6", "street", "a1", Channel.SURVEY, EARLY, {"street", "community"},
               {"street", "community"}),
    AppealSpec("a7", None, "b", Channel.WECHAT_GROUP, D(2026, 3, 8),
               {"department", "other_community"},
               {"department", "sibling_street", "other_community"}, dispatch_to="department"),
]


def local(day: dt.date, at: dt.time = dt.time(10)) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


@dataclass
class World:
    units: dict
    users: dict
    regions: dict


@pytest.fixture
def world(d) -> World:
    return build_world(d)


def build_world(d) -> World:
    other = add_other_street(d)
    units = {"street": d.street_unit, "community": d.community_unit,
             "sibling_street": other.street_unit, "other_community": other.community_unit,
             "department": d.cgj}
    users = {"dispatcher": d.dispatcher, "leader": d.leader, "admin": d.admin,
             "street": d.street_staff, "community": d.community_staff,
             "sibling_street": other.street_staff, "other_community": other.community_staff,
             "department": d.cgj_staff}
    regions = {"a1": d.community, "a2": d.community2, "b": other.community}
    build_records(units)
    for spec in APPEALS:
        appeal, _code = actions.submit_appeal(
            title=f"诉求{spec.key}", content="内容", channel=spec.channel,
            region=regions[spec.area], collected_at=local(spec.day),
            actor=users[spec.collector] if spec.collector else None)
        if spec.dispatch_to:
            actions.dispatch(appeal, actor=d.dispatcher, unit=units[spec.dispatch_to])
    return World(units, users, regions)


def build_records(units: dict) -> None:
    for n, (unit, day, people) in enumerate(SYMPOSIUMS):
        Symposium.objects.create(unit=units[unit], code=f"S{n}", held_on=day, topic="座谈",
                                 participants=people)
    survey = Questionnaire.objects.create(unit=units["street"], title="问卷")
    for unit, day, copies in DISTRIBUTIONS:
        Distribution.objects.create(questionnaire=survey, unit=units[unit], distributed_on=day,
                                    mode=DistributionMode.PAPER, copies=copies)
    for unit, day, at in RESPONSES:
        Response.objects.create(questionnaire=survey, unit=units[unit],
                                source=ResponseSource.PAPER, submitted_at=local(day, at))
    boxes = {code: OpinionBox.objects.create(unit=units[unit], code=code, place="门口",
                                             installed_on=day, status=status)
             for code, unit, day, status in BOXES}
    for code, day, slips in OPENINGS:
        BoxOpening.objects.create(box=boxes[code], opened_on=day, opened_by="王", slips=slips)
    for unit, day, people in VISITS:
        HouseholdVisit.objects.create(unit=units[unit], visited_on=day, visitors="李",
                                      address="某路1号", people_met=people)
    for unit, day, active, paired in LIAISONS:
        liaison = Liaison.objects.create(unit=units[unit], name="党员", appointed_on=day,
                                         is_active=active)
        for when in paired:
            LiaisonPairing.objects.create(liaison=liaison, address="某路2号", paired_on=when)


# ---------- the independent count ----------

def expected(role: str, unit: str | None = None, start=START, end=END) -> dict:
    """Every figure counted here from the tables above, for `role` narrowed to `unit`."""
    keep = ROLE_SCOPE[role] & (SUBTREE[unit] if unit else set(UNITS))
    inside = lambda day: start <= day <= end  # noqa: E731
    symposiums = [p for u, day, p in SYMPOSIUMS if u in keep and inside(day)]
    distributed = sum(c for u, day, c in DISTRIBUTIONS if u in keep and inside(day))
    returned = sum(1 for u, day, _at in RESPONSES if u in keep and inside(day))
    box_units = {code: u for code, u, _day, _status in BOXES}
    liaisons = [paired for u, day, active, paired in LIAISONS
                if u in keep and active and day <= end]
    visits = [p for u, day, p in VISITS if u in keep and inside(day)]
    appeals = [a for a in APPEALS if inside(a.day)
               and (role in DISTRICT_ROLES or role in a.seen_by)
               and (unit is None or unit in a.in_units)]
    names = {Channel.ONLINE_FORM: "h5", Channel.PLATFORM: "online_platform"}
    by_channel = Counter(names.get(a.channel, str(a.channel)) for a in appeals)
    return {
        "symposiums": len(symposiums), "symposium_participants": sum(symposiums),
        "surveys_distributed": distributed, "surveys_returned": returned,
        "survey_return_rate": round(returned / distributed, 4) if distributed else None,
        "opinion_boxes": sum(1 for _c, u, day, status in BOXES
                             if u in keep and day <= end and status != BoxStatus.REMOVED),
        "opinion_box_slips": sum(s for code, day, s in OPENINGS
                                 if box_units[code] in keep and inside(day)),
        "household_visits": len(visits), "household_visit_person_times": sum(visits),
        "liaisons": len(liaisons),
        "liaison_households": sum(1 for paired in liaisons for when in paired if when <= end),
        "appeals_collected": len(appeals),
        "appeals_by_channel": {key: by_channel[key] for key in CHANNEL_KEYS},
    }


def test_the_hand_count_is_not_trivial():
    """The fixtures reach every rule: a figure of each kind is non-zero and differs by role."""
    everything, street = expected("dispatcher"), expected("street")
    assert everything["symposiums"] == 4 and everything["symposium_participants"] == 77
    assert everything["surveys_returned"] == 6 and everything["opinion_boxes"] == 4
    assert everything["liaison_households"] == 4 and everything["appeals_collected"] == 6
    assert street != expected("community") != expected("department")
    assert street["appeals_collected"] == 1


# ---------- the function ----------

@pytest.mark.parametrize("role", sorted(ROLE_SCOPE))
def test_figures_per_role(world, role, django_assert_max_num_queries):
    user = world.users[role]
    with django_assert_max_num_queries(12):
        figures = collection_figures(user, START, END)
    assert figures == expected(role)


@pytest.mark.parametrize(("role", "unit"), [
    ("dispatcher", "street"), ("dispatcher", "community"), ("dispatcher", "department"),
    ("dispatcher", "sibling_street"), ("leader", "other_community"), ("street", "community"),
    ("street", "street"), ("sibling_street", "other_community")])
def test_figures_narrowed_to_a_unit(world, role, unit):
    target = stats_unit(world.users[role], world.units[unit].code)
    assert target == world.units[unit]
    assert collection_figures(world.users[role], START, END, target) == expected(role, unit)


def test_a_unit_outside_the_scope_is_not_offered(world):
    assert stats_unit(world.users["street"], world.units["sibling_street"].code) is None
    assert stats_unit(world.users["community"], world.units["street"].code) is None
    assert stats_unit(world.users["department"], "no-such-unit") is None


def test_other_periods_and_the_period_edges(world):
    user = world.users["dispatcher"]
    for start, end in [(EARLY, LATE), (LATE, LATE), (D(2026, 2, 28), D(2026, 2, 28)),
                       (D(2020, 1, 1), D(2020, 1, 2))]:
        assert collection_figures(user, start, end) == expected("dispatcher", None, start, end)
    nothing = collection_figures(user, D(2020, 1, 1), D(2020, 1, 2))
    assert nothing["survey_return_rate"] is None and nothing["appeals_collected"] == 0
    assert set(nothing["appeals_by_channel"]) == set(CHANNEL_KEYS)
    assert {"symposium", "survey", "opinion_box", "household_visit", "liaison", "wechat_group",
            "qq_group", "online_platform", "h5"} <= set(CHANNEL_KEYS)


# ---------- the API ----------

def api_get(user, **params):
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"} if user else {}
    return Client().get("/api/v1/stats/collection", params, headers=headers)


@pytest.mark.parametrize("role", sorted(ROLE_SCOPE))
def test_api_per_role(world, role):
    response = api_get(world.users[role], start="2026-03-01", end="2026-03-31")
    assert response.status_code == 200, response.content
    assert response.json() == expected(role)


def test_api_unit_filter_and_scope(world):
    street = world.users["street"]
    ok = api_get(street, start="2026-03-01", end="2026-03-31", unit="linshanzhai-01")
    assert ok.status_code == 200 and ok.json() == expected("street", "community")
    for code in ["zhongyuanxilu", "no-such-unit", "district"]:
        refused = api_get(street, start="2026-03-01", end="2026-03-31", unit=code)
        assert refused.status_code == 404, code
        assert refused.json() == {"detail": f"单位“{code}”不存在", "field": "unit"}
    whole = api_get(world.users["dispatcher"], start="2026-03-01", end="2026-03-31",
                    unit="district")
    assert whole.status_code == 200 and whole.json() == expected("dispatcher")


@pytest.mark.parametrize(("params", "field"), [
    ({"end": "2026-03-31"}, "start"), ({"start": "2026-03-01"}, "end"),
    ({"start": "2026-13-01", "end": "2026-03-31"}, "start"),
    ({"start": "2026-03-01", "end": "31.03.2026"}, "end"),
    ({"start": "2026-03-31", "end": "2026-03-01"}, "end"),
    ({"start": "1800-01-01", "end": "2026-03-01"}, "start"),
] + [({"start": text, "end": "2026-03-31"}, "start") for text in HOSTILE]
  + [({"start": "2026-03-01", "end": "2026-03-31", "unit": "长" * 100}, "unit")])
def test_api_validation_names_the_field(world, params, field):
    response = api_get(world.users["dispatcher"], **params)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["field"] == field and body["detail"]


def test_api_hostile_unit_codes_are_404(world):
    for text in HOSTILE[:4]:
        response = api_get(world.users["dispatcher"], start="2026-03-01", end="2026-03-31",
                           unit=text)
        assert response.status_code == 404, text
        assert response.json()["field"] == "unit"


def test_api_needs_a_token(world):
    assert api_get(None, start="2026-03-01", end="2026-03-31").status_code == 401


def test_a_new_symposium_counts_at_once(world):
    before = api_get(world.users["street"], start="2026-03-01", end="2026-03-31").json()
    Symposium.objects.create(unit=world.units["community"], code="NEW", held_on=END,
                             topic="新", participants=8)
    after = api_get(world.users["street"], start="2026-03-01", end="2026-03-31").json()
    assert after["symposiums"] == before["symposiums"] + 1
    assert after["symposium_participants"] == before["symposium_participants"] + 8


# ---------- the page ----------

PAGE = "/staff/stats/collection/"


def page(user, **params):
    client = Client()
    client.force_login(user)
    return client.get(reverse("web:collection-stats"), params)


def charts_of(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="collection-charts" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def test_page_shows_the_figures_the_sentence_and_the_chart_data(world):
    response = page(world.users["dispatcher"], start="2026-03-01", end="2026-03-31")
    assert response.status_code == 200 and reverse("web:collection-stats") == PAGE
    f = expected("dispatcher")
    assert response.context["figures"] == f
    sentence = (f"全区共召开群众诉求征集意见座谈会{f['symposiums']}场，"
                f"发放调查问卷{f['surveys_distributed']}份、收回{f['surveys_returned']}份，"
                f"设置征集意见箱{f['opinion_boxes']}个，"
                f"入户走访群众{f['household_visit_person_times']}人次，"
                f"征集群众诉求{f['appeals_collected']}条。")
    html = response.content.decode()
    assert sentence in html
    assert 'data-figure="surveys_returned"><b>6<small> 份' in html
    rate = f"{f['survey_return_rate'] * 100:.1f}"
    assert f'data-figure="survey_return_rate"><b>{rate}<small> %' in html
    charts = charts_of(response)
    by_name = {c["name"]: c for c in charts["channels"]}
    assert by_name["座谈会"]["value"] == f["appeals_by_channel"]["symposium"] == 1
    assert by_name["H5表单"]["value"] == 1
    assert by_name["座谈会"]["url"] == (
        "/staff/appeals/?channel=symposium&date_from=2026-03-01&date_to=2026-03-31")
    assert "channel=online_form" in by_name["H5表单"]["url"]
    assert charts["streets"]["names"] == ["林山寨街道办事处", "中原西路街道办事处"]
    symposiums = next(s for s in charts["streets"]["series"] if s["key"] == "symposiums")
    assert symposiums["data"] == [2, 1]
    assert charts["streets"]["urls"][0].endswith("street=410102001")
    weeks = charts["weeks"]
    assert sum(w["value"] for w in weeks) == f["appeals_collected"]
    assert weeks[0]["url"].endswith("date_from=2026-03-01&date_to=2026-03-01")
    rows = response.context["rows"]
    assert [r["unit"].code if r["unit"] else None for r in rows] == [
        "linshanzhai", "zhongyuanxilu", None]
    for key in ("symposiums", "surveys_distributed", "opinion_boxes", "appeals_collected",
                "liaison_households"):
        assert sum(r[key] for r in rows) == f[key], key


def test_page_for_a_street_and_a_unit(world):
    street = page(world.users["street"], start="2026-03-01", end="2026-03-31")
    assert street.status_code == 200
    assert street.context["figures"] == expected("street")
    assert "林山寨街道办事处共召开群众诉求征集意见座谈会2场" in street.content.decode()
    narrowed = page(world.users["dispatcher"], start="2026-03-01", end="2026-03-31",
                    unit="linshanzhai-01")
    assert narrowed.context["figures"] == expected("dispatcher", "community")
    assert "百花社区居委会共召开" in narrowed.content.decode()
    assert page(world.users["street"], unit="zhongyuanxilu").status_code == 404


def test_page_defaults_to_the_campaign_and_refuses_bad_periods(world, settings):
    settings.BANSHI_CAMPAIGN_START = D(2026, 3, 5)
    response = page(world.users["leader"])
    assert response.status_code == 200
    assert response.context["start"] == D(2026, 3, 5)
    assert response.context["end"] == timezone.localdate()
    assert response.context["figures"] == expected("leader", None, D(2026, 3, 5),
                                                   timezone.localdate())
    html = response.content.decode()
    assert 'href="?start=2026-03-05&amp;end=' in html and "本月" in html
    for params in [{"start": "2026-03-31", "end": "2026-03-01"},
                   {"start": "bad", "end": "2026-03-01"},
                   {"start": "0001-01-01", "end": "2026-03-01"},
                   {"start": "2026-03-01", "end": "9999-12-31"}] + [
                   {"start": text, "end": "2026-03-01"} for text in HOSTILE]:
        refused = page(world.users["dispatcher"], **params)
        assert refused.status_code == 400
        assert "<script>alert" not in refused.content.decode()


def test_page_uses_the_project_echarts_and_no_inline_script(world):
    html = page(world.users["dispatcher"], start="2026-03-01", end="2026-03-31").content.decode()
    assert "/static/web/vendor/echarts.min.js" in html
    scripts = [chunk.split(">", 1)[0] for chunk in html.split("<script")[1:]]
    assert all("src=" in tag or 'type="application/json"' in tag for tag in scripts), scripts


# ---------- the Excel export ----------

def test_export(world):
    client = Client()
    client.force_login(world.users["dispatcher"])
    response = client.get(reverse("web:collection-stats-export"),
                          {"start": "2026-03-01", "end": "2026-03-31"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["征集统计"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "全区征集工作统计"
    assert rows[1][0] == "统计期：2026-03-01 至 2026-03-31" and rows[1][1].startswith("全区共召开")
    assert rows[2][0] == "街道" and rows[2][1] == "座谈会(场)"
    assert sheet.freeze_panes == "B4"
    assert sheet.column_dimensions["A"].width == 26
    table = {row[0]: row[1:] for row in rows[3:]}
    assert set(table) == {"林山寨街道办事处", "中原西路街道办事处", "区直部门及其他", "合计"}
    f = expected("dispatcher")
    total = table["合计"]
    assert total[0] == f["symposiums"] and total[2] == f["surveys_distributed"]
    assert total[4] == round(f["survey_return_rate"] * 100, 2)
    assert total[11] == f["appeals_collected"]
    assert table["林山寨街道办事处"][0] == 2  # START (street) and END (community)
    channels = {row[0]: row[1] for row in book["按渠道"].iter_rows(min_row=2, values_only=True)}
    assert channels["座谈会"] == 1 and channels["网络平台(心通桥等)"] == 1
    assert sum(channels.values()) == f["appeals_collected"]


def test_export_for_a_community_is_scoped(world):
    client = Client()
    client.force_login(world.users["community"])
    response = client.get(reverse("web:collection-stats-export"),
                          {"start": "2026-03-01", "end": "2026-03-31"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["征集统计"].iter_rows(values_only=True))
    assert rows[0][0] == "百花社区居委会征集工作统计"
    assert [row[0] for row in rows[3:]] == ["林山寨街道办事处", "合计"]
    assert rows[-1][1] == expected("community")["symposiums"]


def test_page_queries_do_not_grow_with_the_streets(world, django_assert_max_num_queries):
    client = Client()
    client.force_login(world.users["dispatcher"])
    with django_assert_max_num_queries(26):
        response = client.get(PAGE, {"start": "2026-03-01", "end": "2026-03-31"})
    assert response.status_code == 200

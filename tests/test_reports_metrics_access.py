"""Role by role, the handling-metrics pages and the statistics operation (listed in
tests/access_reports_metrics.py): who opens what, what each role's figures count, 404 alike
for a unit outside the scope or none at all, and hostile query input answered without a 500.
The appeals are tests/test_reports_metrics.py's hand-built ones."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from banshi.org.choices import Role
from banshi.org.models import ApiToken
from banshi.reports import ranking

from . import access_reports_metrics as listed
from .factories import HOSTILE, make_user
from .test_reports_metrics import CGJ, START, TOTAL, mworld  # noqa: F401

PERIOD = {"start": "2025-09-25", "end": "2025-10-20"}
DISTRICT_ROLES = ("dispatcher", "leader", "admin")
UNIT_ROLES = ("cgj", "zjj", "street", "community", "other_street")


def users(world) -> dict:
    d = world.d
    return {"dispatcher": d.dispatcher, "leader": d.leader, "admin": d.admin,
            "cgj": d.cgj_staff, "zjj": d.zjj_staff, "street": d.street_staff,
            "community": d.community_staff, "other_street": world.other.street_staff}


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def figure(html: str, key: str) -> str:
    match = re.search(rf'data-figure="{key}"><b>([^<]*)<', html)
    assert match, key
    return match[1].strip()


def test_the_listing_names_every_url_of_the_area():
    from banshi.web import urls_reports_metrics

    assert {p.name for p in urls_reports_metrics.urlpatterns} == set(listed.WEB)
    assert set(listed.API) == {("GET", "/stats/handling")}


@pytest.mark.parametrize("role", DISTRICT_ROLES + UNIT_ROLES)
def test_handling_page_per_role(mworld, role):  # noqa: F811
    user = users(mworld)[role]
    response = client_for(user).get(reverse("web:reports-handling"), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    from banshi.reports.metrics import handling_figures
    expected = handling_figures(user, START, START.replace(month=10, day=20))
    assert figure(html, "received") == str(expected["received"])
    assert "指标口径" in html and "(解决 + 部分解决) ÷ 回答了“问题是否解决”的件数" in html
    if role in DISTRICT_ROLES:
        assert expected["received"] == TOTAL["received"]
        assert figure(html, "response_rate") == "71.4"  # 5 / 7
        assert figure(html, "avg_handling_days") == "3.2"
        assert 'data-unit="zhongyuanxilu"' in html  # a unit with nothing is listed
    if role == "cgj":
        assert figure(html, "received") == str(CGJ["received"])
        assert 'data-unit="zjj"' not in html


def test_pages_refuse_anonymous_and_roleless(mworld):  # noqa: F811
    roleless = make_user("metrics-nobody", Role.UNIT, None)
    for name, args in [("reports-handling", []), ("reports-ranking", []),
                       ("reports-unit", ["cgj"])]:
        url = reverse(f"web:{name}", args=args)
        assert client_for(None).get(url).status_code == 302
        assert client_for(roleless).get(url).status_code in (403, 404), name


@pytest.mark.parametrize("role", DISTRICT_ROLES + UNIT_ROLES)
def test_ranking_page_is_for_district_roles(mworld, role):  # noqa: F811
    response = client_for(users(mworld)[role]).get(reverse("web:reports-ranking"),
                                                    {"month": "2025-09"})
    if role in DISTRICT_ROLES:
        assert response.status_code == 200
        html = response.content.decode()
        assert ranking.RULE in html and "红榜" in html and "黑榜" in html
        assert 'id="apart"' in html  # September: every unit has fewer than 5
    else:
        assert response.status_code == 403


# (role, unit code) → whether the unit's page opens; 404 alike for missing and out of scope.
UNIT_PAGES = {
    "dispatcher": {"cgj": True, "linshanzhai-01": True, "nope": False},
    "cgj": {"cgj": True, "zjj": False, "nope": False},
    "street": {"linshanzhai": True, "linshanzhai-01": True, "cgj": False,
               "zhongyuanxilu": False},
    "community": {"linshanzhai-01": True, "linshanzhai": False},
}


@pytest.mark.parametrize("role", sorted(UNIT_PAGES))
def test_unit_page_scope(mworld, role):  # noqa: F811
    client = client_for(users(mworld)[role])
    for code, opens in UNIT_PAGES[role].items():
        response = client.get(reverse("web:reports-unit", args=[code]), {"month": "2025-10"})
        assert response.status_code == (200 if opens else 404), (role, code)


def test_unit_page_shows_trend_and_rank_history(mworld):  # noqa: F811
    response = client_for(mworld.d.dispatcher).get(reverse("web:reports-unit", args=["cgj"]),
                                                   {"month": "2025-10"})
    html = response.content.decode()
    chart = json.loads(re.search(r'<script id="unit-trend" type="application/json">(.*?)'
                                 r'</script>', html, re.S)[1])
    assert chart["months"][-2:] == ["2025-09", "2025-10"] and len(chart["months"]) == 12
    assert chart["received"][-2:] == [3, 3]
    assert 'data-month="2025-10"' in html and "echarts.min.js" in html
    assert 'id="no-rank"' in html  # too few appeals each month: never ranked
    assert "<script>" not in html.replace('<script id="unit-trend"', "")  # no inline code


@pytest.mark.parametrize("text", HOSTILE + ["2025-13", "2025-1", "２０２５-10"])
def test_hostile_query_input_never_500(mworld, text):  # noqa: F811
    client = client_for(mworld.d.dispatcher)
    ranked = client.get(reverse("web:reports-ranking"), {"month": text})
    assert ranked.status_code == 400 and "月份" in ranked.content.decode()
    assert "<script>alert" not in ranked.content.decode()
    handling = client.get(reverse("web:reports-handling"), {"start": text, "end": "2025-10-20"})
    assert handling.status_code == 400 and "统计期起" in handling.content.decode()
    assert "<script>alert" not in handling.content.decode()
    unit = client.get(reverse("web:reports-handling"), PERIOD | {"unit": text})
    assert unit.status_code == 404
    page = client.get(reverse("web:reports-unit", args=["cgj"]), {"month": text})
    assert page.status_code == 404


@pytest.mark.parametrize("role", DISTRICT_ROLES + UNIT_ROLES)
def test_api_per_role(mworld, role):  # noqa: F811
    user = users(mworld)[role]
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"}
    response = Client().get("/api/v1/stats/handling", PERIOD, headers=headers)
    assert response.status_code == 200
    from banshi.reports.metrics import handling_figures
    body = response.json()
    assert body == json.loads(json.dumps(handling_figures(user, START,
                                                          START.replace(month=10, day=20))))
    sibling = Client().get("/api/v1/stats/handling", PERIOD | {"unit": "zhongyuanxilu"},
                           headers=headers)
    sees_sibling = role in DISTRICT_ROLES + ("other_street",)
    assert sibling.status_code == (200 if sees_sibling else 404), role

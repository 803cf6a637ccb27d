"""Household visits: a visit with the appeals raised at it, a day's visits in one form with
bad rows named, the worker's own list, masking of the household outside the unit, the API
(scoped list, POST), hostile text."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from banshi.appeals.models import Appeal
from banshi.collection.actions import visits as actions
from banshi.collection.models import HouseholdVisit

from .factories import HOSTILE, add_other_street, login, today
from .test_api import Caller

pytestmark = pytest.mark.django_db

NAME, ADDRESS = "欧阳明华", "百花路88号3号楼2单元501"


def make_visit(d, unit=None, region=None, **kwargs) -> HouseholdVisit:
    fields = {"visited_on": today(), "visitors": "张三、李四", "household_name": NAME,
              "address": ADDRESS, "people_met": 2} | kwargs
    return actions.record_visit(actor=d.dispatcher, unit=unit or d.community_unit,
                                region=region or d.community, **fields)


def visit_post(d, **over) -> dict:
    rows = {"rows-TOTAL_FORMS": "2", "rows-INITIAL_FORMS": "2", "rows-MIN_NUM_FORMS": "0",
            "rows-MAX_NUM_FORMS": "50"}
    return {"visited_on": today().isoformat(), "region": d.community.code,
            "unit": d.community_unit.code, "visitors": "王五", "household_name": NAME,
            "address": ADDRESS, "people_met": "3", "notes": "了解情况"} | rows | over


def test_a_visit_with_an_appeal_raised_through_the_page(d):
    client = login(Client(), "linshanzhai-01")
    response = client.post(reverse("web:household-visit-new"), visit_post(
        d, **{"rows-0-title": "老人助餐需求", "rows-0-content": "希望社区提供助餐",
              "rows-0-region": d.community.code}))
    assert response.status_code == 302, response.content.decode()[:3000]
    visit = HouseholdVisit.objects.get()
    assert (visit.people_met, visit.unit, visit.created_by) == (3, d.community_unit,
                                                               d.community_staff)
    assert response["Location"] == reverse("web:household-visit", args=[visit.pk])
    appeal = Appeal.objects.get(title="老人助餐需求")
    assert appeal.channel == "household_visit" and appeal.source == visit
    page = client.get(response["Location"]).content.decode()
    assert NAME in page and ADDRESS in page and appeal.number in page
    assert NAME not in response["Location"]


def test_a_bad_appeal_row_keeps_the_visit_form_and_records_nothing(d):
    client = login(Client(), "linshanzhai-01")
    response = client.post(reverse("web:household-visit-new"), visit_post(
        d, **{"rows-0-title": "只有标题", "rows-0-region": d.community.code}))
    assert response.status_code == 422
    assert "第1行 · 内容" in response.content.decode()
    assert not HouseholdVisit.objects.exists() and not Appeal.objects.exists()


def test_visit_validation(d):
    client = login(Client(), "linshanzhai-01")
    url = reverse("web:household-visit-new")
    future = (today() + dt.timedelta(days=1)).isoformat()
    for over in ({"visited_on": future}, {"people_met": "0"}, {"address": ""},
                 {"unit": d.community2_unit.code}, {"visitors": ""}):
        assert client.post(url, visit_post(d, **over)).status_code == 422, over
    assert not HouseholdVisit.objects.exists()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_a_visit(d, text):
    client = login(Client(), "linshanzhai-01")
    response = client.post(reverse("web:household-visit-new"), visit_post(
        d, notes=text, household_name=text[:100], address=text[:255]))
    assert response.status_code == 302
    visit = HouseholdVisit.objects.get()
    assert visit.notes == text.strip()
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in page


def test_the_household_is_masked_outside_the_unit(d):
    other = add_other_street(d)
    visit = make_visit(d)
    url = reverse("web:household-visit", args=[visit.pk])
    for username in ("linshanzhai-01", "linshanzhai", "dispatcher"):
        page = login(Client(), username).get(url).content.decode()
        assert NAME in page and ADDRESS in page, username
    for username in ("leader",):  # sees the record, not the household
        page = login(Client(), username).get(url).content.decode()
        assert NAME not in page and ADDRESS not in page and "欧***" in page, username
    listing = login(Client(), "leader").get(reverse("web:household-visits")).content.decode()
    assert NAME not in listing and ADDRESS not in listing
    for username in ("linshanzhai-02", other.community_staff.username, "cgj"):
        assert login(Client(), username).get(url).status_code == 404, username
    rows = Caller(d.leader).get("/collection/visits").json()["results"]
    assert rows[0]["household_name"] == "欧***" and ADDRESS not in str(rows)
    mine = Caller(d.community_staff).get("/collection/visits").json()["results"]
    assert mine[0]["household_name"] == NAME and mine[0]["address"] == ADDRESS


def test_the_workers_own_list_newest_first(d):
    other = add_other_street(d)
    make_visit(d, visited_on=today() - dt.timedelta(days=5), address="旧的一户")
    make_visit(d, visited_on=today(), address="新的一户")
    make_visit(d, unit=other.community_unit, region=other.community, address="别处一户")
    page = login(Client(), "linshanzhai-01").get(reverse("web:household-visits"))
    html = page.content.decode()
    assert html.index("新的一户") < html.index("旧的一户") and "别处一户" not in html
    assert re.search(r"<b>4</b><span>走访人次</span>", html)
    assert 'name="viewport"' in html


def test_a_days_visits_at_once_with_bad_rows_named(d):
    client = login(Client(), "linshanzhai-01")
    url = reverse("web:household-visits-day")
    assert client.get(url).status_code == 200
    data = {"visited_on": today().isoformat(), "unit": d.community_unit.code,
            "visitors": "赵六、钱七", "visits-TOTAL_FORMS": "10", "visits-INITIAL_FORMS": "10",
            "visits-MIN_NUM_FORMS": "0", "visits-MAX_NUM_FORMS": "50"}
    for i in range(10):
        data[f"visits-{i}-region"] = d.community.code
        data[f"visits-{i}-people_met"] = "1"
    data |= {"visits-0-address": "一号院1户", "visits-0-people_met": "3",
             "visits-1-household_name": "没写地址",
             "visits-2-address": "一号院2户", "visits-2-people_met": "0",
             "visits-3-address": "一号院3户", "visits-3-region": d.community2.code}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "第2行 · 住址" in html and "第3行 · 人次" in html
    assert [(v.address, v.people_met) for v in HouseholdVisit.objects.order_by("id")] == [
        ("一号院1户", 3), ("一号院3户", 1)]
    assert "第5行" not in html.split('id="row-problems"')[1].split("</div>")[0]


def test_api_creates_and_lists_visits_in_scope(d):
    other = add_other_street(d)
    body = {"unit_code": d.community_unit.code, "visited_on": today().isoformat(),
            "community_code": d.community.code, "visitors": "张三", "household_name": NAME,
            "address": ADDRESS, "people_met": 4, "notes": HOSTILE[0]}
    created = Caller(d.community_staff).post("/collection/visits", body)
    assert created.status_code == 201, created.content
    assert created.json()["people_met"] == 4 and created.json()["address"] == ADDRESS
    visit = HouseholdVisit.objects.get()
    assert visit.notes == HOSTILE[0] and visit.created_by == d.community_staff
    refused = Caller(d.community2_staff).post("/collection/visits", body)
    assert refused.status_code == 403
    assert Caller(d.leader).post("/collection/visits", body).status_code == 403
    bad = Caller(d.community_staff).post("/collection/visits", body | {"people_met": 0})
    assert bad.status_code == 422
    unknown = Caller(d.community_staff).post("/collection/visits",
                                             body | {"community_code": "nope"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "community_code"
    make_visit(d, unit=other.community_unit, region=other.community)
    assert Caller(d.dispatcher).get("/collection/visits").json()["count"] == 2
    assert Caller(d.street_staff).get("/collection/visits").json()["count"] == 1
    assert Caller(d.cgj_staff).get("/collection/visits").json()["count"] == 0
    assert Caller().get("/collection/visits").status_code == 401
    assert Caller().post("/collection/visits", body).status_code == 401

"""Hostile input is a 4xx naming the field, never a 500, on SQLite and PostgreSQL alike:
NUL bytes, lone surrogates, empty codes, naive and out-of-range dates, in the API and pages."""

import datetime as dt
import json

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from banshi.appeals.models import Appeal
from banshi.org.models import ApiToken

from .factories import PASSWORD, dispatched, resolved, with_code

API = "/api/v1"
NUL = "\x00"
SURROGATE = "\ud800"


@pytest.fixture
def client(d):
    """Django's test client raising nothing: a 500 shows as a status, not an exception."""
    return Client(raise_request_exception=False)


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"}


def post_json(client, path, body, headers=None):
    # json.dumps escapes a lone surrogate as "\ud800", exactly as a hostile client sends it.
    return client.post(API + path, json.dumps(body), content_type="application/json",
                       headers=headers or {})


def assert_names(response, field: str) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["field"] == field, body
    assert isinstance(body["detail"], str) and body["detail"]


APPEAL = {"title": "百花路路灯不亮", "content": "三盏路灯一周不亮"}

# (caller, method, path, body or query, field); "{n}" is an appeal the dispatcher handles.
API_CASES = [
    ("resident", "post", "/appeals", APPEAL | {"title": "路灯" + NUL}, "title"),
    ("resident", "post", "/appeals", APPEAL | {"content": "路灯" + SURROGATE}, "content"),
    ("resident", "post", "/appeals", APPEAL | {"contact_name": NUL}, "contact_name"),
    ("resident", "post", "/appeals", APPEAL | {"address": SURROGATE}, "address"),
    ("resident", "post", "/appeals", APPEAL | {"region_code": NUL}, "region_code"),
    ("resident", "get", "/appeals/track", {"number": "ZY" + NUL, "code": "123456"}, "number"),
    ("resident", "get", "/appeals/track", {"number": "ZY1", "code": NUL}, "code"),
    ("resident", "post", "/auth/token", {"username": "dispatcher" + NUL, "password": "x"},
     "username"),
    ("resident", "post", "/auth/token", {"username": SURROGATE, "password": "x"}, "username"),
    ("resident", "post", "/appeals/{n}/feedback",
     {"solved": "solved", "rating": "satisfied", "query_code": NUL}, "query_code"),
    ("staff", "get", "/appeals/ZY%00", None, "number"),
    ("staff", "get", "/appeals", {"q": NUL}, "q"),
    ("staff", "get", "/appeals", {"date_from": "0001-01-01"}, "date_from"),
    ("staff", "get", "/appeals", {"date_to": "9999-12-31"}, "date_to"),
    ("staff", "post", "/appeals/{n}/return", {"reason": "不归我们" + NUL}, "reason"),
    ("staff", "post", "/appeals/{n}/invalidate", {"reason": SURROGATE}, "reason"),
    ("staff", "post", "/appeals/{n}/dispatch", {"unit_code": ""}, "unit_code"),
    ("staff", "post", "/appeals/{n}/dispatch", {"unit_code": "cgj", "note": NUL}, "note"),
    ("staff", "post", "/appeals/{n}/merge", {"into": NUL}, "into"),
    ("staff", "post", "/appeals/{n}/supervise",
     {"instruction": "尽快", "due_date": "9999-12-31"}, "due_date"),
    ("staff", "post", "/appeals",
     APPEAL | {"channel": "symposium", "collected_at": "0001-01-01T00:00:00"}, "collected_at"),
    ("staff", "post", "/appeals",
     APPEAL | {"channel": "symposium", "collected_at": "0001-01-01T00:00:00+08:00"},
     "collected_at"),
    ("staff", "post", "/appeals",
     APPEAL | {"channel": "symposium", "collected_at": "9999-12-31T23:59:59Z"}, "collected_at"),
]


def _case_id(case) -> str:
    caller, method, path, _body, field = case
    return f"{caller}-{method}-{path}-{field}"


@pytest.mark.parametrize("case", API_CASES, ids=[_case_id(c) for c in API_CASES])
def test_api_bad_input_is_4xx_naming_the_field(d, client, case):
    caller, method, path, body, field = case
    number = (resolved(d, d.district_unit) if "feedback" in path else with_code(d)[0]).number
    path = path.replace("{n}", number)
    headers = bearer(d.dispatcher) if caller == "staff" else {}
    if method == "get":
        response = client.get(API + path, body or {}, headers=headers)
    else:
        response = post_json(client, path, body, headers)
    assert_names(response, field)


def test_naive_collected_at_is_local_time(d, client):
    body = APPEAL | {"channel": "symposium", "collected_at": "2024-05-01T09:30:00"}
    response = post_json(client, "/appeals", body, bearer(d.dispatcher))
    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get(number=response.json()["number"])
    local = timezone.localtime(appeal.collected_at)
    assert (local.date(), local.hour, local.minute) == (dt.date(2024, 5, 1), 9, 30)
    assert local.utcoffset() == dt.timedelta(hours=8)


# ---------- pages ----------

@pytest.fixture
def staff(d, client):
    assert client.login(request=HttpRequest(), username="dispatcher", password=PASSWORD)
    return client


def _page_text(response) -> str:
    return response.content.decode(errors="replace")


@pytest.mark.parametrize(("path", "field"), [
    ("/staff/appeals/ZY%00/", "number"),
    ("/staff/problems/WT%00/", "code"),
    ("/staff/appeals/ZY%00/act/accept/", "number"),
])
def test_nul_in_a_page_path_is_400_naming_it(staff, path, field):
    response = staff.get(path)
    assert response.status_code == 400, response.status_code
    assert field in _page_text(response)


@pytest.mark.parametrize(("params", "label"), [
    ({"q": NUL}, "q"),
    ({"date_from": "0001-01-01"}, "收到日期起"),
    ({"date_to": "9999-12-31"}, "收到日期止"),
])
@pytest.mark.parametrize("page", ["web:ledger", "web:export"])
def test_bad_ledger_filters_are_400_naming_the_field(staff, page, params, label):
    response = staff.get(reverse(page), params)
    assert response.status_code == 400, response.status_code
    assert label in _page_text(response)


def test_nul_in_a_case_action_reason_is_4xx(d, staff):
    appeal = dispatched(d, d.district_unit)
    response = staff.post(reverse("web:act", args=[appeal.number, "return"]),
                          {"reason": "不归我们" + NUL})
    assert 400 <= response.status_code < 500
    assert "reason" in _page_text(response)
    assert Appeal.objects.get(pk=appeal.pk).state == appeal.state


@pytest.mark.parametrize(("path", "data", "field"), [
    ("web:track", {"number": "ZY" + NUL, "code": "123456"}, "number"),
    ("web:rate", {"number": "ZY" + NUL, "code": "123456", "solved": "solved",
                  "rating": "satisfied"}, "number"),
    ("web:rate", {"number": "ZY1", "code": NUL, "solved": "solved", "rating": "satisfied"}, "code"),
    ("web:submit", {"title": "路灯" + NUL, "content": "不亮"}, "title"),
])
def test_nul_in_resident_forms_is_4xx(client, path, data, field):
    response = client.post(reverse(path), data)
    assert 400 <= response.status_code < 500, response.status_code
    assert field in _page_text(response)


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31"])
def test_entry_form_refuses_dates_out_of_range(d, staff, day):
    response = staff.post(reverse("web:entry"), {
        "channel": "symposium", "collected_date": day, "region": d.community.code,
        "title": "路灯不亮", "content": "三盏路灯不亮"})
    assert response.status_code == 422, response.status_code
    assert "收集日期" in _page_text(response) and "2000" in _page_text(response)
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("cell", ["0001-01-01", "1999-12-31 08:00", "9999-12-31"])
def test_importer_refuses_dates_out_of_range_by_row_and_column(d, tmp_path, cell):
    from banshi.appeals.ledger import import_appeals

    from .test_ledger_import import LEDGER_HEADER, ledger_row, write_xlsx

    path = write_xlsx(tmp_path / "dates.xlsx", LEDGER_HEADER, [ledger_row(when=cell)])
    report = import_appeals(path, filename=path.name)
    assert [(e.row, e.column) for e in report.errors] == [(2, "收到时间")]
    assert report.imported == 0

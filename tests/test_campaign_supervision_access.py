"""Who may open and do what on the supervision pages and API, role by role, written out by hand
(tests/campaign_supervision_world.py says where the records are): in scope 200 (or the
action's redirect), a record out of scope 404 — never 403 —, a right the role lacks on a record
it sees 403, anonymous → the login page or 401. Every page and operation of
tests/access_campaign_supervision.py is checked here."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from . import access_campaign_supervision as listed
from .campaign_supervision_world import API, bearer
from .test_campaign_supervision import sup_world  # noqa: F401 - a layer fixture

ROLES = ("admin", "dispatcher", "leader", "inspector", "street", "community", "department",
         "sibling_street", "anonymous")
STAFF = set(ROLES) - {"anonymous"}
OFFICE = {"admin", "dispatcher"}
DISTRICT = {"admin", "dispatcher", "leader", "inspector"}

# Which visits each role sees (by the visited unit) — and so their items and matrix rows.
SEES_VISITS = {role: {"street", "community", "other"} for role in DISTRICT} | {
    "street": {"street", "community"}, "community": {"community"}, "department": set(),
    "sibling_street": {"other"}, "anonymous": set()}
# Covered units in each role's coverage matrix (codes).
MATRIX_UNITS = {role: {"linshanzhai", "linshanzhai-01", "cgj", "zhongyuanxilu", "zjj"}
                for role in DISTRICT} | {
    "street": {"linshanzhai", "linshanzhai-01"}, "community": {"linshanzhai-01"},
    "department": {"cgj"}, "sibling_street": {"zhongyuanxilu"}, "anonymous": set()}


def expected(ok: set[str], forbidden: set[str] = frozenset(), *, success: int = 200) -> dict:
    """Status by role: `ok` succeed, `forbidden` 403, other staff 404 (out of scope)."""
    return {role: success if role in ok else 403 if role in forbidden else 404
            for role in STAFF}


def every_staff(status: int = 200) -> dict:
    return dict.fromkeys(STAFF, status)


# Pages: (url name, args from the world, method, body) -> status by role (anonymous: login).
def pages(w) -> list[tuple[str, list, str, dict, dict]]:
    due = (w.start + dt.timedelta(days=60)).isoformat()
    return [
        ("campaign-guidance-groups", [], "get", {}, every_staff()),
        ("campaign-guidance-group", [w.g1.pk], "get", {}, every_staff()),
        ("campaign-guidance-group-new", [], "get", {}, expected(OFFICE, STAFF)),
        ("campaign-guidance-group-edit", [w.g1.pk], "get", {}, expected(OFFICE, STAFF)),
        ("campaign-guidance-member-add", [w.g2.pk], "post", {"name": "新成员", "role": "成员"},
         expected(OFFICE, STAFF, success=302)),
        ("campaign-guidance-member-remove", [w.g2.pk, w.g2.members.get().pk], "post", {},
         expected(OFFICE, STAFF, success=302)),
        ("campaign-visits", [], "get", {}, every_staff()),
        ("campaign-visit-new", [], "get", {}, expected(OFFICE | {"inspector"}, STAFF)),
        ("campaign-visit", [w.v_street.pk], "get", {}, expected(DISTRICT | {"street"})),
        ("campaign-visit", [w.v_community.pk], "get", {},
         expected(DISTRICT | {"street", "community"})),
        ("campaign-visit", [w.v_other.pk], "get", {}, expected(DISTRICT | {"sibling_street"})),
        ("campaign-visit-rectification-add", [w.v_street.pk], "post",
         {"item": "新的整改事项", "due_on": due},
         expected(OFFICE | {"inspector"}, {"leader", "street"}, success=302)),
        ("campaign-rectifications", [], "get", {}, every_staff()),
        ("campaign-rectification-done", [w.open_item.pk], "post", {"result": "已整改"},
         expected(OFFICE | {"street"}, {"leader", "inspector"}, success=302)),
        ("campaign-rectification-reopen", [w.done_item.pk], "post", {"reason": "未到位"},
         expected(OFFICE | {"inspector"}, {"leader", "street", "community"}, success=302)),
        ("campaign-coverage", [], "get", {}, every_staff()),
        ("campaign-coverage-export", [], "get", {}, every_staff()),
    ]


def users(w) -> dict:
    d = w.d
    return {"admin": d.admin, "dispatcher": d.dispatcher, "leader": d.leader,
            "inspector": w.inspector, "street": d.street_staff, "community": d.community_staff,
            "department": d.cgj_staff, "sibling_street": w.other.street_staff,
            "anonymous": None}


def client_for(w, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(users(w)[role])
    return client


def test_every_listed_page_is_checked(sup_world):  # noqa: F811
    assert {name for name, *_ in pages(sup_world)} == set(listed.WEB)


@pytest.mark.parametrize("role", ROLES)
def test_pages_role_by_role(sup_world, role):  # noqa: F811
    w = sup_world
    for name, args, method, body, statuses in pages(w):
        client = client_for(w, role)
        url = reverse(f"web:{name}", args=args)
        response = client.get(url) if method == "get" else client.post(url, body)
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/login/"), \
                (name, response.status_code)
        else:
            assert response.status_code == statuses[role], (name, args, response.status_code)


@pytest.mark.parametrize("role", sorted(STAFF))
def test_lists_show_only_what_the_role_sees(sup_world, role):  # noqa: F811
    w = sup_world
    client = client_for(w, role)
    visits = {"street": w.v_street, "community": w.v_community, "other": w.v_other}
    listing = client.get(reverse("web:campaign-visits")).content.decode()
    for key, visit in visits.items():
        link = f'href="{reverse("web:campaign-visit", args=[visit.pk])}"'
        assert (link in listing) == (key in SEES_VISITS[role]), (role, key)
    items = client.get(reverse("web:campaign-rectifications")).content.decode()
    assert ("补齐学习台账" in items) == ("street" in SEES_VISITS[role])
    assert ("加强宣传" in items) == ("community" in SEES_VISITS[role])
    coverage = client.get(reverse("web:campaign-coverage")).content.decode()
    for code in MATRIX_UNITS["admin"]:
        assert (f'data-unit="{code}"' in coverage) == (code in MATRIX_UNITS[role]), (role, code)
    group = client.get(reverse("web:campaign-guidance-group", args=[w.g1.pk])).content.decode()
    street_link = f'href="{reverse("web:campaign-visit", args=[w.v_street.pk])}"'
    assert (street_link in group) == ("street" in SEES_VISITS[role])


def api(w, role: str, method: str, path: str, body=None, params=None):
    client, headers = Client(), bearer(users(w)[role])
    if method == "GET":
        return client.get(f"{API}{path}", params or {}, headers=headers)
    return client.post(f"{API}{path}", json.dumps(body or {}), content_type="application/json",
                       headers=headers)


def operations(w) -> list[tuple[str, str, str, dict | None, dict]]:
    day = (w.start + dt.timedelta(days=20)).isoformat()
    visit = {"group_id": w.g1.pk, "unit_code": "cgj", "visited_on": day, "rating": "good"}
    return [
        ("GET", "/campaign/guidance-groups", "/guidance-groups", None, every_staff()),
        ("GET", "/campaign/coverage", "/coverage", None, every_staff()),
        ("GET", "/campaign/visits", "/visits", None, every_staff()),
        ("POST", "/campaign/visits", "/visits", visit,
         expected(OFFICE | {"inspector"}, STAFF, success=201)),
        ("GET", "/campaign/rectifications", "/rectifications", None, every_staff()),
        ("POST", "/campaign/rectifications/{item_id}/done",
         f"/rectifications/{w.open_item.pk}/done", {"result": "已整改"},
         expected(OFFICE | {"street"}, {"leader", "inspector"})),
        ("POST", "/campaign/rectifications/{item_id}/reopen",
         f"/rectifications/{w.done_item.pk}/reopen", {"reason": "未到位"},
         expected(OFFICE | {"inspector"}, {"leader", "street", "community"})),
    ]


def test_every_listed_operation_is_checked(sup_world):  # noqa: F811
    assert {(method, path) for method, path, *_ in operations(sup_world)} == set(listed.API)


@pytest.mark.parametrize("role", ROLES)
def test_api_role_by_role(sup_world, role):  # noqa: F811
    w = sup_world
    for method, name, path, body, statuses in operations(w):
        response = api(w, role, method, path, body)
        wanted = 401 if role == "anonymous" else statuses[role]
        assert response.status_code == wanted, (name, response.status_code, response.content)


@pytest.mark.parametrize("role", sorted(STAFF))
def test_api_lists_show_only_what_the_role_sees(sup_world, role):  # noqa: F811
    w = sup_world
    units = {"street": "linshanzhai", "community": "linshanzhai-01", "other": "zhongyuanxilu"}
    rows = api(w, role, "GET", "/visits").json()["results"]
    assert {row["unit_code"] for row in rows} == {units[k] for k in SEES_VISITS[role]}
    matrix = api(w, role, "GET", "/coverage").json()
    assert {c["code"] for g in matrix["groups"] for c in g["units"]} == MATRIX_UNITS[role]
    items = api(w, role, "GET", "/rectifications").json()["results"]
    assert {i["item"] for i in items} == (
        {"补齐学习台账"} & ({"补齐学习台账"} if "street" in SEES_VISITS[role] else set())
        | ({"加强宣传"} if "community" in SEES_VISITS[role] else set()))

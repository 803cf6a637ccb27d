"""Role by role, every campaign (org) page and API operation: in scope 200 (or the change
made), out of scope 404 alike whether the record exists or not, anonymous → the login page
or 401. The expectations are tests/campaign_org_world.py's hand-written tables."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from . import access_campaign_org as listed
from .campaign_org_world import OFFICE, RECORDERS, RECORDS_FOR, ROLES, SEES, org_world  # noqa: F401

API = "/api/v1"
MISSING = 999_999


def client_for(world, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def web_target(world, name: str, pk: int | None = None) -> tuple[str, str, dict]:
    """(method, url, form data) for URL `name` on the world's record (or on `pk`)."""
    r = world.records
    targets = {
        "campaign-org-group": ("GET", [r["group"].pk], {}),
        "campaign-org-group-edit": ("GET", [r["group"].pk], {}),
        "campaign-org-group-remove": ("POST", [r["top"].pk if pk is None else pk], {}),
        "campaign-org-member": ("GET", [r["member"].pk], {}),
        "campaign-org-member-new": ("GET", [r["group"].pk], {}),
        "campaign-org-member-edit": ("GET", [r["member"].pk], {}),
        "campaign-org-member-remove": ("POST", [r["spare"].pk], {}),
        "campaign-meeting": ("GET", [r["meeting"].pk], {}),
        "campaign-meeting-edit": ("GET", [r["meeting"].pk], {}),
        "campaign-meeting-decision-add": ("POST", [r["meeting"].pk], {"text": "新的议定事项"}),
        "campaign-meeting-decision-task": ("GET", [r["meeting"].pk, r["decision"].pk], {}),
        "campaign-task": ("GET", [r["task"].pk], {}),
        "campaign-task-report": ("POST", [r["task"].pk, r["assignment"].pk], {"text": "进展"}),
        "campaign-task-complete": ("POST", [r["task"].pk, r["assignment"].pk], {}),
        "campaign-task-reopen": ("POST", [r["done_task"].pk, r["done"].pk], {"reason": "返工"}),
        "campaign-matter": ("GET", [r["matter"].pk], {}),
        "campaign-matter-edit": ("GET", [r["matter"].pk], {}),
        "campaign-matter-progress": ("POST", [r["matter"].pk], {"added": "3"}),
        "campaign-matter-close": ("POST", [r["matter"].pk], {"note": "提前完成"}),
        "campaign-matter-reopen": ("POST", [r["closed"].pk], {"reason": "复查未达标"}),
        "campaign-matter-file": ("GET", [r["matter"].pk, r["progress"].pk], {}),
    }
    method, args, data = targets.get(name, ("GET", [], {}))
    if pk is not None:
        args = [pk, *args[1:]]
    return method, reverse(f"web:{name}", args=args), data


def expected(kind: str, name: str, role: str) -> int:
    """The status `role` gets on page `name` of `kind` (302 for a change made)."""
    if role == "anonymous":
        return 302
    if kind == "page":
        return 200
    if kind == "recorder":
        return 200 if role in RECORDERS else 403
    if kind == "office":
        if role not in OFFICE:
            return 403
        return 302 if name.endswith("-remove") else 200
    record = {"group": "group", "member": "member"}.get(kind, kind)
    if role not in SEES[record]:
        return 404
    changes = name not in {"campaign-meeting", "campaign-task", "campaign-matter",
                           "campaign-matter-file", "campaign-org-group", "campaign-org-member"}
    if not changes:
        return 200
    if name == "campaign-task-reopen":  # the issuing unit (the district): the office
        return 302 if role in OFFICE else 403
    if role not in RECORDS_FOR[record]:
        return 403
    return 200 if name.endswith(("-edit", "-decision-task")) else 302


@pytest.mark.parametrize("name", sorted(listed.WEB))
@pytest.mark.parametrize("role", ROLES)
def test_page(org_world, role, name):  # noqa: F811
    kind = listed.WEB[name]
    method, url, data = web_target(org_world, name)
    client = client_for(org_world, role)
    response = client.post(url, data) if method == "POST" else client.get(url)
    want = expected(kind, name, role)
    assert response.status_code == want, (role, name, response.status_code)
    if role == "anonymous":
        assert response["Location"].startswith("/login/")
    elif want == 302:
        assert not response["Location"].startswith("/login/")


RECORD_URLS = [name for name, kind in listed.WEB.items()
               if kind in {"meeting", "task", "matter", "group", "member"}]


@pytest.mark.parametrize("name", sorted(RECORD_URLS))
def test_a_missing_record_is_404_like_a_hidden_one(org_world, name):  # noqa: F811
    method, url, data = web_target(org_world, name, pk=MISSING)
    client = client_for(org_world, "admin")
    response = client.post(url, data) if method == "POST" else client.get(url)
    assert response.status_code == 404


# ---------- the API ----------

def call(world, role: str, method: str, path: str, body: dict | None = None):
    headers = {"Authorization": f"Bearer {world.tokens[role]}"} if role != "anonymous" else {}
    if method == "GET":
        return Client().get(API + path, headers=headers)
    return Client().post(API + path, json.dumps(body or {}), content_type="application/json",
                         headers=headers)


def api_target(world, key: tuple[str, str]) -> tuple[str, dict, str | None]:
    """(path, body, record kind or None) of an operation on the world's records."""
    r, d = world.records, world.d
    method, path = key
    path = path.format(meeting_id=r["meeting"].pk, decision_id=r["decision"].pk,
                       task_id=r["task"].pk, matter_id=r["matter"].pk)
    bodies = {
        ("POST", "/campaign/meetings"): {"unit_code": d.street_unit.code, "kind": "weekly",
                                         "held_on": "2026-03-09", "title": "周例会"},
        ("POST", "/campaign/tasks"): {"unit_code": d.district_unit.code, "title": "新任务",
                                      "due_on": "2026-04-01", "assignees": [d.cgj.code],
                                      "issued_on": "2026-03-05"},
        ("POST", "/campaign/matters"): {"unit_code": d.cgj.code, "title": "新实事",
                                        "target_count": 3},
    }
    if "decisions/" in key[1]:
        body = {"due_on": "2026-04-01", "assignees": [d.community_unit.code]}
    elif key[1].endswith("/decisions"):
        body = {"text": "议定"}
    elif key[1].endswith("/report"):
        body = {"text": "进展", "unit_code": d.community_unit.code}
    elif key[1].endswith("/progress"):
        body = {"added": 1}
    elif key[1].endswith("/close"):
        body = {"note": "提前完成"}
    else:
        body = bodies.get(key, {})
    return path, body, listed.API[key] if listed.API[key] in SEES else None


CREATORS = {  # who may create each kind of record for the unit named in the body
    "/campaign/meetings": {"admin", "dispatcher", "street"},
    "/campaign/tasks": OFFICE,  # from the district's unit
    "/campaign/matters": {"admin", "dispatcher", "department"},
}


@pytest.mark.parametrize("key", sorted(listed.API))
@pytest.mark.parametrize("role", ROLES)
def test_api(org_world, role, key):  # noqa: F811
    path, body, record = api_target(org_world, key)
    response = call(org_world, role, key[0], path, body)
    if role == "anonymous":
        assert response.status_code == 401
        return
    kind = listed.API[key]
    if kind == "list":
        assert response.status_code == 200, response.content
        return
    if kind == "create":
        want = 201 if role in CREATORS[key[1]] else 403
    elif role not in SEES[record]:
        want = 404
    else:
        want = (200 if key[1].endswith("/close") else 201) \
            if role in RECORDS_FOR[record] else 403
    assert response.status_code == want, (role, key, response.content.decode()[:300])


LISTS = {"/campaign/meetings": "meeting", "/campaign/tasks": "task",
         "/campaign/matters": "matter"}


@pytest.mark.parametrize("path", sorted(LISTS))
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_api_lists_are_scoped(org_world, role, path):  # noqa: F811
    record = org_world.records[LISTS[path]]
    body = call(org_world, role, "GET", path).json()
    ids = {row["id"] for row in body["results"]}
    assert (record.pk in ids) == (role in SEES[LISTS[path]]), (role, path, ids)
    assert body["count"] == len(body["results"]) and body["page"] == 1


@pytest.mark.parametrize("path", ["/campaign/meetings/{}/decisions",
                                  "/campaign/tasks/{}/report",
                                  "/campaign/matters/{}/progress", "/campaign/matters/{}/close"])
def test_api_missing_record_is_404(org_world, path):  # noqa: F811
    response = call(org_world, "admin", "POST", path.format(MISSING),
                    {"text": "x", "added": 1, "note": "x", "unit_code": "linshanzhai-01"})
    assert response.status_code == 404

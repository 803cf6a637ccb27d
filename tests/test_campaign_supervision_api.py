"""The supervision API under /api/v1/campaign: guidance groups, the coverage matrix (agreeing
with GET /stats/campaign), visits recorded by the group's inspector only, items done by their
unit; hostile input is a 4xx naming the field or stored as given."""

import datetime as dt

import pytest
from django.test import Client

from banshi.campaign.models import GuidanceVisit, Rectification

from .campaign_supervision_world import api_get, api_post, bearer
from .factories import HOSTILE, today
from .test_campaign_supervision import sup_world  # noqa: F401 - a layer fixture


def visit_body(w, **change) -> dict:
    day = w.start + dt.timedelta(days=20)
    return {"group_id": w.g1.pk, "unit_code": "cgj", "visited_on": day.isoformat(),
            "rating": "fair", "findings": "占道经营", "highlights": "",
            "rectifications": [{"item": "清理占道", "due_on": (day + dt.timedelta(days=30))
                                .isoformat()}]} | change


def test_guidance_groups(sup_world):  # noqa: F811
    w = sup_world
    groups = api_get(w.d.community_staff, "/guidance-groups").json()
    assert [g["name"] for g in groups] == ["第一巡回指导组", "第二巡回指导组"]
    first = groups[0]
    assert {m["name"]: (m["role"], m["username"]) for m in first["members"]} == {
        "周建民": ("组长", None), "冯晓东": ("成员", "inspector")}
    assert {u["code"] for u in first["units"]} == {"cgj", "linshanzhai", "linshanzhai-01"}
    # the community sees its own unit's progress only; the second group is outside its scope
    assert (first["visited"], first["coverage"]) == (1, 1.0)
    assert (groups[1]["visited"], groups[1]["coverage"]) == (None, None)
    assert api_get(None, "/guidance-groups").status_code == 401


def test_coverage_agrees_with_the_statistics(sup_world):  # noqa: F811
    w = sup_world
    for user, expected in ((w.d.dispatcher, (5, 3, 0.6)), (w.d.street_staff, (2, 2, 1.0)),
                           (w.d.cgj_staff, (1, 0, 0.0))):
        matrix = api_get(user, "/coverage").json()
        stats = Client().get("/api/v1/stats/campaign", {
            "start": w.start.isoformat(), "end": today().isoformat()}, headers=bearer(user)).json()
        assert (matrix["units"], matrix["visited"], matrix["coverage"]) == expected
        assert (stats["supervision_units"], stats["supervision_units_visited"],
                stats["supervision_coverage"]) == expected
        assert matrix["full_coverage"] == (expected[2] == 1.0)
    matrix = api_get(w.d.dispatcher, "/coverage").json()
    first = matrix["groups"][0]
    cells = {c["code"]: c for c in first["units"]}
    assert cells["linshanzhai"]["visited"] and cells["linshanzhai"]["last_visit_id"] == \
        w.v_street.pk
    assert cells["cgj"] == {"code": "cgj", "name": "区城市管理局", "kind": "department",
                            "visited": False, "visits": 0, "last_visited_on": None,
                            "last_visit_id": None}
    assert (first["units_count"], first["visited"], first["coverage"]) == (3, 2, 0.6667)


def test_the_inspector_records_a_visit_for_their_group_only(sup_world):  # noqa: F811
    w = sup_world
    response = api_post(w.inspector, "/visits", visit_body(w))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["unit_code"], body["group"], body["rating_label"]) == (
        "cgj", "第一巡回指导组", "较好")
    assert [i["item"] for i in body["rectifications"]] == ["清理占道"]
    refused = api_post(w.inspector, "/visits", visit_body(w, group_id=w.g2.pk, unit_code="zjj"))
    assert refused.status_code == 403 and refused.json()["field"] == "group_id"
    assert api_post(w.outsider, "/visits", visit_body(w)).status_code == 403
    assert api_post(w.d.street_staff, "/visits", visit_body(w)).status_code == 403
    assert api_post(None, "/visits", visit_body(w)).status_code == 401
    outside = api_post(w.inspector, "/visits", visit_body(w, unit_code="zjj"))
    assert outside.status_code == 422 and outside.json()["field"] == "unit_code"
    assert "区住房和城乡建设局" in outside.json()["detail"]
    unknown = api_post(w.d.dispatcher, "/visits", visit_body(w, group_id=999999))
    assert unknown.status_code == 422 and unknown.json()["field"] == "group_id"
    huge = api_post(w.d.dispatcher, "/visits", visit_body(w, group_id=2 ** 70))
    assert huge.status_code == 422
    assert GuidanceVisit.objects.filter(unit=w.d.cgj).count() == 1


@pytest.mark.parametrize("change, field", [
    ({"visited_on": "2026-13-01"}, "visited_on"),
    ({"visited_on": (today() + dt.timedelta(days=3)).isoformat()}, "visited_on"),
    ({"rating": "perfect"}, "rating"),
    ({"findings": "长" * 10_001}, "findings"),
    ({"findings": "空\x00字符"}, "findings"),
    ({"unit_code": "nowhere"}, "unit_code"),
    ({"rectifications": [{"item": "", "due_on": "2026-06-01"}]}, "item"),
])
def test_bad_visit_input_names_the_field(sup_world, change, field):  # noqa: F811
    w = sup_world
    response = api_post(w.inspector, "/visits", visit_body(w, **change))
    assert response.status_code in (400, 422), response.json()
    body = response.json()
    named = body.get("field") or " ".join(str(e.get("field")) for e in body.get("errors") or [])
    assert field in named, body
    assert not GuidanceVisit.objects.filter(unit=w.d.cgj).exists()


@pytest.mark.parametrize("text", [*HOSTILE, "' OR 1=1 --"])
def test_hostile_findings_are_stored_as_given(sup_world, text):  # noqa: F811
    w = sup_world
    response = api_post(w.inspector, "/visits", visit_body(w, findings=text))
    assert response.status_code == 201
    assert response.json()["findings"] == text


def test_visits_are_listed_by_scope(sup_world):  # noqa: F811
    w = sup_world

    def units(user, **params):
        rows = api_get(user, "/visits", **params).json()["results"]
        return sorted(row["unit_code"] for row in rows)

    assert units(w.d.leader) == ["linshanzhai", "linshanzhai-01", "zhongyuanxilu"]
    assert units(w.inspector) == ["linshanzhai", "linshanzhai-01", "zhongyuanxilu"]
    assert units(w.d.street_staff) == ["linshanzhai", "linshanzhai-01"]
    assert units(w.d.community_staff) == ["linshanzhai-01"]
    assert units(w.other.street_staff) == ["zhongyuanxilu"]
    assert units(w.d.cgj_staff) == []
    assert units(w.d.dispatcher, group_id=w.g2.pk) == ["zhongyuanxilu"]
    assert units(w.d.dispatcher, unit="linshanzhai") == ["linshanzhai", "linshanzhai-01"]
    assert api_get(w.d.dispatcher, "/visits", unit="nowhere").status_code == 422


def test_the_unit_marks_its_item_done(sup_world):  # noqa: F811
    w = sup_world
    path = f"/rectifications/{w.open_item.pk}/done"
    assert api_post(w.d.community_staff, path, {"result": "好"}).status_code == 404
    assert api_post(w.other.street_staff, path, {"result": "好"}).status_code == 404
    assert api_post(w.inspector, path, {"result": "好"}).status_code == 403
    assert api_post(w.d.street_staff, path, {"result": ""}).status_code == 422
    response = api_post(w.d.street_staff, path, {"result": "台账已补齐"})
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["done_on"]) == ("done",
                                                                       today().isoformat())
    assert api_post(w.d.street_staff, path, {"result": "再报"}).status_code == 409
    assert api_post(w.d.street_staff, "/rectifications/99999999/done",
                    {"result": "好"}).status_code == 404
    assert api_post(w.d.street_staff, f"/rectifications/{2 ** 70}/done",
                    {"result": "好"}).status_code in (404, 422)
    reopen = f"/rectifications/{w.open_item.pk}/reopen"
    assert api_post(w.d.street_staff, reopen, {"reason": "x"}).status_code == 403
    assert api_post(w.inspector, reopen, {"reason": "未整改到位"}).status_code == 200
    assert Rectification.objects.get(pk=w.open_item.pk).status == "open"


def test_rectifications_filter_by_status_and_scope(sup_world):  # noqa: F811
    w = sup_world

    def items(user, **params):
        return sorted(r["item"] for r in api_get(user, "/rectifications", **params)
                      .json()["results"])

    assert items(w.d.dispatcher) == ["加强宣传", "补齐学习台账"]
    assert items(w.d.dispatcher, status="done") == ["加强宣传"]
    assert items(w.d.dispatcher, status="open") == ["补齐学习台账"]
    assert items(w.d.community_staff) == ["加强宣传"]
    assert items(w.other.street_staff) == []
    assert api_get(w.d.dispatcher, "/rectifications", status="bad").status_code == 422


@pytest.mark.parametrize("text", [*HOSTILE, "' OR 1=1 --", "含\x00空字符", "\ud800"])
def test_hostile_results_and_reasons(sup_world, text):  # noqa: F811
    w = sup_world
    done = api_post(w.d.street_staff, f"/rectifications/{w.open_item.pk}/done",
                    {"result": text})
    reopen = api_post(w.inspector, f"/rectifications/{w.done_item.pk}/reopen", {"reason": text})
    for response, field in ((done, "result"), (reopen, "reason")):
        if response.status_code == 200:
            assert response.json()[field if field == "result" else "item"]
            continue
        assert response.status_code in (400, 422), response.content
        body = response.json()
        named = body.get("field") or " ".join(str(e.get("field")) for e in body["errors"])
        assert field in named, body
    if done.status_code == 200:
        assert Rectification.objects.get(pk=w.open_item.pk).result == text

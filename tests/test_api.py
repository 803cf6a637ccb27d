"""The REST API over the full request stack, with the unit, a sibling unit and the dispatcher."""

import json
import re

import pytest
from django.test import Client

from banshi.appeals.models import Appeal, Aspect
from banshi.org.models import ApiToken

from .factories import HOSTILE, PASSWORD, dispatched, resolved, with_code

API = "/api/v1"


class Caller:
    """A JSON client with an optional bearer token."""

    def __init__(self, user=None):
        self.client = Client()
        self.headers = {}
        if user is not None:
            self.headers["Authorization"] = f"Bearer {ApiToken.objects.issue(user)}"

    def get(self, path, **params):
        return self.client.get(API + path, params, headers=self.headers)

    def post(self, path, body=None):
        return self.client.post(API + path, json.dumps(body or {}),
                                content_type="application/json", headers=self.headers)


@pytest.fixture
def api(d):
    return {name: Caller(getattr(d, name)) for name in
            ["dispatcher", "leader", "cgj_staff", "zjj_staff", "community_staff", "admin"]} | {
        "resident": Caller()}


def test_token_issued_for_right_password_only(d):
    ok = Caller().post("/auth/token", {"username": "dispatcher", "password": PASSWORD})
    assert ok.status_code == 200 and len(ok.json()["token"]) > 30
    bad = Caller().post("/auth/token", {"username": "dispatcher", "password": "wrong"})
    assert bad.status_code == 401
    assert Caller().get("/appeals").status_code == 401


def test_resident_submits_and_tracks_without_personal_data(d, api):
    response = api["resident"].post("/appeals", {
        "title": "百花路路灯不亮", "content": "三盏路灯一周不亮", "region_code": d.community.code,
        "contact_name": "李四", "contact_phone": "13912345678", "address": "百花路8号"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert re.fullmatch(r"ZY\d{8}-0001", body["number"])
    assert re.fullmatch(r"\d{6}", body["query_code"]) and body["state"] == "submitted"
    tracked = api["resident"].get("/appeals/track", number=body["number"], code=body["query_code"])
    assert tracked.status_code == 200
    text = tracked.content.decode()
    for secret in ["李四", "13912345678", "百花路8号"]:
        assert secret not in text
    assert tracked.json()["events"][0]["state"] == "submitted"


def test_track_wrong_code_is_the_same_404_as_unknown_number(d, api):
    appeal, code = with_code(d)
    wrong = "000000" if code != "000000" else "111111"
    a = api["resident"].get("/appeals/track", number=appeal.number, code=wrong)
    b = api["resident"].get("/appeals/track", number="ZY19990101-0001", code=code)
    assert a.status_code == b.status_code == 404
    assert a.json() == b.json()


def test_submit_validation_names_the_field(d, api):
    response = api["resident"].post("/appeals", {"title": "", "content": "x"})
    assert response.status_code == 422 and response.json()["field"] == "title"
    response = api["resident"].post("/appeals", {"title": "t", "content": "x",
                                                 "region_code": "nope"})
    assert response.status_code == 422 and response.json()["field"] == "region_code"
    response = api["resident"].post("/appeals", {"title": "t", "content": "x",
                                                 "channel": "symposium"})
    assert response.status_code == 422 and response.json()["field"] == "channel"


def test_staff_may_enter_offline_channels(d, api):
    response = api["community_staff"].post("/appeals", {
        "title": "座谈会反映", "content": "加装电梯", "channel": "symposium",
        "region_code": d.community.code, "collected_at": "2026-03-01T10:00:00+08:00"})
    assert response.status_code == 201
    appeal = Appeal.objects.get(number=response.json()["number"])
    assert appeal.channel == "symposium" and appeal.collector_unit == d.community_unit
    assert appeal.collected_at.year == 2026 and appeal.created_by == d.community_staff


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_round_trips(d, api, text):
    response = api["resident"].post("/appeals", {"title": text[:200], "content": text})
    assert response.status_code == 201
    appeal = Appeal.objects.get(number=response.json()["number"])
    assert appeal.content == text.strip() and appeal.title == text[:200].strip()
    detail = api["dispatcher"].get(f"/appeals/{appeal.number}")
    assert detail.json()["content"] == text.strip()


def test_submit_is_rate_limited_per_client(d, api, settings):
    """Callers that name no device (X-Banshi-Device) count as one device per address."""
    limit = int(settings.BANSHI_DEVICE_SUBMIT_RATE.split("/")[0])
    statuses = [api["resident"].post("/appeals", {"title": "t", "content": "c"}).status_code
                for _ in range(limit + 1)]
    assert statuses[:limit] == [201] * limit and statuses[limit] == 429
    assert api["community_staff"].post("/appeals", {"title": "t", "content": "c"}).status_code \
        == 201


def test_list_and_detail_are_scoped(d, api):
    mine = dispatched(d, d.cgj)
    theirs = dispatched(d, d.zjj)
    numbers = lambda who: {a["number"] for a in api[who].get("/appeals").json()["results"]}  # noqa: E731
    assert numbers("cgj_staff") == {mine.number}
    assert numbers("zjj_staff") == {theirs.number}
    assert numbers("dispatcher") == {mine.number, theirs.number}
    assert api["zjj_staff"].get(f"/appeals/{mine.number}").status_code == 404
    assert api["zjj_staff"].get("/appeals/ZY19990101-0001").status_code == 404
    assert api["cgj_staff"].get(f"/appeals/{mine.number}").status_code == 200


def test_contact_masked_except_for_handling_unit_and_dispatcher(d, api):
    appeal = dispatched(d, d.cgj)
    full = api["cgj_staff"].get(f"/appeals/{appeal.number}").json()["contact"]
    assert full == {"name": "张三", "phone": "13812341234", "address": "百花路12号院3号楼"}
    assert api["dispatcher"].get(f"/appeals/{appeal.number}").json()["contact"] == full
    masked = api["leader"].get(f"/appeals/{appeal.number}").json()["contact"]
    assert masked["name"] == "张*" and masked["phone"] == "138****1234"
    assert "12号院" not in masked["address"]


def test_list_filters(d, api):
    a = dispatched(d, d.cgj)
    b = dispatched(d, d.zjj)
    res = api["dispatcher"].get("/appeals", unit="zjj").json()
    assert [x["number"] for x in res["results"]] == [b.number]
    res = api["dispatcher"].get("/appeals", state="dispatched", street=d.street.code).json()
    assert res["count"] == 2
    res = api["dispatcher"].get("/appeals", state="closed").json()
    assert res["count"] == 0
    res = api["dispatcher"].get("/appeals", q=a.number).json()
    assert res["count"] == 1
    assert api["dispatcher"].get("/appeals", state="nonsense").status_code == 422


def test_main_path_over_the_api(d, api):
    created = api["resident"].post("/appeals", {"title": "井盖缺失", "content": "桐柏路井盖丢失",
                                                "region_code": d.community.code}).json()
    number, code = created["number"], created["query_code"]
    r = api["dispatcher"].post(f"/appeals/{number}/dispatch", {
        "unit_code": "cgj", "category_code": d.cat_city_3.code, "aspect_code": "a4"})
    assert r.status_code == 200 and r.json()["state"] == "dispatched"
    assert r.json()["handling_due_at"] and r.json()["category"] == "城乡建设/市政管理/路灯"
    assert api["cgj_staff"].post(f"/appeals/{number}/accept").json()["state"] == "in_progress"
    r = api["cgj_staff"].post(f"/appeals/{number}/resolve", {"reply": "已补装井盖"})
    assert r.json()["state"] == "resolved"
    r = api["resident"].post(f"/appeals/{number}/feedback",
                             {"solved": "solved", "rating": "satisfied", "query_code": code})
    assert r.status_code == 200 and r.json()["state"] == "closed"
    assert r.json()["reply"] == "已补装井盖"
    events = api["dispatcher"].get(f"/appeals/{number}").json()["events"]
    assert [e["to_state"] for e in events] == [
        "submitted", "dispatched", "in_progress", "resolved", "closed"]


def test_refused_transitions_are_409_and_wrong_callers_403_or_404(d, api):
    appeal = dispatched(d, d.cgj)
    n = appeal.number
    assert api["cgj_staff"].post(f"/appeals/{n}/resolve", {"reply": "x"}).status_code == 409
    assert api["zjj_staff"].post(f"/appeals/{n}/accept").status_code == 404
    assert api["leader"].post(f"/appeals/{n}/accept").status_code == 403
    assert api["cgj_staff"].post(f"/appeals/{n}/dispatch", {"unit_code": "zjj"}).status_code \
        == 403
    assert api["dispatcher"].post(f"/appeals/{n}/invalidate", {"reason": "x"}).status_code == 409
    r = api["cgj_staff"].post(f"/appeals/{n}/return", {"reason": ""})
    assert r.status_code == 422 and r.json()["field"] == "reason"
    r = api["cgj_staff"].post(f"/appeals/{n}/return", {"reason": "不属于本单位职责"})
    assert r.json()["state"] == "returned" and r.json()["unit_code"] is None
    assert api["cgj_staff"].get(f"/appeals/{n}").status_code == 404


def test_escalate_extend_supervise_and_reopen(d, api):
    appeal = dispatched(d, d.cgj)
    n = appeal.number
    api["cgj_staff"].post(f"/appeals/{n}/accept")
    before = api["cgj_staff"].get(f"/appeals/{n}").json()["handling_due_at"]
    r = api["cgj_staff"].post(f"/appeals/{n}/extend", {"days": 5, "reason": "需协调供电公司"})
    assert r.json()["pending_extension_days"] == 5
    assert api["cgj_staff"].post(f"/appeals/{n}/extend", {"days": 5, "reason": "again"}) \
        .status_code == 409
    r = api["dispatcher"].post(f"/appeals/{n}/decide_extension", {"approve": True})
    assert r.json()["handling_due_at"] > before and r.json()["pending_extension_days"] is None
    r = api["leader"].post(f"/appeals/{n}/supervise",
                           {"instruction": "本周内解决", "due_date": "2099-01-01"})
    assert r.json()["supervisions"][0]["answered_at"] is None
    assert api["cgj_staff"].post(f"/appeals/{n}/supervise",
                                 {"instruction": "x", "due_date": "2099-01-01"}).status_code == 403
    r = api["cgj_staff"].post(f"/appeals/{n}/answer_supervision", {"answer": "已安排施工"})
    assert r.json()["supervisions"][0]["answer"] == "已安排施工"
    r = api["cgj_staff"].post(f"/appeals/{n}/escalate", {"note": "需区级协调"})
    assert r.json()["unit_code"] == "district" and r.json()["state"] == "dispatched"


def test_unsatisfied_reopens_and_dispatcher_callback(d, api):
    appeal = resolved(d, d.cgj)
    n = appeal.number
    assert api["resident"].post(f"/appeals/{n}/feedback",
                                {"solved": "solved",
                                 "rating": "unsatisfied", "query_code": "bad"}).status_code == 404
    r = api["dispatcher"].post(f"/appeals/{n}/feedback",
                               {"solved": "solved",
                                "rating": "unsatisfied", "comment": "路灯仍不亮"})
    assert r.json()["state"] == "in_progress"
    assert api["dispatcher"].post(f"/appeals/{n}/reopen").status_code == 409
    api["cgj_staff"].post(f"/appeals/{n}/resolve", {"reply": "已更换灯具"})
    assert api["dispatcher"].post(f"/appeals/{n}/reopen").json()["state"] == "in_progress"
    r = api["dispatcher"].post(f"/appeals/{n}/feedback", {"solved": "solved", "rating": "great"})
    assert r.status_code == 422


def test_merge_and_invalidate(d, api):
    first = dispatched(d, d.cgj)
    dup, _ = with_code(d)
    r = api["dispatcher"].post(f"/appeals/{dup.number}/merge", {"into": first.number})
    assert r.json()["state"] == "merged"
    other, _ = with_code(d)
    r = api["dispatcher"].post(f"/appeals/{other.number}/invalidate", {"reason": "广告"})
    assert r.json()["state"] == "invalid"
    third, _ = with_code(d)
    assert api["dispatcher"].post(f"/appeals/{third.number}/merge",
                                  {"into": other.number}).status_code == 409


def test_reference_endpoints(d, api):
    units = {u["code"]: u for u in api["resident"].get("/units").json()}
    assert units["linshanzhai-01"]["level"] == "community"
    assert units["cgj"]["level"] == "street" and units["district"]["level"] == "district"
    regions = api["resident"].get("/regions").json()
    assert {r["level"] for r in regions} == {"district", "street", "community"}
    cats = api["resident"].get("/categories").json()
    assert any(c["path"] == "城乡建设/市政管理/路灯" and c["level"] == 3 for c in cats)
    assert api["resident"].get("/aspects").json()[0]["code"] == "a4"
    assert api["resident"].get("/aspects").json()[0]["confirmed"] is True
    Aspect.objects.filter(code="a4").update(confirmed=False)
    assert api["resident"].get("/aspects").json()[0]["confirmed"] is False  # 待确认


def test_openapi_document(d):
    doc = Client().get(f"{API}/openapi.json").json()
    for path in ["/api/v1/auth/token", "/api/v1/appeals", "/api/v1/appeals/track",
                 "/api/v1/appeals/{number}", "/api/v1/appeals/{number}/dispatch",
                 "/api/v1/units", "/api/v1/regions", "/api/v1/categories", "/api/v1/aspects"]:
        assert path in doc["paths"], path

"""The API over a real socket: what an outside integration (心通桥, a 12345 system) sees."""

import json
import urllib.error
import urllib.request

import pytest

from .factories import PASSWORD, build_district


def call(base, method, path, body=None, token=None):
    request = urllib.request.Request(
        f"{base}/api/v1{path}", method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"} | (
            {"Authorization": f"Bearer {token}"} if token else {}),
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.django_db(transaction=True)
def test_submit_dispatch_track_over_http(live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    d = build_district()
    base = live_server.url
    status, created = call(base, "POST", "/appeals", {
        "title": "🚧 伏牛路施工噪音", "content": "夜间施工＂扰民＂<b>严重</b>",
        "region_code": d.community.code})
    assert status == 201
    _, body = call(base, "POST", "/auth/token", {"username": "dispatcher", "password": PASSWORD})
    token = body["token"]
    status, detail = call(base, "POST", f"/appeals/{created['number']}/dispatch",
                          {"unit_code": "cgj"}, token)
    assert status == 200 and detail["unit"] == "区城市管理局"
    status, tracked = call(base, "GET",
                           f"/appeals/track?number={created['number']}&code={created['query_code']}")
    assert status == 200 and tracked["state"] == "dispatched"
    assert tracked["events"][-1]["note"] == "已转交区城市管理局办理"
    status, _ = call(base, "GET", f"/appeals/{created['number']}")
    assert status == 401

"""The residents' rate limits: one counter for the H5 pages and the API, keyed by the real
client address (behind trusted proxies only) and by device, counting accepted submissions."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from banshi.appeals.models import Appeal

API = "/api/v1"


@pytest.fixture
def rates(settings):
    """Small limits: two submissions per address, plenty per device unless a test says so."""
    settings.BANSHI_SUBMIT_RATE = "2/h"
    settings.BANSHI_DEVICE_SUBMIT_RATE = "100/h"
    settings.BANSHI_TRACK_RATE = "100/h"
    settings.BANSHI_DEVICE_TRACK_RATE = "100/h"
    return settings


def form_data(d, **overrides) -> dict:
    return {"title": "百花路路灯不亮", "content": "三盏路灯连续一周不亮。",
            "region": d.community.code, "contact_name": "张三",
            "contact_phone": "13812341234", "address": "百花路12号院"} | overrides


def web_submit(client, d, meta=None, **overrides):
    """POST the H5 form; a success is followed to the page showing the number and code."""
    return client.post(reverse("web:submit"), form_data(d, **overrides), follow=True,
                       **(meta or {}))


def api_submit(client, headers=None, meta=None, **overrides):
    body = {"title": "路灯不亮", "content": "三盏路灯连续一周不亮。"} | overrides
    return client.post(f"{API}/appeals", json.dumps(body), content_type="application/json",
                       headers=headers or {}, **(meta or {}))


def test_forwarded_for_does_not_dodge_the_api_limit_without_a_trusted_proxy(d, rates):
    client = Client()
    statuses = [api_submit(client, meta={"HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"},
                           headers={"X-Banshi-Device": f"phone-{n}"}).status_code
                for n in range(1, 4)]
    assert statuses == [201, 201, 429]
    assert Appeal.objects.count() == 2


def test_forwarded_for_does_not_dodge_the_web_limit_without_a_trusted_proxy(d, rates):
    statuses = [web_submit(Client(), d, {"HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}).status_code
                for n in range(1, 4)]
    assert statuses == [200, 200, 429]


def test_behind_a_trusted_proxy_each_resident_is_counted_apart(d, rates):
    rates.BANSHI_TRUSTED_PROXIES = ["10.0.0.0/8"]

    def through_proxy(forwarded_for: str):
        meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": forwarded_for}
        return web_submit(Client(), d, meta).status_code

    # Resident A behind two proxies; a value A typed in front of the chain does not count.
    assert through_proxy("203.0.113.7, 10.0.0.5") == 200
    assert through_proxy("1.1.1.1, 203.0.113.7, 10.0.0.5") == 200
    assert through_proxy("203.0.113.7") == 429
    assert through_proxy("203.0.113.8") == 200  # resident B through the same proxy


def test_failed_web_submissions_do_not_count(d, rates):
    client = Client()
    for _ in range(3):
        response = web_submit(client, d, title="")
        assert response.status_code == 422
    assert [web_submit(client, d).status_code for _ in range(3)] == [200, 200, 429]


def test_failed_api_submissions_do_not_count(d, rates):
    rates.BANSHI_SUBMIT_RATE = "3/h"
    client = Client()
    for _ in range(20):
        assert api_submit(client, region_code="nowhere").status_code == 422
    assert [api_submit(client).status_code for _ in range(4)] == [201, 201, 201, 429]


def test_web_and_api_share_one_counter(d, rates):
    web, api = Client(), Client()
    assert web_submit(web, d).status_code == 200
    assert api_submit(api).status_code == 201
    assert web_submit(web, d).status_code == 429
    assert api_submit(api).status_code == 429


def test_a_device_is_limited_on_a_shared_address(d, rates):
    rates.BANSHI_SUBMIT_RATE = "100/h"
    rates.BANSHI_DEVICE_SUBMIT_RATE = "2/h"
    phone = Client()
    phone.get(reverse("web:submit"))  # the form hands the phone its device cookie
    assert [web_submit(phone, d).status_code for _ in range(3)] == [200, 200, 429]
    other_phone = Client()
    other_phone.get(reverse("web:submit"))
    assert web_submit(other_phone, d).status_code == 200

    app = Client()
    statuses = [api_submit(app, headers={"X-Banshi-Device": "app-a"}).status_code
                for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert api_submit(app, headers={"X-Banshi-Device": "app-b"}).status_code == 201


def test_defaults_let_a_room_of_residents_share_one_address(d):
    """A community centre: 30 residents on the centre's Wi-Fi (one address) submit at once."""
    for _ in range(30):
        phone = Client()
        phone.get(reverse("web:submit"))
        assert web_submit(phone, d).status_code == 200
    assert Appeal.objects.count() == 30


def test_a_limited_resident_gets_a_chinese_answer_and_retry_after(d, rates):
    web, api = Client(), Client()
    web_submit(web, d)
    api_submit(api)
    page = web_submit(web, d)
    assert page.status_code == 429 and "操作太频繁" in page.content.decode()
    answer = api_submit(api)
    assert answer.status_code == 429
    assert "频繁" in answer.json()["detail"]
    assert 0 < int(page["Retry-After"]) <= 3600 and 0 < int(answer["Retry-After"]) <= 3600


def test_staff_entering_appeals_are_not_limited(d, rates):
    from banshi.org.models import ApiToken

    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(d.community_staff)}"}
    client = Client()
    assert [api_submit(client, headers).status_code for _ in range(4)] == [201] * 4


def test_tracking_counts_every_attempt(client, d, rates):
    rates.BANSHI_TRACK_RATE = "3/h"
    for _ in range(3):
        response = client.post(reverse("web:track"), {"number": "ZY20260101-0001",
                                                      "code": "000000"})
        assert response.status_code == 200
    assert client.post(reverse("web:track"), {"number": "x", "code": "1"}).status_code == 429
    answer = client.get(f"{API}/appeals/track", {"number": "ZY20260101-0001", "code": "1"})
    assert answer.status_code == 429


@pytest.mark.parametrize(("remote", "forwarded", "trusted", "expected"), [
    ("203.0.113.9", "198.51.100.1", [], "203.0.113.9"),  # no proxy trusted: header ignored
    ("10.0.0.2", "198.51.100.1", [], "10.0.0.2"),
    ("10.0.0.2", "198.51.100.1", ["10.0.0.0/8"], "198.51.100.1"),
    ("10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.7", ["10.0.0.0/8"], "198.51.100.1"),
    ("10.0.0.2", "198.51.100.1:5123", ["10.0.0.2"], "198.51.100.1"),
    ("10.0.0.2", "[2001:db8::5]:443", ["10.0.0.2"], "2001:db8::5"),
    ("10.0.0.2", "6.6.6.6, not-an-address", ["10.0.0.2"], "10.0.0.2"),
    ("10.0.0.2", "", ["10.0.0.2"], "10.0.0.2"),
    ("10.0.0.2", "10.0.0.3", ["10.0.0.0/8"], "10.0.0.3"),  # trusted all the way: the last hop
    ("::ffff:203.0.113.9", "", [], "203.0.113.9"),
    ("2001:db8::1", "198.51.100.1", ["2001:db8::/32"], "198.51.100.1"),
])
def test_client_address(settings, remote, forwarded, trusted, expected):
    from django.test import RequestFactory

    from banshi.web.clients import client_address

    settings.BANSHI_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_ipv6_addresses_count_by_their_slash_64(d, rates):
    def from_address(address: str) -> int:
        return api_submit(Client(), meta={"REMOTE_ADDR": address},
                          headers={"X-Banshi-Device": address.replace(":", "-")}).status_code

    assert from_address("2001:db8:1:2::10") == 201
    assert from_address("2001:db8:1:2:ffff::1") == 201
    assert from_address("2001:db8:1:2:abcd::9") == 429  # same /64: one phone can roam over it
    assert from_address("2001:db8:1:3::10") == 201


def test_a_tampered_device_cookie_is_no_device(d, rates):
    rates.BANSHI_SUBMIT_RATE = "100/h"
    rates.BANSHI_DEVICE_SUBMIT_RATE = "1/h"
    phone = Client()
    phone.get(reverse("web:submit"))
    assert web_submit(phone, d).status_code == 200
    assert web_submit(phone, d).status_code == 429
    phone.cookies["banshi_device"] = "forged-id"  # unsigned: counted with the cookieless
    assert web_submit(phone, d).status_code == 200
    assert web_submit(Client(), d).status_code == 429

"""A flood is not a hot problem: ten anonymous submissions from one device in a minute make
one resident and weigh as one appeal; the candidate says it was a flood. Distinct residents
are counted by phone, else by device (a keyed hash: no address is stored)."""

import datetime as dt
import json

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from banshi.appeals.models import Appeal, Problem
from banshi.triage.problems import Message, flood_representatives, heat_components

from .factories import candidate_pages

API = "/api/v1"
BODY = "这是一条用于测试系统限流功能的诉求内容，请忽略。"


@pytest.fixture
def open_rates(settings):
    settings.BANSHI_SUBMIT_RATE = "1000/h"
    settings.BANSHI_DEVICE_SUBMIT_RATE = "1000/h"
    return settings


def api_submit(client, device, title, **extra):
    body = {"title": title, "content": BODY} | extra
    response = client.post(f"{API}/appeals", json.dumps(body), content_type="application/json",
                           headers={"X-Banshi-Device": device} if device else {},
                           REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 201, response.content
    return Appeal.objects.get(number=response.json()["number"])


def test_ten_submissions_from_one_device_are_one_resident_and_a_flood(d, open_rates):
    from banshi.appeals.tasks import detect_problems_nightly

    client = Client()
    flood = [api_submit(client, "phone-flood", f"测试限流{n}") for n in range(1, 11)]
    assert len({a.submitter_key for a in flood}) == 1 and flood[0].submitter_key
    # The key is a hash: neither the device nor the address is stored in it.
    assert "phone-flood" not in flood[0].submitter_key
    assert "203.0.113.9" not in flood[0].submitter_key
    detect_problems_nightly.call_local()
    problem = Problem.objects.get()
    parts = problem.heat_components
    assert parts["residents"] == 1 and parts["appeals"] == 1 and parts["flooded"] == 9
    # Heat as if one resident had sent one appeal, not ten residents.
    one = heat_components([message("1", "测试限流1", 0)], np.zeros(1), 0.0, 30.0)
    assert problem.heat < one["heat"] + 15
    page, detail = candidate_pages(d.dispatcher, problem)
    assert "疑似刷屏 9 件" in page
    assert "疑似刷屏" in detail


def test_different_devices_and_phones_are_different_residents(d, open_rates):
    from banshi.appeals.learning.detection import ledger_messages

    client = Client()
    api_submit(client, "phone-a", "测试限流1")
    api_submit(client, "phone-b", "测试限流2")
    api_submit(client, "phone-a", "测试限流3", contact_phone="13812341234")
    api_submit(client, "phone-c", "测试限流4", contact_phone="13812341234")
    api_submit(client, None, "测试限流5")  # no device: counted by its address
    users = [m.user for m in ledger_messages()[0]]
    assert users[0] != users[1]  # two devices
    assert users[2] == users[3]  # one phone on two devices
    assert users[0] != users[2]  # a phone outweighs the device
    assert len(set(users)) == 4
    assert all("13812341234" not in u and "203.0.113" not in u for u in users)


def test_the_h5_form_keeps_the_device_of_the_phone(d, open_rates):
    client = Client()
    client.get(reverse("web:submit"))  # the page gives the phone its device cookie
    data = {"title": "百花路路灯不亮", "content": "三盏路灯连续一周不亮。",
            "region": d.community.code, "contact_name": "", "contact_phone": "", "address": ""}
    for _ in range(2):
        client.post(reverse("web:submit"), data, follow=True, REMOTE_ADDR="198.51.100.7")
    first, second = Appeal.objects.order_by("pk")
    assert first.submitter_key and first.submitter_key == second.submitter_key
    other = Client()
    other.get(reverse("web:submit"))
    other.post(reverse("web:submit"), data, follow=True, REMOTE_ADDR="198.51.100.7")
    assert Appeal.objects.order_by("pk").last().submitter_key != first.submitter_key


def message(ident, title, minutes, user="u1", content=BODY):
    at = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
    return Message(id=ident, user=user, title=title, content=content, at=at)


@pytest.mark.parametrize(("messages", "expected"), [
    # One source, near-identical texts, a minute apart: one flood.
    ([message("1", "测试限流1", 0), message("2", "测试限流2", 0.5),
      message("3", "测试限流３!", 1)], [0, 0, 0]),
    # A chain: each within 10 minutes of the one before.
    ([message("1", "测试限流", 0), message("2", "测试限流", 8),
      message("3", "测试限流", 16)], [0, 0, 0]),
    # Too far apart: two appeals.
    ([message("1", "测试限流", 0), message("2", "测试限流", 30)], [0, 1]),
    # Different sources: never a flood, however alike.
    ([message("1", "测试限流", 0, "u1"), message("2", "测试限流", 1, "u2")], [0, 1]),
    # One source, different problems within a minute: two appeals.
    ([message("1", "百花路路灯不亮", 0, content="三盏路灯一周不亮"),
      message("2", "小区垃圾无人清运", 1, content="垃圾堆了三天")], [0, 1]),
    # Hostile text and emoji do not break the comparison.
    ([message("1", "<script>alert(1)</script>😀", 0, content="' OR 1=1 --"),
      message("2", "<script>alert(2)</script>😀", 1, content="' OR 1=1 --")], [0, 0]),
])
def test_flood_representatives(messages, expected):
    assert flood_representatives(messages) == expected


def test_a_flood_weighs_as_one_appeal_in_the_heat():
    flood = [message(str(n), f"测试限流{n}", n * 0.1) for n in range(10)]
    single = heat_components(flood[:1], np.zeros(1), 0.0, 30.0)
    folded = heat_components(flood, np.zeros(10), 0.0, 30.0)
    assert folded["appeals"] == 1 and folded["flooded"] == 9 and folded["residents"] == 1
    assert folded["heat"] == single["heat"]
    ten = [message(str(n), f"测试限流{n}", n * 0.1, user=f"u{n}") for n in range(10)]
    assert heat_components(ten, np.zeros(10), 0.0, 30.0)["heat"] > folded["heat"] + 30


def test_the_problem_page_explains_the_flood_part():
    from banshi.web.views.problems import heat_parts

    parts = {p["key"]: p for p in heat_parts({"heat": 30.0, "flooded": 9})}
    assert parts["flooded"]["label"] == "疑似刷屏" and "一件" in parts["flooded"]["help"]


def test_submitter_key_is_a_keyed_hash_of_device_or_address(rf, settings):
    from banshi.web.clients import submitter_key

    request = rf.post("/", REMOTE_ADDR="2001:db8::1", HTTP_X_BANSHI_DEVICE="dev-1")
    same_device = rf.post("/", REMOTE_ADDR="198.51.100.1", HTTP_X_BANSHI_DEVICE="dev-1")
    no_device = rf.post("/", REMOTE_ADDR="2001:db8::2")
    same_net = rf.post("/", REMOTE_ADDR="2001:db8::3")
    assert submitter_key(request) == submitter_key(same_device)
    assert submitter_key(no_device) == submitter_key(same_net)  # one /64
    assert submitter_key(request) != submitter_key(no_device)
    key = submitter_key(request)
    settings.SECRET_KEY = "another-secret-key-for-the-test"
    assert submitter_key(request) != key and len(key) == 32

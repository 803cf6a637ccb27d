"""Symposiums: recorded through the pages and the API, appeals entered several at once from
the record's page, the QR sign-in, and who sees which symposium."""

import datetime as dt
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from banshi.appeals.models import Appeal
from banshi.collection.actions import symposiums as actions
from banshi.collection.links import source_link
from banshi.collection.models import Symposium, SymposiumParticipant
from banshi.org.models import ApiToken

from .factories import HOSTILE, add_other_street, login

API = "/api/v1/collection/symposiums"
DAY = dt.date(2026, 3, 20)


def record(d, unit=None, actor=None, **fields):
    values = {"held_on": DAY, "topic": "百花社区征求意见座谈会", "participants": 23} | fields
    return actions.create_symposium(actor=actor or d.dispatcher, unit=unit or d.community_unit,
                                    **values)


def api_post(user, body):
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"} if user else {}
    return Client().post(API, json.dumps(body), content_type="application/json",
                         headers=headers)


def api_get(user, **params):
    return Client().get(API, params, headers={
        "Authorization": f"Bearer {ApiToken.objects.issue(user)}"})


def test_created_through_the_page(d, client):
    login(client, "linshanzhai-01")
    response = client.post(reverse("web:symposium-new"), {
        "unit": "linshanzhai-01", "kind": "one_building", "held_on": "2026-03-20",
        "place": "3号楼下", "region": d.community.code, "topic": "3号楼加装电梯一楼一议",
        "participants": "17", "minutes": "同意加装。"})
    symposium = Symposium.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:symposium", args=[symposium.pk])
    assert (symposium.unit, symposium.kind, symposium.participants, symposium.region) == (
        d.community_unit, "one_building", 17, d.community)
    assert re.fullmatch(r"ZT20260320\d{3}", symposium.code)
    page = client.get(reverse("web:symposium", args=[symposium.pk])).content.decode()
    assert "3号楼加装电梯一楼一议" in page and "同意加装。" in page


def test_the_page_offers_only_units_the_user_may_record_for(d, client):
    login(client, "linshanzhai-01")
    page = client.get(reverse("web:symposium-new")).content.decode()
    assert 'value="linshanzhai-01"' in page and 'value="linshanzhai-02"' not in page
    response = client.post(reverse("web:symposium-new"), {
        "unit": "linshanzhai-02", "kind": "solicitation", "held_on": "2026-03-20",
        "topic": "越权", "participants": "1"})
    assert response.status_code == 422 and not Symposium.objects.exists()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_through_the_page(d, client, text):
    login(client, "linshanzhai")
    response = client.post(reverse("web:symposium-new"), {
        "unit": "linshanzhai", "kind": "solicitation", "held_on": "2026-03-20",
        "topic": text[:200], "place": text[:200], "minutes": text, "participants": "5"})
    assert response.status_code == 302, response.content.decode()[:500]
    symposium = Symposium.objects.get()
    assert symposium.minutes == text.strip()
    page = client.get(reverse("web:symposium", args=[symposium.pk])).content.decode()
    assert "<script>alert" not in page


def test_api_creates_and_counts_at_once(d):
    before = api_get(d.street_staff).json()["count"]
    response = api_post(d.street_staff, {
        "unit_code": "linshanzhai-02", "held_on": "2026-03-21", "topic": "物业联席会",
        "kind": "property_joint", "participants": 12, "place": "社区会议室"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["unit_code"], body["kind"], body["participants"], body["held_on"],
            body["place"]) == ("linshanzhai-02", "property_joint", 12, "2026-03-21", "社区会议室")
    listed = api_get(d.street_staff).json()
    assert listed["count"] == before + 1 and listed["results"][0]["code"] == body["code"]
    assert Symposium.objects.get(code=body["code"]).created_by == d.street_staff


def test_api_refusals_in_the_one_error_shape(d):
    other = add_other_street(d)
    body = {"unit_code": other.street_unit.code, "held_on": "2026-03-21", "topic": "越权",
            "kind": "solicitation", "participants": 3}
    outside = api_post(d.street_staff, body)
    assert outside.status_code == 403 and outside.json()["field"] == "unit_code"
    for bad, field in [({"unit_code": "nope"}, "unit_code"), ({"kind": "party"}, "kind"),
                       ({"participants": -1}, "participants"), ({"held_on": "3/21"}, "held_on"),
                       ({"topic": ""}, "topic"), ({"topic": "a\x00b"}, "topic")]:
        response = api_post(d.street_staff, body | {"unit_code": "linshanzhai"} | bad)
        assert response.status_code == 422, bad
        assert response.json()["field"] == field and response.json()["detail"], bad
    assert api_post(d.leader, body | {"unit_code": "linshanzhai"}).status_code == 403
    assert api_post(None, body).status_code == 401
    assert not Symposium.objects.exists()


@pytest.mark.parametrize("text", HOSTILE[:4])
def test_hostile_text_through_the_api(d, text):
    response = api_post(d.dispatcher, {"unit_code": "cgj", "held_on": "2026-03-21",
                                       "topic": text, "kind": "other", "participants": 0,
                                       "minutes": text})
    assert response.status_code == 201 and response.json()["topic"] == text.strip()


def test_visibility_by_unit(d, client):
    other = add_other_street(d)
    own = record(d, topic="百花的座谈会")
    sibling = record(d, unit=d.community2_unit, topic="桐淮的座谈会")
    far = record(d, unit=other.community_unit, topic="西里的座谈会")
    seen = {"linshanzhai-01": {own}, "linshanzhai": {own, sibling},
            "zhongyuanxilu": {far}, "dispatcher": {own, sibling, far},
            "leader": {own, sibling, far}}
    for username, expected in seen.items():
        c = login(Client(), username)
        page = c.get(reverse("web:symposiums")).content.decode()
        for symposium in (own, sibling, far):
            assert (symposium.topic in page) == (symposium in expected), (username, symposium)
            status = c.get(reverse("web:symposium", args=[symposium.pk])).status_code
            assert status == (200 if symposium in expected else 404), (username, symposium)
    listed = api_get(d.street_staff, page_size=200).json()
    assert {row["code"] for row in listed["results"]} == {own.code, sibling.code}
    assert login(client, "cgj").get(reverse("web:symposium", args=[own.pk])).status_code == 404


def test_filters_and_paging(d, client):
    for n in range(3):
        record(d, kind="one_building", held_on=DAY + dt.timedelta(days=n), topic=f"一楼一议{n}")
    record(d, kind="property_joint", topic="物业座谈甲")
    login(client, "dispatcher")
    page = client.get(reverse("web:symposiums"), {"kind": "one_building",
                                                  "start": "2026-03-21"}).content.decode()
    assert "一楼一议1" in page and "一楼一议2" in page and "一楼一议0" not in page
    assert "物业座谈甲" not in page
    api = api_get(d.dispatcher, kind="one_building", page_size=2).json()
    assert api["count"] == 3 and len(api["results"]) == 2


def row(n, **fields):
    return {f"row-{n}-{name}": value for name, value in fields.items()}


def test_several_appeals_at_once_bad_rows_named_good_rows_kept(d, client):
    symposium = record(d)
    login(client, "linshanzhai-01")
    data = {"rows": "4"} | row(1, title="楼道灯不亮", content="3号楼楼道灯坏了",
                               contact_name="王五", contact_phone="13800001111",
                               region=d.community.code) \
        | row(2, title="缺内容", content="") \
        | row(3, title="电话不对", content="小区门口积水", contact_phone="12ab") \
        | row(4, title=HOSTILE[0], content=HOSTILE[2])
    response = client.post(reverse("web:symposium-appeals", args=[symposium.pk]), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "第2行 内容" in page and "第3行 电话" in page
    assert "第1行" not in page and "第4行" not in page
    appeals = Appeal.objects.filter(source_id=symposium.pk, channel="symposium")
    assert sorted(a.title for a in appeals) == sorted(["楼道灯不亮", HOSTILE[0]])
    assert all(a.source == symposium for a in appeals)
    assert "<script>alert" not in page
    assert 'value="楼道灯不亮"' not in page and 'value="电话不对"' in page  # only bad rows stay
    assert appeals.get(title="楼道灯不亮").collected_at.date() == DAY
    assert source_link(appeals.first()) == (f"座谈会：{symposium}",
                                            reverse("web:symposium", args=[symposium.pk]))
    case = client.get(reverse("web:case", args=[appeals.first().number])).content.decode()
    assert "来源" in case and reverse("web:symposium", args=[symposium.pk]) in case
    detail = client.get(reverse("web:symposium", args=[symposium.pk])).content.decode()
    assert all(a.number in detail for a in appeals)


def test_an_empty_batch_enters_nothing(d, client):
    symposium = record(d)
    login(client, "linshanzhai-01")
    response = client.post(reverse("web:symposium-appeals", args=[symposium.pk]), {"rows": "5"})
    assert response.status_code == 422 and not Appeal.objects.exists()


def test_only_recorders_enter_appeals_and_participants(d, client):
    symposium = record(d)
    login(client, "leader")
    data = {"rows": "1"} | row(1, title="标题", content="内容")
    assert client.post(reverse("web:symposium-appeals", args=[symposium.pk]),
                       data).status_code == 403
    assert client.post(reverse("web:symposium-participant-add", args=[symposium.pk]),
                       {"name": "张三"}).status_code == 403
    assert not Appeal.objects.exists() and not symposium.attendees.exists()
    page = client.get(reverse("web:symposium", args=[symposium.pk])).content.decode()
    assert reverse("web:symposium-appeals", args=[symposium.pk]) not in page  # no form offered


def test_participants_added_and_removed(d, client):
    symposium = record(d)
    login(client, "linshanzhai-01")
    url = reverse("web:symposium-participant-add", args=[symposium.pk])
    assert client.post(url, {"name": "张三", "role": "居民代表", "organisation": "3号楼"}
                       ).status_code == 302
    assert client.post(url, {"name": "", "role": "物业"}).status_code == 422
    person = symposium.attendees.get()
    assert (person.name, person.role, person.signed_in_at) == ("张三", "居民代表", None)
    remove = reverse("web:symposium-participant-remove", args=[symposium.pk, person.pk])
    assert client.post(remove).status_code == 302 and not symposium.attendees.exists()


def test_attachments_limited_by_type_and_size(d, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    symposium = record(d)
    login(client, "linshanzhai-01")
    url = reverse("web:symposium-attach", args=[symposium.pk])
    ok = client.post(url, {"file": SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes")})
    assert ok.status_code == 302
    assert client.post(url, {"file": SimpleUploadedFile("x.exe", b"MZ")}).status_code == 422
    big = SimpleUploadedFile("big.pdf", b"0" * (actions.ATTACHMENT_BYTES_MAX + 1))
    assert client.post(url, {"file": big}).status_code == 422
    stored = symposium.files.get()
    assert (stored.name, stored.content_type) == ("纪要.pdf", "application/pdf")
    download = client.get(reverse("web:symposium-file", args=[symposium.pk, stored.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minutes"
    other = login(Client(), "linshanzhai-02")
    assert other.get(reverse("web:symposium-file", args=[symposium.pk, stored.pk])
                     ).status_code == 404


def test_sign_in_sheet_and_qr_sign_in(d, client):
    symposium = record(d)
    actions.add_participant(symposium, actor=d.dispatcher, name="预先登记", role="楼栋长")
    login(client, "linshanzhai-01")
    sheet = client.get(reverse("web:symposium-sheet", args=[symposium.pk]))
    text = sheet.content.decode()
    signin_url = "http://testserver" + reverse("web:signin", args=[symposium.signin_token])
    assert sheet.status_code == 200 and "<svg" in text and "预先登记" in text
    assert signin_url in text and "@media print" not in text  # the print CSS is a static file
    phone = Client()
    assert symposium.topic in phone.get(signin_url).content.decode()
    done = phone.post(signin_url, {"name": HOSTILE[0], "role": HOSTILE[1],
                                   "organisation": HOSTILE[3]})
    assert done.status_code == 200 and "<script>alert" not in done.content.decode()
    assert phone.post(signin_url, {"name": ""}).status_code == 422
    signed = SymposiumParticipant.objects.get(symposium=symposium, signed_in_at__isnull=False)
    assert (signed.name, signed.role) == (HOSTILE[0], HOSTILE[1].strip())
    detail = client.get(reverse("web:symposium", args=[symposium.pk])).content.decode()
    assert re.search(r'id="signed-in">1 人<', detail)
    assert api_get(d.dispatcher).json()["results"][0]["signed_in"] == 1
    assert phone.get(reverse("web:signin", args=["not-a-token"])).status_code == 404


def test_sign_in_is_rate_limited(d, settings):
    settings.BANSHI_SUBMIT_RATE = "2/h"
    settings.BANSHI_DEVICE_SUBMIT_RATE = "2/h"
    symposium = record(d)
    url = reverse("web:signin", args=[symposium.signin_token])
    phone = Client()
    codes = [phone.post(url, {"name": f"居民{n}"}).status_code for n in range(3)]
    assert codes == [200, 200, 429]
    assert symposium.attendees.count() == 2


def test_edit_keeps_the_code_and_checks_the_unit(d, client):
    symposium = record(d)
    login(client, "linshanzhai-01")
    url = reverse("web:symposium-edit", args=[symposium.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"unit": "linshanzhai-01", "kind": "other",
                                 "held_on": "2026-03-22", "topic": "改后的主题",
                                 "participants": "30"})
    assert response.status_code == 302
    symposium.refresh_from_db()
    assert (symposium.topic, symposium.participants, symposium.held_on) == (
        "改后的主题", 30, dt.date(2026, 3, 22))
    assert login(Client(), "linshanzhai-02").get(url).status_code == 404


@pytest.mark.django_db
def test_demo_reproduces_the_report():
    import random

    from banshi.collection.models import OnlineGroup
    from banshi.demo.collection_symposiums import seed_groups, seed_symposiums
    from banshi.demo.seeding import load_reference_data, seed_accounts
    from banshi.org.models import Unit

    load_reference_data()
    seed_accounts()
    counts = seed_symposiums(random.Random(8))
    assert Symposium.objects.count() == 126 == counts["symposiums"]
    zhongyuanxilu = Unit.objects.get(name="中原西路街道办事处")
    theirs = Symposium.objects.within(zhongyuanxilu)
    assert theirs.count() == 9
    assert {s.unit.kind for s in theirs} == {"street", "community"}  # at different levels
    jianshelu = Symposium.objects.within(Unit.objects.get(name="建设路街道办事处"))
    assert {"one_building", "property_joint"} <= set(jianshelu.values_list("kind", flat=True))
    assert Symposium.objects.filter(unit__kind="department").exists()
    assert Symposium.objects.filter(attendees__isnull=False).distinct().count() >= 20
    today = timezone_today()
    assert all(dt.date(2026, 3, 5) <= s.held_on <= today for s in Symposium.objects.all())
    assert isinstance(seed_symposiums(random.Random(8)), str)
    assert Symposium.objects.count() == 126
    streets = Unit.objects.filter(kind="street").count()
    group_counts = seed_groups(random.Random(8))
    assert OnlineGroup.objects.filter(kind="platform").count() == streets
    assert group_counts["messages"] == 2 * streets
    assert Appeal.objects.filter(channel__in=["wechat_group", "qq_group", "platform"],
                                 source_id__isnull=False).count() == 2 * streets
    assert isinstance(seed_groups(random.Random(8)), str)


def timezone_today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def test_attendee_names_masked_for_readers_outside_the_unit(d, client):
    symposium = record(d)
    actions.add_participant(symposium, actor=d.dispatcher, name="李秀英", role="居民代表")
    for url in (reverse("web:symposium", args=[symposium.pk]),
                reverse("web:symposium-sheet", args=[symposium.pk])):
        assert "李秀英" in login(Client(), "linshanzhai").get(url).content.decode()
        page = login(Client(), "leader").get(url).content.decode()
        assert "李秀英" not in page and "李**" in page

"""Online groups and platforms: the registry per unit, and a pasted message becoming an
appeal that keeps the original text, sender alias and time."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from banshi.appeals.models import Appeal
from banshi.collection.actions import groups as actions
from banshi.collection.links import source_link
from banshi.collection.models import GroupMessage, OnlineGroup

from .factories import HOSTILE, add_other_street, login

SENT = "2026-03-20T09:30"


def group(d, unit=None, **fields):
    values = {"kind": "wechat_group", "name": "百花社区居民群", "members": 480,
              "region": d.community} | fields
    return actions.create_group(actor=d.dispatcher, unit=unit or d.community_unit, **values)


def test_registered_through_the_page(d, client):
    login(client, "linshanzhai")
    response = client.post(reverse("web:online-group-new"), {
        "unit": "linshanzhai", "kind": "platform", "name": "心通桥·林山寨",
        "members": "0", "is_active": "on"})
    created = OnlineGroup.objects.get()
    assert response.status_code == 302
    assert (created.unit, created.kind, created.is_active) == (d.street_unit, "platform", True)
    listed = client.get(reverse("web:online-groups"), {"kind": "platform"}).content.decode()
    assert "心通桥·林山寨" in listed
    edit = client.post(reverse("web:online-group-edit", args=[created.pk]), {
        "unit": "linshanzhai", "kind": "platform", "name": "心通桥", "members": "3"})
    created.refresh_from_db()
    assert edit.status_code == 302 and (created.name, created.is_active) == ("心通桥", False)
    refused = client.post(reverse("web:online-group-new"), {
        "unit": "cgj", "kind": "qq_group", "name": "越权", "members": "1"})
    assert refused.status_code == 422 and OnlineGroup.objects.count() == 1


@pytest.mark.parametrize(("kind", "channel"), [("wechat_group", "wechat_group"),
                                               ("qq_group", "qq_group"),
                                               ("platform", "platform")])
def test_pasted_message_becomes_an_appeal_keeping_the_original(d, client, kind, channel):
    chat = group(d, kind=kind)
    text = ("百花路12号院门口的路灯坏了一个多星期了，"
            "晚上老人出门很不方便，麻烦社区帮忙报修一下，谢谢！")
    login(client, "linshanzhai-01")
    response = client.post(reverse("web:online-group-paste", args=[chat.pk]), {
        "sender_alias": "百花老王", "sent_at": SENT, "text": text})
    assert response.status_code == 302
    message = GroupMessage.objects.get()
    appeal = Appeal.objects.get()
    assert (message.text, message.sender_alias) == (text, "百花老王")
    sent = timezone.localtime(message.sent_at)
    assert (sent.date(), sent.hour, sent.minute) == (dt.date(2026, 3, 20), 9, 30)
    assert appeal.source == message and appeal.channel == channel
    assert appeal.content == text and appeal.title == text[:30] + "…"
    assert appeal.collected_at == message.sent_at and appeal.region == d.community
    label, url = source_link(appeal)
    assert url == reverse("web:online-group", args=[chat.pk])
    assert "百花老王" in label and "2026-03-20 09:30" in label
    case = client.get(reverse("web:case", args=[appeal.number])).content.decode()
    assert "来源" in case and url in case and "百花老王" in case
    page = client.get(url).content.decode()
    assert appeal.number in page and "百花老王" in page


def test_title_is_editable_and_required_fields_named(d, client):
    chat = group(d)
    login(client, "linshanzhai-01")
    url = reverse("web:online-group-paste", args=[chat.pk])
    assert client.post(url, {"sender_alias": "a", "sent_at": SENT, "text": "楼道堆物",
                             "title": "楼道堆物清理"}).status_code == 302
    assert Appeal.objects.get().title == "楼道堆物清理"
    for missing in ("sender_alias", "sent_at", "text"):
        data = {"sender_alias": "a", "sent_at": SENT, "text": "x"} | {missing: ""}
        response = client.post(url, data)
        assert response.status_code == 422, missing
    future = client.post(url, {"sender_alias": "a", "sent_at": "2099-01-01T00:00", "text": "x"})
    assert future.status_code == 422 and "发送时间不能晚于现在" in future.content.decode()
    assert Appeal.objects.count() == 1 and GroupMessage.objects.count() == 1


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_pasted(d, client, text):
    chat = group(d, name=HOSTILE[0])
    login(client, "linshanzhai-01")
    response = client.post(reverse("web:online-group-paste", args=[chat.pk]), {
        "sender_alias": HOSTILE[1][:100], "sent_at": SENT, "text": text})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.content == text.strip() and len(appeal.title) <= 31
    for url in (reverse("web:online-group", args=[chat.pk]),
                reverse("web:case", args=[appeal.number]), reverse("web:online-groups")):
        assert "<script>alert" not in client.get(url).content.decode()


def test_visibility_by_unit(d, client):
    other = add_other_street(d)
    own = group(d, name="百花群")
    sibling = group(d, unit=d.community2_unit, name="桐淮群", region=d.community2)
    far = group(d, unit=other.community_unit, name="西里群", region=other.community)
    seen = {"linshanzhai-01": {own}, "linshanzhai": {own, sibling}, "zhongyuanxilu": {far},
            "zhongyuanxilu-01": {far}}
    for username, expected in seen.items():
        c = login(Client(), username)
        page = c.get(reverse("web:online-groups")).content.decode()
        for chat in (own, sibling, far):
            assert (chat.name in page) == (chat in expected), (username, chat.name)
            status = c.get(reverse("web:online-group", args=[chat.pk])).status_code
            assert status == (200 if chat in expected else 404), (username, chat.name)
            paste = c.post(reverse("web:online-group-paste", args=[chat.pk]),
                           {"sender_alias": "a", "sent_at": SENT, "text": "x"})
            assert paste.status_code == (302 if chat in expected else 404), (username, chat.name)
    assert Appeal.objects.count() == 1 + 2 + 1 + 1  # one per (user, visible group) above


def test_leaders_read_but_do_not_paste(d, client):
    chat = group(d)
    login(client, "leader")
    page = client.get(reverse("web:online-group", args=[chat.pk])).content.decode()
    assert reverse("web:online-group-paste", args=[chat.pk]) not in page
    response = client.post(reverse("web:online-group-paste", args=[chat.pk]),
                           {"sender_alias": "a", "sent_at": SENT, "text": "x"})
    assert response.status_code == 403 and not Appeal.objects.exists()
    assert client.get(reverse("web:online-group-new")).status_code == 403


def test_message_counts(d, client):
    chat = group(d)
    for n in range(3):
        actions.paste_message(chat, actor=d.community_staff, sender_alias=f"居民{n}",
                              sent_at=timezone.now() - dt.timedelta(hours=n), text=f"诉求{n}")
    login(client, "linshanzhai-01")
    page = client.get(reverse("web:online-group", args=[chat.pk])).content.decode()
    assert '<span class="count">3</span>' in page
    assert Appeal.objects.filter(channel="wechat_group").count() == 3

"""办理进展 and photos with answers: the handling unit records progress (public or internal)
and photos; the resident's tracking page and API show their own text and photos, the public
progress and the answer with its photos — photos through signed, short-lived links only."""

import base64
import io
import json
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from banshi.appeals import actions, limits
from banshi.appeals.choices import Action, PhotoKind, State
from banshi.appeals.models import Appeal, Attachment
from banshi.appeals.photos import resident_token, resident_url
from banshi.appeals.public import public_timeline
from banshi.org.models import ApiToken

from .factories import HOSTILE, dispatched, in_progress, login, with_code

API = "/api/v1"


def png(colour=(30, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (5, 4), colour).save(buffer, "PNG")
    return buffer.getvalue()


def upload(name="site.png", data=None, content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png() if data is None else data, content_type=content_type)


def tracked(d, **kwargs) -> tuple[Appeal, str]:
    """An appeal in progress at 区城市管理局, with its query code."""
    appeal, code = with_code(d, **kwargs)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj)
    return actions.accept(appeal, actor=d.cgj_staff), code


def track_page(client, appeal, code) -> str:
    response = client.post(reverse("web:track"), {"number": appeal.number, "code": code})
    assert response.status_code == 200
    return response.content.decode()


def photo_links(html: str) -> list[str]:
    return sorted(set(re.findall(r'src="(/h5/photos/[^"]+/)"', html)))


def api(user) -> dict:
    return {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"}


def post_json(path, body, headers=None):
    return Client().post(API + path, json.dumps(body), content_type="application/json",
                         headers=headers or {})


# ---------- the action ----------

def test_progress_is_recorded_without_changing_state_public_or_not(d):
    appeal = in_progress(d)
    actions.add_progress(appeal, actor=d.cgj_staff, note="已联系供电公司，明日更换灯具",
                         public=True, photos=[("a.png", png())])
    actions.add_progress(appeal, actor=d.cgj_staff, note="内部：施工队排期待定", public=False,
                         photos=[("b.png", png((1, 2, 3)))])
    appeal.refresh_from_db()
    assert appeal.state == State.IN_PROGRESS
    events = list(appeal.events.filter(action=Action.PROGRESS).order_by("id"))
    assert [(e.from_state, e.to_state, e.data) for e in events] == [
        (State.IN_PROGRESS, State.IN_PROGRESS, {"public": True, "photos": 1}),
        (State.IN_PROGRESS, State.IN_PROGRESS, {"public": False, "photos": 1})]
    photos = {p.event_id: p for p in appeal.attachments.all()}
    assert photos[events[0].pk].public and photos[events[0].pk].kind == PhotoKind.PROGRESS
    assert not photos[events[1].pk].public
    notes = [item["note"] for item in public_timeline(appeal)]
    assert "办理进展：已联系供电公司，明日更换灯具" in notes
    assert not any("施工队" in note for note in notes)


def test_progress_only_by_the_handling_unit_while_in_progress(d):
    waiting = dispatched(d)
    with pytest.raises(actions.TransitionNotAllowed):
        actions.add_progress(waiting, actor=d.cgj_staff, note="还没接单", public=True)
    with pytest.raises(actions.NotPermitted):
        actions.add_progress(in_progress(d), actor=d.zjj_staff, note="别人的案子", public=True)
    with pytest.raises(actions.InvalidInput) as empty:
        actions.add_progress(in_progress(d), actor=d.cgj_staff, note="  ", public=True)
    assert empty.value.field == "note"


@pytest.mark.parametrize(("data", "message"), [
    (b"plain text, not a photo", "不是有效的图片"),
    (b"GIF89a" + b"\0" * 40, "不是有效的图片"),
])
def test_a_photo_that_is_not_one_is_refused_naming_the_field(d, data, message):
    appeal = in_progress(d)
    for call in (lambda: actions.add_progress(appeal, actor=d.cgj_staff, note="进展",
                                              public=True, photos=[("x.jpg", data)]),
                 lambda: actions.resolve(appeal, actor=d.cgj_staff, reply="已修复",
                                         photos=[("x.jpg", data)])):
        with pytest.raises(actions.InvalidInput) as refused:
            call()
        assert refused.value.field == "photos" and message in refused.value.message
    assert Appeal.objects.get(pk=appeal.pk).state == State.IN_PROGRESS
    assert not Attachment.objects.filter(appeal=appeal).exists()


def test_too_large_or_too_many_photos_are_refused(d, monkeypatch):
    appeal = in_progress(d)
    with pytest.raises(actions.InvalidInput) as many:
        actions.resolve(appeal, actor=d.cgj_staff, reply="已修复",
                        photos=[(f"{i}.png", png()) for i in range(limits.PHOTOS_MAX + 1)])
    assert many.value.field == "photos" and f"最多上传{limits.PHOTOS_MAX}张" in many.value.message
    monkeypatch.setattr(limits, "PHOTO_BYTES_MAX", 10)
    with pytest.raises(actions.InvalidInput) as large:
        actions.resolve(appeal, actor=d.cgj_staff, reply="已修复", photos=[("big.png", png())])
    assert large.value.field == "photos" and "超过" in large.value.message
    assert Appeal.objects.get(pk=appeal.pk).state == State.IN_PROGRESS


# ---------- the resident's photo links ----------

def test_resident_photo_link_works_then_expires_and_cannot_be_tampered_with(client, d,
                                                                          monkeypatch):
    appeal, _code = tracked(d, photos=[("own.png", png())])
    photo = appeal.attachments.get()
    url = resident_url(photo)
    assert appeal.number not in url and f"/{photo.pk}/" not in url
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == photo.file.open("rb").read()
    assert "no-store" in response["Cache-Control"]
    token = resident_token(photo)
    for forged in (token[:-1] + ("A" if token[-1] != "A" else "B"), token + "x", "1", "x:y:z"):
        assert client.get(reverse("web:resident-photo", args=[forged])).status_code == 404
    monkeypatch.setattr(limits, "PHOTO_LINK_SECONDS", 0)
    time.sleep(1.1)
    assert client.get(url).status_code == 404  # expired


def test_no_link_reaches_a_photo_residents_may_not_see(client, d):
    appeal = in_progress(d)
    actions.add_progress(appeal, actor=d.cgj_staff, note="内部进展", public=False,
                         photos=[("inside.png", png())])
    internal = appeal.attachments.get()
    assert client.get(resident_url(internal)).status_code == 404
    # staff still open it at its staff address
    staff = login(Client(), d.cgj_staff.username)
    assert staff.get(reverse("web:photo", args=[appeal.number, internal.pk])).status_code == 200


# ---------- the resident's tracking page ----------

def test_track_page_shows_own_text_and_photos_public_progress_and_the_answer(client, d):
    appeal, code = tracked(d, content="<script>alert(1)</script>百花路三盏路灯不亮",
                           photos=[("own.png", png())])
    actions.add_progress(appeal, actor=d.cgj_staff, note="已到现场查看，灯具损坏", public=True,
                         photos=[("site.png", png((9, 9, 9)))])
    actions.add_progress(appeal, actor=d.cgj_staff, note="内部：预算待批", public=False,
                         photos=[("inside.png", png((8, 8, 8)))])
    html = track_page(client, appeal, code)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;百花路三盏路灯不亮" in html
    assert "<script>alert(1)" not in html
    assert "办理进展：已到现场查看，灯具损坏" in html
    assert "预算待批" not in html
    assert len(photo_links(html)) == 2  # their own and the public progress photo
    for link in photo_links(html):
        assert appeal.number not in link and code not in link
        assert client.get(link).status_code == 200
    actions.resolve(appeal, actor=d.cgj_staff, reply="已更换灯具，恢复照明。",
                    photos=[("done.png", png((7, 7, 7)))])
    html = track_page(client, appeal, code)
    reply = html[html.index('id="reply"'):html.index('id="progress"')]
    assert "已更换灯具" in reply and len(photo_links(reply)) == 1
    assert len(photo_links(html)) == 3
    assert html.index("已到现场查看") < html.index("承办单位已答复")


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_progress_notes_through_the_page_and_the_tracking_page(client, d, text):
    appeal, code = tracked(d)
    staff = login(Client(), d.cgj_staff.username)
    response = staff.post(reverse("web:act", args=[appeal.number, "progress"]),
                          {"note": text, "public": "on"})
    if len(text) > limits.NOTE_MAX:
        assert response.status_code == 422
        assert "不能超过" in response.content.decode() or "最多" in response.content.decode()
        assert not appeal.events.filter(action=Action.PROGRESS).exists()
        return
    assert response.status_code == 302
    assert appeal.events.get(action=Action.PROGRESS).note == text.strip()
    html = track_page(client, appeal, code)
    assert "<script>alert('x')" not in html
    assert "办理进展：" in html


# ---------- the case page's forms ----------

def test_case_page_forms_take_photos_and_name_the_field_when_refused(d):
    appeal = in_progress(d)
    staff = login(Client(), d.cgj_staff.username)
    case_url = reverse("web:case", args=[appeal.number])
    page = staff.get(case_url).content.decode()
    for form_id in ('id="action-progress"', 'id="action-resolve"', 'id="id_resolve_photos"',
                    'id="id_progress_photos"', 'id="id_progress_public"', 'multipart/form-data'):
        assert form_id in page
    bad = staff.post(reverse("web:act", args=[appeal.number, "progress"]),
                     {"note": "进展", "photos": [upload("x.jpg", b"not a photo", "image/jpeg")]})
    assert bad.status_code == 422
    html = bad.content.decode()
    field = html[html.index('id="id_progress_photos"'):]
    assert "照片“x.jpg”不是有效的图片" in field[:2000]
    ok = staff.post(reverse("web:act", args=[appeal.number, "progress"]),
                    {"note": "更换中", "photos": [upload(), upload("b.png")]})
    assert ok.status_code == 302
    assert appeal.attachments.filter(kind=PhotoKind.PROGRESS, public=False).count() == 2
    answered = staff.post(reverse("web:act", args=[appeal.number, "resolve"]),
                          {"reply": "已修复", "photos": [upload("done.png")]})
    assert answered.status_code == 302
    page = staff.get(case_url).content.decode()
    assert "仅内部" in page and "更换中" in page
    photo_urls = set(re.findall(r'src="(/staff/appeals/[^"]+/photos/\d+/)"', page))
    assert len(photo_urls) == 3
    assert all(staff.get(url).status_code == 200 for url in photo_urls)


def test_community_answers_with_a_photo_and_the_resident_sees_it_once_the_street_approves(
        client, d):
    appeal, code = with_code(d)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.street_unit)
    appeal = actions.accept(appeal, actor=d.street_staff)
    appeal = actions.delegate(appeal, actor=d.street_staff, unit=d.community_unit, note="请核实")
    appeal = actions.accept(appeal, actor=d.community_staff)
    community = login(Client(), d.community_staff.username)
    response = community.post(reverse("web:act", args=[appeal.number, "resolve"]),
                              {"reply": "社区已协调物业修复。", "photos": [upload("fixed.png")]})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == State.PENDING_REVIEW
    photo = appeal.attachments.get(kind=PhotoKind.ANSWER)
    assert not photo.public
    html = track_page(client, appeal, code)
    assert photo_links(html) == [] and "社区已协调物业修复" not in html
    assert client.get(resident_url(photo)).status_code == 404
    street = login(Client(), d.street_staff.username)
    assert photo.pk and 'src="/staff/appeals/' in street.get(
        reverse("web:case", args=[appeal.number])).content.decode()
    response = street.post(reverse("web:act", args=[appeal.number, "review"]),
                           {"decision": "approve"})
    assert response.status_code == 302
    html = track_page(client, appeal, code)
    reply = html[html.index('id="reply"'):html.index('id="progress"')]
    assert "社区已协调物业修复" in reply
    [link] = photo_links(reply)
    fetched = client.get(link)
    assert fetched.status_code == 200
    assert b"".join(fetched.streaming_content) == photo.file.open("rb").read()


def test_a_refused_answers_photo_never_reaches_the_resident(client, d):
    appeal, code = with_code(d)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.street_unit)
    appeal = actions.accept(appeal, actor=d.street_staff)
    appeal = actions.delegate(appeal, actor=d.street_staff, unit=d.community_unit, note="请核实")
    appeal = actions.accept(appeal, actor=d.community_staff)
    appeal = actions.resolve(appeal, actor=d.community_staff, reply="第一次答复",
                             photos=[("first.png", png())])
    appeal = actions.review(appeal, actor=d.street_staff, approve=False, note="照片不清楚")
    appeal = actions.resolve(appeal, actor=d.community_staff, reply="第二次答复",
                             photos=[("second.png", png((5, 5, 5)))])
    appeal = actions.review(appeal, actor=d.street_staff, approve=True)
    first, second = appeal.attachments.order_by("id")
    assert not first.public and second.public
    html = track_page(client, appeal, code)
    assert [client.get(link).status_code for link in photo_links(html)] == [200]
    assert client.get(resident_url(first)).status_code == 404


# ---------- the API ----------

def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_api_progress_and_answer_with_photos_and_the_residents_view(d):
    appeal, code = tracked(d)
    headers = api(d.cgj_staff)
    path = f"/appeals/{appeal.number}/progress"
    public = post_json(path, {"note": "已到现场", "public": True,
                              "photos": [{"name": "a.png", "data": b64(png())}]}, headers)
    assert public.status_code == 200, public.content
    internal = post_json(path, {"note": "内部：等待材料"}, headers)  # public defaults to false
    assert internal.status_code == 200
    body = internal.json()
    assert [(p["note"], p["public"], len(p["photos"])) for p in body["progress"]] == [
        ("已到现场", True, 1), ("内部：等待材料", False, 0)]
    assert body["photos"][0]["kind"] == "progress" and body["photos"][0]["public"]
    assert "progress" in Client().get(f"{API}/appeals/{appeal.number}",
                                      headers=headers).json()["allowed_actions"]
    answered = post_json(f"/appeals/{appeal.number}/resolve",
                         {"reply": "已修复", "photos": [{"data": b64(png((3, 3, 3)))}]}, headers)
    assert answered.status_code == 200
    tracked_body = post_json("/appeals/track", {"number": appeal.number, "code": code}).json()
    notes = [e["note"] for e in tracked_body["events"]]
    assert "办理进展：已到现场" in notes and not any("等待材料" in n for n in notes)
    assert tracked_body["content"] == appeal.content and tracked_body["photos"] == []
    [progress] = [e for e in tracked_body["events"] if e["kind"] == "progress"]
    [answer] = tracked_body["reply_photos"]
    links = progress["photos"] + [answer]
    assert all(appeal.number not in link and code not in link for link in links)
    assert all(Client().get(link).status_code == 200 for link in links)


@pytest.mark.parametrize(("photos", "field"), [
    ([{"name": "x.png", "data": "not base64!!"}], "photos"),
    ([{"name": "x.png", "data": b64(b"plain text")}], "photos"),
    ([{"data": b64(png())}] * (limits.PHOTOS_MAX + 1), "photos"),
    ([{"data": ""}], "photos.data"),  # the API names fields without list indexes
])
def test_api_refuses_bad_photos_naming_the_field(d, photos, field):
    appeal = in_progress(d)
    for action, body in (("progress", {"note": "进展", "public": True}),
                         ("resolve", {"reply": "已修复"})):
        response = post_json(f"/appeals/{appeal.number}/{action}", body | {"photos": photos},
                             api(d.cgj_staff))
        assert response.status_code == 422, response.content
        error = response.json()
        assert error["field"] == field and set(error) >= {"detail", "field"}
    assert Appeal.objects.get(pk=appeal.pk).state == State.IN_PROGRESS


@pytest.mark.parametrize("text", HOSTILE)
def test_api_hostile_progress_note(d, text):
    appeal = in_progress(d)
    response = post_json(f"/appeals/{appeal.number}/progress", {"note": text, "public": True},
                         api(d.cgj_staff))
    if len(text) > limits.NOTE_MAX:
        assert response.status_code == 422 and response.json()["field"] == "note"
        return
    assert response.status_code == 200
    assert response.json()["progress"][0]["note"] == text.strip()


def test_api_progress_is_for_the_handling_unit_in_progress_only(d):
    appeal = in_progress(d)
    body = {"note": "进展", "public": True}
    assert post_json(f"/appeals/{appeal.number}/progress", body,
                     api(d.zjj_staff)).status_code == 404  # a sibling does not see it
    assert post_json(f"/appeals/{appeal.number}/progress", body,
                     api(d.leader)).status_code == 403
    waiting = dispatched(d)
    assert post_json(f"/appeals/{waiting.number}/progress", body,
                     api(d.cgj_staff)).status_code == 409

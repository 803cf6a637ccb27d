"""Study activities and lectures: recorded through the pages and the API, photos and
materials, the QR sign-in on a phone (once per device, closable, person-times never below
the sign-ins), speakers and venues with their counts, and hostile input everywhere."""

import datetime as dt
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from banshi.campaign.actions import study as actions
from banshi.campaign.choices import SpeakerKind, StudyKind
from banshi.campaign.models import Speaker, StudyActivity, StudyFile, StudySignIn, Venue
from banshi.collection.models import RecordEvent
from banshi.org.models import ApiToken

from .factories import HOSTILE, login, today

API = "/api/v1/campaign"
DAY = dt.date(2026, 3, 20)
def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = png_bytes()


def activity(d, unit=None, actor=None, **fields):
    values = {"kind": StudyKind.PARTY_DAY, "held_on": DAY, "title": "百花社区主题党日",
              "person_times": 30} | fields
    return actions.create_activity(actor=actor or d.dispatcher, unit=unit or d.community_unit,
                                   **values)


def speaker(d, name="张书记", kind=SpeakerKind.SECRETARY, unit=None):
    return actions.create_speaker(actor=d.dispatcher, name=name, kind=kind,
                                  unit=unit or d.street_unit)


def venue(d, name="黄河博物馆"):
    return actions.create_venue(actor=d.dispatcher, name=name)


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"}


def api_post(user, body, path="/study"):
    return Client().post(API + path, json.dumps(body), content_type="application/json",
                         headers=bearer(user) if user else {})


def api_get(user, path="/study", **params):
    return Client().get(API + path, params, headers=bearer(user) if user else {})


def form_data(d, **fields):
    return {"unit": d.community_unit.code, "kind": "party_day", "held_on": "2026-03-20",
            "title": "主题党日：重温入党誓词", "place": "社区党群服务中心", "venue": "",
            "speaker": "", "person_times": "25", "summary": "学习了党史。"} | fields


# ---------- activities through the pages ----------


def test_created_and_edited_through_the_pages(d, client):
    sp = speaker(d)
    login(client, "linshanzhai-01")
    response = client.post(reverse("web:campaign-study-new"),
                           form_data(d, kind="party_lecture", speaker=str(sp.pk),
                                     is_special="on"))
    created = StudyActivity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:campaign-study-activity", args=[created.pk])
    assert (created.unit, created.kind, created.speaker, created.person_times,
            created.is_special) == (d.community_unit, "party_lecture", sp, 25, True)
    page = client.get(response["Location"]).content.decode()
    assert "主题党日：重温入党誓词" in page and "学习了党史。" in page and "张书记" in page
    edit = reverse("web:campaign-study-edit", args=[created.pk])
    assert 'value="主题党日：重温入党誓词"' in client.get(edit).content.decode()
    response = client.post(edit, form_data(d, title="改过的主题", person_times="40"))
    created.refresh_from_db()
    assert response.status_code == 302
    assert (created.title, created.person_times, created.is_special) == ("改过的主题", 40, False)
    actions_logged = list(RecordEvent.objects.of(created).values_list("action", flat=True))
    assert actions_logged == ["update", "create"]
    assert RecordEvent.objects.of(created).first().data["fields"] == [
        "is_special", "kind", "person_times", "speaker", "title"]


def test_the_form_offers_only_units_the_user_may_record_for(d, client):
    login(client, "linshanzhai-01")
    page = client.get(reverse("web:campaign-study-new")).content.decode()
    assert 'value="linshanzhai-01"' in page and 'value="linshanzhai"' not in page
    response = client.post(reverse("web:campaign-study-new"), form_data(d, unit="linshanzhai"))
    assert response.status_code == 422 and not StudyActivity.objects.exists()


@pytest.mark.parametrize("field,value,message", [
    ("title", "", "这个字段是必填项"),
    ("held_on", "2026-13-40", "有效的日期"),
    ("person_times", "-1", "大于或等于0"),
    ("kind", "bogus", "有效的选项"),
])
def test_bad_form_input_is_named(d, client, field, value, message):
    login(client, "linshanzhai-01")
    response = client.post(reverse("web:campaign-study-new"), form_data(d, **{field: value}))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not StudyActivity.objects.exists()


def test_a_future_date_and_a_venue_visit_without_venue_are_refused(d, client):
    login(client, "linshanzhai-01")
    future = (today() + dt.timedelta(days=3)).isoformat()
    response = client.post(reverse("web:campaign-study-new"), form_data(d, held_on=future))
    assert response.status_code == 422 and "活动日期不能晚于今天" in response.content.decode()
    response = client.post(reverse("web:campaign-study-new"), form_data(d, kind="venue_visit"))
    assert response.status_code == 422
    assert "红色基地参观须选择红色教育基地" in response.content.decode()
    assert not StudyActivity.objects.exists()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_through_the_form_is_stored_or_refused_never_a_500(d, client, text):
    login(client, "linshanzhai-01")
    response = client.post(reverse("web:campaign-study-new"),
                           form_data(d, title=text, place=text, summary=text))
    if len(text) > actions.TITLE_MAX:
        assert response.status_code == 422 and "200" in response.content.decode()
        return
    assert response.status_code == 302
    found = StudyActivity.objects.get()
    assert found.title == text and found.summary == text
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in page
    listing = client.get(reverse("web:campaign-study")).content.decode()
    assert "<script>alert" not in listing


def test_a_nul_byte_is_refused_with_the_field(d, client):
    login(client, "linshanzhai-01")
    response = client.post(reverse("web:campaign-study-new"), form_data(d, title="党日\x00"))
    assert response.status_code == 400 and "title" in response.content.decode()
    assert not StudyActivity.objects.exists()


def test_the_list_filters_by_kind_month_unit_and_speaker_kind(d, client):
    expert = speaker(d, "李专家", SpeakerKind.EXPERT)
    activity(d, title="三月党日")
    activity(d, title="四月宣讲", kind=StudyKind.LECTURE, held_on=dt.date(2026, 4, 2),
             speaker=expert, unit=d.street_unit)
    activity(d, title="城管局中心组", kind=StudyKind.CENTRAL_GROUP, unit=d.cgj, is_special=True)
    login(client, "dispatcher")
    url = reverse("web:campaign-study")

    def titles(**params) -> set[str]:
        page = client.get(url, params).content.decode()
        return {t for t in ("三月党日", "四月宣讲", "城管局中心组") if t in page}

    assert titles() == {"三月党日", "四月宣讲", "城管局中心组"}
    assert titles(kind="lecture") == {"四月宣讲"}
    assert titles(month="2026-04") == {"四月宣讲"}
    assert titles(month="2026-03") == {"三月党日", "城管局中心组"}
    assert titles(unit="linshanzhai") == {"三月党日", "四月宣讲"}
    assert titles(speaker_kind="expert") == {"四月宣讲"}
    assert titles(special="on") == {"城管局中心组"}
    bad = client.get(url, {"month": "'; DROP TABLE x; --"})
    assert bad.status_code == 200 and "月份格式应为" in bad.content.decode()


# ---------- files ----------


def test_a_photo_is_shown_and_a_material_downloaded(d, client):
    found = activity(d)
    login(client, "linshanzhai-01")
    url = reverse("web:campaign-study-attach", args=[found.pk])
    assert client.post(url, {"file": SimpleUploadedFile("合影.png", PNG)}).status_code == 302
    assert client.post(url, {"file": SimpleUploadedFile("讲稿.pdf", b"%PDF-1.4 x")}
                       ).status_code == 302
    photo, material = StudyFile.objects.order_by("pk")
    page = client.get(reverse("web:campaign-study-activity", args=[found.pk])).content.decode()
    src = reverse("web:campaign-study-file", args=[found.pk, photo.pk])
    assert f'<img src="{src}"' in page and "讲稿.pdf" in page
    shown = client.get(src)
    assert shown["Content-Type"] == "image/png" and "attachment" not in shown.get(
        "Content-Disposition", "")
    download = client.get(reverse("web:campaign-study-file", args=[found.pk, material.pk]))
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize("name,data,message", [
    ("病毒.exe", b"MZ", "只能上传PDF、Word、Excel或JPG/PNG图片"),
    ("空.png", b"", "空文件"),
    ("假照片.jpg", b"<html><script>alert(1)</script></html>", "照片不是有效的JPG/PNG图片"),
    ("<script>.png", PNG, None),
])
def test_files_are_checked_by_type_and_size(d, client, name, data, message):
    found = activity(d)
    login(client, "linshanzhai-01")
    response = client.post(reverse("web:campaign-study-attach", args=[found.pk]),
                           {"file": SimpleUploadedFile(name, data)})
    if message is None:
        assert response.status_code == 302
        page = client.get(reverse("web:campaign-study-activity", args=[found.pk]))
        assert "<script>.png" not in page.content.decode()
        return
    assert response.status_code == 422 and message in response.content.decode()
    assert not StudyFile.objects.exists()


def test_a_file_over_ten_megabytes_is_refused(d, client):
    found = activity(d)
    login(client, "linshanzhai-01")
    big = SimpleUploadedFile("大.pdf", b"0" * (actions.ATTACHMENT_BYTES_MAX + 1))
    response = client.post(reverse("web:campaign-study-attach", args=[found.pk]), {"file": big})
    assert response.status_code == 422 and "10MB" in response.content.decode()


def test_a_leader_reads_but_may_not_upload(d, client):
    found = activity(d)
    login(client, "leader")
    response = client.post(reverse("web:campaign-study-attach", args=[found.pk]),
                           {"file": SimpleUploadedFile("a.png", PNG)})
    assert response.status_code == 403 and not StudyFile.objects.exists()


# ---------- the QR sign-in ----------


def signin_url(found) -> str:
    return reverse("web:campaign-study-signin", args=[found.signin_token])


def test_the_activity_page_shows_the_qr_code_of_the_token_page(d, client):
    found = activity(d)
    login(client, "linshanzhai-01")
    page = client.get(reverse("web:campaign-study-activity", args=[found.pk])).content.decode()
    target = f"http://testserver/h5/campaign/study/{found.signin_token}/"
    assert f'data-signin-url="{target}"' in page and "<svg" in page
    assert not target.endswith(f"/{found.pk}/") and len(found.signin_token) >= 16


def test_a_phone_signs_in_once_and_a_second_try_is_refused(d):
    found = activity(d, person_times=0)
    phone = Client()
    assert "活动签到" in phone.get(signin_url(found)).content.decode()
    done = phone.post(signin_url(found), {"name": "王秀英", "organisation": "百花社区党支部"})
    assert done.status_code == 200 and "签到成功" in done.content.decode()
    again = phone.post(signin_url(found), {"name": "王秀英", "organisation": ""})
    assert again.status_code == 409 and actions.ALREADY_SIGNED_IN in again.content.decode()
    assert actions.ALREADY_SIGNED_IN in phone.get(signin_url(found)).content.decode()
    other = Client()
    other.get(signin_url(found))
    assert other.post(signin_url(found), {"name": "李四"}).status_code == 200
    found.refresh_from_db()
    assert found.signins.count() == 2 and found.person_times == 2
    stored = StudySignIn.objects.get(name="王秀英")
    assert re.fullmatch(r"[0-9a-f]{64}", stored.device)
    cookie = phone.cookies["banshi_device"].value
    assert cookie not in stored.device
    event = RecordEvent.objects.of(found).first()
    assert event.action == "sign_in" and event.actor is None
    assert "王秀英" not in json.dumps(event.data) + event.note


def test_a_post_without_the_device_cookie_is_refused(d):
    found = activity(d)
    response = Client().post(signin_url(found), {"name": "王五"})
    assert response.status_code == 422 and actions.NO_DEVICE in response.content.decode()
    assert not StudySignIn.objects.exists()


def test_person_times_is_the_larger_of_the_entered_figure_and_the_sign_ins(d, client):
    found = activity(d, person_times=1)
    for name in ("甲", "乙", "丙"):
        phone = Client()
        phone.get(signin_url(found))
        phone.post(signin_url(found), {"name": name})
    found.refresh_from_db()
    assert found.person_times == 3
    login(client, "linshanzhai-01")
    client.post(reverse("web:campaign-study-edit", args=[found.pk]),
                form_data(d, person_times="2"))
    found.refresh_from_db()
    assert found.person_times == 3
    client.post(reverse("web:campaign-study-edit", args=[found.pk]),
                form_data(d, person_times="50"))
    found.refresh_from_db()
    assert found.person_times == 50


def test_staff_close_the_sign_in_and_the_count_is_shown(d, client):
    found = activity(d)
    phone = Client()
    phone.get(signin_url(found))
    phone.post(signin_url(found), {"name": "赵六", "organisation": "城管局支部"})
    login(client, "linshanzhai-01")
    detail = reverse("web:campaign-study-activity", args=[found.pk])
    page = client.get(detail).content.decode()
    assert '<strong id="signin-count">1</strong>' in page and "赵六" in page
    switch = reverse("web:campaign-study-signin-switch", args=[found.pk])
    assert client.post(switch, {"is_open": "0"}).status_code == 302
    late = Client()
    assert actions.SIGN_IN_CLOSED in late.get(signin_url(found)).content.decode()
    refused = late.post(signin_url(found), {"name": "迟到者"})
    assert refused.status_code == 409 and actions.SIGN_IN_CLOSED in refused.content.decode()
    assert client.post(switch, {"is_open": "0"}).status_code == 409
    assert client.post(switch, {"is_open": "1"}).status_code == 302
    assert found.signins.count() == 1


def test_a_leader_sees_sign_in_names_masked(d, client):
    found = activity(d)
    phone = Client()
    phone.get(signin_url(found))
    phone.post(signin_url(found), {"name": "赵六一"})
    login(client, "leader")
    page = client.get(reverse("web:campaign-study-activity", args=[found.pk])).content.decode()
    assert "赵六一" not in page and "赵*" in page
    assert "关闭签到" not in page


@pytest.mark.parametrize("text", HOSTILE + [""])
def test_hostile_sign_in_names_are_refused_or_stored_escaped(d, text):
    found = activity(d)
    phone = Client()
    phone.get(signin_url(found))
    response = phone.post(signin_url(found), {"name": text, "organisation": text})
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert StudySignIn.objects.get().name == text
        assert "<script>alert" not in response.content.decode()
    else:
        assert "姓名" in response.content.decode() or "必填" in response.content.decode()


def test_an_unknown_token_is_a_404(d):
    assert Client().get("/h5/campaign/study/nope/").status_code == 404
    assert Client().get(f"/h5/campaign/study/{'x' * 5000}/").status_code == 404


def test_the_sign_in_is_rate_limited(d, settings):
    settings.BANSHI_SUBMIT_RATE = "2/h"
    found = activity(d)
    codes = []
    for n in range(3):
        phone = Client()
        phone.get(signin_url(found))
        codes.append(phone.post(signin_url(found), {"name": f"人{n}"}).status_code)
    assert codes == [200, 200, 429]
    assert found.signins.count() == 2


# ---------- speakers and venues ----------


def test_speakers_list_by_kind_with_lectures_and_audience(d, client):
    secretary = speaker(d, "王书记")
    expert = speaker(d, "李专家", SpeakerKind.EXPERT, unit=d.cgj)
    activity(d, kind=StudyKind.PARTY_LECTURE, speaker=secretary, person_times=40)
    activity(d, kind=StudyKind.PARTY_LECTURE, speaker=secretary, person_times=35)
    activity(d, kind=StudyKind.LECTURE, speaker=expert, person_times=100, unit=d.cgj)
    login(client, "dispatcher")
    page = client.get(reverse("web:campaign-speakers")).content.decode()
    assert re.search(r"书记讲师</td><td class=\"num\">1</td><td class=\"num\">2</td>"
                     r"<td class=\"num\">75</td>", page)
    assert re.search(r"宣讲团专家</td><td class=\"num\">1</td><td class=\"num\">1</td>"
                     r"<td class=\"num\">100</td>", page)
    only = client.get(reverse("web:campaign-speakers"), {"kind": "expert"}).content.decode()
    assert "李专家" in only and "王书记" not in only
    detail = client.get(reverse("web:campaign-speaker", args=[secretary.pk])).content.decode()
    assert '<dd id="lecture-count">2</dd>' in detail and '<dd id="audience">75</dd>' in detail
    # the street's staff count only the lectures they may see
    login(client, "linshanzhai")
    mine = client.get(reverse("web:campaign-speaker", args=[expert.pk])).content.decode()
    assert '<dd id="lecture-count">0</dd>' in mine


def test_unit_staff_add_a_speaker_of_their_unit_only(d, client):
    login(client, "linshanzhai")
    url = reverse("web:campaign-speaker-new")
    page = client.get(url).content.decode()
    assert 'value="linshanzhai-01"' in page and 'value="cgj"' not in page
    response = client.post(url, {"name": "冯作义", "kind": "veteran", "unit": "linshanzhai",
                                 "title": "抗美援朝老战士", "is_active": "on"})
    added = Speaker.objects.get()
    assert response.status_code == 302 and added.unit == d.street_unit
    assert client.post(url, {"name": "越权", "kind": "veteran", "unit": "cgj"}
                       ).status_code == 422
    login(client, "cgj")
    edit = reverse("web:campaign-speaker-edit", args=[added.pk])
    assert client.get(edit).status_code == 403
    login(client, "leader")
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_speaker_and_venue_text(d, client, text):
    login(client, "dispatcher")
    response = client.post(reverse("web:campaign-speaker-new"),
                           {"name": text, "kind": "expert", "unit": "", "title": text,
                            "bio": text})
    venue_response = client.post(reverse("web:campaign-venue-new"),
                                 {"name": text, "address": text, "description": text})
    for got, model in ((response, Speaker), (venue_response, Venue)):
        if len(text) > actions.VENUE_NAME_MAX:
            assert got.status_code == 422 and not model.objects.exists()
        else:
            assert got.status_code == 302
            assert "<script>alert" not in client.get(got["Location"]).content.decode()
    listing = client.get(reverse("web:campaign-speakers")).content.decode()
    assert "<script>alert" not in listing


def test_venues_list_visits_and_person_times(d, client):
    museum, park = venue(d, "黄河博物馆"), venue(d, "郑州烈士陵园")
    activity(d, kind=StudyKind.VENUE_VISIT, venue=museum, person_times=40)
    activity(d, kind=StudyKind.VENUE_VISIT, venue=museum, person_times=25, unit=d.cgj)
    activity(d, kind=StudyKind.VENUE_VISIT, venue=park, person_times=12)
    login(client, "dispatcher")
    page = client.get(reverse("web:campaign-venues")).content.decode()
    assert '<span id="venue-visits">3</span>' in page
    assert '<span id="venue-person-times">77</span>' in page
    detail = client.get(reverse("web:campaign-venue", args=[museum.pk])).content.decode()
    assert '<dd id="visit-count">2</dd>' in detail and '<dd id="person-times">65</dd>' in detail
    assert client.post(reverse("web:campaign-venue-new"), {"name": "黄河博物馆"}
                       ).status_code == 422
    login(client, "linshanzhai")
    mine = client.get(reverse("web:campaign-venues")).content.decode()
    assert '<span id="venue-person-times">52</span>' in mine
    assert client.get(reverse("web:campaign-venue-new")).status_code == 403


# ---------- the API ----------


def test_api_creates_lists_and_reads_an_activity(d):
    sp, place = speaker(d), venue(d)
    response = api_post(d.community_staff, {
        "unit_code": "linshanzhai-01", "kind": "venue_visit", "held_on": "2026-03-20",
        "title": "参观黄河博物馆", "venue_id": place.pk, "speaker_id": sp.pk,
        "person_times": 33})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["venue_name"], body["speaker_kind"], body["person_times"],
            body["signed_in"]) == ("黄河博物馆", "secretary", 33, 0)
    listed = api_get(d.community_staff, kind="venue_visit", month="2026-03").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == body["id"]
    assert api_get(d.community_staff, month="2026-04").json()["count"] == 0
    one = api_get(d.street_staff, f"/study/{body['id']}")
    assert one.status_code == 200 and one.json()["title"] == "参观黄河博物馆"
    speakers = api_get(d.dispatcher, "/speakers").json()
    assert speakers == [{"id": sp.pk, "name": "张书记", "kind": "secretary",
                         "kind_label": "书记讲师", "title": "", "unit_code": "linshanzhai",
                         "is_active": True, "lectures": 1, "audience": 33}]
    venues = api_get(d.dispatcher, "/venues").json()
    assert venues == [{"id": place.pk, "name": "黄河博物馆", "address": "", "visits": 1,
                       "person_times": 33}]


@pytest.mark.parametrize("body,field,status", [
    ({"unit_code": "cgj"}, "unit_code", 403),
    ({"unit_code": "nowhere"}, "unit_code", 422),
    ({"kind": "bogus"}, "kind", 422),
    ({"held_on": "2026-02-30"}, "held_on", 422),
    ({"title": ""}, "title", 422),
    ({"title": "长" * 201}, "title", 422),
    ({"title": "a\x00b"}, "title", 422),
    ({"person_times": -3}, "person_times", 422),
    ({"person_times": "十"}, "person_times", 422),
    ({"speaker_id": 99999}, "speaker_id", 422),
    ({"kind": "venue_visit"}, "venue", 422),
    ({"summary": "长" * 20001}, "summary", 422),
])
def test_api_refusals_name_the_field(d, body, field, status):
    payload = {"unit_code": "linshanzhai-01", "kind": "party_day", "held_on": "2026-03-20",
               "title": "主题党日"} | body
    response = api_post(d.community_staff, payload)
    assert response.status_code == status, response.content
    assert response.json()["field"] == field and response.json()["detail"]
    assert not StudyActivity.objects.exists()


@pytest.mark.parametrize("text", HOSTILE[:4] + ["😀" * 200])
def test_api_stores_hostile_text_as_given(d, text):
    response = api_post(d.dispatcher, {"unit_code": "cgj", "kind": "lecture",
                                       "held_on": "2026-03-20", "title": text[:200],
                                       "place": text[:200], "summary": text})
    assert response.status_code == 201
    assert StudyActivity.objects.get().summary == text


def test_api_filters_are_checked(d):
    assert api_get(d.dispatcher, month="2026-13").status_code == 422
    assert api_get(d.dispatcher, speaker_kind="x").status_code == 422
    assert api_get(d.dispatcher, "/speakers", kind="'; --").status_code == 422
    assert api_get(d.dispatcher, unit="nowhere").json()["field"] == "unit"


def test_staff_add_and_strike_off_sign_ins(d, client):
    found = activity(d, person_times=1)
    login(client, "linshanzhai-01")
    add = reverse("web:campaign-study-signin-add", args=[found.pk])
    assert client.post(add, {"name": "刘大爷", "organisation": "老党员"}).status_code == 302
    assert client.post(add, {"name": "陈阿姨"}).status_code == 302
    found.refresh_from_db()
    assert found.person_times == 2 and found.signins.count() == 2
    assert found.signins.filter(device="").count() == 2
    page = client.get(reverse("web:campaign-study-activity", args=[found.pk])).content.decode()
    assert "刘大爷" in page and "现场补录" in page
    bad = client.post(add, {"name": ""})
    assert bad.status_code == 422 and "id_signin_name" in bad.content.decode()
    gone = found.signins.get(name="陈阿姨")
    remove = reverse("web:campaign-study-signin-remove", args=[found.pk, gone.pk])
    assert client.post(remove).status_code == 302
    found.refresh_from_db()
    assert found.signins.count() == 1 and found.person_times == 2
    logged = list(RecordEvent.objects.of(found).values_list("action", flat=True)[:3])
    assert logged == ["remove_participant", "add_participant", "add_participant"]
    assert all("刘大爷" not in json.dumps(e.data) + e.note
               for e in RecordEvent.objects.of(found))
    login(client, "leader")
    assert client.post(add, {"name": "越权"}).status_code == 403


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_names_added_by_staff(d, client, text):
    found = activity(d)
    login(client, "linshanzhai-01")
    response = client.post(reverse("web:campaign-study-signin-add", args=[found.pk]),
                           {"name": text, "organisation": text})
    if len(text) > actions.NAME_MAX:
        assert response.status_code == 422 and not found.signins.exists()
        return
    assert response.status_code == 302 and found.signins.get().name == text
    page = client.get(reverse("web:campaign-study-activity", args=[found.pk])).content.decode()
    assert "<script>alert" not in page


def test_speaker_and_venue_changes_are_logged(d):
    sp = speaker(d)
    actions.update_speaker(sp, actor=d.dispatcher, name="张书记", kind=SpeakerKind.EXPERT,
                           unit=d.street_unit)
    place = venue(d)
    actions.update_venue(place, actor=d.dispatcher, name="黄河博物馆", address="文化路")
    assert [(e.action, e.data) for e in RecordEvent.objects.of(sp)] == [
        ("update", {"fields": ["kind"]}), ("create", {})]
    events = list(RecordEvent.objects.of(place))
    assert [(e.action, e.unit) for e in events] == [("update", d.district_unit),
                                                    ("create", d.district_unit)]
    assert events[0].data == {"fields": ["address"]}


def test_a_speaker_no_longer_active_stays_on_old_lectures_only(d):
    sp = speaker(d)
    found = activity(d, kind=StudyKind.PARTY_LECTURE, speaker=sp)
    actions.update_speaker(sp, actor=d.dispatcher, name=sp.name, kind=sp.kind,
                           unit=d.street_unit, is_active=False)
    sp.refresh_from_db()
    kept = actions.update_activity(found, actor=d.dispatcher, unit=d.community_unit,
                                   kind=StudyKind.PARTY_LECTURE, held_on=DAY, title="改",
                                   speaker=sp, person_times=5)
    assert kept.speaker == sp
    with pytest.raises(actions.InvalidInput) as refused:
        activity(d, speaker=sp)
    assert refused.value.field == "speaker"


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_query_parameters_on_the_lists(d, client, text):
    login(client, "linshanzhai")
    for name in ("campaign-study", "campaign-speakers", "campaign-venues"):
        response = client.get(reverse(f"web:{name}"),
                              {"kind": text, "unit": text, "speaker_kind": text, "month": text,
                               "page": text})
        assert response.status_code == 200, name
        assert "<script>alert" not in response.content.decode()

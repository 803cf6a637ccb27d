"""The resident's H5 pages through the full request stack: submit, track, rate, limits."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.urls import reverse
from PIL import Image

from banshi.appeals import actions
from banshi.appeals.choices import Channel, State
from banshi.appeals.models import Appeal

from .factories import HOSTILE, PASSWORD, resolved, with_code

RAW_SCRIPT = "<script>alert('x')</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 40, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def form_data(d, **overrides) -> dict:
    return {"title": "百花路路灯不亮", "content": "三盏路灯连续一周不亮。",
            "region": d.community.code, "contact_name": "张三",
            "contact_phone": "13812341234", "address": "百花路12号院"} | overrides


def submit(client, d, **overrides):
    """POST the form and follow the redirect to the success page."""
    return client.post(reverse("web:submit"), form_data(d, **overrides), follow=True)


def credentials(html: str) -> tuple[str, str]:
    number = re.search(r'id="appeal-number">([^<]+)<', html).group(1)
    code = re.search(r'id="query-code" class="code">(\d{6})<', html).group(1)
    return number, code


def test_landing_links_to_both_paths_and_staff_login(client):
    html = client.get("/").content.decode()
    for url in (reverse("web:submit"), reverse("web:track"), reverse("web:login")):
        assert f'href="{url}"' in html
    assert "提交诉求" in html and "查询进度" in html and "工作人员登录" in html


def test_submit_form_groups_communities_by_street(client, d):
    html = client.get(reverse("web:submit")).content.decode()
    group = re.search(r'<optgroup label="林山寨街道">(.*?)</optgroup>', html, re.S)
    assert group, html
    assert f'value="{d.community.code}"' in group.group(1)
    assert f'value="{d.community2.code}"' in group.group(1)
    assert 'accept="image/*"' in html and "multiple" in html
    assert 'enctype="multipart/form-data"' in html


def test_submit_with_photo_shows_number_and_code_once(client, d):
    photo = SimpleUploadedFile("lamp.png", png_bytes(), content_type="image/png")
    response = client.post(reverse("web:submit"), form_data(d) | {"photos": [photo]},
                           follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("web:submitted"), 302)]  # POST → redirect → GET
    html = response.content.decode()
    number, code = credentials(html)
    appeal = Appeal.objects.get(number=number)
    assert appeal.check_query_code(code)
    assert appeal.channel == Channel.ONLINE_FORM and appeal.region == d.community
    assert appeal.state == State.SUBMITTED
    assert appeal.attachments.get().content_type == "image/png"
    assert "妥善保存" in html
    # the code never appears in a URL on the page, nor in the request's own URL
    for url in re.findall(r'(?:href|action|src)="([^"]*)"', html):
        assert code not in url
    assert code not in response.request["PATH_INFO"]
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_fake_jpg_is_refused_with_a_clear_message(client, d):
    fake = SimpleUploadedFile("photo.jpg", b"this is plain text, not a photo",
                              content_type="image/jpeg")
    response = client.post(reverse("web:submit"), form_data(d) | {"photos": [fake]})
    assert response.status_code == 422
    html = response.content.decode()
    assert "照片“photo.jpg”不是有效的图片" in html
    assert 'value="百花路路灯不亮"' in html  # what was typed is kept
    assert not Appeal.objects.exists()


def test_more_than_five_photos_is_refused(client, d):
    photos = [SimpleUploadedFile(f"p{i}.png", png_bytes(), content_type="image/png")
              for i in range(6)]
    response = client.post(reverse("web:submit"), form_data(d) | {"photos": photos})
    assert response.status_code == 422
    assert "最多上传5张照片" in response.content.decode()
    assert not Appeal.objects.exists()


def test_missing_fields_are_reported_on_their_fields(client, d):
    response = submit(client, d, title="  ", region="")
    assert response.status_code == 422
    html = response.content.decode()
    assert html.count('class="error"') >= 2
    assert not Appeal.objects.exists()


def test_unknown_community_is_refused(client, d):
    response = submit(client, d, region=d.street.code)
    assert response.status_code == 422
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("text", HOSTILE[:4])
def test_hostile_text_is_stored_verbatim_and_rendered_escaped(client, d, text):
    response = submit(client, d, title=text, content=text, contact_name=text[:100],
                      address=text)
    assert response.status_code == 200, response.content.decode()[:2000]
    number, code = credentials(response.content.decode())
    appeal = Appeal.objects.get(number=number)
    assert (appeal.title, appeal.content, appeal.address) == (text, text, text)
    assert appeal.contact_name == text[:100]
    tracked = client.post(reverse("web:track"), {"number": number, "code": code})
    for html in (response.content.decode(), tracked.content.decode()):
        assert RAW_SCRIPT not in html
    if text == RAW_SCRIPT:
        assert ESCAPED_SCRIPT in tracked.content.decode()


def test_ten_thousand_characters_of_content_are_accepted(client, d):
    long_text = HOSTILE[4]
    response = submit(client, d, content=long_text)
    assert response.status_code == 200
    number, _ = credentials(response.content.decode())
    assert Appeal.objects.get(number=number).content == long_text


def test_submissions_are_rate_limited_per_ip(client, d, settings):
    settings.BANSHI_SUBMIT_RATE = "2/h"
    assert submit(client, d).status_code == 200
    assert submit(client, d, title="").status_code == 422  # a failed attempt does not count
    assert submit(client, d).status_code == 200
    response = submit(client, d)
    assert response.status_code == 429
    assert "操作太频繁" in response.content.decode()
    assert Appeal.objects.count() == 2
    other = client.post(reverse("web:submit"), form_data(d), REMOTE_ADDR="10.0.0.9",
                        follow=True)
    assert other.status_code == 200


def test_track_form_is_post_only_and_reads_only_the_number_from_the_query_string(client, d):
    appeal, code = with_code(d)
    response = client.get(reverse("web:track"), {"number": appeal.number, "code": code})
    html = response.content.decode()
    assert response.status_code == 200
    assert appeal.title not in html
    assert 'method="post"' in html
    assert f'value="{appeal.number}"' in html  # filled in, nothing looked up
    assert code not in html


def test_track_with_right_code_shows_progress_without_internal_details(client, d):
    resolved(d)  # someone else's case, which must not leak into this page
    appeal, code = with_code(d, title="桐淮路井盖缺失")
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj, note="内部备注：优先")
    appeal = actions.accept(appeal, actor=d.cgj_staff)
    actions.supervise(appeal, actor=d.leader, instruction="领导要求三天内办结",
                      due_date=appeal.handling_due_at.date())
    appeal = actions.resolve(appeal, actor=d.cgj_staff, reply="井盖已补装。")
    response = client.post(reverse("web:track"), {"number": appeal.number, "code": code})
    html = response.content.decode()
    assert response.status_code == 200
    assert "桐淮路井盖缺失" in html and "已答复" in html and "井盖已补装。" in html
    assert "已转交区城市管理局办理" in html
    assert "内部备注" not in html and "领导要求" not in html
    assert d.cgj_staff.username not in html and "dispatcher" not in html
    assert 'action="/h5/track/rate/"' in html
    assert f'name="code" value="{code}"' in html  # hidden, inside a POST body only


@pytest.mark.parametrize("which", ["number", "code"])
def test_track_with_wrong_number_or_code_gives_the_same_message(client, d, which):
    appeal, code = with_code(d)
    data = {"number": appeal.number, "code": code}
    data[which] = "ZY19990101-0001" if which == "number" else f"{(int(code) + 1) % 10**6:06d}"
    response = client.post(reverse("web:track"), data)
    html = response.content.decode()
    assert "编号或查询码不正确" in html
    assert appeal.title not in html


def test_tracking_is_rate_limited(client, d, settings):
    settings.BANSHI_TRACK_RATE = "3/h"
    appeal, code = with_code(d)
    for _ in range(3):
        client.post(reverse("web:track"), {"number": appeal.number, "code": "000000"})
    response = client.post(reverse("web:track"), {"number": appeal.number, "code": code})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600  # until the hour's window closes


def _resolved_with_code(d):
    appeal, code = with_code(d)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj)
    appeal = actions.accept(appeal, actor=d.cgj_staff)
    return actions.resolve(appeal, actor=d.cgj_staff, reply="已修复。"), code


def test_rating_satisfied_closes_the_case(client, d):
    appeal, code = _resolved_with_code(d)
    response = client.post(reverse("web:rate"), {"number": appeal.number, "code": code,
                                                 "solved": "solved", "rating": "satisfied",
                                                 "comment": "很及时"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "感谢您的评价" in html and "已办结" in html
    appeal.refresh_from_db()
    assert appeal.state == State.CLOSED and appeal.rating_comment == "很及时"
    assert 'action="/h5/track/rate/"' not in html


def test_rating_unsatisfied_reopens(client, d):
    appeal, code = _resolved_with_code(d)
    client.post(reverse("web:rate"), {"number": appeal.number, "code": code,
                                      "solved": "unsolved", "rating": "unsatisfied",
                                      "comment": RAW_SCRIPT})
    appeal.refresh_from_db()
    assert appeal.state == State.IN_PROGRESS and appeal.rating_comment == RAW_SCRIPT


def test_rating_with_wrong_code_changes_nothing(client, d):
    appeal, code = _resolved_with_code(d)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = client.post(reverse("web:rate"), {"number": appeal.number, "code": wrong,
                                                 "solved": "solved", "rating": "satisfied"})
    assert "编号或查询码不正确" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.state == State.RESOLVED


def test_rating_twice_is_refused_with_the_actions_message(client, d):
    appeal, code = _resolved_with_code(d)
    data = {"number": appeal.number, "code": code, "solved": "solved", "rating": "satisfied"}
    client.post(reverse("web:rate"), data)
    response = client.post(reverse("web:rate"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "不能评价" in html and "已办结" in html
    assert 'action="/h5/track/rate/"' not in html


def test_rating_requires_a_choice(client, d):
    appeal, code = _resolved_with_code(d)
    response = client.post(reverse("web:rate"), {"number": appeal.number, "code": code})
    assert response.status_code == 422
    appeal.refresh_from_db()
    assert appeal.state == State.RESOLVED


def test_rate_page_refuses_get(client):
    assert client.get(reverse("web:rate")).status_code == 405


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_through_the_offline_entry_form(client, d, text):
    client.login(request=HttpRequest(), username="linshanzhai-01", password=PASSWORD)
    title = text if len(text) <= 200 else "长文本"
    response = client.post(reverse("web:entry"), {
        "channel": Channel.SYMPOSIUM, "collected_date": "2020-01-02",
        "region": d.community.code, "title": title, "content": text,
        "contact_name": text[:100], "contact_phone": "13812341234", "address": text[:255],
    }, follow=True)
    assert response.status_code == 200, response.content.decode()[:3000]
    appeal = Appeal.objects.get()
    assert (appeal.title, appeal.content) == (title, text)
    assert appeal.channel == Channel.SYMPOSIUM and appeal.collector_unit == d.community_unit
    html = response.content.decode()
    assert RAW_SCRIPT not in html
    if text == RAW_SCRIPT:
        assert ESCAPED_SCRIPT in html

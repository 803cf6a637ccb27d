"""What broke for Chinese-language users (issue 7, items 1–4 and 6) through the full request
stack: date inputs carry ISO dates, the interface is Chinese whatever the browser asks for,
the H5 success page files nothing when refreshed and shows the query code once, tracking
numbers are read as people type them, and the admin names the platform."""

import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from banshi.appeals import actions
from banshi.appeals.models import Appeal
from banshi.org.models import ApiToken

from .factories import HOSTILE, in_progress, login, today, with_code

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
ENGLISH = ("This field is required", "Enter a valid", "Select a valid")
BANSHI = Path(__file__).resolve().parents[1] / "banshi"



def resolved_with_code(d):
    """A resolved appeal and its query code, ready to be rated."""
    appeal, code = with_code(d)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.cgj, category=d.cat_city_3,
                              aspect=d.aspect)
    appeal = actions.resolve(actions.accept(appeal, actor=d.cgj_staff), actor=d.cgj_staff,
                             reply="已修复。")
    return appeal, code


def date_values(html: str) -> dict[str, str]:
    """id → value of every <input type="date"> that has a value."""
    inputs = re.findall(r'<input type="date"[^>]*>', html)
    return {re.search(r'id="([^"]+)"', i)[1]: re.search(r'value="([^"]*)"', i)[1]
            for i in inputs if 'value="' in i}


# ---------- 1. date inputs always carry ISO dates ----------

def test_the_supervise_form_carries_an_iso_due_date_for_a_chinese_browser(client, d):
    appeal = in_progress(d)
    html = login(client, "leader").get(reverse("web:case", args=[appeal.number]),
                                       **ZH).content.decode()
    values = date_values(html)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", values["id_supervise_due_date"]), values


def test_the_entry_form_and_ledger_filter_carry_iso_dates_for_a_chinese_browser(client, d):
    login(client, "dispatcher")
    entry = client.get(reverse("web:entry"), **ZH).content.decode()
    assert date_values(entry)["id_collected_date"] == today().isoformat()
    ledger = client.get(reverse("web:ledger"), {"date_from": "2026-12-04"}, **ZH)
    assert date_values(ledger.content.decode())["id_date_from"] == "2026-12-04"


def test_every_date_input_is_the_shared_widget():
    offenders = [str(path.relative_to(BANSHI)) for path in BANSHI.rglob("*.py")
                 if "forms.DateInput(" in path.read_text(encoding="utf-8")]
    assert offenders == []


# ---------- 2. Chinese whatever the browser asks for ----------

def test_the_rating_form_speaks_chinese_to_an_english_browser(client, d):
    appeal, code = resolved_with_code(d)
    response = client.post(reverse("web:rate"), {"number": appeal.number, "code": code}, **EN)
    html = response.content.decode()
    assert response.status_code == 422
    assert "这个字段是必填项" in html and not any(text in html for text in ENGLISH)
    assert 'lang="zh-hans"' in html or 'lang="zh' in html
    assert "Content-Language" not in response.headers or \
        response.headers["Content-Language"].startswith("zh")


def test_staff_pages_speak_chinese_to_an_english_browser(client, d):
    login(client, "dispatcher")
    response = client.post(reverse("web:entry"), {"collected_date": "not a date"}, **EN)
    html = response.content.decode()
    assert response.status_code in (200, 422)
    assert "这个字段是必填项" in html and "输入一个有效的日期" in html
    assert not any(text in html for text in ENGLISH)


def test_api_errors_speak_chinese_to_an_english_client(d):
    token = ApiToken.objects.issue(d.dispatcher)
    client = Client(headers={"Authorization": f"Bearer {token}",
                             "Accept-Language": "en-US,en;q=0.9"})
    response = client.get("/api/v1/appeals", {"aspect": "nope"})
    assert response.status_code == 422
    assert "选择一个有效的选项" in response.json()["detail"]
    response = client.post("/api/v1/appeals", json.dumps({"title": ""}),
                           content_type="application/json")
    assert response.status_code == 422
    assert not any(text in response.content.decode() for text in ENGLISH)


# ---------- 3. the success page: POST → redirect → GET, the code shown once ----------

def h5_submit(client, d, **overrides):
    data = {"title": "百花路路灯不亮", "content": "三盏路灯连续一周不亮。",
            "region": d.community.code} | overrides
    return client.post(reverse("web:submit"), data, **ZH)


def test_refreshing_the_success_page_files_nothing_and_hides_the_code(client, d):
    posted = h5_submit(client, d)
    assert posted.status_code == 302 and posted["Location"] == reverse("web:submitted")
    first = client.get(posted["Location"], **ZH)
    html = first.content.decode()
    number = re.search(r'id="appeal-number">([^<]+)<', html)[1]
    code = re.search(r'id="query-code" class="code">(\d{6})<', html)[1]
    assert Appeal.objects.get(number=number).check_query_code(code)
    assert first.headers["Cache-Control"].startswith("max-age=0")

    again = client.get(posted["Location"], **ZH)
    html_again = again.content.decode()
    assert again.status_code == 200 and Appeal.objects.count() == 1
    assert number in html_again and code not in html_again and 'id="query-code"' not in html_again
    assert "不再显示" in html_again
    for response in (posted, first, again):
        assert code not in response.get("Location", "")
        for url in re.findall(r'(?:href|action|src)="([^"]*)"', response.content.decode()):
            assert code not in url


def test_the_success_page_without_a_submission_goes_home(client, d):
    response = client.get(reverse("web:submitted"))
    assert response.status_code == 302 and response["Location"] == reverse("web:landing")


@pytest.mark.parametrize("text", HOSTILE[:4])
def test_the_success_page_escapes_hostile_titles(client, d, text):
    response = h5_submit(client, d, title=text)
    html = client.get(response["Location"]).content.decode()
    assert "<script>" not in html and 'id="query-code"' in html


# ---------- 4. numbers as people type them; 查询进度 fills the number in ----------

def typed_forms(number: str) -> list[str]:
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in number)
    return [number.lower(), f"  {number.lower()} ", full_width, full_width.lower()]


def test_web_tracking_accepts_lower_case_and_full_width_numbers(client, d):
    appeal, code = with_code(d)
    full_width_code = "".join(chr(ord(c) + 0xFEE0) for c in code)
    for typed in typed_forms(appeal.number):
        response = client.post(reverse("web:track"), {"number": typed, "code": code}, **ZH)
        assert 'id="state"' in response.content.decode(), typed
    response = client.post(reverse("web:track"),
                           {"number": appeal.number.lower(), "code": full_width_code})
    assert 'id="state"' in response.content.decode()


def test_api_tracking_and_rating_accept_lower_case_numbers(d):
    appeal, code = resolved_with_code(d)
    client = Client()
    for typed in typed_forms(appeal.number):
        posted = client.post("/api/v1/appeals/track", json.dumps({"number": typed, "code": code}),
                             content_type="application/json")
        assert posted.status_code == 200 and posted.json()["number"] == appeal.number, typed
        got = client.get("/api/v1/appeals/track", {"number": typed, "code": code})
        assert got.status_code == 200, typed
    rated = client.post(f"/api/v1/appeals/{appeal.number.lower()}/feedback",
                        json.dumps({"solved": "solved", "rating": "satisfied", "query_code": code}),
                        content_type="application/json")
    assert rated.status_code == 200, rated.content
    assert Appeal.objects.get(pk=appeal.pk).rating == "satisfied"


def test_staff_open_a_case_by_a_lower_case_number(client, d):
    appeal = in_progress(d)
    response = login(client, "dispatcher").get(
        reverse("web:case", args=[appeal.number.lower()]))
    assert response.status_code == 200 and appeal.title in response.content.decode()


def test_the_track_link_on_the_success_page_fills_the_number_in(client, d):
    done = client.get(h5_submit(client, d)["Location"]).content.decode()
    number = re.search(r'id="appeal-number">([^<]+)<', done)[1]
    link = re.search(r'id="track-link" href="([^"]+)"', done)[1].replace("&amp;", "&")
    assert link == f"{reverse('web:track')}?number={number}"
    form = client.get(link).content.decode()
    assert re.search(rf'name="number" value="{number}"', form)
    assert re.search(r'name="code"(?![^>]*value=)[^>]*>', form)  # the code stays empty


def test_the_number_in_the_track_url_is_escaped(client, d):
    html = client.get(reverse("web:track"), {"number": HOSTILE[0]}).content.decode()
    assert "<script>" not in html


# ---------- 6. the admin names the platform ----------

def test_the_admin_says_banshi_not_django(client, d):
    d.admin.is_staff = d.admin.is_superuser = True
    d.admin.save()
    html = client.get("/admin/login/", **EN).content.decode()
    assert "办实事工作平台" in html and "Django" not in html
    html = login(client, "admin").get("/admin/", **ZH).content.decode()
    assert "办实事工作平台" in html and "Django 管理" not in html

"""The candidate list in chromium (locale zh-CN) at 1366 px and 390 px after a flood: the
candidate is marked 疑似刷屏, its detail page explains the part, nothing is wider than the
screen. Screenshots go to output_dir."""

import json

import pytest
from django.test import Client

from banshi.appeals.models import Problem

from .factories import build_district
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_security import SIZES
from .test_browser_zh import staff_page

BODY = "这是一条用于测试系统限流功能的诉求内容，请忽略。"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_flood_candidate_in_the_browser(live_server, browser, pw_db, output_dir, size,  # noqa: F811
                                          settings):
    from banshi.appeals.tasks import detect_problems_nightly

    settings.BANSHI_SUBMIT_RATE = settings.BANSHI_DEVICE_SUBMIT_RATE = "1000/h"
    build_district()
    client = Client()
    for n in range(1, 11):
        body = {"title": f"测试限流{n}", "content": BODY}
        response = client.post("/api/v1/appeals", json.dumps(body),
                               content_type="application/json",
                               headers={"X-Banshi-Device": "phone-flood"})
        assert response.status_code == 201
    detect_problems_nightly.call_local()
    problem = Problem.objects.get()
    base = live_server.url
    page = staff_page(browser, base, "dispatcher", size=size)
    page.goto(f"{base}/staff/problems/?status=candidate")
    badge = page.locator(".badge.flood")
    assert badge.inner_text() == "疑似刷屏 9 件" and badge.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    page.screenshot(path=output_dir / f"problems-flood-{size}.png", full_page=True)
    page.goto(f"{base}/staff/problems/{problem.code}/")
    assert "疑似刷屏" in page.inner_text("main") and "持续度" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    page.screenshot(path=output_dir / f"problem-flood-detail-{size}.png", full_page=True)

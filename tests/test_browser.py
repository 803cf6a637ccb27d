"""The whole path in a real browser: a resident on a phone, the dispatcher and the unit on
desktops, and the resident again to rate. Screenshots of each step go to output_dir."""

import io
import re

import pytest
from django.db import connections
from PIL import Image

from banshi.appeals.choices import State
from banshi.appeals.models import Appeal

from .factories import PASSWORD, build_district

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 860}


@pytest.fixture
def pw_db(browser):
    """Close the test's database connections while Playwright still runs.

    Playwright's sync API keeps an asyncio loop registered on this thread, so Django keeps the
    test body's connection in a context variable rather than the thread-local; once Playwright
    stops, teardown can no longer see it and PostgreSQL refuses to drop the test database.
    """
    yield
    connections.close_all()


def no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a 375px phone"


def only_local_requests(page, base_url: str) -> list[str]:
    """Collect every request the page makes that leaves the live server."""
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith((base_url, "data:")) else None)
    return outside


def staff_page(browser, base_url: str, username: str):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/staff/")
    return page


def png_file(tmp_path):
    path = tmp_path / "lamp.png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (240, 200, 40)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_resident_to_unit_and_back(live_server, browser, pw_db, output_dir, tmp_path):
    d = build_district()
    base = live_server.url

    # 1. A resident on a phone submits an appeal with a photo.
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                has_touch=True, locale="zh-CN")
    resident = phone.new_page()
    outside = only_local_requests(resident, base)
    resident.goto(f"{base}/")
    no_horizontal_scroll(resident)
    resident.screenshot(path=output_dir / "00-landing.png", full_page=True)
    resident.click("text=提交诉求")
    resident.fill("#id_title", "百花路路灯不亮")
    resident.fill("#id_content", "百花路中段三盏路灯连续一周不亮，晚上行人很不方便。")
    resident.select_option("#id_region", d.community.code)
    resident.fill("#id_contact_name", "张三")
    resident.fill("#id_contact_phone", "13812341234")
    resident.fill("#id_address", "百花路12号院3号楼")
    resident.set_input_files("#id_photos", str(png_file(tmp_path)))
    no_horizontal_scroll(resident)
    resident.screenshot(path=output_dir / "01-submit.png", full_page=True)
    resident.click("button[type=submit]")
    resident.wait_for_selector("#query-code")
    no_horizontal_scroll(resident)
    resident.screenshot(path=output_dir / "02-submitted.png", full_page=True)
    number = resident.inner_text("#appeal-number").strip()
    code = resident.inner_text("#query-code").strip()
    assert re.fullmatch(r"\d{6}", code) and code not in resident.url
    appeal = Appeal.objects.get(number=number)
    assert appeal.attachments.count() == 1

    # 2. The dispatcher sends it to the 城管局.
    dispatcher = staff_page(browser, base, "dispatcher")
    assert number in dispatcher.inner_text("main")
    dispatcher.click(f"text={number}")
    dispatcher.wait_for_selector("#action-dispatch")
    dispatcher.locator(".photos img").scroll_into_view_if_needed()  # it loads lazily
    # a function, not an expression: a polled expression is eval'd, which the CSP forbids
    dispatcher.wait_for_function("() => document.querySelector('.photos img')?.naturalWidth > 0")
    assert dispatcher.locator(".photos img").evaluate("img => img.naturalWidth") == 64
    dispatcher.select_option("#id_dispatch_unit", "cgj")
    dispatcher.select_option("#id_dispatch_category", d.cat_city_3.code)
    dispatcher.select_option("#id_dispatch_aspect", d.aspect.code)
    dispatcher.fill("#id_dispatch_note", "请三日内修复")
    dispatcher.screenshot(path=output_dir / "03-dispatch.png", full_page=True)
    dispatcher.click("#action-dispatch button[type=submit]")
    dispatcher.wait_for_selector(".alert-success")
    assert "已派单" in dispatcher.inner_text("#case-state")
    dispatcher.screenshot(path=output_dir / "04-dispatched.png", full_page=True)

    # 3. The 城管局 accepts, then answers.
    unit = staff_page(browser, base, "cgj")
    unit.screenshot(path=output_dir / "05-unit-home.png", full_page=True)
    unit.click(f"text={number}")
    unit.click("#action-accept button[type=submit]")
    unit.wait_for_selector(".alert-success")
    assert "办理中" in unit.inner_text("#case-state")
    assert "13812341234" in unit.inner_text("#contact-phone")
    unit.fill("#id_resolve_reply", "已更换三盏路灯的灯泡，经夜间巡查已恢复照明。")
    unit.screenshot(path=output_dir / "06-resolve.png", full_page=True)
    unit.click("#action-resolve button[type=submit]")
    unit.wait_for_selector(".alert-success")
    assert "已答复" in unit.inner_text("#case-state")

    # 4. The resident tracks the appeal and rates it.
    resident.goto(f"{base}/h5/track/")
    resident.fill("#id_number", number)
    resident.fill("#id_code", code)
    resident.click("button[type=submit]")
    resident.wait_for_selector("#state")
    assert "已答复" in resident.inner_text("#state")
    assert "已更换三盏路灯" in resident.inner_text("main")
    assert code not in resident.url and "h5/track" in resident.url
    no_horizontal_scroll(resident)
    resident.screenshot(path=output_dir / "07-track.png", full_page=True)
    resident.check("input[name=solved][value=solved]")
    resident.check("input[name=rating][value=satisfied]")
    resident.fill("#id_comment", "修得很快，谢谢！")
    resident.click("form[action='/h5/track/rate/'] button[type=submit]")
    resident.wait_for_selector("text=感谢您的评价")
    assert "已办结" in resident.inner_text("#state")
    no_horizontal_scroll(resident)
    resident.screenshot(path=output_dir / "08-rated.png", full_page=True)

    appeal.refresh_from_db()
    assert appeal.state == State.CLOSED and appeal.rating == "satisfied"
    assert appeal.solved == "solved"
    assert outside == []

    # 5. The ledger on a desktop, for a look at the staff pages.
    dispatcher.goto(f"{base}/staff/appeals/")
    assert number in dispatcher.inner_text("table.ledger")
    dispatcher.screenshot(path=output_dir / "09-ledger.png", full_page=True)
    # and the unit's pages on a phone, which must not scroll sideways either
    unit.set_viewport_size(PHONE)
    for url, shot in ((f"/staff/appeals/{number}/", "10-case-phone.png"),
                      ("/staff/appeals/", "11-ledger-phone.png")):
        unit.goto(base + url)
        no_horizontal_scroll(unit)
        unit.screenshot(path=output_dir / shot, full_page=True)
    for context in (phone, dispatcher.context, unit.context):
        context.close()

"""A symposium in chromium (locale zh-CN): the community records it, enters the appeals raised
there in rows, prints the sign-in sheet, and a participant signs in on a 390 px phone through
the sheet's QR link. Screenshots go to output_dir."""

import pytest

from banshi.appeals.models import Appeal
from banshi.collection.models import Symposium

from .factories import build_district
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_security import SIZES
from .test_browser_zh import staff_page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_symposium_rows_sheet_and_phone_sign_in(live_server, browser, pw_db,  # noqa: F811
                                                output_dir):
    d = build_district()
    base = live_server.url
    page = staff_page(browser, base, "linshanzhai-01")
    page.goto(f"{base}/staff/collection/symposiums/new/")
    page.select_option("#id_kind", "one_building")
    page.fill("#id_held_on", "2026-03-20")
    page.fill("#id_place", "3号楼单元门口")
    page.select_option("#id_region", d.community.code)
    page.fill("#id_topic", "3号楼加装电梯一楼一议")
    page.fill("#id_participants", "18")
    page.click("form.card button[type=submit]")
    page.wait_for_selector(".alert-success")
    page.fill("#id_row-1-title", "楼道灯不亮")
    page.fill("#id_row-1-content", "3号楼2单元楼道灯坏了")
    page.fill("#id_row-2-title", "缺内容的一行")
    page.click(".rows-form button[type=submit]")
    page.wait_for_selector("#row-errors")
    assert "第2行 内容" in page.inner_text("#row-errors")
    page.screenshot(path=output_dir / "symposium-rows.png", full_page=True)
    symposium = Symposium.objects.get()
    assert Appeal.objects.get().source == symposium

    page.goto(f"{base}/staff/collection/symposiums/{symposium.pk}/sheet/")
    assert page.locator(".sheet-qr svg").count() == 1
    page.screenshot(path=output_dir / "symposium-sheet.png", full_page=True)
    link = page.inner_text(".sheet-url")

    phone = browser.new_context(viewport=SIZES["phone"], locale="zh-CN").new_page()
    phone.goto(link)
    phone.fill("#id_name", "李秀英")
    phone.fill("#id_role", "居民代表")
    phone.click("form button[type=submit]")
    phone.wait_for_selector("text=签到成功")
    phone.screenshot(path=output_dir / "symposium-signed-in-phone.png", full_page=True)
    page.goto(f"{base}/staff/collection/symposiums/{symposium.pk}/")
    assert page.inner_text("#signed-in") == "1 人"
    page.screenshot(path=output_dir / "symposium-detail.png", full_page=True)

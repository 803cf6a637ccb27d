"""The workbench with a day's queue (120 pending appeals) in chromium, on a laptop and a
phone: paged to a sensible height, the unit picker's filter box narrows the list, and 批量派单
of three ticked appeals. Screenshots go to output_dir."""

import pytest
from django.db import connections

from banshi.appeals.choices import Action, State
from banshi.appeals.models import Appeal, AppealEvent
from banshi.web.views.workbench import PAGE_SIZE

from .factories import PASSWORD, build_district, submitted

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
QUEUE = 120


@pytest.fixture
def pw_closing(browser):
    """Close the test's connections while Playwright runs (see tests/test_browser.py)."""
    yield
    connections.close_all()


def dispatcher_page(browser, base: str, size: str):
    phone = size == "phone"
    context = browser.new_context(viewport=SIZES[size], locale="zh-CN", is_mobile=phone,
                                  has_touch=phone, device_scale_factor=2 if phone else 1)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/login/")
    page.fill("#id_username", "dispatcher")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/staff/")
    return page, errors


def option_values(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(f"{selector} option", "os => os.map(o => o.value)")


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_days_queue_is_paged_and_bulk_dispatched(live_server, browser, pw_closing,
                                                   output_dir, size):
    d = build_district()
    for i in range(QUEUE):
        submitted(d, title=f"第{i + 1}件诉求：小区门口路灯不亮", contact_phone="")
    page, errors = dispatcher_page(browser, live_server.url, size)
    viewport = SIZES[size]

    rows = page.locator("table.queue tbody tr")
    assert rows.count() == PAGE_SIZE
    assert f"第 1 / {-(-QUEUE // PAGE_SIZE)} 页" in page.inner_text("nav.pager")
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=output_dir / f"workbench-{size}.png", full_page=True)
    assert height < (4200 if size == "desktop" else 7500), f"{height}px tall"
    assert width <= viewport["width"], f"{width}px wide on a {viewport['width']}px screen"

    # the picker's filter box narrows 7 units to the street's own
    picker = "#id_bulk_unit"
    assert len(option_values(page, picker)) == 7  # the empty choice and six units
    page.fill("input[data-unit-filter=id_bulk_unit]", "林山寨")
    assert option_values(page, picker) == ["", "linshanzhai", "linshanzhai-01",
                                           "linshanzhai-02"]
    assert page.input_value(picker) == "linshanzhai"
    page.fill("input[data-unit-filter=id_bulk_unit]", "城市管理")
    assert option_values(page, picker) == ["", "cgj"]

    # tick three, send them to the 城管局 with one note
    picked = [page.locator("input[name=numbers]").nth(i).get_attribute("value")
              for i in range(3)]
    for number in picked:
        page.check(f"input[name=numbers][value='{number}']")
    page.fill("#id_bulk_note", "请三日内处理")
    page.locator(".bulk-bar").scroll_into_view_if_needed()
    page.screenshot(path=output_dir / f"workbench-{size}-bulk.png")
    page.click(".bulk-bar button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "已派单3件至区城市管理局" in page.inner_text(".messages")
    page.screenshot(path=output_dir / f"workbench-{size}-done.png")
    for number in picked:
        appeal = Appeal.objects.get(number=number)
        assert appeal.state == State.DISPATCHED and appeal.unit == d.cgj
        assert AppealEvent.objects.filter(appeal=appeal, action=Action.DISPATCH).count() == 1
    assert page.locator("table.queue tbody tr").count() == PAGE_SIZE  # the next ones moved up

    # page 2 is the rest of the day
    page.click("nav.pager >> text=下一页")
    page.wait_for_url("**page=2")
    assert "第 2 /" in page.inner_text("nav.pager")
    assert errors == []

"""The coverage matrix in chromium (locale zh-CN, 1366×900): two groups, five units, three
visited — the page shows 60%; the office records the two missing visits from the matrix's own
links and 全覆盖 appears. At 390 px the matrix scrolls inside its card and the page is no wider
than the phone. Screenshots go to output_dir."""

import datetime as dt

import pytest

from banshi.campaign.models import GuidanceVisit

from .campaign_supervision_world import build_world
from .factories import today
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_security import SIZES
from .test_browser_zh import staff_page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_recording_the_missing_visits_brings_full_coverage(live_server, browser,
                                                           pw_db, output_dir):  # noqa: F811
    w = build_world()
    base = live_server.url
    coverage = f"{base}/staff/campaign/coverage/"

    inspector = staff_page(browser, base, "inspector")
    inspector.goto(coverage)
    # the inspector may record for the first group only: one link, to 城管局
    links = inspector.locator("a.record-visit")
    assert links.count() == 1 and "unit=cgj" in links.first.get_attribute("href")

    page = staff_page(browser, base, "dispatcher")
    page.goto(coverage)
    assert page.inner_text("#coverage-percent") == "60%"
    assert page.inner_text("#coverage-visited") == "3" and page.inner_text("#coverage-units") == "5"
    assert page.locator("#full-coverage").count() == 0
    percents = page.locator(".group-percent").all_inner_texts()
    assert percents == ["66.7%", "50%"]
    page.screenshot(path=output_dir / "coverage-60.png", full_page=True)

    for _ in range(2):
        page.click("tr.cell-missing a.record-visit")
        page.wait_for_selector("form.visit-form")
        page.fill("#id_findings", "台账基本齐全")
        page.fill("#id_item-1-item", "补充学习记录")
        page.fill("#id_item-1-due_on", (today() + dt.timedelta(days=30)).isoformat())
        page.click("form.visit-form button[type=submit]")
        page.wait_for_selector(".alert-success")
        page.goto(coverage)
    assert GuidanceVisit.objects.count() == 5
    page.wait_for_selector("#full-coverage")
    assert "全覆盖" in page.inner_text("#full-coverage")
    assert page.inner_text("#coverage-percent") == "100%"
    assert page.locator("tr.cell-missing").count() == 0
    page.screenshot(path=output_dir / "coverage-full.png", full_page=True)

    phone = staff_page(browser, base, "dispatcher", size="phone")
    phone.goto(coverage)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES["phone"]["width"], width
    scroll = phone.evaluate("() => { const box = document.querySelector('.coverage-wrap');"
                            " return [box.scrollWidth, box.clientWidth]; }")
    assert scroll[0] > scroll[1], scroll  # the matrix scrolls inside its card
    assert phone.is_visible("#full-coverage")
    phone.screenshot(path=output_dir / "coverage-phone.png", full_page=True)
    phone.evaluate("document.querySelector('.coverage-wrap').scrollLeft = 400")
    phone.screenshot(path=output_dir / "coverage-phone-scrolled.png", full_page=False)
    assert w.g1.visits.count() == 3

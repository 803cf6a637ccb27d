"""活动总览 in chromium (locale zh-CN) at 1366 px and 390 px: the report-style sentences, the
four charts drawn from the project's own ECharts (painted canvases, no CSP complaint), the
organisation tree, the month calendar and the coverage matrix; the page never scrolls
sideways (the calendar scrolls inside its own box on a phone). Screenshots go to output_dir."""

import pytest

from .factories import build_district
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_collection_stats import PAINTED
from .test_browser_zh import staff_page
from .test_campaign_stats import build_world

CHARTS = ["chart-meetings", "chart-study", "chart-speakers", "chart-venues"]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_campaign_page_in_chromium(live_server, browser, pw_db, output_dir, size):  # noqa: F811
    build_world(build_district())
    base = live_server.url
    page = staff_page(browser, base, "dispatcher", size)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{base}/staff/campaign/?start=2026-03-05&end=2026-03-31&month=2026-03")
    for chart in CHARTS:
        page.wait_for_selector(f"#{chart}[data-drawn] canvas")
    page.wait_for_timeout(1200)  # the charts' entry animation
    assert "派出2个巡回指导组" in page.inner_text("#campaign-sentences")
    assert page.locator(".org-node").count() == 3
    assert page.locator("#calendar td[data-day='2026-03-05'] .event-meeting").inner_text() \
        == "动员大会"
    assert page.locator("#coverage .cell.visited").count() == 2
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "the page scrolls sideways"
    for chart in CHARTS:
        box = page.locator(f"#{chart}").bounding_box()
        assert box and box["width"] > 200 and box["height"] > 200, chart
        assert page.evaluate(PAINTED, chart) > 0.01, f"{chart} is blank"
    assert not problems, problems
    page.screenshot(path=output_dir / f"campaign-{size}.png", full_page=True)
    page.locator("#calendar").scroll_into_view_if_needed()
    page.screenshot(path=output_dir / f"campaign-calendar-{size}.png")


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_phone_shows_the_current_submenu_entry(live_server, browser, pw_db,  # noqa: F811
                                                 output_dir):
    """The campaign submenu is wider than a phone: the page's own entry is scrolled into view."""
    build_world(build_district())
    base = live_server.url
    page = staff_page(browser, base, "dispatcher", "phone")
    for path, label in [("/staff/campaign/practices/", "好做法好经验"),
                        ("/staff/campaign/coverage/", "巡回督导"),
                        ("/staff/campaign/", "活动总览")]:
        page.goto(base + path)
        entry = page.locator("nav.submenu[aria-label='活动工作'] a[aria-current='page']")
        assert entry.inner_text() == label
        page.wait_for_function("() => document.readyState === 'complete'")
        box = entry.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (label, box)
    page.goto(base + "/staff/campaign/practices/")
    page.screenshot(path=output_dir / "campaign-submenu-phone.png")

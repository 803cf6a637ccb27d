"""数据看板 in chromium (locale zh-CN) at 1440×900 and 390×844: every chart drawn from the
project's own ECharts (painted canvases, no CSP complaint), the page never wider than the
screen, and a click on a street's bar opens the ledger of that street's appeals.
Screenshots go to output_dir."""

import re

import pytest

from .factories import build_district
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_collection_stats import PAINTED
from .test_browser_zh import log_in
from .test_reports_dashboard import build_world

CHARTS = ["chart-days", "chart-funnel", "chart-weeks", "chart-streets", "chart-levels",
          "chart-categories", "chart-aspects"]
SIZES = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_dashboard_in_chromium(live_server, browser, pw_db, output_dir, size):  # noqa: F811
    build_world(build_district())
    base = live_server.url
    page = browser.new_context(viewport=SIZES[size], locale="zh-CN").new_page()
    log_in(page, base, "/login/", "leader")
    page.wait_for_url(f"{base}/staff/")
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{base}/staff/reports/dashboard/")
    for chart in CHARTS:
        page.wait_for_selector(f"#{chart}[data-drawn] canvas")
    page.wait_for_timeout(1200)  # the charts' entry animation
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size]["width"], "the page scrolls sideways"
    for chart in CHARTS:
        box = page.locator(f"#{chart}").bounding_box()
        assert box and box["width"] > 200 and box["height"] > 200, chart
        assert page.evaluate(PAINTED, chart) > 0.01, f"{chart} is blank"
    assert not problems, problems
    page.screenshot(path=output_dir / f"dashboard-{size}.png", full_page=True)

    # the leader's 包联 street comes first: click its 诉求 bar, where ECharts drew it
    page.locator("#chart-streets").scroll_into_view_if_needed()
    page.screenshot(path=output_dir / f"dashboard-streets-{size}.png")
    x, y = page.evaluate("""() => {
      const chart = echarts.getInstanceByDom(document.getElementById('chart-streets'));
      const bar = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(0);
      return [bar.x + bar.width / 2, bar.y + bar.height / 2];
    }""")
    box = page.locator("#chart-streets").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(lambda url: "/staff/appeals/" in url, timeout=5000)
    assert "street=410102001" in page.url
    assert re.search(r"共 4 件", page.inner_text(".page-title"))
    page.screenshot(path=output_dir / f"dashboard-ledger-{size}.png")

"""征集工作统计 in chromium (locale zh-CN) at 1366 px and 390 px: the figures, the report's
sentence and the three ECharts charts drawn from the project's own copy (canvas present and
painted), with no Content-Security-Policy complaint; a bar opens the ledger behind it.
Screenshots go to output_dir."""

import pytest

from .factories import build_district
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_zh import staff_page
from .test_collection_stats import build_world, expected

CHARTS = ["chart-channels", "chart-weeks", "chart-streets"]
# the share of a chart's canvas pixels that are painted (not transparent)
PAINTED = """id => {
  const canvas = document.querySelector('#' + id + ' canvas');
  if (!canvas) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
  return painted / (data.length / 4);
}"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_statistics_page_draws_its_charts(live_server, browser, pw_db, output_dir,  # noqa: F811
                                          size):
    build_world(build_district())
    base = live_server.url
    page = staff_page(browser, base, "dispatcher", size)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{base}/staff/stats/collection/?start=2026-03-01&end=2026-03-31")
    for chart in CHARTS:
        page.wait_for_selector(f"#{chart} canvas")
    page.wait_for_timeout(1200)  # the charts' entry animation
    f = expected("dispatcher")
    assert f"全区共召开群众诉求征集意见座谈会{f['symposiums']}场" in page.inner_text(
        "#report-sentence")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "the page scrolls sideways"
    for chart in CHARTS:
        box = page.locator(f"#{chart}").bounding_box()
        assert box and box["width"] > 200 and box["height"] > 200, chart
        assert page.evaluate(PAINTED, chart) > 0.01, f"{chart} is blank"
    assert not problems, problems
    page.screenshot(path=output_dir / f"collection-stats-{size}.png", full_page=True)
    page.locator("#chart-channels").scroll_into_view_if_needed()
    page.screenshot(path=output_dir / f"collection-stats-charts-{size}.png")

    # the channels chart's first bar (every channel shown has an appeal) opens the ledger
    # behind it: click the middle of the bar, where ECharts says it is drawn
    urls = page.evaluate("JSON.parse(document.getElementById('collection-charts')"
                         ".textContent).channels.filter(c => c.value > 0).map(c => c.url)")
    x, y = page.evaluate("""() => {
      const chart = echarts.getInstanceByDom(document.getElementById('chart-channels'));
      const end = chart.convertToPixel({seriesIndex: 0}, [1, 0]);
      const start = chart.convertToPixel({seriesIndex: 0}, [0, 0]);
      return [(start[0] + end[0]) / 2, end[1]];
    }""")
    box = page.locator("#chart-channels").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(lambda url: "/staff/appeals/" in url, timeout=5000)
    assert page.url.removeprefix(base) == urls[0]
    assert "共 1 件" in page.inner_text(".page-title")

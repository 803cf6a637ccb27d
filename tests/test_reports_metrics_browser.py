"""办理指标, 红黑榜 and a unit's page in chromium (locale zh-CN) at 1366 px and 390 px: the
figures and formulas, the board and its rule, and the unit's two ECharts charts drawn from the
project's own copy (canvas painted), with no Content-Security-Policy complaint and no sideways
scrolling. Screenshots go to output_dir."""

import pytest

from banshi.reports import ranking

from .factories import build_district
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_collection_stats import PAINTED
from .test_browser_zh import staff_page
from .test_reports_metrics import build_world


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_metrics_pages_in_the_browser(live_server, browser, pw_db, output_dir,  # noqa: F811
                                      monkeypatch, size):
    build_world(build_district())
    base = live_server.url
    page = staff_page(browser, base, "dispatcher", size)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    def no_sideways_scroll():
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways"

    page.goto(f"{base}/staff/reports/handling/?start=2025-09-25&end=2025-10-20")
    assert page.inner_text('[data-figure="received"] b').startswith("8")
    assert page.inner_text('[data-figure="solve_rate"] b').startswith("75.0")
    assert "满意率" in page.inner_text("#formulas")
    no_sideways_scroll()
    page.screenshot(path=output_dir / f"handling-{size}.png", full_page=True)

    page.goto(f"{base}/staff/reports/ranking/?month=2025-09")
    assert "综合得分" in page.inner_text("#ranking-rule")
    no_sideways_scroll()
    page.screenshot(path=output_dir / f"ranking-{size}.png", full_page=True)

    # Ranked with the threshold at 1 (the hand-built months are small): both charts.
    monkeypatch.setattr(ranking.rank, "__defaults__", (1,))
    page.goto(f"{base}/staff/reports/units/cgj/?month=2025-10")
    for chart in ("chart-trend", "chart-rank"):
        page.wait_for_selector(f"#{chart} canvas")
    page.wait_for_timeout(1200)  # the charts' entry animation
    for chart in ("chart-trend", "chart-rank"):
        assert page.evaluate(PAINTED, chart) > 0.01, f"{chart} is blank"
    # October: only the 城管局 has appeals (the 住建局 none), so one unit is ranked
    assert page.inner_text('[data-month="2025-10"] td:nth-child(2)') == "1/1"
    no_sideways_scroll()
    page.screenshot(path=output_dir / f"unit-{size}.png", full_page=True)
    assert not problems, problems

"""A problem defined by a group of people, in chromium (locale zh-CN) at 1366 px and 390 px:
the candidate list and the problem page show its group under 地点/人群, and nothing is wider
than the screen. Screenshots go to output_dir."""

import datetime as dt

import pytest
from django.utils import timezone

from banshi.appeals import actions
from banshi.appeals.models import Problem

from .factories import build_district
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_security import SIZES
from .test_browser_zh import staff_page
from .test_problems_groups import FIXTURE, TALENT


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_group_problem_in_the_browser(live_server, browser, pw_db, output_dir,  # noqa: F811
                                        size):
    from banshi.appeals.tasks import detect_problems_nightly

    build_district()
    now = timezone.now()
    for index, (_, _, title, body, days, likes) in enumerate(FIXTURE):
        actions.submit_appeal(title=title, content=body, contact_phone=f"1390000{index:04d}",
                              collected_at=now - dt.timedelta(days=360 - days * 0.9),
                              likes=likes)
    detect_problems_nightly.call_local()
    talent = Problem.objects.get(places=["A市人才/高级技师"])
    assert talent.candidate_appeals.count() == len(TALENT)
    base = live_server.url
    page = staff_page(browser, base, "dispatcher", size=size)
    page.goto(f"{base}/staff/problems/?status=candidate")
    row = page.locator("tr", has_text=talent.code)
    assert "A市人才/高级技师" in row.inner_text()
    cell = row.locator("td[data-label='地点/人群']")
    box = cell.bounding_box()  # in view without scrolling the table sideways, on a phone too
    assert cell.is_visible() and box and box["x"] + box["width"] <= SIZES[size]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    page.screenshot(path=output_dir / f"problems-group-{size}.png", full_page=True)
    page.goto(f"{base}/staff/problems/{talent.code}/")
    main = page.inner_text("main")
    assert "地点/人群" in main and "A市人才/高级技师" in main
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    page.screenshot(path=output_dir / f"problem-group-detail-{size}.png", full_page=True)

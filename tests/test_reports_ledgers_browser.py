"""The ledgers page in chromium (locale zh-CN) at 1366 px and 390 px: the five ledgers with
their download links, the page no wider than a phone, and one download opened with openpyxl.
Screenshots go to output_dir."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from banshi.campaign.choices import StudyKind
from banshi.campaign.models import Campaign, StudyActivity
from banshi.reports.ledgers import MODULES

from .factories import add_other_street, build_district, today
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_security import SIZES
from .test_browser_zh import staff_page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_ledgers_page(live_server, browser, pw_db, output_dir, size):  # noqa: F811
    d = build_district()
    add_other_street(d)
    start = today() - dt.timedelta(days=30)
    Campaign.objects.create(name="测试活动", started_on=start, goals="学史明理")
    StudyActivity.objects.create(unit=d.street_unit, kind=StudyKind.LECTURE, title="街道宣讲",
                                 held_on=today(), person_times=80)
    base = live_server.url
    page = staff_page(browser, base, "linshanzhai", size=size)
    page.goto(f"{base}/staff/reports/ledgers/")
    links = page.locator("[data-ledger] a[href*='/staff/reports/ledgers/']")  # not the menu
    assert links.count() == len(MODULES)
    heading = page.inner_text("h1")
    assert "林山寨街道办事处" in heading and start.isoformat() in heading
    options = page.locator("#id_unit option").all_inner_texts()
    assert any("百花社区" in o for o in options) and not any("西里" in o for o in options)
    for link in links.all():
        assert link.is_visible()
        box = link.bounding_box()
        assert box["x"] + box["width"] <= SIZES[size]["width"]  # in view, not scrolled away
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size]["width"], width
    page.screenshot(path=output_dir / f"ledgers-{size}.png", full_page=True)
    with page.expect_download() as download:
        page.click("[data-ledger=study] a")
    path = download.value.path()
    assert download.value.suggested_filename.startswith("学习教育台账-")
    sheet = load_workbook(io.BytesIO(path.read_bytes())).worksheets[0]  # (no .xlsx suffix)
    assert sheet["A1"].value == "林山寨街道办事处党史学习教育学习活动台账"
    assert [row[4] for row in sheet.iter_rows(min_row=4, values_only=True)] == ["街道宣讲"]

"""In chromium (locale zh-CN, a 390 px phone): a resident scans an opinion box's QR label —
the link the label page holds — and submits an appeal through the H5 form it opens; the
appeal comes in through the opinion_box channel with the box as its source. Staff's label
page and the box page are shot too (look at them in test-output/)."""

import datetime as dt

import pytest

from banshi.appeals.models import Appeal
from banshi.collection.actions import boxes, visits

from .factories import build_district
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_security import SIZES, log_in


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_resident_submits_through_a_boxs_qr_link(live_server, browser, pw_db,  # noqa: F811
                                                    output_dir):
    d = build_district()
    box = boxes.register_box(actor=d.dispatcher, code="LSZ-BH-07", kind="desk",
                             place="百花社区党群服务中心一楼大厅", region=d.community,
                             unit=d.community_unit, installed_on=dt.date(2026, 3, 5),
                             status="active")
    base = live_server.url

    staff = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN").new_page()
    log_in(staff, base, "/login/", d.community_staff.username)
    staff.wait_for_url(f"{base}/staff/")
    staff.goto(f"{base}/staff/collection/boxes/{box.code}/label/")
    link = staff.inner_text("#qr-label .link").strip()
    assert link == f"{base}/h5/submit/?box={box.code}"
    assert staff.locator("#qr-label svg").count() == 1
    staff.screenshot(path=output_dir / "box-label.png", full_page=True)

    phone = browser.new_context(viewport=SIZES["phone"], locale="zh-CN").new_page()
    phone.goto(link)
    assert "百花社区党群服务中心一楼大厅" in phone.inner_text("#via-box")
    assert phone.input_value("#id_region") == d.community.code
    phone.fill("#id_title", "大厅饮水机坏了")
    phone.fill("#id_content", "党群服务中心一楼的饮水机不出热水，已经三天了。")
    phone.fill("#id_contact_phone", "13912345678")
    phone.screenshot(path=output_dir / "phone-form.png", full_page=True)
    phone.click("main form button[type=submit]")
    phone.wait_for_url(f"{base}/h5/submit/done/")
    phone.screenshot(path=output_dir / "phone-done.png", full_page=True)
    widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], "the page scrolls sideways on a phone"

    appeal = Appeal.objects.get(title="大厅饮水机坏了")
    assert appeal.channel == "opinion_box" and appeal.source == box
    assert appeal.region == d.community
    assert appeal.number in phone.inner_text("main")

    staff.goto(f"{base}/staff/collection/boxes/{box.code}/")
    assert appeal.number in staff.inner_text("main")
    staff.screenshot(path=output_dir / "box-page.png", full_page=True)

    # the worker's own list of household visits, on the same phone
    visits.record_visit(actor=d.community_staff, unit=d.community_unit,
                        visited_on=dt.date(2026, 3, 6), region=d.community,
                        visitors="张三、李四", household_name="欧阳明华",
                        address="百花路88号3号楼2单元501", people_met=3)
    worker = browser.new_context(viewport=SIZES["phone"], locale="zh-CN").new_page()
    log_in(worker, base, "/login/", d.community_staff.username)
    worker.wait_for_url(f"{base}/staff/")
    worker.goto(f"{base}/staff/collection/visits/")
    assert "百花路88号" in worker.inner_text("#visits")
    worker.screenshot(path=output_dir / "phone-visits.png", full_page=True)
    widths = worker.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], "the visits list scrolls sideways on a phone"

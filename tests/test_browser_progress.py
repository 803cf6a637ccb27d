"""In chromium (locale zh-CN): a community records public progress and answers a delegated
case with a photo through the case page's forms, the street approves, and the resident sees
the note and the photo on the tracking page (phone width). Screenshots go to output_dir."""

import contextlib

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from banshi.appeals import actions
from banshi.appeals.choices import State
from banshi.appeals.models import Appeal

from .factories import build_district, with_code
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_security import SIZES, log_in

# an <img> that loaded (a broken image has no natural width)
LOADED = "imgs => imgs.map(img => img.complete && img.naturalWidth > 0)"


def loaded(page, selector: str) -> list[bool]:
    """Whether each photo under `selector` loaded: each is scrolled into view first (they
    load lazily) and given a moment to arrive (a busy machine serves them slowly)."""
    images = page.locator(selector)
    for index in range(images.count()):
        images.nth(index).scroll_into_view_if_needed()
    with contextlib.suppress(PlaywrightTimeout):  # the assertion below says which did not
        page.wait_for_function(f"() => [...document.querySelectorAll({selector!r})]"
                               ".every(img => img.complete && img.naturalWidth > 0)",
                               timeout=10_000)
    return page.eval_on_selector_all(selector, LOADED)


def photo_file(tmp_path, name: str, colour) -> str:
    path = tmp_path / name
    Image.new("RGB", (64, 48), colour).save(path, "PNG")
    return str(path)


def staff_page(browser, base: str, username: str):
    page = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN").new_page()
    log_in(page, base, "/login/", username)
    page.wait_for_url(f"{base}/staff/")
    return page


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_community_answers_with_a_photo_and_the_resident_sees_it(
        live_server, browser, pw_db, output_dir, tmp_path):  # noqa: F811
    d = build_district()
    appeal, code = with_code(d)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.street_unit)
    appeal = actions.accept(appeal, actor=d.street_staff)
    appeal = actions.delegate(appeal, actor=d.street_staff, unit=d.community_unit, note="请核实")
    actions.accept(appeal, actor=d.community_staff)
    base, case = live_server.url, f"{live_server.url}/staff/appeals/{appeal.number}/"

    community = staff_page(browser, base, d.community_staff.username)
    community.goto(case)
    community.click("#action-progress summary")
    community.fill("#id_progress_note", "已到现场查看，正在联系物业维修")
    community.check("#id_progress_public")
    community.set_input_files("#id_progress_photos", photo_file(tmp_path, "site.png", (90, 90, 90)))
    community.click("#action-progress button[type=submit]")
    community.wait_for_selector(".alert-success")
    community.fill("#id_resolve_reply", "物业已更换灯具，恢复照明。")
    community.set_input_files("#id_resolve_photos", photo_file(tmp_path, "done.png", (20, 160, 60)))
    community.screenshot(path=output_dir / "community-answer.png", full_page=True)
    community.click("#action-resolve button[type=submit]")
    community.wait_for_selector(".alert-success")
    assert Appeal.objects.get(pk=appeal.pk).state == State.PENDING_REVIEW

    street = staff_page(browser, base, d.street_staff.username)
    street.goto(case)
    assert all(loaded(street, ".photos img"))
    street.check("#action-review input[value=approve]")
    street.click("#action-review button[type=submit]")
    street.wait_for_selector(".alert-success")
    assert Appeal.objects.get(pk=appeal.pk).state == State.RESOLVED

    resident = browser.new_context(viewport=SIZES["phone"], locale="zh-CN").new_page()
    resident.goto(f"{base}/h5/track/?number={appeal.number}")
    resident.fill("#id_code", code)
    resident.click("main form button[type=submit]")
    resident.wait_for_selector("#reply")
    assert "已到现场查看" in resident.inner_text("#progress")
    assert "物业已更换灯具" in resident.inner_text("#reply")
    assert loaded(resident, "#reply .photos img") == [True]
    assert loaded(resident, "#progress .photos img") == [True]
    resident.screenshot(path=output_dir / "resident-track.png", full_page=True)
    widths = resident.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], "the tracking page scrolls sideways"

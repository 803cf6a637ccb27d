"""A study activity in chromium (locale zh-CN): a community's staff record it and upload a
photo at 1366×900; the QR code's target is read from the page; a participant signs in on a
390×844 phone; a second sign-in from the same phone is refused with a message; the staff
page then shows the sign-in. Screenshots go to output_dir."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image

from banshi.campaign.models import StudyActivity

from .factories import PASSWORD, build_district
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_security import SIZES
from .test_browser_zh import staff_page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_qr_sign_in_on_a_phone_once(live_server, browser, pw_db, output_dir,  # noqa: F811
                                    tmp_path):
    build_district()
    base = live_server.url
    page = staff_page(browser, base, "linshanzhai-01")
    page.goto(f"{base}/staff/campaign/study/new/")
    page.select_option("#id_kind", "party_day")
    page.fill("#id_held_on", "2026-03-20")
    page.fill("#id_title", "主题党日：重温入党誓词")
    page.fill("#id_place", "百花社区党群服务中心")
    page.fill("#id_person_times", "0")
    page.click("form.card button[type=submit]")
    page.wait_for_selector(".alert-success")
    activity = StudyActivity.objects.get()
    photo = tmp_path / "合影.png"
    Image.new("RGB", (320, 200), (200, 40, 30)).save(photo, "PNG")
    page.set_input_files("#id_file", str(photo))
    page.click("#photos form button[type=submit]")
    page.wait_for_selector("#photos img")
    page.wait_for_function(
        "() => { const i = document.querySelector('#photos img'); "
        "return i.complete && i.naturalWidth === 320; }")
    assert page.locator("#signin-qr svg").count() == 1
    link = page.get_attribute(".study-qr", "data-signin-url")
    assert link == page.inner_text("#signin-link")
    assert link.startswith(f"{base}/h5/campaign/study/") and activity.signin_token in link

    phone_context = browser.new_context(viewport=SIZES["phone"], locale="zh-CN")
    phone = phone_context.new_page()
    second_tab = phone_context.new_page()
    phone.goto(link)
    second_tab.goto(link)  # the same phone, the page opened twice before signing in
    phone.fill("#id_name", "王秀英")
    phone.fill("#id_organisation", "百花社区党支部")
    phone.screenshot(path=output_dir / "study-signin-phone.png", full_page=True)
    phone.click("form button[type=submit]")
    phone.wait_for_selector("#signin-done")
    assert "王秀英，您已签到" in phone.inner_text("#signin-done")
    phone.screenshot(path=output_dir / "study-signed-in-phone.png", full_page=True)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES["phone"]["width"]

    second_tab.fill("#id_name", "王秀英")
    second_tab.click("form button[type=submit]")
    second_tab.wait_for_selector("#signin-refusal")
    assert "本设备已为本次活动签到" in second_tab.inner_text("#signin-refusal")
    second_tab.screenshot(path=output_dir / "study-second-try-phone.png", full_page=True)
    phone.goto(link)
    assert "请勿重复签到" in phone.inner_text("#signin-refusal")
    assert activity.signins.count() == 1

    page.goto(f"{base}/staff/campaign/study/{activity.pk}/")
    assert page.inner_text("#signin-count") == "1"
    assert "王秀英" in page.inner_text("#signins")
    assert page.inner_text("#person-times") == "1"
    page.screenshot(path=output_dir / "study-staff-page.png", full_page=True)
    page.click("#signin-switch")
    page.wait_for_selector(".alert-success")
    late = browser.new_context(viewport=SIZES["phone"], locale="zh-CN").new_page()
    late.goto(link)
    assert "签到已关闭" in late.inner_text("#signin-refusal")


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_demo_speakers_and_venues_at_1366(live_server, browser, pw_db,  # noqa: F811
                                              output_dir):
    call_command("seed_demo", appeals=0, stdout=StringIO())
    dispatcher = get_user_model().objects.get(username="dispatcher")
    dispatcher.set_password(PASSWORD)
    dispatcher.save()
    base = live_server.url
    page = staff_page(browser, base, "dispatcher")
    page.goto(f"{base}/staff/campaign/speakers/")
    kinds = page.inner_text("#speaker-kinds")
    assert "书记讲师\t100\t141" in kinds and "宣讲团专家\t22\t35\t3992" in kinds
    page.screenshot(path=output_dir / "study-speakers.png")
    page.goto(f"{base}/staff/campaign/venues/")
    assert page.inner_text("#venue-person-times") == "1395"
    page.screenshot(path=output_dir / "study-venues.png", full_page=True)
    page.goto(f"{base}/staff/campaign/study/?special=on")
    assert page.locator("table.study-activities tbody tr").count() == 2
    page.screenshot(path=output_dir / "study-special-sessions.png", full_page=True)

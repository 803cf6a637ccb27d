"""A resident fills a published questionnaire on a phone (chromium, zh-CN, 390 px): a
required question left out is named, then the response goes in and the thank-you page shows;
the same phone is refused a second time. Staff then see the results with ECharts charts drawn
from the project's own static files under the Content-Security-Policy."""

import pytest

from banshi.collection.models import Response

from .factories import build_district
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_security import SIZES, log_in
from .test_collection_surveys import make_survey


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_resident_fills_a_questionnaire_on_a_phone(live_server, browser, pw_db,  # noqa: F811
                                                      output_dir):
    d = build_district()
    survey, (single, multiple, rating, text) = make_survey(d)
    base = live_server.url
    phone = browser.new_context(viewport=SIZES["phone"], locale="zh-CN", is_mobile=True,
                                has_touch=True, device_scale_factor=2)
    page = phone.new_page()
    problems: list[str] = []
    # console errors other than the form's own 422/409 answers (a CSP violation would show)
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and "status of 4" not in m.text else None)
    page.goto(f"{base}/h5/survey/{survey.token}/")
    assert page.locator("h1").inner_text() == "林山寨街道征求意见表"
    page.screenshot(path=output_dir / "01-survey.png", full_page=True)

    page.click("text=18-60岁")
    page.click("text=停车")
    page.click("text=环境")
    page.click("#survey-submit")  # the rating is missing
    assert page.locator(f"#field-q{rating.pk} .error").inner_text() == "此题为必答题"
    assert page.locator(f"input[name=q{single.pk}][value='1']").is_checked()  # kept
    page.screenshot(path=output_dir / "02-missing-rating.png", full_page=True)

    page.locator(f"#field-q{rating.pk} label.chip", has_text="4").click()
    page.fill(f"#id_q{text.pk}", "小区停车位太少😡，希望＂尽快＂解决")
    page.click("#survey-submit")
    page.wait_for_url(f"{base}/h5/survey/{survey.token}/done/")
    assert "感谢您的参与" in page.locator("#survey-done").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES["phone"]["width"]
    page.screenshot(path=output_dir / "03-thanks.png", full_page=True)
    stored = Response.objects.get()
    assert stored.answers == {str(single.pk): 1, str(multiple.pk): [0, 2], str(rating.pk): 4,
                              str(text.pk): "小区停车位太少😡，希望＂尽快＂解决"}

    page.goto(f"{base}/h5/survey/{survey.token}/")  # the same phone again
    page.click("text=60岁以上")
    page.click("text=养老")
    page.locator(f"#field-q{rating.pk} label.chip", has_text="5").click()
    page.click("#survey-submit")
    assert "每台设备只能提交一次" in page.locator("#survey-refusal").inner_text()
    page.screenshot(path=output_dir / "04-second-time.png", full_page=True)
    assert Response.objects.count() == 1
    assert not problems, problems

    staff = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN").new_page()
    staff_errors: list[str] = []
    staff.on("console", lambda m: staff_errors.append(m.text) if m.type == "error" else None)
    log_in(staff, base, f"/staff/collection/surveys/{survey.pk}/results/", "linshanzhai")
    staff.wait_for_selector(f"#chart-{single.pk} canvas")
    assert staff.locator(".survey-chart canvas").count() == 3
    assert staff.locator("#total-returned").inner_text() == "1"
    staff.screenshot(path=output_dir / "05-results.png", full_page=True)
    staff.goto(f"{base}/staff/collection/surveys/{survey.pk}/")
    staff.screenshot(path=output_dir / "06-questionnaire.png", full_page=True)
    staff.goto(f"{base}/staff/collection/surveys/{survey.pk}/qr/")
    assert staff.locator("#qr-code svg").count() == 1
    staff.emulate_media(media="print")
    staff.screenshot(path=output_dir / "07-qr-print.png", full_page=True)
    assert not staff_errors, staff_errors

"""The public vote in chromium on a 390×844 phone (locale zh-CN): a resident picks a candidate,
enters a phone number, sees the confirmation; a second vote with the same number is refused
with the message. The office's round page at 1366 px. Screenshots go to output_dir."""

from decimal import Decimal

import pytest

from banshi.campaign.actions import exemplars as actions
from banshi.campaign.models import Vote

from .factories import build_district
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_chain import no_sideways_scroll, phone_context
from .test_browser_zh import staff_page
from .test_campaign_exemplars import png

DEEDS = ("扎根社区十二年，带领居民学党史、办实事，牵头解决老旧小区加装电梯、雨污分流等"
         "急难愁盼问题二十余件，组织志愿服务队常年开展助老助残活动。")


def voting_round(d):
    round_ = actions.start_selection(actor=d.dispatcher, name="党史学习之星", quota_per_unit=3,
                                     places=2)
    colours = [(183, 28, 28), (30, 90, 160), (40, 130, 60)]
    made = [actions.nominate(round_, actor=d.dispatcher, unit=d.community_unit, nominee=name,
                             nominee_title=title, party_years=years, deeds=DEEDS,
                             photo=("p.png", png((120, 150), colour)))
            for name, title, years, colour in zip(
                ("王建国", "李秀英", "张志强"), ("百花社区党委书记", "网格员", "退休老党员"),
                (12, 8, 40), colours, strict=True)]
    round_ = actions.advance_round(round_, actor=d.dispatcher)
    for nomination in made:
        actions.review_nomination(nomination, actor=d.dispatcher, passed=True)
    round_ = actions.advance_round(round_, actor=d.dispatcher)
    actions.score_nomination(made[0], actor=d.leader, score=Decimal(92))
    return round_, made


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_public_vote_on_a_phone(live_server, browser, pw_db, output_dir):  # noqa: F811
    d = build_district()
    round_, made = voting_round(d)
    base = live_server.url
    url = f"{base}/h5/campaign/rounds/{round_.pk}/vote/"
    phone = phone_context(browser).new_page()
    phone.goto(url)
    assert phone.locator(".nominees li").count() == 3
    phone.wait_for_function("() => [...document.querySelectorAll('img.nominee-thumb')]"
                            ".every(img => img.complete && img.naturalWidth > 0)")
    no_sideways_scroll(phone, "phone")
    phone.screenshot(path=output_dir / "vote-page-phone.png", full_page=True)
    phone.locator(".choice-card", has_text="李秀英").locator(".nominee-name").click()
    phone.fill("#id_phone", "139 1234 5678")
    phone.click(".vote-bar button[type=submit]")
    phone.wait_for_selector("#voted")
    assert "李秀英" in phone.inner_text("#voted")
    phone.screenshot(path=output_dir / "vote-done-phone.png", full_page=True)

    phone.goto(url)
    phone.locator(".choice-card", has_text="王建国").locator(".nominee-name").click()
    phone.fill("#id_phone", "13912345678")
    phone.click(".vote-bar button[type=submit]")
    phone.wait_for_selector(".field.has-error .error")
    assert "您本轮已投过1票，每人限投1票" in phone.inner_text(".vote-bar")
    no_sideways_scroll(phone, "phone")
    phone.screenshot(path=output_dir / "vote-refused-phone.png", full_page=True)
    assert Vote.objects.count() == 1
    assert "13912345678" not in phone.url

    office = staff_page(browser, base, "dispatcher", "desktop")
    office.goto(f"{base}/staff/campaign/rounds/{round_.pk}/")
    assert "评审投票" in office.inner_text("#stages .current")
    no_sideways_scroll(office, "desktop")
    office.screenshot(path=output_dir / "round-desktop.png", full_page=True)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_publicity_objection_and_results_on_a_phone(live_server, browser, pw_db,  # noqa: F811
                                                    output_dir):
    d = build_district()
    round_, made = voting_round(d)
    actions.cast_vote(made[1], phone="13800000001")
    round_ = actions.advance_round(round_, actor=d.dispatcher)
    base = live_server.url
    phone = phone_context(browser).new_page()
    phone.goto(f"{base}/h5/campaign/rounds/{round_.pk}/publicity/")
    assert phone.locator(".nominees li").count() == round_.places
    phone.locator(".choice-card", has_text="王建国").locator(".nominee-name").click()
    phone.fill("#id_text", "<script>alert(1)</script>听说事迹有出入，请核实。")
    phone.click("form button[type=submit]")
    phone.wait_for_selector("#objected")
    phone.screenshot(path=output_dir / "publicity-objected-phone.png", full_page=True)

    office = staff_page(browser, base, "dispatcher", "phone")
    office.goto(f"{base}/staff/campaign/rounds/{round_.pk}/")
    assert "<script>alert(1)</script>" in office.inner_text("#objections")  # shown as text
    office.locator("#objections label.chip", has_text="异议不成立").click()
    office.locator("#objections textarea").fill("经核实，事迹属实，异议不成立。")
    office.click("#objections button[type=submit]")
    office.wait_for_selector(".alert-success")
    office.click("text=进入下一阶段：结果发布")
    office.wait_for_selector("#stages .current:has-text('结果发布')")
    no_sideways_scroll(office, "phone")
    office.screenshot(path=output_dir / "round-published-phone.png", full_page=True)

    phone.goto(f"{base}/h5/campaign/rounds/{round_.pk}/results/")
    assert phone.locator("#results li").count() == round_.places
    no_sideways_scroll(phone, "phone")
    phone.screenshot(path=output_dir / "results-phone.png", full_page=True)

    story = actions.write_practice(actor=d.street_staff, unit=d.street_unit,
                                   title="因院施策、一楼一议，协商解决老旧小区改造问题",
                                   body=DEEDS + "\n" + DEEDS, photo=("p.png", png((320, 180))),
                                   submit=True)
    actions.review_practice(story, actor=d.dispatcher, publish=True)
    phone.goto(f"{base}/h5/campaign/practices/")
    phone.click("text=因院施策")
    phone.wait_for_selector("img.story-photo")
    no_sideways_scroll(phone, "phone")
    phone.screenshot(path=output_dir / "practice-phone.png", full_page=True)

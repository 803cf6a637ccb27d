"""The three-level chain in chromium with locale zh-CN, clicked through as each person would
(issue 7's acceptance test): a resident on a phone submits on the H5 form; in street_first
routing it lands in the street's queue; the street 接单s and 转派s it to a community; the
community answers (with a photo); the street 审核s and approves; the resident tracks and rates
it; a leader 督办s another case of the street with the date field's default.

The resident is always on a 390×844 phone. The staff pages run at both sizes (the whole flow
once at 1366×900, once at 390×844); every staff table on a screenshot is checked with
TABLE_FITS, and after each step the database says what the page said. Screenshots go to
output_dir, named by step, person and size."""

import datetime as dt

import pytest
from django.utils import timezone

from banshi.appeals import actions
from banshi.appeals.choices import Action, Channel, PhotoKind, Rating, State
from banshi.appeals.models import Appeal, Attachment, Supervision

from .factories import District, build_district, submitted
from .test_browser import png_file, pw_db  # noqa: F401 - pw_db is a fixture
from .test_browser_security import SIZES, log_in
from .test_browser_zh import TABLE_FITS

TITLE = "百花路中段路灯连续一周不亮，夜间行人和电动车通行存在安全隐患"
CONTENT = "百花路中段（12号院门口至桐淮路口）三盏路灯连续一周不亮，晚上老人孩子出门很不方便。"
REPLY = "百花社区已联系供电所，于今日更换三盏路灯的灯泡并检修线路，经夜间巡查已恢复照明。"


# ---------- the people and their pages ----------

def phone_context(browser):
    return browser.new_context(viewport=SIZES["phone"], locale="zh-CN", is_mobile=True,
                               has_touch=True)


def staff_page(browser, base: str, username: str, size: str):
    """`username` logged in through the login page, on their workbench."""
    context = (phone_context(browser) if size == "phone"
               else browser.new_context(viewport=SIZES[size], locale="zh-CN"))
    page = context.new_page()
    log_in(page, base, "/login/", username)
    page.wait_for_url(f"{base}/staff/")
    return page


class Shots:
    """Numbered full-page screenshots in output_dir (01-resident-submit-phone.png, …). Before
    each one the page is checked: no sideways scroll, and every table in it fits (TABLE_FITS);
    `tables` says how many tables the page must at least hold."""

    def __init__(self, output_dir, size: str):
        self.dir, self.size, self.n = output_dir, size, 0

    def __call__(self, page, name: str, *, tables: int = 0, size: str | None = None) -> None:
        size = size or self.size
        assert tables_fit(page, size) >= tables, f"fewer than {tables} tables on {page.url}"
        self.n += 1
        page.screenshot(path=self.dir / f"{self.n:02d}-{name}-{size}.png", full_page=True)


def no_sideways_scroll(page, size: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size]["width"], f"{page.url} is {width}px wide at {size}"


def tables_fit(page, size: str) -> int:
    """Every table on the page fits its card, or scrolls inside it with the number column in
    view (TABLE_FITS); at 1366 px every column shows without scrolling. Returns how many
    tables were checked; each is scrolled back afterwards so screenshots show its start."""
    no_sideways_scroll(page, size)
    tables = page.locator(".table-wrap > table")
    checked = 0
    for i in range(tables.count()):
        table = tables.nth(i)
        rows = table.locator("tbody tr")
        if rows.count() == 0:
            continue
        rows.first.scroll_into_view_if_needed()
        result = table.evaluate(TABLE_FITS)
        where = f"table {i + 1} ({table.get_attribute('class')}) on {page.url} at {size}"
        assert result["inside"], (where, result)
        assert result["fits"] or result["scrolls"], (where, result)
        assert result["lastShown"], (where, result)
        assert result["numberShown"] and result["stickyCovers"], (where, result)
        assert result["pageWidth"] <= SIZES[size]["width"], (where, result)
        if size == "desktop":
            assert result["fits"], (where, result)
        table.evaluate("t => { t.closest('.table-wrap').scrollLeft = 0; }")
        checked += 1
    page.evaluate("window.scrollTo(0, 0)")
    return checked


def actions_of(appeal: Appeal) -> list[str]:
    return list(appeal.events.order_by("at", "id").values_list("action", flat=True))


def succeeded(page, text: str) -> None:
    page.wait_for_selector(".alert-success")
    assert text in page.inner_text(".alert-success")


# ---------- the steps ----------

def resident_submits(resident, base: str, d: District, shots) -> tuple[str, str]:
    """From the landing page through the H5 form to the success page; returns the number and
    the query code the page shows."""
    resident.goto(f"{base}/")
    resident.click("text=提交诉求")
    resident.wait_for_url(f"{base}/h5/submit/")
    resident.fill("#id_title", TITLE)
    resident.fill("#id_content", CONTENT)
    resident.select_option("#id_region", d.community.code)
    resident.fill("#id_contact_name", "张秀兰")
    resident.fill("#id_contact_phone", "13812341234")
    resident.fill("#id_address", "百花路12号院3号楼2单元")
    shots(resident, "resident-submit", size="phone")
    resident.click("button[type=submit]")
    resident.wait_for_selector("#query-code")
    assert resident.url == f"{base}/h5/submit/done/"  # POST → redirect → GET
    number = resident.inner_text("#appeal-number").strip()
    code = resident.inner_text("#query-code").strip()
    assert len(code) == 6 and code.isdigit() and code not in resident.url
    shots(resident, "resident-submitted", size="phone")
    return number, code


def resident_tracks(resident, base: str, number: str, code: str, shots, name: str) -> None:
    """Days later, from the landing page: 查询进度, the number typed as a resident might (lower
    case), and the code."""
    resident.goto(f"{base}/")
    resident.click("text=查询进度")
    resident.wait_for_url(f"{base}/h5/track/")
    resident.fill("#id_number", number.lower())
    resident.fill("#id_code", code)
    resident.click("button[type=submit]")
    resident.wait_for_selector("#state")
    assert number in resident.inner_text("main") and code not in resident.url
    shots(resident, name, size="phone")


def street_takes_and_delegates(street, base: str, d: District, number: str, size: str,
                               shots) -> dt.date:
    """The street's workbench: the case in 待接单 → case page → 接单 → 转派 to 百花社区 with
    the form's default due date. Returns that date."""
    queue = street.locator("section.panel", has=street.locator("h2", has_text="待接单"))
    assert number in queue.inner_text()
    shots(street, "street-queue", tables=2)  # 待接单, 办理中
    queue.locator(f"a:text-is('{number}')").click()
    street.wait_for_selector("#action-accept")
    assert "已派单" in street.inner_text("#case-state")
    assert "13812341234" in street.inner_text("#contact-phone")  # the handling unit sees it
    if size == "phone":  # one column: the resident's contact before the actions and record
        top = street.locator("#contact-phone").bounding_box()["y"]
        assert top < street.locator("#actions").bounding_box()["y"]
    shots(street, "street-case")
    street.click("#action-accept button[type=submit]")
    succeeded(street, "已接单")
    assert "办理中" in street.inner_text("#case-state")
    appeal = Appeal.objects.get(number=number)
    assert (appeal.state, appeal.unit) == (State.IN_PROGRESS, d.street_unit)
    assert actions_of(appeal)[-1] == Action.ACCEPT

    street.click("#action-delegate summary")
    options = street.locator("#id_delegate_unit option").all_inner_texts()
    assert options[1:] == ["百花社区居委会", "桐淮社区居委会"]  # its own communities only
    street.select_option("#id_delegate_unit", d.community_unit.code)
    due = street.input_value("#id_delegate_due")
    assert due == timezone.localdate(appeal.handling_due_at).isoformat()  # ISO, kept by zh-CN
    street.fill("#id_delegate_note", "请百花社区三日内上门核实，联系供电所修复")
    street.locator("#action-delegate").scroll_into_view_if_needed()
    shots(street, "street-delegate")
    street.click("#action-delegate button[type=submit]")
    succeeded(street, "已转派下级单位")
    assert "百花社区居委会" in street.inner_text(".case-side")
    appeal.refresh_from_db()
    assert (appeal.state, appeal.unit, appeal.delegated_by) == (
        State.DISPATCHED, d.community_unit, d.street_unit)
    assert appeal.delegation_due.isoformat() == due and appeal.level == "community"
    event = appeal.events.order_by("at", "id").last()
    assert (event.action, event.unit) == (Action.DELEGATE, d.community_unit)
    assert "请百花社区三日内上门核实" in event.note
    return dt.date.fromisoformat(due)


def answer_with_photo(community, number: str, reply: str, photo, shots) -> None:
    """The community answers on the case page's 答复 form with a photo of the work done."""
    assert photo.exists()
    community.fill("#id_resolve_reply", reply)
    community.set_input_files("#id_resolve_photos", str(photo))
    community.locator("#action-resolve").scroll_into_view_if_needed()
    shots(community, "community-answer")
    community.click("#action-resolve button[type=submit]")
    succeeded(community, "已答复")
    photos = Attachment.objects.filter(appeal__number=number, kind=PhotoKind.ANSWER)
    assert photos.count() == 1 and not photos.get().public  # hidden until the street's 审核


def community_answers(community, d: District, number: str, size: str, photo, shots) -> None:
    panel = community.locator("section.panel", has=community.locator("h2", has_text="待接单"))
    assert number in panel.inner_text()
    shots(community, "community-queue", tables=1)
    panel.locator(f"a:text-is('{number}')").click()
    community.wait_for_selector("#delegated-by")
    assert "林山寨街道办事处" in community.inner_text("#delegated-by")
    community.click("#action-accept button[type=submit]")
    succeeded(community, "已接单")
    appeal = Appeal.objects.get(number=number)
    assert (appeal.state, appeal.unit) == (State.IN_PROGRESS, d.community_unit)
    answer_with_photo(community, number, REPLY, photo, shots)
    assert "待审核" in community.inner_text("#case-state")
    appeal.refresh_from_db()
    assert appeal.state == State.PENDING_REVIEW and appeal.reply == REPLY
    assert actions_of(appeal)[-2:] == [Action.ACCEPT, Action.RESOLVE]


def street_approves(street, base: str, number: str, size: str, shots) -> None:
    street.goto(f"{base}/staff/")
    panel = street.locator("#delegated")
    assert "1 件待审核" in panel.inner_text() and number in panel.inner_text()
    shots(street, "street-to-review", tables=2)  # 办理中, 转派下级
    panel.locator(f"a:text-is('{number}')").click()
    street.wait_for_selector("#action-review")
    assert REPLY in street.inner_text("main")
    street.check("#action-review input[value=approve]")
    shots(street, "street-review")
    street.click("#action-review button[type=submit]")
    succeeded(street, "已审核")
    assert "已答复" in street.inner_text("#case-state")
    appeal = Appeal.objects.get(number=number)
    assert appeal.state == State.RESOLVED and appeal.resolved_at is not None
    assert actions_of(appeal)[-1] == Action.REVIEW
    assert appeal.level == "community"


def resident_rates(resident, number: str, shots) -> None:
    assert "已答复" in resident.inner_text("#state")
    assert REPLY in resident.inner_text("main")
    # the community's photo reached the resident with the approved answer, through a link
    # that names neither the number nor the code
    image = resident.locator("#reply .photos img")
    assert image.count() == 1
    src = image.get_attribute("src")
    assert src.startswith("/h5/photos/") and number not in src
    image.scroll_into_view_if_needed()  # it loads lazily
    resident.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=image.element_handle(), timeout=10_000)
    assert resident.evaluate("img => img.naturalWidth", image.element_handle()) == 64
    timeline = resident.inner_text(".timeline")
    assert "已转交百花社区居委会办理" in timeline and "承办单位已答复" in timeline
    resident.check("input[name=solved][value=solved]")
    resident.check("input[name=rating][value=satisfied]")
    resident.fill("#id_comment", "社区和街道办得很快，路灯亮了，谢谢！")
    shots(resident, "resident-rate", size="phone")
    resident.click("form[action='/h5/track/rate/'] button[type=submit]")
    resident.wait_for_selector("text=感谢您的评价")
    assert "已办结" in resident.inner_text("#state")
    shots(resident, "resident-rated", size="phone")
    appeal = Appeal.objects.get(number=number)
    assert appeal.state == State.CLOSED and appeal.rating == Rating.SATISFIED
    assert actions_of(appeal)[-1] == Action.FEEDBACK


def overdue_case_at_the_street(d: District) -> Appeal:
    """Another case the street holds, past its handling deadline (so on the leader's board)."""
    appeal = submitted(d, title="桐淮路雨后积水严重，影响居民出行", region=d.community2,
                       content="桐淮路与百花路口每逢下雨积水没过脚踝，雨水口堵塞。",
                       contact_name="王建国", contact_phone="13700001111",
                       address="桐淮路18号院")
    assert appeal.unit == d.street_unit  # street_first: straight to 林山寨街道
    appeal = actions.accept(appeal, actor=d.street_staff)
    past = timezone.now() - dt.timedelta(days=2)
    Appeal.objects.filter(pk=appeal.pk).update(handling_due_at=past)
    assert actions.mark_overdue() == 1
    return Appeal.objects.get(pk=appeal.pk)


def leader_supervises(leader, base: str, other: Appeal, size: str, shots) -> None:
    """The leader's board: the street's overdue case → 督办 with the date field's default."""
    # 包联 first: the street is the leader's, so its overdue case heads the board
    board = leader.locator("#led")
    assert "林山寨街道办事处" in board.locator("h2").inner_text()
    assert other.number in board.inner_text() and "林山寨街道办事处" in board.inner_text()
    shots(leader, "leader-board", tables=1)
    board.locator(f"a:text-is('{other.number}')").click()
    leader.wait_for_selector("#action-supervise")
    leader.click("#action-supervise summary")
    due = leader.input_value("#id_supervise_due_date")
    assert due == (timezone.localdate() + dt.timedelta(days=3)).isoformat()  # ISO default
    leader.fill("#id_supervise_instruction", "请林山寨街道三日内排除积水并答复群众")
    leader.locator("#action-supervise").scroll_into_view_if_needed()
    shots(leader, "leader-supervise")
    leader.click("#action-supervise button[type=submit]")  # the default date, untouched
    succeeded(leader, "已下达督办")
    assert "请林山寨街道三日内排除积水" in leader.inner_text(".case-side")
    order = Supervision.objects.get(appeal=other)
    assert order.due_date.isoformat() == due and order.answered_at is None
    event = other.events.order_by("at", "id").last()
    assert event.action == Action.SUPERVISE and event.unit == other.unit
    leader.goto(f"{base}/staff/")
    assert other.number in leader.locator("#led").inner_text()  # 我包联单位的督办事项
    shots(leader, "leader-board-supervised", tables=1)


def ledgers(pages: dict, base: str, size: str, shots) -> None:
    """Each person's 台账 (the street's holds both cases), every table in it checked."""
    for who, page in pages.items():
        page.goto(f"{base}/staff/appeals/")
        page.wait_for_selector("table.ledger")
        shots(page, f"{who}-ledger", tables=2)  # the 分层级统计 and the ledger


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_chain_in_a_chinese_browser(live_server, browser, pw_db, output_dir,  # noqa: F811
                                        settings, size, tmp_path):
    settings.BANSHI_ROUTING = "street_first"
    d = build_district()
    other = overdue_case_at_the_street(d)
    base, shots = live_server.url, Shots(output_dir, size)

    # 1. A resident on a phone: landing → 提交诉求 → the success page → 查询进度.
    resident = phone_context(browser).new_page()
    number, code = resident_submits(resident, base, d, shots)
    appeal = Appeal.objects.get(number=number)
    assert appeal.channel == Channel.ONLINE_FORM and appeal.contact_name == "张秀兰"
    assert (appeal.state, appeal.unit, appeal.level) == (State.DISPATCHED, d.street_unit,
                                                         "street")
    assert actions_of(appeal) == [Action.SUBMIT, Action.DISPATCH]
    assert appeal.events.order_by("at", "id").last().actor_label == "系统(街道先行)"
    resident.click("#track-link")
    resident.wait_for_url(f"{base}/h5/track/?number={number}")
    assert resident.input_value("#id_number") == number
    resident.fill("#id_code", code)
    resident.click("button[type=submit]")
    resident.wait_for_selector("#state")
    assert "已派单" in resident.inner_text("#state")
    shots(resident, "resident-track-dispatched", size="phone")

    # 2. The street takes it from its queue and 转派s it to 百花社区.
    street = staff_page(browser, base, "linshanzhai", size)
    due = street_takes_and_delegates(street, base, d, number, size, shots)
    street.goto(f"{base}/staff/")
    panel = street.locator("#delegated").inner_text()
    assert number in panel and "百花社区居委会" in panel and due.isoformat() in panel

    # 3. The community: workbench → case → 接单 → 答复 (with a photo).
    community = staff_page(browser, base, "linshanzhai-01", size)
    community_answers(community, d, number, size, png_file(tmp_path), shots)
    resident_tracks(resident, base, number, code, shots, "resident-track-under-review")
    assert "处理中" in resident.inner_text("#state")
    assert REPLY not in resident.inner_text("main")  # not before the street's 审核

    # 4. The street 审核s the answer and approves it.
    street_approves(street, base, number, size, shots)

    # 5. The resident tracks it and rates it.
    resident_tracks(resident, base, number, code, shots, "resident-track-answered")
    resident_rates(resident, number, shots)

    # 6. A leader 督办s the street's overdue case, keeping the date field's default.
    leader = staff_page(browser, base, "leader", size)
    leader_supervises(leader, base, other, size, shots)

    # 7. The 台账 as the street, the community and the leader see it.
    ledgers({"street": street, "community": community, "leader": leader}, base, size, shots)
    assert number in street.inner_text("table.ledger")
    assert other.number in street.inner_text("table.ledger")
    assert other.number not in community.inner_text("table.ledger")  # not its case
    for page in (resident, street, community, leader):
        page.context.close()

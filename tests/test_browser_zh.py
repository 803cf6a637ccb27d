"""A Chinese-language browser (chromium, locale zh-CN) on the forms with date fields and on the
wide tables (issue 7: items 1 and 5). Screenshots go to output_dir."""

import pytest

from banshi.appeals import actions
from banshi.appeals.choices import Channel
from banshi.appeals.models import Appeal, Supervision

from .factories import build_district, in_progress, submitted, today
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_security import SIZES, log_in

LONG_TITLE = "百花路与桐淮路交叉口东北角人行道路灯连续两周不亮，夜间行人和电动车通行存在安全隐患"


def staff_page(browser, base: str, username: str, size: str = "desktop"):
    page = browser.new_context(viewport=SIZES[size], locale="zh-CN").new_page()
    log_in(page, base, "/login/", username)
    page.wait_for_url(f"{base}/staff/")
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_date_fields_keep_their_defaults_in_a_chinese_browser(
        live_server, browser, pw_db, output_dir):  # noqa: F811
    d = build_district()
    appeal = in_progress(d)
    base = live_server.url

    leader = staff_page(browser, base, "leader")
    leader.goto(f"{base}/staff/appeals/{appeal.number}/")
    leader.click("#action-supervise summary")
    due = leader.input_value("#id_supervise_due_date")
    assert due and due.count("-") == 2, due  # the browser kept the ISO default
    leader.fill("#id_supervise_instruction", "请三日内办结并答复群众")
    leader.screenshot(path=output_dir / "supervise.png", full_page=True)
    leader.click("#action-supervise button[type=submit]")
    leader.wait_for_selector(".alert-success")
    assert Supervision.objects.get(appeal=appeal).due_date.isoformat() == due

    dispatcher = staff_page(browser, base, "dispatcher")
    dispatcher.goto(f"{base}/staff/appeals/new/")
    assert dispatcher.input_value("#id_collected_date") == today().isoformat()
    dispatcher.select_option("#id_channel", Channel.SYMPOSIUM)
    dispatcher.select_option("#id_region", d.community.code)
    dispatcher.fill("#id_title", "座谈会反映桐淮路积水")
    dispatcher.fill("#id_content", "居民座谈会上反映桐淮路雨后积水严重。")
    dispatcher.screenshot(path=output_dir / "entry.png", full_page=True)
    dispatcher.click("main form button[type=submit]")
    dispatcher.wait_for_selector(".alert-success")
    entered = Appeal.objects.get(title="座谈会反映桐淮路积水")
    assert entered.channel == Channel.SYMPOSIUM


# The table's container: it fits, or it scrolls (and is itself inside the viewport); scrolled
# to its end, the last column shows and the number column is still in view.
TABLE_FITS = """table => {
  const wrap = table.closest('.table-wrap');
  const style = getComputedStyle(wrap);
  const box = wrap.getBoundingClientRect();
  const result = {fits: wrap.scrollWidth <= wrap.clientWidth + 1,
                  scrolls: ['auto', 'scroll'].includes(style.overflowX),
                  inside: box.left >= -1 && box.right <= document.documentElement.clientWidth + 1,
                  pageWidth: document.documentElement.scrollWidth};
  wrap.scrollLeft = wrap.scrollWidth;
  const cells = table.rows[0].cells;
  const last = cells[cells.length - 1].getBoundingClientRect();
  const first = table.rows[1].cells[0].getBoundingClientRect();
  result.lastShown = last.right <= box.right + 1 && last.left >= box.left - 1;
  result.numberShown = first.left >= box.left - 1 && first.left <= box.left + 24;
  result.stickyCovers = document.elementFromPoint(first.left + 4, first.top + 4)
    ?.closest('td') === table.rows[1].cells[0];
  return result;
}"""


# On a phone some tables are cards: nothing scrolls sideways, every cell is inside the card.
CARDS_FIT = """table => {
  const wrap = table.closest('.table-wrap');
  const box = wrap.getBoundingClientRect();
  const cells = [...table.tBodies[0].rows].flatMap(row => [...row.cells]);
  return {fits: wrap.scrollWidth <= wrap.clientWidth + 1,
          inside: box.left >= -1 && box.right <= document.documentElement.clientWidth + 1,
          cellsInside: cells.every(cell => {
            const b = cell.getBoundingClientRect();
            return b.left >= box.left - 1 && b.right <= box.right + 1;
          }),
          headHidden: getComputedStyle(table.tHead).display === 'none',
          pageWidth: document.documentElement.scrollWidth};
}"""


def check_cards(page, selector: str, size: str) -> None:
    result = page.locator(selector).evaluate(CARDS_FIT)
    assert result["fits"] and result["inside"] and result["cellsInside"], result
    assert result["headHidden"], result
    assert result["pageWidth"] <= SIZES[size]["width"], result


def check_table(page, selector: str, size: str) -> None:
    # the 台账's 分层级统计 can push the table below a phone's fold
    page.locator(f"{selector} tbody tr").first.scroll_into_view_if_needed()
    result = page.locator(selector).evaluate(TABLE_FITS)
    assert result["inside"], result
    assert result["fits"] or result["scrolls"], result
    assert result["lastShown"], result
    assert result["numberShown"] and result["stickyCovers"], result
    assert result["pageWidth"] <= SIZES[size]["width"], result
    if size == "desktop":  # at 1366 px every column shows without scrolling
        assert result["fits"], result


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_wide_tables_scroll_inside_their_card(live_server, browser, pw_db,  # noqa: F811
                                              output_dir, size):
    d = build_district()  # as wide as the demo's rows: long channel, unit and category names
    for thing, name in [(d.cgj, "区城市管理局(区城市综合行政执法局)"),
                        (d.cat_city_3, "电动车楼道充电与停放管理"),
                        (d.community, "国棉三厂社区居民委员会"), (d.street, "航海西路街道办事处")]:
        thing.name = name
        thing.save()
    for channel in (Channel.PLATFORM, Channel.HOUSEHOLD_VISIT, Channel.ONLINE_FORM):
        in_progress(d, title=LONG_TITLE, channel=channel)
    submitted(d, title=LONG_TITLE)
    problem = actions.create_problem(actor=d.dispatcher, title=LONG_TITLE, owner_unit=d.cgj,
                                     plan="更换灯具")
    actions.link_appeal(Appeal.objects.first(), problem, actor=d.dispatcher)
    base = live_server.url

    page = staff_page(browser, base, "dispatcher", size)
    page.goto(f"{base}/staff/appeals/")
    page.screenshot(path=output_dir / f"ledger-{size}.png", full_page=True)
    check_table(page, "table.ledger", size)
    page.screenshot(path=output_dir / f"ledger-{size}-scrolled.png", full_page=True)

    page.goto(f"{base}/staff/problems/?status=open")
    page.screenshot(path=output_dir / f"problems-{size}.png", full_page=True)
    if size == "phone":  # a problem is a card: its place or group and unit stay in view
        check_cards(page, "table.problems", size)
    else:
        check_table(page, "table.problems", size)
    page.screenshot(path=output_dir / f"problems-{size}-scrolled.png", full_page=True)

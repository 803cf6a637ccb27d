"""领导包联 in chromium (locale zh-CN): the dispatcher narrows the grouped unit picker by typing
and picks several units without losing the ones already chosen; the leader's home page then
opens with 我包联的单位. Screenshots go to output_dir."""

import datetime as dt

import pytest

from banshi.appeals import actions
from banshi.org.models import Unit

from .factories import build_district, dispatched
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_zh import staff_page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_dispatcher_sets_baolian_and_the_leader_sees_it_first(
        live_server, browser, pw_db, output_dir, size):  # noqa: F811
    d = build_district()
    late = dispatched(d, d.zjj, title="住建局负责的老旧小区加装电梯超期")
    actions.mark_overdue(now=late.response_due_at + dt.timedelta(minutes=1))
    base = live_server.url

    page = staff_page(browser, base, "dispatcher", size)
    page.goto(f"{base}/staff/leaders/?leader={d.leader.pk}#edit")
    picker = "#id_leader_units"
    assert page.eval_on_selector(picker, "s => s.multiple")
    page.fill("[data-unit-filter=id_leader_units]", "住房")  # narrow the list, then pick
    visible = page.eval_on_selector_all(f"{picker} option", "os => os.filter(o => !o.hidden)"
                                        ".map(o => o.textContent)")
    assert visible == ["区住房和城乡建设局"]
    page.select_option(picker, ["linshanzhai", "cgj", "zjj"])
    page.fill("[data-unit-filter=id_leader_units]", "")
    page.screenshot(path=output_dir / f"leaders-edit-{size}.png", full_page=True)
    page.click("#edit button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert set(Unit.objects.led_by(d.leader).values_list("code", flat=True)) == {
        "linshanzhai", "cgj", "zjj"}
    page.screenshot(path=output_dir / f"leaders-{size}.png", full_page=True)

    leader = staff_page(browser, base, "leader", size)
    led = leader.locator("#led")
    assert late.number in led.inner_text()
    leader.screenshot(path=output_dir / f"leader-home-{size}.png", full_page=True)

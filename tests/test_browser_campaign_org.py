"""The campaign's organisation, tasks and practical matters in chromium (locale zh-CN): the
office adds a member to a working group on the tree (1366 px), a unit reports progress on its
task and on its practical matter and closes it off on a 390 px phone, and the overdue list and
the district view by unit. Screenshots go to output_dir."""

import pytest

from banshi.campaign.choices import AssignmentStatus, MatterStatus
from banshi.campaign.models import OrgMember

from .campaign_org_world import build_org_world
from .factories import build_district
from .test_browser import pw_db  # noqa: F401 - fixture
from .test_browser_zh import staff_page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_organisation_tasks_and_matters_in_the_browser(live_server, browser, pw_db,  # noqa: F811
                                                       output_dir):
    world = build_org_world(build_district())
    records = world.records
    base = live_server.url

    office = staff_page(browser, base, "dispatcher")
    office.goto(f"{base}/staff/campaign/organisation/")
    assert office.inner_text("#seconded-total b") == "2"
    office.click(f"#group-{records['group'].pk} h3 a")
    office.click("text=添加成员")
    office.fill("#id_name", "周抽调")
    office.fill("#id_role", "成员")
    office.select_option("#id_home_unit", "linshanzhai")
    office.check("#id_seconded")
    office.click("form.card button[type=submit]")
    office.wait_for_selector(".alert-success")
    assert OrgMember.objects.get(name="周抽调").home_unit.code == "linshanzhai"
    office.goto(f"{base}/staff/campaign/organisation/")
    assert office.inner_text("#seconded-total b") == "3"
    office.screenshot(path=output_dir / "org-tree-1366.png", full_page=True)
    office.goto(f"{base}/staff/campaign/tasks/overdue/")
    assert "制定实施方案" in office.inner_text("#overdue")
    office.screenshot(path=output_dir / "tasks-overdue-1366.png", full_page=True)

    phone = staff_page(browser, base, "linshanzhai-01", size="phone")
    phone.goto(f"{base}/staff/campaign/organisation/")
    assert "周抽调" in phone.inner_text(".org-tree") and phone.locator("text=添加组").count() == 0
    phone.screenshot(path=output_dir / "org-tree-390.png", full_page=True)
    phone.goto(f"{base}/staff/campaign/tasks/{records['task'].pk}/")
    part = records["assignment"].pk
    phone.fill(f"#id_report_{part}_text", "方案已起草，正在征求意见")
    phone.click(f"#assignment-{part} form.form button[type=submit]")
    phone.wait_for_selector(".alert-success")
    phone.click(f"#assignment-{part} form.inline button[type=submit]")
    phone.wait_for_selector(".alert-success")
    records["assignment"].refresh_from_db()
    assert records["assignment"].status == AssignmentStatus.DONE
    phone.screenshot(path=output_dir / "task-done-390.png", full_page=True)

    cgj = staff_page(browser, base, "cgj", size="phone")
    cgj.goto(f"{base}/staff/campaign/matters/{records['matter'].pk}/")
    cgj.fill("#id_progress_added", "36")
    cgj.fill("#id_progress_note", "第二批清理完成")
    cgj.click("form[action$='/progress/'] button[type=submit]")
    cgj.wait_for_selector(".alert-success")
    assert "56 / 50 处" in cgj.inner_text("#matter-count")
    cgj.click("form[action$='/close/'] button[type=submit]")
    cgj.wait_for_selector(".alert-success")
    assert cgj.inner_text("#matter-status") == "已销号"
    records["matter"].refresh_from_db()
    assert records["matter"].status == MatterStatus.CLOSED
    cgj.screenshot(path=output_dir / "matter-closed-390.png", full_page=True)
    cgj.goto(f"{base}/staff/campaign/matters/by-unit/")
    assert "100.0%" in cgj.inner_text("#totals")
    cgj.screenshot(path=output_dir / "matters-by-unit-390.png", full_page=True)
    office.goto(f"{base}/staff/campaign/matters/by-unit/")
    office.screenshot(path=output_dir / "matters-by-unit-1366.png", full_page=True)

"""Pages under the Content-Security-Policy in a real browser, with every host but the live
server unreachable: the API docs render from local files, the H5 form and the staff pages
(admin included) work, and the browser reports no CSP violation."""

import pytest

from banshi.appeals import actions
from banshi.appeals.models import Milestone

from .factories import PASSWORD, build_district, dispatched
from .test_browser import pw_db  # noqa: F401 - fixture

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


def offline_page(browser, base: str, size: str):
    """A page that can reach only the live server, and that records CSP complaints."""
    context = browser.new_context(viewport=SIZES[size], locale="zh-CN")
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith((base, "data:")) else route.abort())
    context.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                            "console.error(`Content Security Policy: ${e.violatedDirective}`))")
    page = context.new_page()
    page.complaints = []
    page.on("console", lambda msg: page.complaints.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None)
    page.on("pageerror", lambda error: page.complaints.append(str(error)))
    return page


def log_in(page, base: str, path: str, username: str) -> None:
    page.goto(f"{base}{path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[type=submit]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_api_docs_render_from_local_files(live_server, browser, pw_db, output_dir, size):  # noqa: F811
    page = offline_page(browser, live_server.url, size)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/appeals/track" in p.replace("\u200b", "") for p in paths)
    page.screenshot(path=output_dir / f"api-docs-{size}.png", full_page=False)
    assert page.complaints == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_resident_and_staff_pages_work_under_the_policy(live_server, browser, pw_db,  # noqa: F811
                                                        output_dir, size, settings):
    settings.BANSHI_DEVICE_SUBMIT_RATE = "1/h"
    d = build_district()
    problem = actions.create_problem(actor=d.dispatcher, title="百花路路灯普遍不亮",
                                     owner_unit=d.cgj, plan="更换灯具")
    Milestone.objects.create(problem=problem, title="更换灯具", progress=60)
    actions.link_appeal(dispatched(d, unit=d.cgj), problem, actor=d.dispatcher)
    base = live_server.url

    resident = offline_page(browser, base, size)
    resident.goto(f"{base}/h5/submit/")
    resident.fill("#id_title", "百花路路灯不亮")
    resident.fill("#id_content", "三盏路灯连续一周不亮。")
    resident.select_option("#id_region", d.community.code)
    resident.click("button[type=submit]")
    resident.wait_for_selector("#query-code")
    resident.screenshot(path=output_dir / f"h5-submitted-{size}.png", full_page=True)
    resident.go_back()  # the same phone (its device cookie) tries a second appeal
    resident.click("button[type=submit]")
    resident.wait_for_selector("text=操作太频繁了")
    resident.screenshot(path=output_dir / f"h5-limited-{size}.png", full_page=True)
    assert resident.complaints == []

    staff = offline_page(browser, base, size)
    log_in(staff, base, "/login/", "dispatcher")
    staff.wait_for_url(f"{base}/staff/")
    for path, shot in (("/staff/appeals/", "ledger"), ("/staff/problems/?status=open", "problems"),
                       (f"/staff/problems/{problem.code}/", "problem")):
        staff.goto(base + path)
        staff.screenshot(path=output_dir / f"staff-{shot}-{size}.png", full_page=True)
        if "problems" in path:  # progress bars drawn by the browser, not by inline styles
            bar = staff.locator("progress.progress").first
            assert bar.evaluate("el => el.value / el.max") == 0.6
    assert staff.complaints == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_works_under_the_policy(live_server, browser, pw_db, output_dir):  # noqa: F811
    admin = build_district().admin
    admin.is_staff = admin.is_superuser = True
    admin.save()
    base = live_server.url
    page = offline_page(browser, base, "desktop")
    log_in(page, base, "/admin/login/", "admin")
    page.wait_for_selector("#content-main")
    page.goto(f"{base}/admin/org/unit/")
    page.click("#action-toggle")  # admin's own script: select all rows
    assert page.locator("input.action-select:checked").count() > 0
    page.goto(f"{base}/admin/org/unit/add/")
    page.wait_for_selector("#unit_form")
    page.screenshot(path=output_dir / "admin-unit-add.png", full_page=True)
    assert page.complaints == []

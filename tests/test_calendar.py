"""The statutory calendar the district enters: each year's State Council notice overrides
chinesecalendar; a year with no notice is counted Monday–Friday and flagged 按工作日估算;
entering the notice recomputes the open deadlines it touches, each change an event.

The holiday rows below are MADE UP for these tests (shaped like a real notice). They are not
the official 2027 arrangement and must never be shipped as data.
"""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from banshi.appeals import actions, deadlines
from banshi.appeals.choices import Action, DayKind
from banshi.appeals.holidays import HolidayFileError, import_holidays
from banshi.appeals.models import AppealEvent, DeadlinePolicy, HolidayNotice, StatutoryDay

from .factories import HOSTILE, PASSWORD, dispatched, in_progress
from .test_workflow import fresh

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date

# Made up for the tests (see the module docstring): New Year's Day on Friday 2027-01-01, and a
# Spring Festival break Saturday 02-06 .. Friday 02-12 with Saturday 02-13 worked.
MADE_UP_2027 = """date,kind,note
2027-01-01,holiday,元旦
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-12,holiday,春节
2027-02-13,workday,春节调休上班
"""
NOTICE = "国务院办公厅关于2027年部分节假日安排的通知(测试用虚构数据)"


def end(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=SHANGHAI)


def write(tmp_path, text: str, name: str = "holidays.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def enter_2027(tmp_path, notice: str = NOTICE):
    return import_holidays(write(tmp_path, MADE_UP_2027), notice=notice)


@pytest.fixture
def no_2027():
    if deadlines.package_knows(2027):
        pytest.skip("chinesecalendar now knows 2027")


# --- the arithmetic -------------------------------------------------------------------------

def test_without_a_notice_new_years_day_2027_is_counted_as_a_working_day(no_2027):
    # Tue 2026-12-15 + 15: 16 17 18, 21..25, 28..31, Fri 01-01 (13), Mon 04, Tue 05
    start = dt.datetime(2026, 12, 15, 10, tzinfo=SHANGHAI)
    assert deadlines.handling_deadline(start, 15) == (end(D(2027, 1, 5)), True)


def test_entered_new_years_day_is_skipped(tmp_path, no_2027):
    enter_2027(tmp_path)
    start = dt.datetime(2026, 12, 15, 10, tzinfo=SHANGHAI)
    # 01-01 is a holiday now: ..., 12-31 (12), Mon 01-04 (13), 05 (14), Wed 01-06 (15)
    assert deadlines.handling_deadline(start, 15) == (end(D(2027, 1, 6)), False)


def test_entered_spring_festival_is_skipped_and_its_makeup_saturday_counts(tmp_path, no_2027):
    start = dt.datetime(2027, 1, 25, 9, tzinfo=SHANGHAI)
    # Monday–Friday: 26..29 (4), 02-01..05 (9), 08..12 (14), Mon 02-15 (15)
    assert deadlines.handling_deadline(start, 15) == (end(D(2027, 2, 15)), True)
    enter_2027(tmp_path)
    # 26..29 (4), 02-01..05 (9), 06..12 off, Sat 13 worked (10), 15..19 (15)
    assert deadlines.handling_deadline(start, 15) == (end(D(2027, 2, 19)), False)


def test_rows_override_the_package_too():
    """A correction for a year the package knows wins (here: a made-up extra holiday)."""
    assert deadlines.is_workday(D(2026, 3, 3))
    StatutoryDay.objects.create(date=D(2026, 3, 3), kind=DayKind.HOLIDAY, note="测试")
    assert not deadlines.is_workday(D(2026, 3, 3))
    StatutoryDay.objects.create(date=D(2026, 3, 1), kind=DayKind.WORKDAY, note="测试")
    assert deadlines.is_workday(D(2026, 3, 1))  # a Sunday made a working day


def test_rows_without_a_notice_count_but_the_year_stays_estimated(no_2027):
    StatutoryDay.objects.create(date=D(2027, 1, 1), kind=DayKind.HOLIDAY, note="元旦")
    start = dt.datetime(2026, 12, 15, 10, tzinfo=SHANGHAI)
    assert deadlines.handling_deadline(start, 15) == (end(D(2027, 1, 6)), True)


def test_a_year_the_package_knows_is_never_estimated():
    start = dt.datetime(2026, 2, 12, 10, tzinfo=SHANGHAI)
    assert deadlines.handling_deadline(start, 5) == (end(D(2026, 2, 26)), False)


# --- appeals in handling: estimated flag, banner, case page, recompute ----------------------

def first_unknown_year() -> int:
    year = timezone.localdate().year
    while deadlines.package_knows(year):
        year += 1
    return year


def made_up_holiday() -> dt.date:
    """A weekday in the first year without a notice, a few days from today."""
    year = first_unknown_year()
    day = max(timezone.localdate() + dt.timedelta(days=3), D(year, 1, 4))
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def open_case_over(d, holiday: dt.date):
    """A case in handling whose deadline runs a week past `holiday` (counted Monday–Friday)."""
    days = deadlines.working_days_between(timezone.localdate(), holiday) + 5
    DeadlinePolicy.objects.filter(category__isnull=True, urgency="normal").update(
        handling_days=days)
    return in_progress(d)


def notice_file(tmp_path, holiday: dt.date):
    return write(tmp_path, f"日期,类型,说明\n{holiday:%Y/%m/%d},放假,测试用虚构假日\n")


def web(user) -> Client:
    client = Client()
    assert client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    return client


def banner(year: int) -> str:
    return f"{year}年法定节假日安排尚未录入，相关期限按周一至周五估算：请管理员录入国务院办公厅通知"


def test_a_deadline_in_an_unknown_year_is_estimated_and_staff_are_told(d):
    holiday = made_up_holiday()
    appeal = fresh(open_case_over(d, holiday))
    assert appeal.deadline_estimated
    for user in (d.dispatcher, d.cgj_staff):
        page = web(user).get("/staff/").content.decode()
        assert banner(holiday.year) in page
    case = web(d.cgj_staff).get(f"/staff/appeals/{appeal.number}/").content.decode()
    assert "按工作日估算" in case
    # another unit does not see a banner for a case it cannot see
    assert banner(holiday.year) not in web(d.zjj_staff).get("/staff/").content.decode()


def test_a_deadline_in_a_known_year_is_not_estimated(d):
    appeal = fresh(dispatched(d))
    if timezone.localtime(appeal.handling_due_at).year >= first_unknown_year():
        pytest.skip("today's default deadline already runs into an unknown year")
    assert not appeal.deadline_estimated
    assert "尚未录入" not in web(d.dispatcher).get("/staff/").content.decode()
    case = web(d.dispatcher).get(f"/staff/appeals/{appeal.number}/").content.decode()
    assert "按工作日估算" not in case


def test_entering_the_notice_moves_the_open_deadline_and_records_an_event(d, tmp_path):
    holiday = made_up_holiday()
    appeal = open_case_over(d, holiday)
    before = fresh(appeal).handling_due_at
    closed = actions.resolve(open_case_over(d, holiday), actor=d.cgj_staff, reply="已办")
    closed_due = fresh(closed).handling_due_at
    result = import_holidays(notice_file(tmp_path, holiday), notice=NOTICE)
    assert result.recomputed == [appeal.number]
    row = fresh(appeal)
    start = timezone.localtime(before).date()
    assert timezone.localtime(row.handling_due_at).date() == \
        deadlines.add_working_days(start, 1)  # one more working day, the holiday
    assert not row.deadline_estimated
    [event] = AppealEvent.objects.filter(appeal=appeal, action=Action.DEADLINE_RECOMPUTE)
    assert event.actor is None and event.actor_label == "系统(导入节假日安排)"
    assert dt.datetime.fromisoformat(event.data["from"]) == before
    assert dt.datetime.fromisoformat(event.data["to"]) == row.handling_due_at
    assert f"{holiday.year}年法定节假日安排" in event.note and "→" in event.note
    assert fresh(closed).handling_due_at == closed_due  # answered cases keep theirs
    assert banner(holiday.year) not in web(d.dispatcher).get("/staff/").content.decode()
    case = web(d.cgj_staff).get(f"/staff/appeals/{appeal.number}/").content.decode()
    assert "按工作日估算" not in case and "期限重算" in case
    # the same file again changes nothing and writes no event
    again = import_holidays(notice_file(tmp_path, holiday), notice=NOTICE)
    assert (again.created, again.updated, again.unchanged, again.recomputed) == (0, 0, 1, [])
    assert AppealEvent.objects.filter(action=Action.DEADLINE_RECOMPUTE).count() == 1


def test_recompute_keeps_approved_extensions(d, tmp_path):
    holiday = made_up_holiday()
    appeal = open_case_over(d, holiday)
    start = timezone.localtime(fresh(appeal).dispatched_at).date()
    actions.request_extension(appeal, actor=d.cgj_staff, days=4, reason="需协调")
    actions.decide_extension(appeal, actor=d.dispatcher, approve=True)
    days = DeadlinePolicy.objects.get(category__isnull=True, urgency="normal").handling_days
    assert timezone.localtime(fresh(appeal).handling_due_at).date() == \
        deadlines.add_working_days(start, days + 4)
    import_holidays(notice_file(tmp_path, holiday), notice=NOTICE)
    row = fresh(appeal)
    assert StatutoryDay.objects.filter(date=holiday).exists()
    assert timezone.localtime(row.handling_due_at).date() == \
        deadlines.add_working_days(start, days + 4)
    assert not deadlines.is_workday(holiday)


def test_a_notice_without_changes_still_clears_the_estimate_with_an_event(d, tmp_path):
    holiday = made_up_holiday()
    appeal = open_case_over(d, holiday)
    before = fresh(appeal).handling_due_at
    # a notice whose only day falls after the deadline: the date stays, the flag goes
    later = timezone.localtime(before).date() + dt.timedelta(days=7)
    while later.weekday() >= 5:
        later += dt.timedelta(days=1)
    import_holidays(notice_file(tmp_path, later), notice=NOTICE, year=holiday.year)
    row = fresh(appeal)
    assert row.handling_due_at == before and not row.deadline_estimated
    [event] = AppealEvent.objects.filter(appeal=appeal, action=Action.DEADLINE_RECOMPUTE)
    assert "核对办理期限，仍为" in event.note


def test_rows_without_a_notice_move_the_deadline_but_keep_it_estimated(d, tmp_path):
    holiday = made_up_holiday()
    appeal = open_case_over(d, holiday)
    result = import_holidays(notice_file(tmp_path, holiday))
    assert result.notice is None and result.years_without_notice == [holiday.year]
    row = fresh(appeal)
    assert row.deadline_estimated
    assert banner(holiday.year) in web(d.dispatcher).get("/staff/").content.decode()
    [event] = AppealEvent.objects.filter(appeal=appeal, action=Action.DEADLINE_RECOMPUTE)
    assert "(仍按工作日估算)" in event.note


# --- the import file ------------------------------------------------------------------------

def test_import_reads_xlsx(tmp_path, no_2027):
    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "类型", "说明"])
    sheet.append([dt.datetime(2027, 1, 1), "放假", "元旦"])  # noqa: DTZ001 - a date cell
    sheet.append(["2027-02-13", "调休上班", "春节调休"])
    path = tmp_path / "holidays.xlsx"
    book.save(path)
    result = import_holidays(path, notice=NOTICE, published=D(2026, 11, 12))
    assert result.created == 2 and result.notice.year == 2027
    assert HolidayNotice.objects.get(year=2027).published_on == D(2026, 11, 12)
    assert StatutoryDay.objects.get(date=D(2027, 2, 13)).kind == DayKind.WORKDAY


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(tmp_path):
    text = ("date,kind,note\n"
            "2027-01-01,holiday,元旦\n"
            "2027-13-01,holiday,坏日期\n"
            "2027-02-06,休息日,坏类型\n"
            "2027-02-07,,\n"
            f"2027-02-08,holiday,{'长' * 101}\n"
            "2027-01-01,workday,重复\n")
    with pytest.raises(HolidayFileError) as caught:
        import_holidays(write(tmp_path, text), notice=NOTICE)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("第3行 日期(date): 日期“2027-13-01”不存在")
    assert lines[1].startswith("第4行 类型(kind): “休息日”不是")
    assert lines[2] == "第5行 类型(kind): 不能为空"
    assert lines[3] == "第6行 说明(note): 不能超过100个字符"
    assert lines[4] == "第7行 日期(date): 与第2行的日期2027-01-01重复"
    assert not StatutoryDay.objects.exists() and not HolidayNotice.objects.exists()


def test_command_reports_errors_by_row_and_column(tmp_path):
    path = write(tmp_path, "date,kind,note\n2027-01-01,holiday,元旦\n2027-01-02 09:30,holiday,x\n")
    with pytest.raises(CommandError) as caught:
        call_command("import_holidays", str(path), "--notice", NOTICE)
    assert "第3行 日期(date): 应只写日期，不带时间" in str(caught.value)
    assert not StatutoryDay.objects.exists()
    missing = write(tmp_path, "day,what\n2027-01-01,holiday\n", "bad.csv")
    with pytest.raises(CommandError, match="第1行 表头: 缺少列：日期\\(date\\)、类型\\(kind\\)"):
        call_command("import_holidays", str(missing))
    stray = write(tmp_path, "date,kind\n2027-01-01,holiday\n2025-05-01,holiday\n", "s.csv")
    with pytest.raises(CommandError, match=r"第3行 日期\(date\): 2025-05-01不在2027年通知的范围"):
        call_command("import_holidays", str(stray), "--notice", NOTICE)


def test_command_enters_the_notice_idempotently(tmp_path, no_2027):
    path = write(tmp_path, MADE_UP_2027)
    out = io.StringIO()
    call_command("import_holidays", str(path), "--notice", NOTICE, stdout=out)
    assert "新增 9 天" in out.getvalue() and "已录入通知：2027年" in out.getvalue()
    out = io.StringIO()
    call_command("import_holidays", str(path), "--notice", NOTICE, stdout=out)
    assert "新增 0 天，更新 0 天，未变 9 天" in out.getvalue()
    assert StatutoryDay.objects.count() == 9 and HolidayNotice.objects.count() == 1
    out = io.StringIO()
    call_command("import_holidays", str(write(tmp_path, "date,kind\n2028-01-03,holiday\n",
                                              "y.csv")), stdout=out)
    if not deadlines.package_knows(2028):
        assert "2028年尚未录入国务院办公厅通知" in out.getvalue()


def test_hostile_notes_are_stored_as_given_and_shown_escaped(d, tmp_path):
    hostile = HOSTILE[0]
    import_holidays(write(tmp_path, f'date,kind,note\n2027-01-01,holiday,"{hostile}"\n'),
                    notice=hostile)
    assert StatutoryDay.objects.get().note == hostile
    client = admin_client(d)
    for url in ("/admin/appeals/statutoryday/", "/admin/appeals/holidaynotice/"):
        text = client.get(url).content.decode()
        assert hostile not in text and "&lt;script&gt;" in text


# --- admin ------------------------------------------------------------------------------------

def admin_client(d) -> Client:
    User.objects.filter(pk=d.admin.pk).update(is_staff=True, is_superuser=True)
    return web(d.admin)


def test_admin_pages_load_in_chinese(d, tmp_path):
    enter_2027(tmp_path)
    client = admin_client(d)
    notice = HolidayNotice.objects.get()
    day = StatutoryDay.objects.first()
    for url, words in [
        ("/admin/appeals/holidaynotice/", ["节假日安排通知", "日期数"]),
        ("/admin/appeals/holidaynotice/add/", ["通知名称或文号", "调休上班"]),
        (f"/admin/appeals/holidaynotice/{notice.pk}/change/", ["元旦"]),
        ("/admin/appeals/statutoryday/", ["法定节假日及调休", "星期五"]),
        (f"/admin/appeals/statutoryday/{day.pk}/change/", ["依据通知"]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert all(word in text for word in words), (url, words)


def test_saving_a_notice_in_admin_recomputes_with_the_admin_as_actor(d):
    holiday = made_up_holiday()
    appeal = open_case_over(d, holiday)
    before = fresh(appeal).handling_due_at
    client = admin_client(d)
    page = web(d.admin).get("/staff/").content.decode()
    assert "/admin/appeals/holidaynotice/add/" in page  # the banner links the admin there
    response = client.post("/admin/appeals/holidaynotice/add/", {
        "year": holiday.year, "title": NOTICE, "published_on": "",
        "days-TOTAL_FORMS": "1", "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
        "days-0-date": holiday.isoformat(), "days-0-kind": "holiday", "days-0-note": "测试",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    row = fresh(appeal)
    assert row.handling_due_at > before and not row.deadline_estimated
    [event] = AppealEvent.objects.filter(appeal=appeal, action=Action.DEADLINE_RECOMPUTE)
    assert event.actor_id == d.admin.pk
    # deleting the notice makes the year unknown again: the deadline is estimated once more
    notice = HolidayNotice.objects.get()
    response = client.post(f"/admin/appeals/holidaynotice/{notice.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    row = fresh(appeal)
    assert row.handling_due_at == before and row.deadline_estimated
    assert AppealEvent.objects.filter(appeal=appeal,
                                      action=Action.DEADLINE_RECOMPUTE).count() == 2


# --- in a browser ---------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_banner_case_badge_and_admin_entry_in_chromium(live_server, browser, output_dir):
    from django.db import connections

    from .factories import build_district
    from .test_browser import staff_page

    try:
        d = build_district()
        holiday = made_up_holiday()
        appeal = open_case_over(d, holiday)
        User.objects.filter(pk=d.admin.pk).update(is_staff=True, is_superuser=True)
        base = live_server.url
        admin = staff_page(browser, base, "admin")
        assert banner(holiday.year) in admin.inner_text(".calendar-banner")
        admin.screenshot(path=output_dir / "01-banner.png", full_page=True)
        admin.goto(f"{base}/staff/appeals/{appeal.number}/")
        assert admin.locator(".badge-estimated").inner_text() == "按工作日估算"
        admin.screenshot(path=output_dir / "02-case-estimated.png", full_page=True)
        admin.goto(f"{base}/staff/")
        admin.click(".calendar-banner a")
        admin.fill("#id_year", str(holiday.year))
        admin.fill("#id_title", NOTICE)
        admin.fill("#id_days-0-date", holiday.isoformat())
        admin.select_option("#id_days-0-kind", "holiday")
        admin.fill("#id_days-0-note", "测试用虚构假日")
        admin.screenshot(path=output_dir / "03-admin-notice.png", full_page=True)
        admin.click("input[name=_save]")
        admin.wait_for_url(f"{base}/admin/appeals/holidaynotice/")
        assert "已按新的节假日安排重算1件诉求的办理期限" in admin.inner_text("body")
        admin.screenshot(path=output_dir / "04-admin-saved.png", full_page=True)
        admin.goto(f"{base}/staff/appeals/{appeal.number}/")
        assert admin.locator(".badge-estimated").count() == 0
        assert "期限重算" in admin.inner_text("body")
        admin.screenshot(path=output_dir / "05-case-recomputed.png", full_page=True)
        admin.goto(f"{base}/staff/")
        assert admin.locator(".calendar-banner").count() == 0
    finally:
        connections.close_all()

"""The bottom-up ledgers: counts per 办理层级 × 办实事方向 for a community, a street (with its
communities) and the district, on the 台账 page and in the export's sheet 分层级统计; and the
办实事方向 as data the district confirms (待确认)."""

import csv
import io
import re
from html import unescape
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from banshi.appeals import loaders
from banshi.appeals.ledger.export import SUMMARY_TITLE
from banshi.appeals.ledger.summary import level_aspect_counts
from banshi.appeals.models import Appeal, Aspect
from banshi.org.loaders import LoadError

from . import factories
from .factories import HOSTILE, PASSWORD, dispatched, submitted
from .test_browser import pw_db  # noqa: F401 - fixture

HOSTILE_ASPECT = '=HYPERLINK("http://x.example","<script>alert(1)</script>")'
A4 = "破解城市建设管理难题办实事"
LEVELS = ["社区", "街道·局委", "区"]


@pytest.fixture
def world(d):
    """Five appeals: a 百花 community case, a street case and a 桐淮 community case (both of
    桐淮社区), one not yet dispatched (district, 未标注) and a 局委 case of a 待确认 aspect."""
    hostile = Aspect.objects.create(code="a9", name=HOSTILE_ASPECT, confirmed=False)
    dispatched(d, d.community_unit, title="百花社区的")
    dispatched(d, d.street_unit, title="街道的", region=d.community2)
    dispatched(d, d.community2_unit, title="桐淮社区的", region=d.community2)
    submitted(d, title="未派单", region=d.community2)
    cgj = dispatched(d, d.cgj, title="局委的", region=d.community2)
    Appeal.objects.filter(pk=cgj.pk).update(aspect=hostile)
    return d


def table(summary) -> dict[str, list[int]]:
    return {row.name: row.counts for row in summary.rows if row.total}


def test_counts_per_role_follow_what_each_may_see(world):
    d = world

    def counts(user):
        return level_aspect_counts(Appeal.objects.visible_to(user))

    community = counts(d.community_staff)
    assert table(community) == {A4: [1, 0, 0]} and community.total == 1
    street = counts(d.street_staff)
    assert table(street) == {A4: [2, 1, 0]} and street.totals == [2, 1, 0]
    district = counts(d.dispatcher)
    assert table(district) == {A4: [2, 1, 0], HOSTILE_ASPECT: [0, 1, 0], "未标注": [0, 0, 1]}
    assert district.totals == [2, 2, 1] and district.total == 5
    assert district.level_labels == LEVELS
    # every aspect has its row, 未标注 last, even at zero
    assert [row.name for row in community.rows] == [A4, HOSTILE_ASPECT, "未标注"]


def test_counts_take_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(2):  # the counts, and the aspects for the rows
        level_aspect_counts(Appeal.objects.all().select_related("unit").order_by("-id"))


def login(username: str) -> Client:
    return factories.login(Client(), username)


def summary_rows(html: str) -> dict[str, list[str]]:
    """Row label -> cell texts of the page's 分层级统计 table."""
    section = re.search(r'<table class="table summary">(.*?)</table>', html, re.S)
    assert section, "no summary table"
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", section.group(1), re.S):
        cells = [unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


@pytest.mark.parametrize(("username", "heading", "expected"), [
    ("linshanzhai-01", "百花社区台账", {A4: ["1", "0", "0", "1"], "合计": ["1", "0", "0", "1"]}),
    ("linshanzhai", "林山寨街道台账(含所属社区)",
     {A4: ["2", "1", "0", "3"], "合计": ["2", "1", "0", "3"]}),
    ("dispatcher", "全区台账",
     {A4: ["2", "1", "0", "3"], f"{HOSTILE_ASPECT} 待确认": ["0", "1", "0", "1"],
      "未标注": ["0", "0", "1", "1"], "合计": ["2", "2", "1", "5"]}),
])
def test_ledger_page_shows_the_users_ledger(world, username, heading, expected):
    html = login(username).get(reverse("web:ledger")).content.decode()
    assert f'<h1 class="page-title">{heading} <small>' in html
    rows = summary_rows(html)
    assert rows["办实事方向"] == [*LEVELS, "合计"]
    assert {name: cells for name, cells in rows.items() if name in expected} == expected
    assert "<script>alert(1)" not in html
    if username == "dispatcher":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_ledger_summary_follows_the_filters(world):
    html = login("dispatcher").get(reverse("web:ledger"), {"q": "社区的"}).content.decode()
    rows = summary_rows(html)
    assert rows[A4] == ["2", "0", "0", "2"] and rows["合计"] == ["2", "0", "0", "2"]


def test_export_has_the_summary_sheet_with_text_kept_text(world):
    response = login("linshanzhai").get(reverse("web:export"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["台账", SUMMARY_TITLE]
    sheet = book[SUMMARY_TITLE]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("办实事方向", *LEVELS, "合计", "备注")
    assert rows[1] == (A4, 2, 1, 0, 3, None)
    assert rows[2] == (HOSTILE_ASPECT, 0, 0, 0, 0, "待确认")
    assert sheet["A3"].data_type == "s"  # the hostile name is no formula
    assert rows[-1] == ("合计", 2, 1, 0, 3, None)


# ---------- the aspects as data: 已确认 / 待确认 ----------

REPORT_FOUR = {"贯彻落实新发展理念办实事", "全面推进乡村振兴和巩固拓展脱贫攻坚成果办实事",
               "化解信访突出问题办实事", "破解城市建设管理难题办实事"}


@pytest.mark.django_db
def test_demo_aspects_other_than_the_reports_four_load_unconfirmed():
    loaders.load_aspects()
    marks = dict(Aspect.objects.values_list("name", "confirmed"))
    assert len(marks) == 9
    assert {name for name, ok in marks.items() if ok} == REPORT_FOUR


@pytest.mark.django_db
def test_migration_marks_the_demo_aspects_by_name():
    migration = import_module("banshi.appeals.migrations.0009_aspect_confirmed")
    with open(loaders.DATA_DIR / "aspects.csv", encoding="utf-8") as data:
        names = [row["name"] for row in csv.DictReader(data)]
    for index, name in enumerate([*names, "区里自己的方向"]):
        Aspect.objects.create(code=f"x{index}", name=name)
    migration.mark_demo_aspects(django_apps, None)
    assert set(Aspect.objects.filter(confirmed=True).values_list("name", flat=True)) == (
        REPORT_FOUR | {"区里自己的方向"})


@pytest.mark.django_db
def test_loader_reads_confirmed_keeps_it_when_absent_and_refuses_nonsense(tmp_path):
    path = tmp_path / "aspects.csv"
    path.write_text("code,name,description,confirmed\nb1,甲,,否\nb2,乙,,yes\n", "utf-8")
    loaders.load_aspects(path)
    assert dict(Aspect.objects.values_list("code", "confirmed")) == {"b1": False, "b2": True}
    path.write_text("code,name,description\nb1,甲改,\nb3,丙,\n", "utf-8")
    loaders.load_aspects(path)
    assert dict(Aspect.objects.values_list("code", "confirmed")) == {
        "b1": False, "b2": True, "b3": True}
    path.write_text("code,name,description,confirmed\nb1,甲,,maybe\n", "utf-8")
    with pytest.raises(LoadError, match="第2行"):
        loaders.load_aspects(path)


def test_admin_lists_filters_and_confirms_aspects(world):
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client = Client()
    client.force_login(root)
    page = client.get("/admin/appeals/aspect/", {"confirmed__exact": "0"})
    text = page.content.decode()
    assert page.status_code == 200 and "待确认" in text and "已确认" in text
    assert "&lt;script&gt;" in text and "<script>alert(1)" not in text
    assert A4 not in text  # filtered out: it is confirmed
    hostile = Aspect.objects.get(code="a9")
    form = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": hostile.pk,
            "form-0-name": "维护公共安全办实事", "form-0-confirmed": "on", "_save": "保存"}
    response = client.post("/admin/appeals/aspect/?confirmed__exact=0", form)
    assert response.status_code == 302
    hostile.refresh_from_db()
    assert hostile.confirmed and hostile.name == "维护公共安全办实事"


def test_hostile_aspect_names_are_stored_as_given(world):
    for index, name in enumerate(HOSTILE[:4]):
        Aspect.objects.create(code=f"h{index}", name=name, confirmed=False)
    html = login("dispatcher").get(reverse("web:ledger")).content.decode()
    rows = summary_rows(html)
    for name in HOSTILE[:4]:
        assert [*rows[f"{name} 待确认"]] == ["0", "0", "0", "0"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_street_ledger_in_a_chinese_browser(live_server, browser, pw_db, output_dir):  # noqa: F811
    from .factories import build_district
    from .test_browser_zh import staff_page

    d = build_district()
    Aspect.objects.create(code="a5", name="解决“一老一小”问题办实事", confirmed=False)
    dispatched(d, d.community_unit)
    dispatched(d, d.street_unit, region=d.community2)
    page = staff_page(browser, live_server.url, "linshanzhai")
    page.goto(f"{live_server.url}/staff/appeals/")
    assert page.inner_text("h1").startswith("林山寨街道台账(含所属社区)")
    summary = page.locator("table.summary")
    assert summary.locator("tfoot").inner_text().split() == ["合计", "1", "1", "0", "2"]
    assert "待确认" in summary.locator("tbody tr", has_text="一老一小").inner_text()
    page.screenshot(path=output_dir / "street-ledger.png", full_page=True)

"""Liaisons: pairings imported from Excel (bad rows by row and column, good rows kept or all
or nothing), coverage per community against an independent count, contacts logged against
a pairing (and the appeal one raises), problems solved, masking, visibility, the API."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from banshi.appeals.models import Appeal
from banshi.collection.actions import liaisons as actions
from banshi.collection.models import Liaison, LiaisonContact, LiaisonPairing

from .factories import HOSTILE, add_other_street, login, today
from .test_api import Caller

pytestmark = pytest.mark.django_db

HEADER = ["联络员姓名", "联系电话", "所在党支部", "所在社区", "户主", "住址", "结对日期"]


def workbook(rows, header=HEADER) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("结对名册.xlsx", data.getvalue())


def good_rows(d):
    day = today() - dt.timedelta(days=10)
    return [
        ["张党员", "13900000001", "第一支部", "百花社区", "欧阳一", "百花路1号", day],
        ["张党员", "13900000001", "第一支部", "百花社区", "欧阳二", "百花路2号", day],
        ["李党员", "", "第二支部", d.community2.code, "司马三", "桐淮路3号",
         day.strftime("%Y/%m/%d")],
    ]


def import_file(client, upload, unit, all_or_nothing=False):
    data = {"unit": unit.code, "file": upload}
    if all_or_nothing:
        data["all_or_nothing"] = "on"
    return client.post(reverse("web:liaisons-import"), data)


def test_import_through_the_page(d):
    client = login(Client(), "linshanzhai")
    response = import_file(client, workbook(good_rows(d)), d.street_unit)
    assert response.status_code == 200, response.content.decode()[:3000]
    assert "已全部导入：3 户结对，新增联络员 2 名" in response.content.decode()
    zhang = Liaison.objects.get(name="张党员")
    assert (zhang.unit, zhang.phone, zhang.region) == (d.street_unit, "13900000001",
                                                       d.community)
    assert zhang.pairings.count() == 2
    assert LiaisonPairing.objects.get(household_name="司马三").region == d.community2


def test_bad_rows_are_named_by_row_and_column_and_good_rows_kept(d):
    other = add_other_street(d)
    future = today() + dt.timedelta(days=3)
    rows = good_rows(d) + [
        ["", "13900000002", "", "百花社区", "甲", "百花路9号", today()],          # row 5
        ["王党员", "12345", "", "百花社区", "乙", "百花路10号", today()],         # row 6
        ["王党员", "", "", other.community.name, "丙", "西里路1号", today()],     # row 7
        ["王党员", "", "", "百花社区", "丁", "", "不是日期"],                     # row 8
        ["王党员", "", "", "百花社区", "戊", "百花路11号", future],               # row 9
    ]
    client = login(Client(), "linshanzhai")
    response = import_file(client, workbook(rows), d.street_unit)
    html = response.content.decode()
    assert response.status_code == 422
    report = [(e["row"], e["column"]) for e in response.context["report"].errors]
    assert report == [(5, "联络员姓名"), (6, "联系电话"), (7, "所在社区"), (8, "住址"),
                      (8, "结对日期"), (9, "结对日期")]
    assert "3 户结对" in html and "西里路1号" not in html
    assert LiaisonPairing.objects.count() == 3


def test_all_or_nothing_imports_nothing_on_a_bad_row(d):
    rows = good_rows(d) + [["王党员", "1", "", "百花社区", "乙", "百花路10号", today()]]
    response = import_file(login(Client(), "linshanzhai"), workbook(rows), d.street_unit,
                           all_or_nothing=True)
    assert response.status_code == 422 and "整批撤销" in response.content.decode()
    assert not Liaison.objects.exists() and not LiaisonPairing.objects.exists()


def test_unreadable_files_and_missing_columns(d):
    client = login(Client(), "linshanzhai")
    wrong = import_file(client, SimpleUploadedFile("x.pdf", b"%PDF-1.4"), d.street_unit)
    assert wrong.status_code == 422 and "不支持的文件类型" in wrong.content.decode()
    missing = import_file(client, workbook([["a"]], header=["联络员姓名"]), d.street_unit)
    assert missing.status_code == 422 and "缺少列：所在社区、住址、结对日期" in \
        missing.content.decode()
    foreign = import_file(client, workbook(good_rows(d)), d.cgj)
    assert foreign.status_code == 422 and not Liaison.objects.exists()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_an_import(d, text):
    rows = [[text[:100], "", text, "百花社区", text[:100], text[:255], today()]]
    response = import_file(login(Client(), "linshanzhai-01"), workbook(rows),
                           d.community_unit)
    assert response.status_code in (200, 422)
    assert "<script>alert" not in response.content.decode()
    if len(text) <= 200:
        liaison = Liaison.objects.get()
        page = login(Client(), "linshanzhai-01").get(reverse("web:liaison",
                                                             args=[liaison.pk]))
        assert page.status_code == 200 and "<script>alert" not in page.content.decode()
    else:
        assert [e["column"] for e in response.context["report"].errors] == ["所在党支部"]


def seed_pairings(d, other):
    """Liaisons and pairings straight through the import action, in three communities."""
    def run(unit, rows, user):
        return actions.import_pairings(workbook(rows), filename="a.xlsx", unit=unit,
                                       actor=user)
    day = today() - dt.timedelta(days=20)
    run(d.street_unit, [[f"党员{i % 3}", "", "", "百花社区" if i % 4 else "桐淮社区",
                         f"户{i}", f"百花路{i}号", day] for i in range(11)], d.street_staff)
    run(other.community_unit, [["西里党员", "", "", "西里社区", f"西户{i}", f"西里路{i}号", day]
                               for i in range(4)], other.community_staff)


def test_coverage_per_community_matches_an_independent_count(d):
    other = add_other_street(d)
    seed_pairings(d, other)
    # independent: the rows written above, counted by hand
    expected = {"百花社区": (8, 3), "桐淮社区": (3, 3), "西里社区": (4, 1)}
    pairing = LiaisonPairing.objects.filter(region=d.community).first()
    for solved in (True, True, False):
        actions.log_contact(pairing, actor=d.dispatcher, contacted_on=today(), note="联系",
                            solved=solved)
    page = login(Client(), "dispatcher").get(reverse("web:liaisons"))
    coverage = page.context["coverage"]
    got = {row["region__name"]: (row["households"], row["liaisons"])
           for row in coverage["communities"]}
    assert got == expected
    assert (coverage["liaisons"], coverage["households"], coverage["solved"]) == (4, 15, 2)
    street = login(Client(), "linshanzhai").get(reverse("web:liaisons")).context["coverage"]
    assert {r["region__name"] for r in street["communities"]} == {"百花社区", "桐淮社区"}
    assert street["households"] == 11 and street["solved"] == 2
    counted = Counter(p.liaison.name for p in LiaisonPairing.objects.select_related("liaison"))
    api = {row["name"]: row for row in Caller(d.dispatcher).get(
        "/collection/liaisons", page_size=100).json()["results"]}
    assert {name: row["households"] for name, row in api.items()} == dict(counted)
    assert sum(row["solved"] for row in api.values()) == 2
    assert Caller(d.cgj_staff).get("/collection/liaisons").json()["count"] == 0
    assert Caller(other.community_staff).get("/collection/liaisons").json()["count"] == 1


def test_contacts_and_the_appeal_raised_from_one(d):
    other = add_other_street(d)
    seed_pairings(d, other)
    liaison = Liaison.objects.get(name="党员0")
    pairing = liaison.pairings.first()
    client = login(Client(), "linshanzhai")
    url = reverse("web:liaison-contact", args=[liaison.pk])
    response = client.post(url, {"pairing": pairing.pk, "contacted_on": today().isoformat(),
                                 "note": "楼道灯坏了", "solved": "on",
                                 "appeal_title": "楼道灯需更换", "appeal_content": "3楼灯坏"})
    assert response.status_code == 302, response.content.decode()[:3000]
    contact = LiaisonContact.objects.get()
    assert contact.solved and contact.pairing == pairing
    appeal = Appeal.objects.get()
    assert (appeal.channel, appeal.source, appeal.region) == ("liaison", contact,
                                                              pairing.region)
    page = client.get(reverse("web:liaison", args=[liaison.pk])).content.decode()
    assert appeal.number in page and pairing.household_name in page
    half = client.post(url, {"pairing": pairing.pk, "contacted_on": today().isoformat(),
                             "note": "再联系", "appeal_title": "只有标题"})
    assert half.status_code == 422 and LiaisonContact.objects.count() == 1
    foreign = client.post(url, {"pairing": LiaisonPairing.objects.filter(
        liaison__name="西里党员").first().pk, "contacted_on": today().isoformat(),
        "note": "x"})
    assert foreign.status_code == 422 and LiaisonContact.objects.count() == 1
    # others: the liaison of another street is 404; the leader sees it masked, cannot log
    assert login(Client(), other.community_staff.username).get(
        reverse("web:liaison", args=[liaison.pk])).status_code == 404
    leader = login(Client(), "leader")
    masked = leader.get(reverse("web:liaison", args=[liaison.pk])).content.decode()
    assert pairing.household_name not in masked and pairing.address not in masked
    assert leader.post(url, {"pairing": pairing.pk, "contacted_on": today().isoformat(),
                             "note": "x"}).status_code == 403

"""Opinion boxes and desks: the registry through pages and the API, the QR label whose link
opens the H5 form pre-filled (and links the appeal to the box), openings and the slips
transcribed several at once with bad rows named, visibility by unit, hostile text."""

import datetime as dt
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from banshi.appeals.models import Appeal
from banshi.collection.actions import boxes as actions
from banshi.collection.models import BoxOpening, OpinionBox

from .factories import HOSTILE, add_other_street, login, today
from .test_api import Caller

pytestmark = pytest.mark.django_db


def make_box(d, code="LSZ-BH-01", unit=None, **kwargs) -> OpinionBox:
    fields = {"kind": "box", "place": "百花社区党群服务中心门口", "region": d.community,
              "unit": unit or d.community_unit, "installed_on": today() - dt.timedelta(days=30),
              "status": "active"} | kwargs
    return actions.register_box(actor=d.dispatcher, code=code, **fields)


def box_post(d, **over) -> dict:
    return {"code": "LSZ-BH-02", "kind": "desk", "place": "桐淮社区征求意见台",
            "region": d.community2.code, "unit": d.community2_unit.code,
            "installed_on": (today() - dt.timedelta(days=3)).isoformat(),
            "status": "active"} | over


def test_registering_a_box_through_the_page(d):
    client = login(Client(), "linshanzhai")  # the street records for its communities
    response = client.post(reverse("web:opinion-box-new"), box_post(d))
    assert response.status_code == 302, response.content.decode()[:2000]
    box = OpinionBox.objects.get(code="LSZ-BH-02")
    assert (box.kind, box.unit, box.region, box.created_by) == (
        "desk", d.community2_unit, d.community2, d.street_staff)
    assert response["Location"] == reverse("web:opinion-box", args=["LSZ-BH-02"])
    page = client.get(response["Location"]).content.decode()
    assert "桐淮社区征求意见台" in page and "征求意见台" in page


def test_a_community_may_not_register_for_its_sibling_and_codes_are_unique(d):
    make_box(d)
    client = login(Client(), "linshanzhai-01")
    refused = client.post(reverse("web:opinion-box-new"), box_post(d))
    assert refused.status_code == 422 and not OpinionBox.objects.filter(code="LSZ-BH-02")
    taken = client.post(reverse("web:opinion-box-new"), box_post(
        d, code="lsz-bh-01", unit=d.community_unit.code))
    assert taken.status_code == 422 and "该编号已被使用" in taken.content.decode()
    bad_code = client.post(reverse("web:opinion-box-new"), box_post(
        d, code="<b>x</b>", unit=d.community_unit.code))
    assert bad_code.status_code == 422 and OpinionBox.objects.count() == 1


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_place_is_kept_and_escaped(d, text):
    client = login(Client(), "linshanzhai-01")
    response = client.post(reverse("web:opinion-box-new"), box_post(
        d, code="H-1", unit=d.community_unit.code, region=d.community.code, place=text))
    if len(text) > 200:
        assert response.status_code == 422
        return
    assert response.status_code == 302
    box = OpinionBox.objects.get(code="H-1")
    assert box.place == text.strip()
    page = client.get(reverse("web:opinion-box", args=["H-1"])).content.decode()
    assert "<script>alert" not in page
    label = client.get(reverse("web:opinion-box-label", args=["H-1"])).content.decode()
    assert "<script>alert" not in label


def test_list_filters_and_visibility_by_unit(d):
    other = add_other_street(d)
    make_box(d, "A-1")
    make_box(d, "A-2", unit=d.community2_unit, region=d.community2, kind="desk")
    make_box(d, "B-1", unit=other.community_unit, region=other.community, status="removed")

    def codes(username, **params):
        page = login(Client(), username).get(reverse("web:opinion-boxes"), params)
        assert page.status_code == 200
        return set(re.findall(r">([AB]-\d)</a>", page.content.decode()))

    assert codes("dispatcher") == {"A-1", "A-2", "B-1"}
    assert codes("linshanzhai") == {"A-1", "A-2"}
    assert codes("linshanzhai-01") == {"A-1"}
    assert codes("zhongyuanxilu-01") == {"B-1"}
    assert codes("dispatcher", kind="desk") == {"A-2"}
    assert codes("dispatcher", status="removed") == {"B-1"}
    assert codes("dispatcher", unit="linshanzhai") == {"A-1", "A-2"}
    assert codes("dispatcher", community=d.community2.code) == {"A-2"}
    # another unit's box: the same 404 as a missing one
    client = login(Client(), "linshanzhai-01")
    assert client.get(reverse("web:opinion-box", args=["B-1"])).status_code == 404
    assert client.get(reverse("web:opinion-box", args=["NOPE"])).status_code == 404
    assert client.get(reverse("web:opinion-box-label", args=["B-1"])).status_code == 404


def test_editing_a_box(d):
    make_box(d)
    client = login(Client(), "linshanzhai-01")
    url = reverse("web:opinion-box-edit", args=["LSZ-BH-01"])
    assert client.get(url).status_code == 200
    response = client.post(url, box_post(d, code="LSZ-BH-01", unit=d.community_unit.code,
                                         region=d.community.code, status="suspended"))
    assert response.status_code == 302
    assert OpinionBox.objects.get(code="LSZ-BH-01").status == "suspended"
    assert login(Client(), "linshanzhai-02").get(url).status_code == 404


def test_the_label_holds_the_h5_link_as_a_qr_code(d):
    make_box(d)
    page = login(Client(), "linshanzhai-01").get(
        reverse("web:opinion-box-label", args=["LSZ-BH-01"])).content.decode()
    assert "http://testserver/h5/submit/?box=LSZ-BH-01" in page
    assert "<svg" in page and "扫码提意见" in page and "@media print" not in page
    assert "collection_label.css" in page


def test_the_qr_link_prefills_and_links_the_appeal_to_the_box(d):
    box = make_box(d)
    resident = Client()
    form = resident.get("/h5/submit/?box=LSZ-BH-01")
    html = form.content.decode()
    assert form.status_code == 200 and "百花社区党群服务中心门口" in html
    assert re.search(rf'<option value="{d.community.code}" selected', html)
    assert 'name="box" value="LSZ-BH-01"' in html
    response = resident.post("/h5/submit/", {
        "title": "意见箱：楼道灯坏了", "content": "3号楼楼道灯坏了一周", "region": d.community.code,
        "box": "LSZ-BH-01"})
    assert response.status_code == 302, response.content.decode()[:3000]
    appeal = Appeal.objects.get(title="意见箱：楼道灯坏了")
    assert appeal.channel == "opinion_box" and appeal.source == box
    assert appeal.region == d.community and appeal.created_by is None
    assert appeal.events.get().data["source"] == {"model": "collection.opinionbox",
                                                   "id": box.pk}


@pytest.mark.parametrize("code", ["NOPE-1", "<script>", "x" * 40, ""])
def test_an_unknown_or_retired_box_gives_the_plain_form(d, code):
    make_box(d, "OLD-1", status="removed")
    resident = Client()
    for shown in (code, "OLD-1"):
        form = resident.get("/h5/submit/", {"box": shown})
        assert form.status_code == 200 and 'id="via-box"' not in form.content.decode()
    resident.post("/h5/submit/", {"title": "普通", "content": "普通诉求",
                                  "region": d.community.code, "box": "OLD-1"})
    appeal = Appeal.objects.get(title="普通")
    assert appeal.channel == "online_form" and appeal.source is None


def test_opening_then_transcribing_rows_keeps_good_rows_and_names_bad_ones(d):
    box = make_box(d)
    client = login(Client(), "linshanzhai-01")
    opened = client.post(reverse("web:opinion-box-opening", args=[box.code]), {
        "opened_on": today().isoformat(), "opened_by": "张三、李四", "slips": 3, "note": ""})
    assert opened.status_code == 302
    opening = BoxOpening.objects.get(box=box)
    assert opening.slips == 3
    url = reverse("web:opinion-box-transcribe", args=[box.code, opening.pk])
    assert opened["Location"] == url
    page = client.get(url).content.decode()
    assert page.count('name="rows-') > 3  # three rows at least
    data = {"rows-TOTAL_FORMS": "4", "rows-INITIAL_FORMS": "4", "rows-MIN_NUM_FORMS": "0",
            "rows-MAX_NUM_FORMS": "50",
            "rows-0-title": "小区垃圾清运不及时", "rows-0-content": "垃圾桶满了没人清",
            "rows-0-region": d.community.code,
            "rows-1-title": "", "rows-1-content": "只写了内容", "rows-1-region": d.community.code,
            "rows-2-title": "电话写错", "rows-2-content": "内容", "rows-2-contact_phone": "12",
            "rows-2-region": d.community.code,
            "rows-3-region": d.community.code}  # untouched: skipped
    response = client.post(url, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "第2行 · 标题" in html and "第3行 · 电话" in html and "第4行" not in html.split(
        "row-problems")[1].split("</div>")[0]
    appeals = Appeal.objects.filter(source_type=ContentType.objects.get_for_model(BoxOpening),
                                    source_id=opening.pk)
    assert [a.title for a in appeals] == ["小区垃圾清运不及时"]
    assert appeals[0].channel == "opinion_box" and appeals[0].created_by == d.community_staff
    assert "已录入" in html and appeals[0].number in html
    # the kept bad rows, fixed and sent again: the good row is not entered twice
    fixed = data | {"rows-0-title": "", "rows-0-content": "", "rows-1-title": "补上标题",
                    "rows-2-contact_phone": "13912345678"}
    again = client.post(url, fixed)
    assert again.status_code == 302
    assert sorted(a.title for a in appeals.all()) == ["小区垃圾清运不及时", "电话写错", "补上标题"]
    detail = client.get(reverse("web:opinion-box", args=[box.code])).content.decode()
    assert "补上标题" in detail and "张三、李四" in detail


def test_transcribing_is_for_the_box_unit(d):
    box = make_box(d)
    opening = actions.record_opening(box, actor=d.dispatcher, opened_on=today(),
                                     opened_by="王五", slips=1)
    url = reverse("web:opinion-box-transcribe", args=[box.code, opening.pk])
    assert login(Client(), "linshanzhai-02").get(url).status_code == 404
    assert login(Client(), "leader").get(url).status_code == 403
    with pytest.raises(actions.NotPermitted):
        actions.record_opening(box, actor=d.community2_staff, opened_on=today(),
                               opened_by="x", slips=1)


def test_opening_validation(d):
    box = make_box(d)
    client = login(Client(), "linshanzhai-01")
    url = reverse("web:opinion-box-opening", args=[box.code])
    future = client.post(url, {"opened_on": (today() + dt.timedelta(days=1)).isoformat(),
                               "opened_by": "张三", "slips": 1})
    assert future.status_code == 422 and not BoxOpening.objects.exists()
    negative = client.post(url, {"opened_on": today().isoformat(), "opened_by": "张三",
                                 "slips": -1})
    assert negative.status_code == 422 and not BoxOpening.objects.exists()


def test_api_lists_boxes_in_scope(d):
    other = add_other_street(d)
    box = make_box(d, "A-1")
    make_box(d, "B-1", unit=other.community_unit, region=other.community)
    actions.record_opening(box, actor=d.dispatcher, opened_on=today(), opened_by="甲",
                           slips=4)
    actions.record_opening(box, actor=d.dispatcher, opened_on=today(), opened_by="乙",
                           slips=2)
    everything = Caller(d.dispatcher).get("/collection/boxes").json()
    assert everything["count"] == 2
    mine = Caller(d.community_staff).get("/collection/boxes").json()["results"]
    assert [(b["code"], b["openings"], b["slips"], b["community_code"]) for b in mine] == [
        ("A-1", 2, 6, d.community.code)]
    assert Caller(d.zjj_staff).get("/collection/boxes").json()["results"] == []
    assert Caller().get("/collection/boxes").status_code == 401


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_through_the_transcribed_rows(d, text):
    box = make_box(d)
    opening = actions.record_opening(box, actor=d.dispatcher, opened_on=today(),
                                     opened_by="张三", slips=1)
    client = login(Client(), "linshanzhai-01")
    url = reverse("web:opinion-box-transcribe", args=[box.code, opening.pk])
    response = client.post(url, {
        "rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "1", "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "50", "rows-0-title": text, "rows-0-content": text,
        "rows-0-region": d.community.code})
    assert "<script>alert" not in response.content.decode()
    if len(text) > 200:  # longer than a title may be: named, nothing entered
        assert response.status_code == 422 and "第1行 · 标题" in response.content.decode()
        assert not Appeal.objects.exists()
    else:
        assert response.status_code == 302
        assert Appeal.objects.get().content == text.strip()

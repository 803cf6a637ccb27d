"""Practical-matter lists (办实事清单): recorded through the pages and the API, progress that
adds to the done count (with an evidence file), 销号 when done or with a note, reopen, the
district-wide view by unit, and who sees which list."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from banshi.appeals.errors import InvalidInput, TransitionNotAllowed
from banshi.campaign.actions import matters as actions
from banshi.campaign.choices import MatterStatus
from banshi.campaign.models import MatterProgress, PracticalMatter
from banshi.campaign.stats import campaign_figures
from banshi.collection.choices import RecordAction
from banshi.collection.models import RecordEvent
from banshi.org.models import ApiToken

from .campaign_org_world import PDF, START, org_world  # noqa: F401
from .factories import HOSTILE, login

API = "/api/v1/campaign/matters"


def api(user, method="GET", path=API, body=None, **params):
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"}
    if method == "GET":
        return Client().get(path, params, headers=headers)
    return Client().post(path, json.dumps(body), content_type="application/json",
                         headers=headers)


def test_a_unit_lists_a_matter_and_reports_progress_with_evidence(org_world, client):  # noqa: F811
    login(client, "linshanzhai")
    response = client.post(reverse("web:campaign-matter-new"), {
        "unit": "linshanzhai", "title": "背街小巷环境整治", "measure": "逐条整治",
        "kind": "optional", "aspect": org_world.d.aspect.code, "target_count": "15",
        "count_unit": "条", "committed_on": "2026-03-20", "due_on": "2026-09-30"})
    matter = PracticalMatter.objects.get(title="背街小巷环境整治")
    assert response.status_code == 302 and matter.aspect == org_world.d.aspect
    url = reverse("web:campaign-matter-progress", args=[matter.pk])
    response = client.post(url, {"added": "6", "note": "第一批", "on": "2026-04-10",
                                 "file": SimpleUploadedFile("现场.pdf", PDF)})
    assert response.status_code == 302
    client.post(url, {"added": "9", "on": "2026-05-10"})
    matter.refresh_from_db()
    assert matter.done_count == 15 == sum(p.added for p in matter.progress.all())
    entry = matter.progress.exclude(file="").get()
    download = client.get(reverse("web:campaign-matter-file", args=[matter.pk, entry.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    page = client.get(reverse("web:campaign-matter", args=[matter.pk])).content.decode()
    assert "15 / 15 条" in page and "100%" in page
    response = client.post(reverse("web:campaign-matter-close", args=[matter.pk]), {})
    matter.refresh_from_db()
    assert response.status_code == 302 and matter.status == MatterStatus.CLOSED
    assert [e.action for e in RecordEvent.objects.of(matter)][:1] == [RecordAction.CLOSE_OFF]


def test_closing_short_of_the_target_needs_a_note(org_world, client):  # noqa: F811
    matter = org_world.records["matter"]  # 20 of 50
    login(client, "cgj")
    response = client.post(reverse("web:campaign-matter-close", args=[matter.pk]), {})
    assert response.status_code == 422
    assert "销号须填写说明" in response.content.decode()
    matter.refresh_from_db()
    assert matter.status == MatterStatus.OPEN
    response = client.post(reverse("web:campaign-matter-close", args=[matter.pk]),
                           {"note": "其余点位纳入城市更新统一实施"})
    matter.refresh_from_db()
    assert response.status_code == 302 and matter.status == MatterStatus.CLOSED
    assert matter.closed_on is not None


def test_a_closed_matter_takes_no_progress_until_reopened(org_world, client):  # noqa: F811
    closed = org_world.records["closed"]
    with pytest.raises(TransitionNotAllowed):
        actions.add_progress(closed, actor=org_world.d.cgj_staff, added=1)
    with pytest.raises(TransitionNotAllowed):
        actions.close_matter(closed, actor=org_world.d.cgj_staff)
    login(client, "cgj")
    assert client.post(reverse("web:campaign-matter-reopen", args=[closed.pk]),
                       {"reason": ""}).status_code == 422
    response = client.post(reverse("web:campaign-matter-reopen", args=[closed.pk]),
                           {"reason": "复查发现反弹"})
    closed.refresh_from_db()
    assert response.status_code == 302 and closed.status == MatterStatus.OPEN
    assert closed.closed_on is None
    actions.add_progress(closed, actor=org_world.d.cgj_staff, added=1)
    closed.refresh_from_db()
    assert closed.done_count == 3


@pytest.mark.parametrize("data,field", [
    ({"added": "0", "note": ""}, "added"), ({"added": "-1"}, "added"),
    ({"added": "2", "file": ("x.exe", b"MZ")}, "file"), ({"added": "2", "file": ("a.pdf", b"")},
                                                        "file")])
def test_bad_progress_names_the_field(org_world, client, data, field):  # noqa: F811
    matter = org_world.records["matter"]
    login(client, "cgj")
    if "file" in data:
        name, content = data["file"]
        data = data | {"file": SimpleUploadedFile(name, content)}
    response = client.post(reverse("web:campaign-matter-progress", args=[matter.pk]), data)
    assert response.status_code == 422
    assert f'id="id_progress_{field}"' in response.content.decode()
    assert MatterProgress.objects.filter(matter=matter).count() == 1


def test_the_district_view_by_unit(org_world, client):  # noqa: F811
    d = org_world.d
    actions.create_matter(actor=d.street_staff, unit=d.street_unit, title="街道实事",
                          target_count=4, committed_on=START)
    login(client, "leader")
    page = client.get(reverse("web:campaign-matters-summary")).content.decode()
    assert "区城市管理局" in page and "林山寨街道办事处" in page
    # 3 matters, 1 closed: 33.3%; the 城管局's target 50 + 2 处 and done 20 + 2 处
    assert "<th>合计</th><th>3</th><th>1</th><th>33.3%</th>" in page
    assert '<td class="nowrap">52</td><td class="nowrap">22</td>' in page
    login(client, "cgj")
    page = client.get(reverse("web:campaign-matters-summary")).content.decode()
    assert "林山寨街道办事处" not in page
    assert "<th>合计</th><th>2</th><th>1</th><th>50.0%</th>" in page
    figures = campaign_figures(d.dispatcher, START, dt.date(2026, 12, 31))
    assert (figures["practical_matters"], figures["practical_matters_done"]) == (3, 1)


def test_the_list_is_scoped_and_filtered(org_world, client):  # noqa: F811
    login(client, "linshanzhai")
    page = client.get(reverse("web:campaign-matters")).content.decode()
    assert "清理违规户外广告" not in page and "共 0 项" in page
    assert client.get(reverse("web:campaign-matter", args=[org_world.records["matter"].pk])
                      ).status_code == 404
    login(client, "dispatcher")
    page = client.get(reverse("web:campaign-matters"), {"status": "closed"}).content.decode()
    assert "拆除违法建筑" in page and "清理违规户外广告" not in page
    page = client.get(reverse("web:campaign-matters"), {"unit": "zjj"}).content.decode()
    assert "共 0 项" in page


def test_the_api_lists_creates_and_counts(org_world):  # noqa: F811
    d = org_world.d
    listed = api(d.cgj_staff).json()
    assert {row["title"] for row in listed["results"]} == {"清理违规户外广告", "拆除违法建筑"}
    assert api(d.street_staff).json()["count"] == 0
    response = api(d.cgj_staff, "POST", body={
        "unit_code": "cgj", "title": "清理沿街宣传画", "target_count": 50, "count_unit": "处",
        "committed_on": "2026-03-20", "aspect_code": d.aspect.code})
    assert response.status_code == 201, response.content
    created = response.json()
    path = f"{API}/{created['id']}/progress"
    for added in (30, 26):
        response = api(d.cgj_staff, "POST", path, {"added": added, "on": "2026-05-01"})
        assert response.status_code == 201
    assert response.json()["done_count"] == 56
    closed = api(d.cgj_staff, "POST", f"{API}/{created['id']}/close", {})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    again = api(d.cgj_staff, "POST", path, {"added": 1})
    assert again.status_code == 409
    open_only = api(d.cgj_staff, status="open").json()["results"]
    assert [row["title"] for row in open_only] == ["清理违规户外广告"]
    short = api(d.cgj_staff, "POST", f"{API}/{org_world.records['matter'].pk}/close", {})
    assert short.status_code == 422 and short.json()["field"] == "note"


@pytest.mark.parametrize("body,field", [
    ({"target_count": 0}, "target_count"), ({"count_unit": ""}, "count_unit"),
    ({"unit_code": "linshanzhai"}, "unit_code"), ({"aspect_code": "zz"}, "aspect_code"),
    ({"title": "实\x00事"}, "title"), ({"due_on": "2026-03-01"}, "due_on"),
    ({"kind": "both"}, "kind")])
def test_the_api_names_the_bad_field(org_world, body, field):  # noqa: F811
    good = {"unit_code": "cgj", "title": "新实事", "committed_on": "2026-03-20"}
    response = api(org_world.d.cgj_staff, "POST", body=good | body)
    assert response.status_code in (403, 422), response.content
    assert response.json()["field"] == field


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_through_the_page_and_api(org_world, client, text):  # noqa: F811
    login(client, "cgj")
    response = client.post(reverse("web:campaign-matter-new"), {
        "unit": "cgj", "title": text[:200], "measure": text[:5000], "kind": "required",
        "target_count": "3", "count_unit": text[:10], "committed_on": "2026-03-20",
        "evidence": text[:5000]})
    assert response.status_code == 302, response.content.decode()[:300]
    matter = PracticalMatter.objects.get(kind="required")
    response = client.post(reverse("web:campaign-matter-progress", args=[matter.pk]),
                           {"added": "1", "note": text[:2000]})
    assert response.status_code == 302
    for url in (reverse("web:campaign-matter", args=[matter.pk]),
                reverse("web:campaign-matters"), reverse("web:campaign-matters-summary")):
        assert "<script>alert" not in client.get(url).content.decode()
    response = api(org_world.d.cgj_staff, "POST", f"{API}/{matter.pk}/progress",
                   {"added": 1, "note": text})
    assert response.status_code == (201 if len(text) <= 2000 else 422)
    with pytest.raises(InvalidInput):
        actions.add_progress(matter, actor=org_world.d.cgj_staff, added=0, note="  ")


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_the_close_note_and_the_reopen_reason(org_world, client, text):  # noqa: F811
    matter = org_world.records["matter"]
    login(client, "cgj")
    response = client.post(reverse("web:campaign-matter-close", args=[matter.pk]),
                           {"note": text})
    if len(text) > actions.NOTE_MAX:
        assert response.status_code == 422 and 'id="id_close_note"' in response.content.decode()
        return
    assert response.status_code == 302
    response = client.post(reverse("web:campaign-matter-reopen", args=[matter.pk]),
                           {"reason": text})
    assert response.status_code == 302
    page = client.get(reverse("web:campaign-matter", args=[matter.pk])).content.decode()
    assert "<script>alert" not in page
    assert [e.note for e in RecordEvent.objects.of(matter)][:2] == [text.strip()] * 2


def test_edited_through_the_page(org_world, client):  # noqa: F811
    matter = org_world.records["matter"]
    login(client, "cgj")
    response = client.post(reverse("web:campaign-matter-edit", args=[matter.pk]), {
        "unit": "cgj", "title": "清理沿街违规户外广告及宣传画", "kind": "optional",
        "target_count": "55", "count_unit": "处", "committed_on": "2026-03-05",
        "due_on": "2026-02-01"})
    assert response.status_code == 422 and "计划完成时间不能早于列入清单日期" in \
        response.content.decode()
    response = client.post(reverse("web:campaign-matter-edit", args=[matter.pk]), {
        "unit": "cgj", "title": "清理沿街违规户外广告及宣传画", "kind": "optional",
        "target_count": "55", "count_unit": "处", "committed_on": "2026-03-05",
        "due_on": "2026-09-30"})
    matter.refresh_from_db()
    assert response.status_code == 302
    assert (matter.title, matter.target_count, matter.done_count) == (
        "清理沿街违规户外广告及宣传画", 55, 20)

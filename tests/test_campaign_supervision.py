"""Supervision (巡回督导): guidance groups, their members and covered units (one group per unit),
visits by the group's members or the office, rectification items done by the unit and reopened
by the group, the coverage matrix and its %, through the actions and the pages."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from banshi.appeals.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from banshi.campaign.actions import supervision as actions
from banshi.campaign.models import GuidanceGroup, GuidanceVisit, Rectification
from banshi.campaign.stats import supervision_figures
from banshi.campaign.supervision_matrix import coverage_matrix
from banshi.collection.models import RecordEvent

from .campaign_supervision_world import build_world
from .factories import HOSTILE, login, today
from .shared import layer


@layer()
def sup_world():
    """Two groups, five covered units, three visited (tests/campaign_supervision_world.py)."""
    return build_world()


def later(w, days: int = 20) -> dt.date:
    return w.start + dt.timedelta(days=days)


# --- groups, members, coverage -----------------------------------------------------------------

def test_a_unit_covered_by_one_group_is_refused_to_another_naming_it(sup_world):
    w = sup_world
    with pytest.raises(InvalidInput) as refused:
        actions.create_group(w.campaign, actor=w.d.dispatcher, name="第三巡回指导组",
                             units=[w.d.zjj])
    message = refused.value.message
    assert "区住房和城乡建设局" in message and "第二巡回指导组" in message
    assert refused.value.field == "units"
    assert not GuidanceGroup.objects.filter(name="第三巡回指导组").exists()
    with pytest.raises(InvalidInput, match="林山寨街道办事处"):
        actions.set_covered_units(w.g2, actor=w.d.dispatcher,
                                  units=[w.other.street_unit, w.d.street_unit])
    assert set(w.g2.covered_units.all()) == {w.other.street_unit, w.d.zjj}


def test_the_office_alone_manages_groups_and_a_visited_unit_stays_covered(sup_world):
    w = sup_world
    for actor in (w.inspector, w.d.leader, w.d.street_staff):
        with pytest.raises(NotPermitted):
            actions.create_group(w.campaign, actor=actor, name="某组")
        with pytest.raises(NotPermitted):
            actions.add_member(w.g1, actor=actor, name="某人")
    with pytest.raises(InvalidInput, match="已有本组督导记录"):
        actions.set_covered_units(w.g1, actor=w.d.dispatcher, units=[w.d.cgj])
    actions.set_covered_units(w.g1, actor=w.d.dispatcher,
                              units=[w.d.street_unit, w.d.community_unit])
    assert set(w.g1.covered_units.all()) == {w.d.street_unit, w.d.community_unit}
    with pytest.raises(InvalidInput, match="不能作为督导单位"):
        actions.set_covered_units(w.g1, actor=w.d.dispatcher,
                                  units=[w.d.street_unit, w.d.community_unit, w.d.district_unit])
    event = RecordEvent.objects.of(w.g1).filter(action="update").first()
    assert event.data == {"covered_added": [], "covered_removed": ["cgj"]}


def test_members_roles_and_linked_accounts(sup_world):
    w = sup_world
    with pytest.raises(InvalidInput) as bad_role:
        actions.add_member(w.g1, actor=w.d.dispatcher, name="某人", role="顾问")
    assert bad_role.value.field == "role"
    with pytest.raises(InvalidInput, match="巡回指导组") as not_inspector:
        actions.add_member(w.g1, actor=w.d.dispatcher, name="某人", user=w.d.street_staff)
    assert not_inspector.value.field == "username"
    with pytest.raises(InvalidInput, match="已是本组成员"):
        actions.add_member(w.g1, actor=w.d.dispatcher, name="某人", user=w.inspector)
    member = actions.add_member(w.g2, actor=w.d.dispatcher, name="副组长甲", role="副组长",
                                user=w.outsider)
    assert member.user == w.outsider
    actions.remove_member(member, actor=w.d.dispatcher)
    assert not w.g2.members.filter(name="副组长甲").exists()


# --- visits --------------------------------------------------------------------------------------

def test_an_inspector_records_visits_for_their_own_group_only(sup_world):
    w = sup_world
    visit = actions.record_visit(w.g1, actor=w.inspector, unit=w.d.cgj, visited_on=later(w),
                                 rating="average", findings="台账不全")
    assert (visit.unit, visit.group, visit.created_by) == (w.d.cgj, w.g1, w.inspector)
    for actor, group, unit in ((w.inspector, w.g2, w.d.zjj), (w.outsider, w.g1, w.d.cgj),
                               (w.d.leader, w.g1, w.d.cgj), (w.d.street_staff, w.g1, w.d.cgj)):
        with pytest.raises(NotPermitted):
            actions.record_visit(group, actor=actor, unit=unit, visited_on=later(w))
    # the office records for any group
    actions.record_visit(w.g2, actor=w.d.admin, unit=w.d.zjj, visited_on=later(w))


def test_a_visit_is_refused_outside_the_groups_units_and_the_campaigns_dates(sup_world):
    w = sup_world
    with pytest.raises(InvalidInput) as outside:
        actions.record_visit(w.g1, actor=w.inspector, unit=w.d.zjj, visited_on=later(w))
    assert outside.value.field == "unit_code" and "区住房和城乡建设局" in outside.value.message
    cases = [
        ({"visited_on": w.start - dt.timedelta(days=1)}, "visited_on"),
        ({"visited_on": today() + dt.timedelta(days=1)}, "visited_on"),
        ({"visited_on": None}, "visited_on"),
        ({"rating": "excellent"}, "rating"),
        ({"findings": "长" * 10_001}, "findings"),
        ({"items": [actions.ItemIn("整改", later(w) - dt.timedelta(days=1))]}, "due_on"),
        ({"items": [actions.ItemIn("  ", later(w))]}, "item"),
        ({"items": [actions.ItemIn("整改", later(w))] * 31}, "rectifications"),
    ]
    for change, field in cases:
        values = {"unit": w.d.cgj, "visited_on": later(w)} | change
        with pytest.raises(InvalidInput) as refused:
            actions.record_visit(w.g1, actor=w.inspector, **values)
        assert refused.value.field == field, change
    assert not GuidanceVisit.objects.filter(unit=w.d.cgj).exists()


def test_a_visit_is_logged_on_itself_and_its_group(sup_world):
    w = sup_world
    visit = actions.record_visit(w.g1, actor=w.inspector, unit=w.d.cgj, visited_on=later(w),
                                 items=[actions.ItemIn("清理占道", later(w, 40))])
    assert RecordEvent.objects.of(visit).get().data == {"group": w.g1.pk, "rectifications": 1}
    added = RecordEvent.objects.of(w.g1).filter(action="add_visit").first()
    assert added.data == {"visit": visit.pk, "unit": "cgj"} and added.actor == w.inspector
    item = visit.rectifications.get()
    assert (item.unit, item.status) == (w.d.cgj, "open")


# --- rectification items ----------------------------------------------------------------------

def test_the_unit_marks_its_item_done_and_the_group_may_reopen_it(sup_world):
    w = sup_world
    item = w.open_item
    for actor in (w.inspector, w.d.leader, w.d.community_staff, w.other.street_staff):
        with pytest.raises(NotPermitted):
            actions.complete_rectification(item, actor=actor, result="已整改")
    with pytest.raises(InvalidInput) as empty:
        actions.complete_rectification(item, actor=w.d.street_staff, result="  ")
    assert empty.value.field == "result"
    with pytest.raises(InvalidInput) as early:
        actions.complete_rectification(item, actor=w.d.street_staff, result="好",
                                       done_on=w.v_street.visited_on - dt.timedelta(days=1))
    assert early.value.field == "done_on"
    done = actions.complete_rectification(item, actor=w.d.street_staff, result="台账已补齐")
    assert (done.status, done.done_on, done.result) == ("done", today(), "台账已补齐")
    with pytest.raises(TransitionNotAllowed):
        actions.complete_rectification(done, actor=w.d.street_staff, result="再来一次")
    for actor in (w.d.street_staff, w.outsider, w.d.leader):
        with pytest.raises(NotPermitted):
            actions.reopen_rectification(done, actor=actor, reason="未整改到位")
    reopened = actions.reopen_rectification(done, actor=w.inspector, reason="台账仍不全",
                                            due_on=today() + dt.timedelta(days=7))
    assert (reopened.status, reopened.done_on, reopened.due_on) == (
        "open", None, today() + dt.timedelta(days=7))
    assert [e.action for e in RecordEvent.objects.of(item).order_by("at", "id")] == [
        "create", "rectify", "reopen"]


# --- the coverage matrix -----------------------------------------------------------------------

def test_the_matrix_counts_as_the_statistics_do(sup_world):
    w = sup_world
    matrix = coverage_matrix(w.d.dispatcher)
    figures = supervision_figures(w.d.dispatcher, w.start, today())
    assert (matrix.units, matrix.visited, matrix.coverage) == (5, 3, 0.6)
    assert figures["supervision_coverage"] == 0.6 and not matrix.full
    by_group = {row.group.name: (row.visited, row.units, row.coverage) for row in matrix.rows}
    assert by_group == {"第一巡回指导组": (2, 3, 0.6667), "第二巡回指导组": (1, 2, 0.5)}
    cells = {c.unit.code: c for row in matrix.rows for c in row.cells}
    assert cells["linshanzhai"].last == w.v_street and not cells["cgj"].visited
    # a street sees its own units only, counted alike
    street = coverage_matrix(w.d.street_staff)
    assert {c.unit.code for row in street.rows for c in row.cells} == {
        "linshanzhai", "linshanzhai-01"}
    assert [row.group for row in street.rows] == [w.g1]
    assert (street.units, street.visited, street.full) == (2, 2, True)
    actions.record_visit(w.g1, actor=w.inspector, unit=w.d.cgj, visited_on=later(w))
    actions.record_visit(w.g2, actor=w.d.dispatcher, unit=w.d.zjj, visited_on=later(w))
    matrix = coverage_matrix(w.d.dispatcher)
    assert (matrix.units, matrix.visited, matrix.coverage, matrix.full) == (5, 5, 1.0, True)


def test_the_coverage_page_shows_the_percent_and_then_full_coverage(sup_world, client):
    w = sup_world
    login(client, "dispatcher")
    page = client.get(reverse("web:campaign-coverage")).content.decode()
    assert 'id="coverage-percent">60%<' in page and "全覆盖</span>" not in page
    assert page.count('class="cell-missing"') == 2 and "66.7%" in page and "50%" in page
    for unit, group in ((w.d.cgj, w.g1), (w.d.zjj, w.g2)):
        response = client.post(reverse("web:campaign-visit-new"), {
            "group": group.pk, "unit": unit.code, "visited_on": later(w).isoformat(),
            "rating": "good", "findings": "", "highlights": "亮点"})
        assert response.status_code == 302, response.content.decode()
    page = client.get(reverse("web:campaign-coverage")).content.decode()
    assert 'id="coverage-percent">100%<' in page and 'id="full-coverage"' in page


def test_the_coverage_workbook(sup_world, client):
    login(client, "dispatcher")
    response = client.get(reverse("web:campaign-coverage-export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["督导情况"]
    assert sheet["A1"].value == "巡回指导组督导全覆盖情况" and sheet.freeze_panes == "A4"
    assert "覆盖率60%" in sheet["B2"].value
    assert [c.value for c in sheet[3]][:5] == ["指导组", "组长", "被督导单位", "单位类型",
                                               "是否已督导"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert len(rows) == 5 and sum(row[4] == "是" for row in rows) == 3
    assert sheet.column_dimensions["C"].width == 30
    summary = [[c.value for c in row] for row in book["按指导组"].iter_rows(min_row=2)]
    assert summary[-1] == ["合计", 5, 3, 2, "60%"]


# --- pages -------------------------------------------------------------------------------------

def test_the_office_creates_a_group_through_the_page_and_is_told_which_unit_is_taken(
        sup_world, client):
    w = sup_world
    login(client, "dispatcher")
    response = client.post(reverse("web:campaign-guidance-group-new"), {
        "name": "第三巡回指导组", "order": "3", "units": ["zjj"]})
    assert response.status_code == 422
    assert "“区住房和城乡建设局”已由“第二巡回指导组”督导" in response.content.decode()
    response = client.post(reverse("web:campaign-guidance-group-new"), {
        "name": "第三巡回指导组", "order": "3", "units": [w.other.community_unit.code]})
    group = GuidanceGroup.objects.get(name="第三巡回指导组")
    assert response["Location"] == reverse("web:campaign-guidance-group", args=[group.pk])
    response = client.post(reverse("web:campaign-guidance-member-add", args=[group.pk]), {
        "name": "王组长", "role": "组长", "title": "区委办副主任", "username": "inspector2"})
    assert response.status_code == 302
    response = client.post(reverse("web:campaign-guidance-member-add", args=[group.pk]), {
        "name": "某人", "role": "成员", "username": "nobody"})
    assert response.status_code == 422 and "账号“nobody”不存在" in response.content.decode()
    page = client.get(reverse("web:campaign-guidance-group", args=[group.pk])).content.decode()
    assert "王组长" in page and "西里社区居委会" in page and "inspector2" in page
    listing = client.get(reverse("web:campaign-guidance-groups")).content.decode()
    assert "第三巡回指导组" in listing and "王组长" in listing


def test_the_inspector_records_a_visit_with_items_through_the_page(sup_world, client):
    w = sup_world
    login(client, "inspector")
    form = client.get(reverse("web:campaign-visit-new")).content.decode()
    assert "第一巡回指导组" in form and "第二巡回指导组" not in form
    assert "区城市管理局" in form and "区住房和城乡建设局" not in form
    response = client.post(reverse("web:campaign-visit-new"), {
        "group": w.g1.pk, "unit": "cgj", "visited_on": later(w).isoformat(), "rating": "fair",
        "findings": "占道经营反弹", "item-1-item": "清理占道经营",
        "item-1-due_on": later(w, 50).isoformat(), "item-2-item": "缺时限的一项"})
    assert response.status_code == 422 and "整改时限不能为空" in response.content.decode()
    response = client.post(reverse("web:campaign-visit-new"), {
        "group": w.g1.pk, "unit": "cgj", "visited_on": later(w).isoformat(), "rating": "fair",
        "findings": "占道经营反弹", "item-1-item": "清理占道经营",
        "item-1-due_on": later(w, 50).isoformat()})
    visit = GuidanceVisit.objects.get(unit=w.d.cgj)
    assert response["Location"] == reverse("web:campaign-visit", args=[visit.pk])
    assert visit.rectifications.get().item == "清理占道经营"
    refused = client.post(reverse("web:campaign-visit-new"), {
        "group": w.g2.pk, "unit": "zjj", "visited_on": later(w).isoformat(), "rating": "good"})
    assert refused.status_code == 422 and not GuidanceVisit.objects.filter(unit=w.d.zjj).exists()


def test_the_street_reports_its_item_done_and_the_inspector_reopens_it(sup_world, client):
    w = sup_world
    item = w.open_item
    login(client, "linshanzhai")
    page = client.get(reverse("web:campaign-visit", args=[w.v_street.pk])).content.decode()
    assert "报告整改情况" in page and "重新打开" not in page
    response = client.post(reverse("web:campaign-rectification-done", args=[item.pk]),
                           {"result": ""})
    assert response.status_code == 422 and "这个字段是必填项" in response.content.decode()
    response = client.post(reverse("web:campaign-rectification-done", args=[item.pk]),
                           {"result": "<script>alert(1)</script>台账已补齐"})
    assert response["Location"] == reverse("web:campaign-visit", args=[w.v_street.pk])
    page = client.get(reverse("web:campaign-visit", args=[w.v_street.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;台账已补齐" in page and "<script>alert" not in page
    again = client.post(reverse("web:campaign-rectification-done", args=[item.pk]),
                        {"result": "再报"})
    assert again.status_code == 409 and "该事项已整改" in again.content.decode()
    client.logout()
    login(client, "inspector")
    response = client.post(reverse("web:campaign-rectification-reopen", args=[item.pk]),
                           {"reason": "现场核查未整改到位"})
    assert response.status_code == 302
    assert Rectification.objects.get(pk=item.pk).status == "open"


def test_overdue_items_are_highlighted_and_the_list_filters(sup_world, client):
    w = sup_world
    overdue = actions.add_rectification(w.v_street, actor=w.inspector, item="逾期未改的事项",
                                        due_on=w.v_street.visited_on)
    login(client, "dispatcher")
    url = reverse("web:campaign-rectifications")
    page = client.get(url).content.decode()
    assert "逾期未改的事项" in page and "已逾期" in page and "row-late" in page
    assert page.count("<tr") == 1 + 3
    only_overdue = client.get(url, {"status": "overdue"}).content.decode()
    assert "逾期未改的事项" in only_overdue and "加强宣传" not in only_overdue
    done = client.get(url, {"status": "done"}).content.decode()
    assert "加强宣传" in done and "补齐学习台账" not in done
    by_unit = client.get(url, {"unit": "linshanzhai-01"}).content.decode()
    assert "加强宣传" in by_unit and "逾期未改的事项" not in by_unit
    by_group = client.get(url, {"group": w.g2.pk}).content.decode()
    assert "没有符合条件的整改事项" in by_group
    assert overdue.due_on < today()


def test_visits_seen_by_unit_a_street_its_own_and_its_communities(sup_world, client):
    w = sup_world
    login(client, "linshanzhai")
    listing = client.get(reverse("web:campaign-visits")).content.decode()
    assert "林山寨街道办事处" in listing and "百花社区居委会" in listing
    assert "中原西路街道办事处" not in listing
    assert client.get(reverse("web:campaign-visit", args=[w.v_other.pk])).status_code == 404
    coverage = client.get(reverse("web:campaign-coverage")).content.decode()
    assert "中原西路街道办事处" not in coverage and "第二巡回指导组" not in coverage
    client.logout()
    login(client, "linshanzhai-01")
    assert client.get(reverse("web:campaign-visit", args=[w.v_street.pk])).status_code == 404
    assert client.get(reverse("web:campaign-visit",
                              args=[w.v_community.pk])).status_code == 200


@pytest.mark.parametrize("text", [*HOSTILE, "' OR 1=1 --", "含\x00空字符"])
def test_hostile_text_through_the_visit_form(sup_world, client, text):
    w = sup_world
    login(client, "inspector")
    response = client.post(reverse("web:campaign-visit-new"), {
        "group": w.g1.pk, "unit": "cgj", "visited_on": later(w).isoformat(), "rating": "good",
        "findings": text, "highlights": text[:100], "item-1-item": text[:2000],
        "item-1-due_on": later(w, 30).isoformat()})
    assert response.status_code in (302, 400, 422), response.status_code
    if response.status_code != 302:  # NUL: refused before the view, naming the field
        assert "参数“findings”" in response.content.decode()
        assert not GuidanceVisit.objects.filter(unit=w.d.cgj).exists()
        return
    visit = GuidanceVisit.objects.get(unit=w.d.cgj)
    assert visit.findings == text
    page = client.get(reverse("web:campaign-visit", args=[visit.pk])).content.decode()
    assert "<script>alert('x')</script>" not in page


def test_hostile_group_and_member_names(sup_world, client):
    login(client, "dispatcher")
    for text in HOSTILE:
        response = client.post(reverse("web:campaign-guidance-group-new"), {
            "name": text, "order": "9"})
        assert response.status_code in (302, 422)
        if response.status_code == 422:
            assert "名称" in response.content.decode()
    listing = client.get(reverse("web:campaign-guidance-groups")).content.decode()
    assert "&lt;script&gt;" in listing and "<script>alert" not in listing
    response = client.post(reverse("web:campaign-guidance-group-new"), {
        "name": "空\x00字符", "order": "9"})
    assert response.status_code == 400 and "参数“name”" in response.content.decode()


def test_the_office_edits_a_group_and_a_unit_outside_the_group_is_named_on_its_field(
        sup_world, client):
    w = sup_world
    login(client, "dispatcher")
    edit = reverse("web:campaign-guidance-group-edit", args=[w.g2.pk])
    form = client.get(edit).content.decode()
    assert 'value="第二巡回指导组"' in form
    refused = client.post(edit, {"name": "第二巡回指导组", "order": "2",
                                 "units": ["zhongyuanxilu", "zjj", "cgj"]})
    assert refused.status_code == 422 and "“区城市管理局”已由“第一巡回指导组”督导" in \
        refused.content.decode()
    response = client.post(edit, {"name": "第二组(调整)", "order": "5",
                                  "units": ["zhongyuanxilu", "zjj", "zhongyuanxilu-01"]})
    assert response.status_code == 302
    w.g2.refresh_from_db()
    assert (w.g2.name, w.g2.order, w.g2.covered_units.count()) == ("第二组(调整)", 5, 3)
    member = w.g2.members.get()
    response = client.post(reverse("web:campaign-guidance-member-remove",
                                   args=[w.g2.pk, member.pk]))
    assert response.status_code == 302 and not w.g2.members.exists()
    mismatch = client.post(reverse("web:campaign-visit-new"), {
        "group": w.g1.pk, "unit": "zjj", "visited_on": later(w).isoformat(), "rating": "good"})
    assert mismatch.status_code == 422
    body = mismatch.content.decode()
    assert "“区住房和城乡建设局”不在“第一巡回指导组”的督导范围内" in body
    assert body.index("督导范围内") > body.index('id="id_unit"')  # shown on the unit field


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_member_names_and_reasons_through_the_pages(sup_world, client, text):
    w = sup_world
    login(client, "dispatcher")
    response = client.post(reverse("web:campaign-guidance-member-add", args=[w.g2.pk]),
                           {"name": text, "role": "成员", "title": text[:100]})
    if response.status_code == 422:
        assert "姓名" in response.content.decode() and len(text) > actions.MEMBER_NAME_MAX
    else:
        assert response.status_code == 302
        page = client.get(reverse("web:campaign-guidance-group", args=[w.g2.pk]))
        assert "<script>alert" not in page.content.decode()
        assert w.g2.members.filter(name=text).exists()
    response = client.post(reverse("web:campaign-rectification-reopen", args=[w.done_item.pk]),
                           {"reason": text})
    if len(text) > actions.RESULT_MAX:
        assert response.status_code == 422 and "重新打开的原因" in response.content.decode()
        return
    assert response.status_code == 302
    event = RecordEvent.objects.of(w.done_item).filter(action="reopen").get()
    assert event.note == text[:200]
    page = client.get(reverse("web:campaign-visit", args=[w.v_community.pk])).content.decode()
    assert "<script>alert" not in page

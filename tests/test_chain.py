"""The chain below the district: a street 转派s a case to one of its communities, the
community accepts, answers or returns it to the street, and the street 审核s the answer
before it reaches the resident. Actions, the API and the case page."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from banshi.appeals import actions
from banshi.appeals.choices import Action, State
from banshi.appeals.models import Appeal
from banshi.appeals.public import public_reply, public_timeline
from banshi.appeals.transitions import APPEAL
from banshi.org.models import ApiToken

from .factories import (
    HOSTILE,
    add_other_street,
    dispatched,
    in_progress,
    login,
    with_code,
)

API = "/api/v1"


def at_street(d, **kwargs) -> Appeal:
    """A case the street has accepted (in progress at 林山寨街道)."""
    return actions.accept(dispatched(d, d.street_unit, **kwargs), actor=d.street_staff)


def delegated(d, **kwargs) -> Appeal:
    return actions.delegate(at_street(d, **kwargs), actor=d.street_staff, unit=d.community_unit,
                            note="请社区核实处理")


def post(user, path, body=None):
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"}
    return Client().post(API + path, json.dumps(body or {}), content_type="application/json",
                         headers=headers)


# ---------- the actions ----------

def test_street_delegates_to_its_community_which_accepts_and_answers_after_review(d):
    appeal = at_street(d)
    due = timezone.localdate(appeal.handling_due_at)
    appeal = actions.delegate(appeal, actor=d.street_staff, unit=d.community_unit,
                              note="请百花社区上门核实", due=due - dt.timedelta(days=1))
    assert appeal.state == State.DISPATCHED and appeal.unit == d.community_unit
    assert appeal.delegated_by == d.street_unit
    assert appeal.delegation_due == due - dt.timedelta(days=1)
    assert appeal.handling_due_at is not None  # the street's deadline stays
    appeal = actions.accept(appeal, actor=d.community_staff)
    appeal = actions.resolve(appeal, actor=d.community_staff, reply="已联系供电所修复路灯。")
    assert appeal.state == State.PENDING_REVIEW
    assert public_reply(appeal) == ""  # not yet for the resident
    assert "承办单位已答复" not in [e["note"] for e in public_timeline(appeal)]
    appeal = actions.review(appeal, actor=d.street_staff, approve=True)
    assert appeal.state == State.RESOLVED and appeal.resolved_at is not None
    assert public_reply(appeal) == "已联系供电所修复路灯。"
    assert public_timeline(appeal)[-1]["note"] == "承办单位已答复"
    assert [e.action for e in appeal.events.order_by("at", "id")][-5:] == [
        Action.ACCEPT, Action.DELEGATE, Action.ACCEPT, Action.RESOLVE, Action.REVIEW]


def test_rejected_answer_goes_back_to_the_community_with_the_note(d):
    appeal = actions.accept(delegated(d), actor=d.community_staff)
    appeal = actions.resolve(appeal, actor=d.community_staff, reply="已处理。")
    with pytest.raises(actions.InvalidInput) as no_note:
        actions.review(appeal, actor=d.street_staff, approve=False)
    assert no_note.value.field == "note"
    appeal = actions.review(appeal, actor=d.street_staff, approve=False, note="请附现场照片")
    assert appeal.state == State.IN_PROGRESS and appeal.unit == d.community_unit
    assert appeal.reply == ""
    assert "请附现场照片" in appeal.events.last().note
    assert APPEAL.allowed("resolve", d.community_staff, appeal)


def test_without_review_the_communitys_answer_reaches_the_resident_at_once(d):
    d.street_unit.review_delegated_answers = False
    d.street_unit.save()
    appeal = actions.accept(delegated(d), actor=d.community_staff)
    appeal = actions.resolve(appeal, actor=d.community_staff, reply="已修复。")
    assert appeal.state == State.RESOLVED and public_reply(appeal) == "已修复。"


def test_community_returns_to_the_street_not_the_district(d):
    appeal = delegated(d)
    appeal = actions.return_(appeal, actor=d.community_staff, reason="不在本社区辖区")
    assert appeal.state == State.IN_PROGRESS and appeal.unit == d.street_unit
    assert appeal.delegated_by is None and appeal.delegation_due is None
    event = appeal.events.last()
    assert event.action == Action.RETURN and event.unit == d.community_unit
    assert "不在本社区辖区" in event.note
    # the street handles it again: answers itself, or delegates to another community
    actions.delegate(appeal, actor=d.street_staff, unit=d.community2_unit, note="请桐淮社区办理")


def test_only_the_holders_own_sub_units(d):
    other = add_other_street(d)
    appeal = at_street(d)
    for unit in (other.community_unit, d.cgj, d.street_unit, d.district_unit):
        with pytest.raises(actions.InvalidInput) as refused:
            actions.delegate(appeal, actor=d.street_staff, unit=unit, note="转派")
        assert refused.value.field == "unit_code"
    with pytest.raises(actions.NotPermitted):  # a sibling street holds no right on it
        actions.delegate(appeal, actor=other.street_staff, unit=d.community_unit, note="转派")
    # a unit without sub-units cannot delegate at all
    assert not APPEAL.allowed("delegate", d.cgj_staff, in_progress(d))
    assert "没有下级单位" in APPEAL.state_refusal("delegate", in_progress(d))


def test_the_due_date_lies_inside_the_streets_deadline(d):
    appeal = at_street(d)
    limit = timezone.localdate(appeal.handling_due_at)
    for bad in (limit + dt.timedelta(days=1), timezone.localdate() - dt.timedelta(days=1)):
        with pytest.raises(actions.InvalidInput) as refused:
            actions.delegate(appeal, actor=d.street_staff, unit=d.community_unit, note="转派",
                             due=bad)
        assert refused.value.field == "due"
    appeal = actions.delegate(appeal, actor=d.street_staff, unit=d.community_unit, note="转派")
    assert appeal.delegation_due == limit


def test_only_the_delegating_unit_reviews(d):
    appeal = actions.accept(delegated(d), actor=d.community_staff)
    appeal = actions.resolve(appeal, actor=d.community_staff, reply="已处理。")
    for outsider in (d.community_staff, d.cgj_staff, d.leader):
        with pytest.raises(actions.NotPermitted) as refused:
            actions.review(appeal, actor=outsider, approve=True)
        assert refused.value.message == "只有转派该诉求的单位可以审核答复"


def test_the_street_keeps_seeing_the_case_with_the_residents_contact(d):
    appeal = delegated(d)
    assert Appeal.objects.visible_to(d.street_staff).filter(pk=appeal.pk).exists()
    from banshi.appeals.masking import contact

    assert contact(d.street_staff, appeal)["phone"] == "13812341234"
    assert contact(d.community2_staff, appeal)["phone"] != "13812341234"


# ---------- the API ----------

def test_api_delegate_accept_resolve_review(d):
    appeal = at_street(d)
    path = f"/appeals/{appeal.number}"
    due = timezone.localdate(appeal.handling_due_at).isoformat()
    response = post(d.street_staff, f"{path}/delegate",
                    {"unit_code": d.community_unit.code, "note": "请社区办理", "due": due})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unit_code"] == d.community_unit.code
    assert body["delegated_by_code"] == d.street_unit.code and body["delegation_due"] == due
    accepted = post(d.community_staff, f"{path}/accept").json()
    assert accepted["state"] == "in_progress" and "resolve" in accepted["allowed_actions"]
    answered = post(d.community_staff, f"{path}/resolve", {"reply": "已修复。"})
    assert answered.json()["state"] == "pending_review"
    street_view = Client().get(API + path, headers={
        "Authorization": f"Bearer {ApiToken.objects.issue(d.street_staff)}"}).json()
    assert street_view["allowed_actions"] == ["review"]
    approved = post(d.street_staff, f"{path}/review", {"approve": True, "note": "同意"})
    assert approved.status_code == 200 and approved.json()["state"] == "resolved"


def test_api_delegate_refusals(d):
    other = add_other_street(d)
    appeal = at_street(d)
    path = f"/appeals/{appeal.number}/delegate"
    foreign = post(d.street_staff, path, {"unit_code": other.community_unit.code, "note": "转"})
    assert foreign.status_code == 422 and foreign.json()["field"] == "unit_code"
    unknown = post(d.street_staff, path, {"unit_code": "nowhere", "note": "转"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "unit_code"
    # an appeal the caller cannot see: 404, as for every action
    hidden = post(other.street_staff, path, {"unit_code": other.community_unit.code,
                                             "note": "转"})
    assert hidden.status_code == 404
    # a department that sees nothing of it: 404; the dispatcher: no right (403)
    assert post(d.cgj_staff, path, {"unit_code": "linshanzhai-01", "note": "转"}
                ).status_code == 404
    assert post(d.dispatcher, path, {"unit_code": "linshanzhai-01", "note": "转"}
                ).status_code == 403
    late = post(d.street_staff, path, {"unit_code": "linshanzhai-01", "note": "转",
                                       "due": "2099-01-01"})
    assert late.status_code == 422 and late.json()["field"] == "due"


def test_api_review_reject_needs_a_note_and_hostile_text_survives(d):
    appeal = actions.accept(delegated(d), actor=d.community_staff)
    path = f"/appeals/{appeal.number}"
    for text in HOSTILE[:4]:
        post(d.community_staff, f"{path}/resolve", {"reply": text})
        assert post(d.street_staff, f"{path}/review", {"approve": False}).status_code == 422
        rejected = post(d.street_staff, f"{path}/review", {"approve": False, "note": text})
        assert rejected.status_code == 200, rejected.content
        assert rejected.json()["state"] == "in_progress"
    too_long = post(d.street_staff, f"{path}/review", {"approve": False, "note": HOSTILE[4]})
    assert too_long.status_code in (409, 422)


# ---------- the case page ----------


def act(appeal, name):
    return reverse("web:act", args=[appeal.number, name])


def test_case_page_delegate_and_review(client, d):
    appeal = at_street(d)
    login(client, "linshanzhai")
    html = client.get(reverse("web:case", args=[appeal.number])).content.decode()
    assert f'action="{act(appeal, "delegate")}"' in html
    assert "百花社区居委会" in html and "桐淮社区居委会" in html
    response = client.post(act(appeal, "delegate"), {
        "unit": d.community_unit.code, "note": HOSTILE[0], "due": ""}, follow=True)
    assert "已转派下级单位" in response.content.decode()
    assert HOSTILE[0] not in response.content.decode()  # escaped
    appeal.refresh_from_db()
    assert appeal.unit == d.community_unit and appeal.state == State.DISPATCHED

    community = login(Client(), "linshanzhai-01")
    page = community.get(reverse("web:case", args=[appeal.number])).content.decode()
    assert 'id="delegated-by">林山寨街道办事处' in page
    community.post(act(appeal, "accept"), {})
    community.post(act(appeal, "resolve"), {"reply": "已修复路灯。"})
    appeal.refresh_from_db()
    assert appeal.state == State.PENDING_REVIEW
    html = client.get(reverse("web:case", args=[appeal.number])).content.decode()
    assert f'action="{act(appeal, "review")}"' in html
    client.post(act(appeal, "review"), {"decision": "approve", "note": ""})
    appeal.refresh_from_db()
    assert appeal.state == State.RESOLVED


def test_case_page_return_from_the_community_goes_to_the_street(client, d):
    appeal = delegated(d)
    login(client, "linshanzhai-01").post(act(appeal, "return"), {"reason": "不属本社区"})
    appeal.refresh_from_db()
    assert appeal.unit == d.street_unit and appeal.state == State.IN_PROGRESS


def test_resident_tracks_the_delegated_case(d):
    appeal, code = with_code(d)
    appeal = actions.dispatch(appeal, actor=d.dispatcher, unit=d.street_unit)
    appeal = actions.accept(appeal, actor=d.street_staff)
    appeal = actions.delegate(appeal, actor=d.street_staff, unit=d.community_unit, note="请办理")
    body = Client().post(API + "/appeals/track", json.dumps({"number": appeal.number,
                                                             "code": code}),
                         content_type="application/json").json()
    assert body["events"][-1]["note"] == "已转交百花社区居委会办理"


# ---------- routing: central or street_first ----------

def submit_public(d, region_code):
    response = Client().post(API + "/appeals", json.dumps({
        "title": "百花路路灯不亮", "content": "三盏路灯一周不亮", "region_code": region_code,
        "contact_name": "李四", "contact_phone": "13912345678"}),
        content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def get(user, path):
    return Client().get(API + path, headers={
        "Authorization": f"Bearer {ApiToken.objects.issue(user)}"})


def test_street_first_a_public_appeal_goes_to_its_street_at_once(d, settings):
    settings.BANSHI_ROUTING = "street_first"
    created = submit_public(d, d.community.code)
    assert created["state"] == "dispatched"
    number = created["number"]
    listed = get(d.street_staff, "/appeals").json()["results"]
    assert number in [row["number"] for row in listed]
    shown = get(d.street_staff, f"/appeals/{number}").json()
    assert shown["unit_code"] == d.street_unit.code and "accept" in shown["allowed_actions"]
    assert shown["contact"]["phone"] == "13912345678"  # the handling unit sees it unmasked
    event = Appeal.objects.get(number=number).events.last()
    assert event.action == Action.DISPATCH and event.actor is None
    assert event.actor_label == "系统(街道先行)"
    accepted = post(d.street_staff, f"/appeals/{number}/accept")
    assert accepted.status_code == 200 and accepted.json()["state"] == "in_progress"
    # a department's matter: the street passes it up to the district dispatcher
    returned = post(d.street_staff, f"/appeals/{number}/return", {"reason": "属住建局职责"})
    assert returned.json()["state"] == "returned"
    assert number in [a.number for a in Appeal.objects.filter(state=State.RETURNED)]


def test_central_a_public_appeal_waits_for_the_dispatcher(d, settings):
    settings.BANSHI_ROUTING = "central"
    created = submit_public(d, d.community.code)
    assert created["state"] == "submitted"
    assert get(d.street_staff, f"/appeals/{created['number']}").status_code == 404
    assert created["number"] not in [
        row["number"] for row in get(d.street_staff, "/appeals").json()["results"]]


def test_street_first_without_a_community_or_street_office_waits_too(d, settings):
    settings.BANSHI_ROUTING = "street_first"
    appeal, _code = actions.submit_appeal(title="路灯", content="不亮")
    assert appeal.state == State.SUBMITTED
    d.street_unit.is_active = False
    d.street_unit.save()
    assert submit_public(d, d.community.code)["state"] == "submitted"


def test_street_first_through_the_h5_form(client, d, settings):
    settings.BANSHI_ROUTING = "street_first"
    response = client.post(reverse("web:submit"), {
        "title": "小区门口积水", "content": "下雨后积水严重", "region": d.community.code,
        "contact_name": "王五", "contact_phone": "13700001111", "address": ""})
    assert response.status_code in (200, 302), response.content.decode()[:500]
    appeal = Appeal.objects.get(title="小区门口积水")
    assert appeal.state == State.DISPATCHED and appeal.unit == d.street_unit


# ---------- 办理层级 ----------

def answered_by_community(d, **kwargs) -> Appeal:
    appeal = actions.accept(delegated(d, **kwargs), actor=d.community_staff)
    appeal = actions.resolve(appeal, actor=d.community_staff, reply="社区已处理。")
    return actions.review(appeal, actor=d.street_staff, approve=True)


def three_levels(d) -> dict[str, Appeal]:
    """One appeal answered at each level (the community's through its street's review)."""
    street = actions.resolve(at_street(d, title="街道办结"), actor=d.street_staff, reply="已办")
    community = answered_by_community(d, title="社区办结")
    district = actions.invalidate(actions.return_(dispatched(d, title="退回区级"),
                                                  actor=d.cgj_staff, reason="非本单位职责"),
                                  actor=d.dispatcher, reason="重复")
    return {"street": street, "community": community, "district": district}


def test_level_follows_the_case_down_and_up(d):
    appeal = dispatched(d, d.street_unit)
    assert appeal.level == "street"
    appeal = actions.delegate(actions.accept(appeal, actor=d.street_staff),
                              actor=d.street_staff, unit=d.community_unit, note="请办理")
    assert appeal.level == "community"
    appeal = actions.return_(appeal, actor=d.community_staff, reason="不属本社区")
    assert appeal.level == "street"  # back at the street, which handles it
    appeal = actions.return_(appeal, actor=d.street_staff, reason="属部门职责")
    assert appeal.level == "district"  # with the district dispatcher
    # escalated by a community, answered by its street: the street's level
    escalated = actions.escalate(actions.accept(dispatched(d, d.community_unit),
                                                actor=d.community_staff),
                                 actor=d.community_staff, note="需街道协调")
    escalated = actions.resolve(actions.accept(escalated, actor=d.street_staff),
                                actor=d.street_staff, reply="街道已协调解决")
    assert Appeal.objects.get(pk=escalated.pk).level == "street"
    assert answered_by_community(d).level == "community"


def test_api_and_ledger_filter_by_level(client, d):
    made = three_levels(d)
    for level, appeal in made.items():
        rows = get(d.dispatcher, f"/appeals?level={level}").json()["results"]
        numbers = [row["number"] for row in rows]
        assert appeal.number in numbers, level
        assert all(row["level"] == level for row in rows)
        others = [a.number for key, a in made.items() if key != level]
        assert not set(others) & set(numbers)
    bad = get(d.dispatcher, "/appeals?level=province")
    assert bad.status_code == 422
    # the street sees its communities' level too, within its own scope only
    street_rows = get(d.street_staff, "/appeals?level=community").json()["results"]
    assert [row["number"] for row in street_rows] == [made["community"].number]

    login(client, "dispatcher")
    html = client.get(reverse("web:ledger"), {"level": "community"}).content.decode()
    assert made["community"].number in html and made["street"].number not in html
    assert "<th>办理层级</th>" in html and ">社区</td>" in html
    assert 'name="level"' in client.get(reverse("web:ledger")).content.decode()
    case = client.get(reverse("web:case", args=[made["community"].number])).content.decode()
    assert '<dd id="level">社区</dd>' in case


def test_export_ledger_by_level(d, tmp_path):
    from django.core.management import CommandError, call_command
    from openpyxl import load_workbook

    from banshi.appeals.ledger import HEADERS

    made = three_levels(d)
    target = tmp_path / "community.xlsx"
    call_command("export_ledger", str(target), "--level", "community")
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    column = HEADERS.index("办理层级")
    assert [row[0] for row in rows[1:]] == [made["community"].number]
    assert rows[1][column] == "社区"
    with pytest.raises((CommandError, SystemExit)):
        call_command("export_ledger", str(target), "--level", "province")


def test_the_migration_fills_levels_from_the_events(d):
    """appeals.0006 derives each existing appeal's level from its events and unit."""
    import importlib

    from django.apps import apps

    made = three_levels(d)
    waiting = dispatched(d, d.community_unit)
    Appeal.objects.update(level="street")
    migration = importlib.import_module("banshi.appeals.migrations.0007_appeal_level")
    migration.fill_levels(apps, None)
    levels = dict(Appeal.objects.values_list("number", "level"))
    assert {key: levels[a.number] for key, a in made.items()} == {
        "street": "street", "community": "community", "district": "district"}
    assert levels[waiting.number] == "community"


def test_the_streets_workbench_lists_answers_to_review_and_cases_delegated(client, d):
    waiting = delegated(d, title="转派待接单")
    answered = actions.resolve(actions.accept(delegated(d, title="社区已答复"),
                                              actor=d.community_staff),
                               actor=d.community_staff, reply="已处理。")
    html = login(client, "linshanzhai").get(reverse("web:home")).content.decode()
    panel = html[html.index('id="delegated"'):]
    assert "1 件待审核" in panel
    assert answered.number in panel and waiting.number in panel and "待审核" in panel
    other = login(Client(), "cgj").get(reverse("web:home")).content.decode()
    assert 'id="delegated"' not in other


def test_the_streets_deadline_runs_while_the_answer_awaits_review(d):
    appeal = actions.resolve(actions.accept(delegated(d), actor=d.community_staff),
                             actor=d.community_staff, reply="已处理。")
    assert actions.mark_overdue(now=appeal.handling_due_at + dt.timedelta(minutes=1)) == 1
    appeal.refresh_from_db()
    assert appeal.is_overdue and appeal.state == State.PENDING_REVIEW


# ---------- in a browser (zh-CN): the street takes it, delegates, the community answers ----

@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_chain_in_a_browser(live_server, browser, output_dir, settings):
    from django.db import connections

    from .factories import build_district
    from .test_browser import staff_page

    settings.BANSHI_ROUTING = "street_first"
    d = build_district()
    base = live_server.url
    try:
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                    is_mobile=True, has_touch=True)
        resident = phone.new_page()
        resident.goto(base + reverse("web:submit"))
        resident.fill("#id_title", "百花路路灯不亮")
        resident.fill("#id_content", "百花路中段三盏路灯连续一周不亮。")
        resident.select_option("#id_region", d.community.code)
        resident.fill("#id_contact_phone", "13812341234")
        resident.click("button[type=submit]")
        resident.wait_for_selector("#appeal-number")
        number = resident.inner_text("#appeal-number").strip()

        street = staff_page(browser, base, "linshanzhai")
        assert number in street.inner_text("main")  # in the street's queue at once
        street.click(f"text={number}")
        street.click("#action-accept button[type=submit]")
        street.wait_for_selector("#action-delegate")
        street.click("#action-delegate summary")
        street.select_option("#id_delegate_unit", d.community_unit.code)
        assert street.input_value("#id_delegate_due")  # the street's own deadline, ISO
        street.fill("#id_delegate_note", "请百花社区上门核实")
        street.screenshot(path=output_dir / "chain-01-delegate.png", full_page=True)
        street.click("#action-delegate button[type=submit]")
        street.wait_for_selector("#delegated-by")

        community = staff_page(browser, base, "linshanzhai-01")
        community.click(f"text={number}")
        community.click("#action-accept button[type=submit]")
        community.wait_for_selector("#action-resolve")
        community.fill("#id_resolve_reply", "已联系供电所更换灯泡。")
        community.click("#action-resolve button[type=submit]")
        community.wait_for_selector("text=待审核")

        street.goto(f"{base}/staff/")
        street.screenshot(path=output_dir / "chain-02-to-review.png", full_page=True)
        street.click(f"#delegated >> text={number}")
        street.check("#action-review input[value=approve]")
        street.screenshot(path=output_dir / "chain-03-review.png", full_page=True)
        street.click("#action-review button[type=submit]")
        street.wait_for_selector("text=已审核")
        assert Appeal.objects.get(number=number).state == State.RESOLVED
    finally:
        connections.close_all()

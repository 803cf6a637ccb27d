"""Every change to a collection record is logged: each action writes one RecordEvent (action,
actor, unit), with nothing personal in its note or data; the log is append-only in the
application and in the database (SQLite and PostgreSQL); the record's page shows it."""

import datetime as dt
import json

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from banshi.collection.actions import boxes, groups, liaisons, surveys, symposiums, visits
from banshi.collection.choices import RecordAction as A
from banshi.collection.models import LiaisonPairing, RecordEvent

from .factories import login, today
from .test_collection_liaisons import workbook

pytestmark = pytest.mark.django_db

# What the households and residents are called in these tests: never in the log.
PERSONAL = ["王秀英", "13803710000", "百花路88号", "李建国"]


def log(record) -> list[tuple[str, object, object]]:
    """(action, actor, unit) of a record's events, oldest first."""
    return [(e.action, e.actor, e.unit) for e in reversed(RecordEvent.objects.of(record))]


def assert_nothing_personal():
    for event in RecordEvent.objects.all():
        text = event.note + json.dumps(event.data, ensure_ascii=False) + event.actor_label
        for word in PERSONAL:
            assert word not in text, (event.action, text)


def appeal_row(n=1):
    return (n, {"title": f"路灯不亮{n}", "content": "百花路路灯坏了", "contact_name": "王秀英",
                "contact_phone": "13803710000", "address": "百花路88号"})


def test_symposium_actions_are_logged(d, client):
    actor, unit = d.dispatcher, d.community_unit
    meeting = symposiums.create_symposium(actor=actor, unit=unit, held_on=today(),
                                          topic="加装电梯协商会")
    symposiums.update_symposium(meeting, actor=actor, unit=unit, kind=meeting.kind,
                                held_on=today(), topic="加装电梯协商会(二)", participants=9)
    person = symposiums.add_participant(meeting, actor=actor, name="李建国", role="居民代表")
    symposiums.remove_participant(person, actor=actor)
    symposiums.sign_in(meeting, name="王秀英", organisation="百花路88号")
    symposiums.attach_file(meeting, actor=actor, name="纪要.pdf", data=b"%PDF-1.4")
    row = symposiums.AppealRow(1, "路灯不亮", "百花路路灯坏了", "王秀英", "13803710000",
                               "百花路88号", d.community)
    bad = symposiums.AppealRow(2, "", "")
    raised = symposiums.raise_appeals(meeting, actor=actor, rows=[row, bad])
    assert log(meeting) == [(a, None if a == A.SIGN_IN else actor, unit) for a in (
        A.CREATE, A.UPDATE, A.ADD_PARTICIPANT, A.REMOVE_PARTICIPANT, A.SIGN_IN, A.ATTACH,
        A.RAISE_APPEALS)]
    events = list(RecordEvent.objects.of(meeting))
    assert events[0].data == {"appeals": [raised.appeals[0].number], "refused_rows": [2]}
    assert events[-2].data == {"fields": ["participants", "topic"]}
    assert events[2].actor_label == "群众(扫码签到)"
    assert_nothing_personal()
    page = login(Client(), "dispatcher").get(reverse("web:symposium", args=[meeting.pk]))
    html = page.content.decode()
    assert "操作记录" in html and "群众(扫码签到)" in html and "上传附件" in html
    assert html.index("录入诉求") < html.index("添加参会人员")  # newest first


def test_group_actions_are_logged(d):
    actor, unit = d.dispatcher, d.community_unit
    chat = groups.create_group(actor=actor, unit=unit, kind="wechat_group", name="百花社区居民群")
    groups.update_group(chat, actor=actor, unit=unit, kind="wechat_group", name="百花社区群",
                        members=300)
    _message, appeal = groups.paste_message(
        chat, actor=actor, sender_alias="王秀英", sent_at=timezone.now(),
        text="百花路88号楼下路灯不亮，电话13803710000")
    assert log(chat) == [(A.CREATE, actor, unit), (A.UPDATE, actor, unit),
                         (A.PASTE_MESSAGE, actor, unit)]
    assert RecordEvent.objects.of(chat)[0].data["appeals"] == [appeal.number]
    assert RecordEvent.objects.of(chat)[1].data == {"fields": ["members", "name"]}
    assert_nothing_personal()
    html = login(Client(), "dispatcher").get(reverse("web:online-group", args=[chat.pk]))
    assert "贴入消息" in html.content.decode()


def test_questionnaire_actions_are_logged(d):
    actor, unit = d.street_staff, d.street_unit
    q = surveys.create_questionnaire(actor=actor, unit=unit, title="征求意见表")
    surveys.update_questionnaire(q, actor=actor, title="征求意见表(二)")
    first = surveys.save_question(q, actor=actor, kind="text", text="意见建议")
    second = surveys.save_question(q, actor=actor, kind="rating", text="满意度")
    surveys.save_question(q, actor=actor, kind="rating", text="服务满意度", question=second)
    surveys.move_question(second, actor=actor, up=True)
    surveys.delete_question(first, actor=actor)
    surveys.save_question(q, actor=actor, kind="text", text="您的意见")
    q = surveys.publish(q, actor=actor)
    surveys.record_distribution(q, actor=actor, unit=unit, distributed_on=today(),
                                mode="paper", copies=120)
    text = q.questions.get(kind="text")
    answers = {text.pk: ["王秀英说百花路88号路灯不亮"], second.pk: ["5"]}
    online = surveys.submit_response(q, values_for=lambda question: answers[question.pk],
                                     device="phone-1")
    surveys.submit_response(q, values_for=lambda question: answers[question.pk],
                            source="paper", actor=actor)
    assert surveys.add_imported(q, [{}, {}, {}], actor=actor, unit=unit) == 3
    surveys.answer_to_appeal(online, text, actor=actor, title="路灯不亮")
    surveys.close(q, actor=actor)
    actions = [e[0] for e in log(q)]
    assert actions == [A.CREATE, A.UPDATE, A.ADD_QUESTION, A.ADD_QUESTION, A.EDIT_QUESTION,
                       A.MOVE_QUESTION, A.DELETE_QUESTION, A.ADD_QUESTION, A.PUBLISH,
                       A.DISTRIBUTE, A.SUBMIT_RESPONSE, A.ENTER_RESPONSE, A.IMPORT_RESPONSES,
                       A.ANSWER_TO_APPEAL, A.CLOSE]
    assert {(e[1], e[2]) for e in log(q) if e[0] != A.SUBMIT_RESPONSE} == {(actor, unit)}
    events = {e.action: e for e in RecordEvent.objects.of(q)}
    assert events[A.SUBMIT_RESPONSE].actor is None
    assert events[A.SUBMIT_RESPONSE].actor_label == "群众(H5问卷)"
    assert events[A.IMPORT_RESPONSES].data["responses"] == 3
    assert events[A.DISTRIBUTE].data["copies"] == 120
    assert events[A.CLOSE].data == {"responses": 5}
    assert_nothing_personal()
    html = login(Client(), "linshanzhai").get(reverse("web:questionnaire", args=[q.pk]))
    assert "操作记录" in html.content.decode() and "导入答卷" in html.content.decode()


def test_box_actions_are_logged(d):
    actor, unit = d.dispatcher, d.community_unit
    box = boxes.register_box(actor=actor, code="EV-1", kind="box", place="百花社区门口",
                             region=d.community, unit=unit,
                             installed_on=today() - dt.timedelta(days=9), status="active")
    boxes.update_box(box, actor=actor, code="EV-1", kind="box", place="百花社区北门",
                     region=d.community, unit=unit, installed_on=box.installed_on,
                     status="active")
    opening = boxes.record_opening(box, actor=actor, opened_on=today(), opened_by="网格员",
                                   slips=4)
    report = boxes.transcribe_slips(opening, [appeal_row(1), (2, {"title": ""})], actor=actor)
    assert log(box) == [(a, actor, unit) for a in (A.CREATE, A.UPDATE, A.OPEN_BOX,
                                                   A.RAISE_APPEALS)]
    events = list(RecordEvent.objects.of(box))
    assert events[0].data["appeals"] == [report.done[1].number]
    assert events[0].data["refused_rows"] == [2]
    assert events[1].data["slips"] == 4 and events[2].data == {"fields": ["place"]}
    assert_nothing_personal()
    html = login(Client(), "dispatcher").get(reverse("web:opinion-box", args=["EV-1"]))
    assert "开箱" in html.content.decode() and "操作记录" in html.content.decode()


def test_visit_actions_are_logged(d):
    actor, unit = d.dispatcher, d.community_unit
    visit = visits.record_visit(actor=actor, unit=unit, visited_on=today(), region=d.community,
                                visitors="张三、李四", household_name="王秀英",
                                address="百花路88号", people_met=3)
    visits.raise_from_visit(visit, [appeal_row(1)], actor=actor)
    day = visits.record_day(actor=actor, unit=unit, visited_on=today(), visitors="张三",
                            rows=[(1, {"household_name": "李建国", "address": "百花路88号"}),
                                  (2, {"address": ""})])
    assert log(visit) == [(A.CREATE, actor, unit), (A.RAISE_APPEALS, actor, unit)]
    assert len(day.visits) == 1 and log(day.visits[0]) == [(A.CREATE, actor, unit)]
    assert RecordEvent.objects.count() == 3
    assert_nothing_personal()
    html = login(Client(), "dispatcher").get(reverse("web:household-visit", args=[visit.pk]))
    assert "操作记录" in html.content.decode() and "录入诉求" in html.content.decode()


def test_liaison_actions_are_logged_one_event_per_import_and_liaison(d):
    actor, unit = d.street_staff, d.street_unit
    day = today() - dt.timedelta(days=5)
    rows = [["党员甲", "13803710000", "", "百花社区", f"王秀英{i}", f"百花路88号{i}", day]
            for i in range(5)] + [["党员乙", "", "", "百花社区", "李建国", "百花路88号", day],
                                  ["", "", "", "", "", "", day]]
    report = liaisons.import_pairings(workbook(rows), filename="a.xlsx", unit=unit, actor=actor)
    assert (report.paired, report.liaisons) == (6, 2)
    assert RecordEvent.objects.count() == 2  # one per liaison touched, not one per row
    pairing = LiaisonPairing.objects.filter(liaison__name="党员甲").first()
    liaisons.log_contact(pairing, actor=actor, contacted_on=today(), note="上门了解情况",
                         solved=True, appeal={"title": "路灯不亮", "content": "百花路路灯坏了",
                                              "contact_name": "王秀英"})
    liaison = pairing.liaison
    assert log(liaison) == [(A.IMPORT_PAIRINGS, actor, unit), (A.CONTACT, actor, unit)]
    contact, imported = RecordEvent.objects.of(liaison)
    assert imported.data["households"] == 5 and imported.data["import"]["refused_rows"] == 1
    assert len(contact.data["appeals"]) == 1 and contact.data["solved"] is True
    assert_nothing_personal()
    html = login(Client(), "linshanzhai").get(reverse("web:liaison", args=[liaison.pk]))
    assert "导入结对" in html.content.decode() and "联系记录" in html.content.decode()


@pytest.fixture
def event(d):
    chat = groups.create_group(actor=d.dispatcher, unit=d.community_unit,
                               kind="qq_group", name="桐淮群")
    return RecordEvent.objects.of(chat).get()


def test_the_application_refuses_changing_an_event(event):
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        RecordEvent.objects.filter(pk=event.pk).update(note="篡改")
    with pytest.raises(TypeError):
        RecordEvent.objects.all().delete()


@pytest.mark.parametrize("how", ["base-update", "base-delete", "raw-delete", "sql-update",
                                 "sql-delete", "sql-delete-all"])
def test_the_database_refuses_changing_an_event(event, how):
    before = RecordEvent.objects.filter(pk=event.pk).values().get()
    table = connection.ops.quote_name(RecordEvent._meta.db_table)
    rows = RecordEvent._base_manager.filter(pk=event.pk)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        if how == "base-update":
            rows.update(note="篡改")
        elif how == "base-delete":
            rows.delete()
        elif how == "raw-delete":
            rows._raw_delete(rows.db)
        else:
            sql = {"sql-update": f"UPDATE {table} SET note = %s WHERE id = %s",  # noqa: S608
                   "sql-delete": f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
                   "sql-delete-all": f"DELETE FROM {table}"}[how]  # noqa: S608
            params = {"sql-update": ["篡改", event.pk], "sql-delete": [event.pk]}.get(how, [])
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
    assert RecordEvent.objects.filter(pk=event.pk).values().get() == before


def test_the_log_is_read_only_in_admin(d, event):
    from django.contrib.admin.sites import site

    admin = site._registry[RecordEvent]
    request = type("R", (), {"user": d.dispatcher})()
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, event)
    assert not admin.has_delete_permission(request, event)

"""Questionnaires (问卷): the designer, publishing and closing, the resident's H5 form
(required questions, choice and rating ranges, hostile text, one response per device), paper
entry, Excel import with bad rows named by row and column, return rates checked against an
independent count, visibility by unit, and a text answer turned into an appeal once."""

import io
import json
import random
import urllib.request

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from banshi.appeals.choices import Channel
from banshi.appeals.errors import ActionError, TransitionNotAllowed
from banshi.appeals.models import Appeal
from banshi.collection.actions import surveys as actions
from banshi.collection.choices import DistributionMode, QuestionnaireStatus, ResponseSource
from banshi.collection.models import AnswerAppeal, Distribution, Questionnaire, Response
from banshi.collection.survey_sheets import import_responses
from banshi.org.models import ApiToken

from .factories import HOSTILE, PASSWORD, build_district, login, today


def make_survey(d, unit=None, *, publish=True, one_per_device=True):
    """A questionnaire of the street (by default) with one question of each kind."""
    user = d.street_staff
    survey = actions.create_questionnaire(actor=user, unit=unit or d.street_unit,
                                          title="林山寨街道征求意见表", intro="请如实填写",
                                          one_per_device=one_per_device)
    single = actions.save_question(survey, actor=user, kind="single", text="您的年龄段",
                                   options=["18岁以下", "18-60岁", "60岁以上"])
    multiple = actions.save_question(survey, actor=user, kind="multiple",
                                     text="最希望办好的实事", options=["停车", "养老", "环境"])
    rating = actions.save_question(survey, actor=user, kind="rating", text="社区服务评价",
                                   scale=5)
    text = actions.save_question(survey, actor=user, kind="text", text="意见建议",
                                 required=False)
    if publish:
        survey = actions.publish(survey, actor=user)
    return survey, (single, multiple, rating, text)


def h5_url(survey, unit_code=""):
    url = reverse("web:survey", args=[survey.token])
    return f"{url}?u={unit_code}" if unit_code else url


def answers_post(questions, *, single="1", multiple=("0", "2"), rating="4", text=""):
    q1, q2, q3, q4 = questions
    return {f"q{q1.pk}": single, f"q{q2.pk}": list(multiple), f"q{q3.pk}": rating,
            f"q{q4.pk}": text}


def resident(survey) -> Client:
    """A phone that has opened the questionnaire (and so holds a device cookie)."""
    client = Client()
    assert client.get(h5_url(survey)).status_code == 200
    return client


# ---------- the designer ----------


def test_designer_adds_edits_orders_and_deletes_questions_while_a_draft(d, client):
    login(client, "linshanzhai")
    response = client.post(reverse("web:questionnaire-new"), {
        "unit": d.street_unit.code, "title": "办实事征求意见问卷", "intro": "",
        "one_per_device": "on"})
    survey = Questionnaire.objects.get(title="办实事征求意见问卷")
    assert response.status_code == 302 and survey.status == QuestionnaireStatus.DRAFT
    act = reverse("web:questionnaire-act", args=[survey.pk, "question"])
    for text, kind, options in (("题一", "single", "是\n否"), ("题二", "rating", ""),
                                ("题三", "text", "")):
        assert client.post(act, {"kind": kind, "text": text, "required": "on",
                                 "options": options, "scale": "5"}).status_code == 302
    assert [q.text for q in survey.questions.all()] == ["题一", "题二", "题三"]
    # a choice question needs two options, named on the form
    bad = client.post(act, {"kind": "single", "text": "题四", "options": "只有一个"})
    assert bad.status_code == 422 and "至少需要两个选项" in bad.content.decode()
    third = survey.questions.get(text="题三")
    edit = reverse("web:questionnaire-question", args=[survey.pk, third.pk])
    client.post(edit, {"op": "up"})
    assert [q.text for q in survey.questions.all()] == ["题一", "题三", "题二"]
    client.post(edit, {"op": "save", "kind": "multiple", "text": "题三改", "options": "甲\n乙\n丙"})
    third.refresh_from_db()
    assert (third.text, third.kind, third.options) == ("题三改", "multiple", ["甲", "乙", "丙"])
    client.post(reverse("web:questionnaire-question", args=[survey.pk,
                                                            survey.questions.get(text="题一").pk]),
                {"op": "delete"})
    assert [q.text for q in survey.questions.all()] == ["题三改", "题二"]


def test_publish_freezes_the_questions_and_close_stops_the_form(d, client):
    survey, (single, *_rest) = make_survey(d, publish=False)
    login(client, "linshanzhai")
    assert client.get(reverse("web:survey", args=[survey.token])).status_code == 404  # draft
    client.post(reverse("web:questionnaire-act", args=[survey.pk, "publish"]))
    survey.refresh_from_db()
    assert survey.status == QuestionnaireStatus.PUBLISHED and survey.published_at
    with pytest.raises(TransitionNotAllowed):
        actions.save_question(survey, actor=d.street_staff, kind="text", text="后加的题")
    response = client.post(reverse("web:questionnaire-question", args=[survey.pk, single.pk]),
                           {"op": "delete"})
    assert response.status_code == 302 and survey.questions.filter(pk=single.pk).exists()
    page = client.get(reverse("web:questionnaire", args=[survey.pk])).content.decode()
    assert f"/h5/survey/{survey.token}/" in page
    qr = client.get(reverse("web:questionnaire-qr", args=[survey.pk])).content.decode()
    assert "<svg" in qr and f"http://testserver/h5/survey/{survey.token}/" in qr
    client.post(reverse("web:questionnaire-act", args=[survey.pk, "close"]))
    survey.refresh_from_db()
    assert survey.status == QuestionnaireStatus.CLOSED
    closed = Client().get(h5_url(survey)).content.decode()
    assert "问卷已经结束" in closed and "survey-form" not in closed


def test_an_empty_draft_cannot_be_published(d):
    survey = actions.create_questionnaire(actor=d.street_staff, unit=d.street_unit, title="空")
    with pytest.raises(ActionError, match="至少需要一道题目"):
        actions.publish(survey, actor=d.street_staff)


# ---------- the resident's H5 form ----------


def test_h5_response_redirects_to_thanks_and_is_stored(d):
    survey, questions = make_survey(d)
    phone = resident(survey)
    response = phone.post(h5_url(survey), answers_post(questions, text="楼道灯不亮"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:survey-done", args=[survey.token])
    assert "感谢您的参与" in phone.get(response["Location"]).content.decode()
    stored = Response.objects.get(questionnaire=survey)
    q1, q2, q3, q4 = questions
    assert stored.answers == {str(q1.pk): 1, str(q2.pk): [0, 2], str(q3.pk): 4,
                              str(q4.pk): "楼道灯不亮"}
    assert stored.source == ResponseSource.ONLINE and stored.unit == d.street_unit
    assert stored.device_hash and len(stored.device_hash) == 64
    assert phone.cookies["banshi_device"].value not in stored.device_hash


def test_required_questions_are_named_and_nothing_is_stored(d):
    survey, questions = make_survey(d)
    phone = resident(survey)
    response = phone.post(h5_url(survey), {f"q{questions[3].pk}": "只填了选答题"})
    page = response.content.decode()
    assert response.status_code == 422
    assert page.count("此题为必答题") == 3 and "只填了选答题" in page  # kept for correcting
    assert not Response.objects.exists()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("single", "3", "所选选项不存在"), ("single", "-1", "所选选项不存在"),
    ("single", "abc", "请选择列出的选项"), ("multiple", ("0", "9"), "所选选项不存在"),
    ("rating", "6", "评分应在1到5之间"), ("rating", "0", "评分应在1到5之间"),
    ("rating", "3.5", "评分应为1到5的整数"),
])
def test_choices_and_ratings_out_of_range_are_refused(d, field, value, message):
    survey, questions = make_survey(d)
    response = resident(survey).post(h5_url(survey), answers_post(questions, **{field: value}))
    assert response.status_code == 422 and message in response.content.decode()
    assert not Response.objects.exists()


def test_two_values_for_a_single_choice_are_refused(d):
    survey, questions = make_survey(d)
    data = answers_post(questions) | {f"q{questions[0].pk}": ["0", "1"]}
    response = resident(survey).post(h5_url(survey), data)
    assert response.status_code == 422 and "单选题只能选一项" in response.content.decode()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_as_given_or_refused_by_length(d, text):
    survey, questions = make_survey(d, one_per_device=False)
    phone = resident(survey)
    response = phone.post(h5_url(survey), answers_post(questions, text=text))
    if len(text) > 2000:
        assert response.status_code == 422 and "不能超过2000个字符" in response.content.decode()
        assert not Response.objects.exists()
        return
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.answers[str(questions[3].pk)] == text.strip()
    login(client := Client(), "linshanzhai")
    page = client.get(reverse("web:questionnaire-results", args=[survey.pk])).content.decode()
    assert "<script>alert" not in page
    if "<script>" in text:
        assert "&lt;script&gt;alert" in page


def test_one_response_per_device_by_default(d):
    survey, questions = make_survey(d)
    phone = resident(survey)
    assert phone.post(h5_url(survey), answers_post(questions)).status_code == 302
    again = phone.post(h5_url(survey), answers_post(questions))
    assert again.status_code == 409
    assert "每台设备只能提交一次" in again.content.decode()
    assert Response.objects.count() == 1
    assert "每台设备只能提交一次" in phone.get(h5_url(survey)).content.decode()  # said at once
    other_phone = resident(survey)
    assert other_phone.post(h5_url(survey), answers_post(questions)).status_code == 302
    assert Response.objects.count() == 2


def test_one_per_device_switched_off_takes_every_response(d, client):
    survey, questions = make_survey(d)
    login(client, "linshanzhai")
    client.post(reverse("web:questionnaire-act", args=[survey.pk, "settings"]),
                {"title": survey.title, "intro": survey.intro})  # the box left unticked
    survey.refresh_from_db()
    assert survey.one_per_device is False
    phone = resident(survey)
    for _ in range(3):
        assert phone.post(h5_url(survey), answers_post(questions)).status_code == 302
    assert Response.objects.filter(questionnaire=survey).count() == 3
    assert not Response.objects.exclude(device_hash="").filter(
        questionnaire=survey).values("device_hash").distinct().count() > 1


def test_the_link_attributes_a_response_to_the_distributing_unit(d):
    survey, questions = make_survey(d, one_per_device=False)
    phone = resident(survey)
    phone.post(h5_url(survey, d.community_unit.code), answers_post(questions))
    phone.post(h5_url(survey, d.cgj.code), answers_post(questions))  # neither below nor handed
    phone.post(h5_url(survey, "nonexistent"), answers_post(questions))
    units = list(Response.objects.order_by("id").values_list("unit__code", flat=True))
    assert units == [d.community_unit.code, d.street_unit.code, d.street_unit.code]


def test_the_h5_form_is_rate_limited(d, settings):
    settings.BANSHI_DEVICE_SUBMIT_RATE = "2/h"
    survey, questions = make_survey(d, one_per_device=False)
    phone = resident(survey)
    codes = [phone.post(h5_url(survey), answers_post(questions)).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert Response.objects.count() == 2


# ---------- paper responses: staff entry and Excel import ----------


def test_staff_enter_a_paper_response_with_the_same_checks(d, client):
    survey, questions = make_survey(d)
    login(client, "linshanzhai")
    url = reverse("web:questionnaire-paper", args=[survey.pk])
    bad = client.post(url, {"unit": d.community_unit.code} | answers_post(questions, rating="9"))
    assert bad.status_code == 422 and "评分应在1到5之间" in bad.content.decode()
    ok = client.post(url, {"unit": d.community_unit.code} | answers_post(questions))
    assert ok.status_code == 302
    stored = Response.objects.get()
    assert (stored.source, stored.unit, stored.entered_by, stored.device_hash) == (
        ResponseSource.PAPER, d.community_unit, d.street_staff, "")
    # a community may not enter for its street's questionnaire
    login(other := Client(), "linshanzhai-01")
    assert other.get(url).status_code == 404


def xlsx(rows) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "answers.xlsx"
    return buffer


def import_rows(survey, questions):
    headers = [f"{i}. {q.text}" for i, q in enumerate(questions, start=1)]
    return [headers,
            ["18-60岁", "停车、环境", 5, "希望多建停车场"],     # row 2: good
            ["2", "1,3", "4", ""],                            # row 3: good, by numbers
            ["90岁", "停车", 7, ""],                            # row 4: two bad cells
            ["60岁以上", "", 3, "长" * 2001],                     # row 5: required + too long
            ["18岁以下", "养老", 1, "＂全角＂😡"]]                     # row 6: good


def test_import_keeps_the_good_rows_and_names_bad_cells_by_row_and_column(d):
    survey, questions = make_survey(d)
    report = import_responses(survey, xlsx(import_rows(survey, questions)),
                              filename="answers.xlsx", actor=d.street_staff,
                              unit=d.community_unit, all_or_nothing=False)
    found = {(e.row, e.column.split(".")[0], e.message) for e in report.errors}
    assert found == {(4, "1", "“90岁”不是本题的选项"), (4, "3", "评分应在1到5之间"),
                     (5, "2", "此题为必答题"), (5, "4", "回答不能超过2000个字符(现为2001个)")}
    assert (report.total, report.imported, report.rolled_back) == (5, 3, False)
    stored = list(Response.objects.order_by("id"))
    q1, q2, q3, q4 = questions
    assert [r.answers.get(str(q2.pk)) for r in stored] == [[0, 2], [0, 2], [1]]
    assert stored[1].answers[str(q1.pk)] == 1 and stored[0].answers[str(q3.pk)] == 5
    assert stored[2].answers[str(q4.pk)] == "＂全角＂😡"
    assert {(r.source, r.unit_id) for r in stored} == {(ResponseSource.IMPORT,
                                                        d.community_unit.pk)}


def test_import_all_or_nothing_writes_nothing_when_a_row_is_bad(d, client):
    survey, questions = make_survey(d)
    login(client, "linshanzhai")
    upload = xlsx(import_rows(survey, questions))
    response = client.post(reverse("web:questionnaire-import", args=[survey.pk]),
                           {"unit": d.street_unit.code, "file": upload,
                            "all_or_nothing": "on"})
    page = response.content.decode()
    assert response.status_code == 422 and "整批撤销" in page
    assert "“90岁”不是本题的选项" in page and ">4<" in page
    assert not Response.objects.exists()


def test_import_refuses_a_header_that_matches_no_question(d):
    survey, questions = make_survey(d)
    report = import_responses(survey, xlsx([["1. 您的年龄段", "随便一列"], ["18岁以下", "x"]]),
                              filename="a.xlsx", actor=d.street_staff, unit=d.street_unit,
                              all_or_nothing=False)
    messages = {(e.row, e.column, e.message) for e in report.errors}
    assert (1, "随便一列", "列名与问卷的题目对不上(应为“序号. 题目”)") in messages
    assert any(e.message == "缺少必答题的列" and e.column.startswith("2.")
               for e in report.errors)
    assert report.imported == 0 and not Response.objects.exists()


def test_the_template_round_trips_through_the_import(d, client):
    survey, questions = make_survey(d)
    login(client, "linshanzhai")
    template = client.get(reverse("web:questionnaire-template", args=[survey.pk]))
    book = load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    sheet = book["答卷"]
    header = [c.value for c in sheet[1]]
    assert header == [f"{i}. {q.text}" for i, q in enumerate(questions, start=1)]
    assert "填写说明" in book.sheetnames
    sheet.append(["60岁以上", "养老", 5, "好"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    report = import_responses(survey, buffer, filename="t.xlsx", actor=d.street_staff,
                              unit=d.street_unit, all_or_nothing=True)
    assert (report.imported, report.errors) == (1, [])


# ---------- results ----------


def _random_world(d, rng: random.Random):
    """Distributions and responses over three units, counted independently here."""
    survey, questions = make_survey(d)
    units = [d.street_unit, d.community_unit, d.community2_unit]
    handed = {u.pk: 0 for u in units}
    back = {u.pk: 0 for u in units}
    choice_counts = [0, 0, 0]
    for unit in units[:2]:  # the second community hands out nothing (its rate: "—")
        for _ in range(rng.randint(1, 3)):
            copies = rng.randint(5, 40)
            actions.record_distribution(survey, actor=d.street_staff, unit=unit,
                                        distributed_on=today(), mode=DistributionMode.PAPER,
                                        copies=copies)
            handed[unit.pk] += copies
    for unit in units:
        for _ in range(rng.randint(0, 8)):
            pick = rng.randrange(3)
            choice_counts[pick] += 1
            actions.submit_response(survey, values_for=lambda q, pick=pick: {
                "single": [str(pick)], "multiple": ["1"], "rating": ["3"], "text": [""]}[q.kind],
                source=ResponseSource.PAPER, unit=unit, actor=d.street_staff)
            back[unit.pk] += 1
    return survey, units, handed, back, choice_counts


def test_return_rates_and_choice_counts_match_an_independent_count(d, client):
    rng = random.Random(8)
    survey, units, handed, back, choice_counts = _random_world(d, rng)
    assert Distribution.objects.filter(questionnaire=survey).count() >= 2
    login(client, "linshanzhai")
    response = client.get(reverse("web:questionnaire-results", args=[survey.pk]))
    page = response.content.decode()
    total_handed, total_back = sum(handed.values()), sum(back.values())
    assert f'id="total-handed-out">{total_handed}<' in page
    assert f'id="total-returned">{total_back}<' in page
    assert f'id="total-rate">{total_back / total_handed * 100:.1f}%<' in page
    token = ApiToken.objects.issue(d.street_staff)
    api = Client().get(f"/api/v1/collection/surveys/{survey.pk}/results",
                       headers={"Authorization": f"Bearer {token}"}).json()
    assert (api["distributed"], api["returned"]) == (total_handed, total_back)
    by_unit = {u["unit_code"]: u for u in api["units"]}
    for unit in units:
        row = by_unit.get(unit.code)
        if not handed[unit.pk] and not back[unit.pk]:
            assert row is None
            continue
        assert (row["distributed"], row["returned"]) == (handed[unit.pk], back[unit.pk])
        expected = back[unit.pk] / handed[unit.pk] if handed[unit.pk] else None
        assert row["return_rate"] == expected
    single = api["questions"][0]
    assert [c["count"] for c in single["counts"]] == choice_counts
    assert single["answered"] == total_back
    rating = api["questions"][2]
    assert rating["average"] == (3.0 if total_back else None)


def test_export_has_every_response_with_readable_answers(d, client):
    survey, questions = make_survey(d, one_per_device=False)
    phone = resident(survey)
    phone.post(h5_url(survey), answers_post(questions, text="=1+1 不是公式"))
    phone.post(h5_url(survey), answers_post(questions, single="2", multiple=("1",)))
    login(client, "linshanzhai")
    export = client.get(reverse("web:questionnaire-export", args=[survey.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
                .iter_rows(values_only=True))
    assert rows[0][4:] == tuple(f"{i}. {q.text}" for i, q in enumerate(questions, start=1))
    assert len(rows) == 3
    assert rows[1][4:7] == ("18-60岁", "停车、环境", 4)
    assert rows[1][7] == "=1+1 不是公式" and rows[2][4:6] == ("60岁以上", "养老")


# ---------- visibility ----------


def test_questionnaires_are_seen_by_their_unit_and_above_only(d):
    street_survey, _ = make_survey(d)
    community_survey, _ = make_survey(d, unit=d.community_unit)
    visible = {name: set(Questionnaire.objects.visible_to(getattr(d, name))
                         .values_list("pk", flat=True))
               for name in ("dispatcher", "leader", "street_staff", "community_staff",
                            "community2_staff", "cgj_staff")}
    both = {street_survey.pk, community_survey.pk}
    assert visible == {"dispatcher": both, "leader": both, "street_staff": both,
                       "community_staff": {community_survey.pk}, "community2_staff": set(),
                       "cgj_staff": set()}
    for username, status in (("linshanzhai-02", 404), ("cgj", 404), ("leader", 200)):
        login(client := Client(), username)
        url = reverse("web:questionnaire-results", args=[street_survey.pk])
        assert client.get(url).status_code == status, username
    login(client := Client(), "leader")  # may read, may not manage
    assert client.get(reverse("web:questionnaire-paper",
                              args=[street_survey.pk])).status_code == 403
    with pytest.raises(ActionError):
        actions.close(street_survey, actor=d.leader)


def test_the_list_page_and_api_count_per_questionnaire(d, client):
    survey, questions = make_survey(d, one_per_device=False)
    actions.record_distribution(survey, actor=d.street_staff, unit=d.street_unit,
                                distributed_on=today(), mode=DistributionMode.ONLINE, copies=10)
    actions.record_distribution(survey, actor=d.street_staff, unit=d.community_unit,
                                distributed_on=today(), mode=DistributionMode.PAPER, copies=5)
    phone = resident(survey)
    for _ in range(3):
        phone.post(h5_url(survey), answers_post(questions))
    login(client, "linshanzhai")
    page = client.get(reverse("web:questionnaires")).content.decode()
    assert survey.title in page and "<td class=\"nowrap\">15</td>" in page and "20%" in page
    token = ApiToken.objects.issue(d.street_staff)
    rows = Client().get("/api/v1/collection/surveys",
                        headers={"Authorization": f"Bearer {token}"}).json()["results"]
    assert [(r["id"], r["distributed"], r["returned"], r["return_rate"]) for r in rows] == [
        (survey.pk, 15, 3, 0.2)]


# ---------- a text answer becomes an appeal ----------


def test_a_text_answer_becomes_an_appeal_once_keeping_the_link(d, client):
    survey, questions = make_survey(d)
    phone = resident(survey)
    phone.post(h5_url(survey), answers_post(questions, text="百花路路灯不亮，晚上很黑"))
    response = Response.objects.get()
    login(client, "linshanzhai")
    results = client.get(reverse("web:questionnaire-results", args=[survey.pk])).content.decode()
    url = reverse("web:questionnaire-answer-appeal", args=[survey.pk, response.pk,
                                                           questions[3].pk])
    assert url in results
    form = client.get(url).content.decode()
    assert "百花路路灯不亮，晚上很黑" in form  # the title is prefilled from the answer
    done = client.post(url, {"title": "百花路路灯不亮", "region": d.community.code})
    assert done.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.channel, appeal.source, appeal.content, appeal.region) == (
        Channel.SURVEY, response, "百花路路灯不亮，晚上很黑", d.community)
    submit = appeal.events.get(action="submit")
    assert submit.data["source"] == {"model": "collection.response", "id": response.pk}
    results = client.get(reverse("web:questionnaire-results", args=[survey.pk])).content.decode()
    assert f"已转为诉求 <a href=\"/staff/appeals/{appeal.number}/\">{appeal.number}</a>" in results
    assert url not in results
    again = client.post(url, {"title": "再转一次"})
    assert "不能重复转办" in again.content.decode()
    with pytest.raises(TransitionNotAllowed, match="已经转为诉求"):
        actions.answer_to_appeal(response, questions[3], actor=d.street_staff, title="再转")
    assert Appeal.objects.count() == 1 and AnswerAppeal.objects.count() == 1


def test_only_a_text_answer_with_content_can_become_an_appeal(d):
    survey, questions = make_survey(d)
    response = actions.submit_response(
        survey, values_for=lambda q: {"single": ["0"], "multiple": ["0"], "rating": ["5"],
                                      "text": [""]}[q.kind],
        source=ResponseSource.PAPER, actor=d.street_staff)
    with pytest.raises(ActionError, match="只有填空题"):
        actions.answer_to_appeal(response, questions[0], actor=d.street_staff, title="x")
    with pytest.raises(ActionError, match="没有回答"):
        actions.answer_to_appeal(response, questions[3], actor=d.street_staff, title="x")
    with pytest.raises(ActionError, match="无权"):
        actions.answer_to_appeal(response, questions[3], actor=d.cgj_staff, title="x")


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_the_designer(d, client, text):
    login(client, "linshanzhai")
    response = client.post(reverse("web:questionnaire-new"), {
        "unit": d.street_unit.code, "title": text, "intro": text})
    if len(text) > 200:
        assert response.status_code == 422
        assert not Questionnaire.objects.exists()
        return
    survey = Questionnaire.objects.get()
    assert survey.title == text.strip()
    act = reverse("web:questionnaire-act", args=[survey.pk, "question"])
    client.post(act, {"kind": "single", "text": text, "options": f"{text}\n否"})
    page = client.get(reverse("web:questionnaire", args=[survey.pk])).content.decode()
    assert "<script>alert" not in page


# ---------- the API over a real socket ----------


@pytest.mark.django_db(transaction=True)
def test_the_api_over_http(live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    d = build_district()
    survey, _ = make_survey(d)
    actions.record_distribution(survey, actor=d.street_staff, unit=d.street_unit,
                                distributed_on=today(), mode=DistributionMode.PAPER, copies=4)

    def call(path, token=None):
        request = urllib.request.Request(
            f"{live_server.url}/api/v1{path}",
            headers={"Authorization": f"Bearer {token}"} if token else {})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    body = json.dumps({"username": "linshanzhai", "password": PASSWORD}).encode()
    request = urllib.request.Request(f"{live_server.url}/api/v1/auth/token", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        token = json.loads(answer.read())["token"]
    status, listed = call("/collection/surveys", token)
    assert status == 200 and listed["results"][0]["distributed"] == 4
    status, results = call(f"/collection/surveys/{survey.pk}/results", token)
    assert status == 200 and len(results["questions"]) == 4
    assert results["questions"][0]["counts"][0] == {"label": "18岁以下", "count": 0,
                                                    "share": 0.0}
    cgj = ApiToken.objects.issue(d.cgj_staff)
    assert call(f"/collection/surveys/{survey.pk}/results", cgj)[0] == 404
    assert call("/collection/surveys")[0] == 401


# ---------- the demo ----------


def test_the_demo_questionnaires_add_up_to_the_report(d):
    from django.db.models import Sum

    from banshi.demo.collection_surveys import seed_surveys
    from banshi.org.choices import UnitKind
    from banshi.org.models import Unit

    # the demo's owners and distributors, beside the test district
    Unit.objects.filter(code="district").update(name="区工作专班")
    Unit.objects.create(code="zhongyuanxilu", name="中原西路街道办事处", kind=UnitKind.STREET,
                        parent=d.district_unit)
    created = seed_surveys(random.Random(2021))
    assert created["questionnaires"] == 3
    handed = Distribution.objects.aggregate(n=Sum("copies"))["n"]
    assert (handed, Response.objects.count()) == (17_344, 15_823)
    assert seed_surveys(random.Random(5)) == {}  # idempotent
    assert Response.objects.count() == 15_823
    for survey in Questionnaire.objects.all():
        copies = survey.distributions.values("unit").annotate(n=Sum("copies"))
        for row in copies:
            assert survey.responses.filter(unit_id=row["unit"]).count() <= row["n"]


def test_huge_ids_are_a_404_not_a_server_error(d, client):
    token = ApiToken.objects.issue(d.street_staff)
    for survey_id in (2**31, 2**63, 2**70):
        answer = Client().get(f"/api/v1/collection/surveys/{survey_id}/results",
                              headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code in (404, 422), survey_id
    login(client, "linshanzhai")
    assert client.get(f"/staff/collection/surveys/{2**70}/results/").status_code == 404

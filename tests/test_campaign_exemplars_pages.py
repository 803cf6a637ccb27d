"""Exemplar pages and API over real HTTP: the office sets up a round, units nominate (quota
and eligibility refused with the message on the page), review and scores, the public vote page
(the second vote refused), the 公示 page and its objection, the results, the good practices;
who sees which nomination; hostile input stored and shown escaped or refused by field."""

import base64
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from banshi.campaign.actions import exemplars as actions
from banshi.campaign.choices import NominationStatus, ObjectionStatus, RoundStage, StoryStatus
from banshi.campaign.models import GoodPractice, Nomination, Objection, Selection, Vote
from banshi.org.models import ApiToken

from .factories import HOSTILE, add_other_street, login
from .test_campaign_exemplars import PHONE, advance, make_round, nominate, png, scoring_round

API = "/api/v1/campaign"


def api(user, method: str, path: str, body=None):
    headers = {"Authorization": f"Bearer {ApiToken.objects.issue(user)}"} if user else {}
    client = Client()
    if method == "GET":
        return client.get(API + path, headers=headers)
    return client.post(API + path, json.dumps(body), content_type="application/json",
                       headers=headers)


ROUND_FORM = {"name": "党史学习之星", "description": "", "require_party_member": "on",
              "min_party_years": "2", "eligibility": "", "quota_per_unit": "1", "places": "5",
              "panel_weight": "0.7", "vote_weight": "0.3", "public_vote": "on",
              "votes_per_person": "1", "eligible_unit_kinds": ["community", "street"]}


def test_the_office_sets_up_a_round_through_the_page(d, client):
    login(client, "dispatcher")
    refused = client.post(reverse("web:campaign-selection-new"),
                          ROUND_FORM | {"vote_weight": "0.2"})
    assert refused.status_code == 422
    assert "评审分权重与群众投票权重之和须为1" in refused.content.decode()
    response = client.post(reverse("web:campaign-selection-new"), ROUND_FORM)
    assert response.status_code == 302
    round_ = Selection.objects.get(name="党史学习之星").rounds.get()
    assert (round_.eligible_unit_kinds, round_.min_party_years) == (["community", "street"], 2)
    page = client.get(response["Location"]).content.decode()
    assert "推荐提名" in page and "进入下一阶段：资格审核" in page and "社区(村)" in page
    unit = Client()
    login(unit, "linshanzhai")
    assert unit.get(reverse("web:campaign-selection-new")).status_code == 403
    assert unit.post(reverse("web:campaign-round-advance", args=[round_.pk])).status_code == 403
    assert client.post(reverse("web:campaign-round-advance", args=[round_.pk])).status_code == 302
    round_.refresh_from_db()
    assert round_.stage == RoundStage.REVIEWING
    again = reverse("web:campaign-round-new", args=[round_.selection_id])
    rules = {k: v for k, v in ROUND_FORM.items() if k not in ("name", "description")}
    refused = client.post(again, rules | {"voting_opens_on": "2026-05-01",
                                          "voting_closes_on": "2026-04-01"})
    assert refused.status_code == 422 and "各阶段日期须依次排列" in refused.content.decode()
    second = client.post(again, rules | {"quota_per_unit": "3"})
    assert second.status_code == 302
    assert list(round_.selection.rounds.values_list("number", "quota_per_unit")) == [(1, 1),
                                                                                  (2, 3)]
    assert unit.get(again).status_code == 403


def nomination_form(**fields):
    return {"unit": "linshanzhai-01", "nominee": "王建国", "nominee_title": "百花社区党委书记",
            "party_member": "on", "party_years": "12", "deeds": "带头学党史办实事。"} | fields


def test_units_nominate_through_the_page_quota_and_eligibility_refused(d, client):
    round_ = make_round(d, min_party_years=5)
    login(client, "linshanzhai-01")
    url = reverse("web:campaign-nomination-new", args=[round_.pk])
    form = client.get(url).content.decode()
    assert 'value="linshanzhai-01"' in form and 'value="linshanzhai"' not in form
    refused = client.post(url, nomination_form(party_member="", party_years="0"))
    assert refused.status_code == 422
    assert "本轮评选要求被推荐人为中共党员" in refused.content.decode()
    refused = client.post(url, nomination_form(party_years="3"))
    assert "被推荐人党龄不足5年" in refused.content.decode()
    bad_photo = SimpleUploadedFile("me.jpg", b"GIF89a not really", content_type="image/jpeg")
    refused = client.post(url, nomination_form(photo=bad_photo))
    assert refused.status_code == 422 and "不是有效的图片" in refused.content.decode()
    photo = SimpleUploadedFile("me.png", png(), content_type="image/png")
    response = client.post(url, nomination_form(photo=photo))
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    detail = client.get(response["Location"]).content.decode()
    photo_url = reverse("web:campaign-nomination-photo", args=[nomination.pk])
    assert photo_url in detail and "/media/" not in detail
    shown = client.get(photo_url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown["X-Content-Type-Options"] == "nosniff"
    refused = client.post(url, nomination_form(nominee="李秀英"))
    assert refused.status_code == 422 and "本单位推荐名额已满(1名)" in refused.content.decode()
    wrong = client.post(url, nomination_form(unit="cgj"))  # not offered: a form error
    assert wrong.status_code == 422 and Nomination.objects.count() == 1
    # the public photo URL shows nothing before the vote
    assert Client().get(reverse("web:campaign-nominee-photo",
                                args=[nomination.pk])).status_code == 404


def test_a_unit_sees_its_own_nominations_not_another_streets(d, client):
    other = add_other_street(d)
    round_ = make_round(d)
    own = nominate(d, round_, nominee="百花推荐人")
    far = nominate(d, round_, unit=other.community_unit, nominee="西里推荐人")
    login(client, "linshanzhai")
    page = client.get(reverse("web:campaign-round", args=[round_.pk])).content.decode()
    assert "百花推荐人" in page and "西里推荐人" not in page
    assert client.get(reverse("web:campaign-nomination", args=[own.pk])).status_code == 200
    for name in ("campaign-nomination", "campaign-nomination-photo"):
        assert client.get(reverse(f"web:{name}", args=[far.pk])).status_code == 404
    listed = api(d.street_staff, "GET", f"/rounds/{round_.pk}/nominations").json()
    assert [n["nominee"] for n in listed] == ["百花推荐人"]
    everyone = api(d.leader, "GET", f"/rounds/{round_.pk}/nominations").json()
    assert {n["nominee"] for n in everyone} == {"百花推荐人", "西里推荐人"}


def test_review_and_scores_through_the_pages(d, client):
    round_ = make_round(d, quota_per_unit=2)
    first, second = nominate(d, round_), nominate(d, round_, nominee="李秀英")
    round_ = actions.advance_round(round_, actor=d.dispatcher)
    login(client, "dispatcher")
    review = reverse("web:campaign-nomination-review", args=[first.pk])
    refused = client.post(review, {"decision": "reject", "reason": ""})
    assert refused.status_code == 422 and "未通过原因不能为空" in refused.content.decode()
    assert client.post(review, {"decision": "reject", "reason": "材料不全"}).status_code == 302
    client.post(reverse("web:campaign-nomination-review", args=[second.pk]),
                {"decision": "pass"})
    client.post(reverse("web:campaign-round-advance", args=[round_.pk]))
    leader = Client()
    login(leader, "leader")
    score = reverse("web:campaign-nomination-score", args=[second.pk])
    assert leader.post(score, {"score": "101"}).status_code == 422
    assert leader.post(score, {"score": "88"}).status_code == 302
    page = leader.get(reverse("web:campaign-nomination", args=[second.pk])).content.decode()
    assert "您已评 88" in page
    assert leader.post(score, {"score": "91"}).status_code == 302
    assert [s.score for s in second.scores.all()] == [Decimal("91.00")]
    unit = Client()
    login(unit, "linshanzhai-01")
    assert unit.post(score, {"score": "99"}).status_code == 403
    page = unit.get(reverse("web:campaign-round", args=[round_.pk])).content.decode()
    assert "材料不全" in page  # the unit reads why its nominee was rejected


def test_public_vote_page_one_vote_per_person(d, caplog):
    caplog.set_level("DEBUG")
    round_, (first, second, _third) = scoring_round(d)
    phone = Client()
    url = reverse("web:campaign-vote", args=[round_.pk])
    page = phone.get(url)
    assert page.status_code == 200 and "候选人0" in page.content.decode()
    assert "综合得分 = 0.70 × 评委平均分" in page.content.decode()
    unchosen = phone.post(url, {"phone": PHONE})
    assert unchosen.status_code == 422 and "请先选择一位候选人" in unchosen.content.decode()
    bad = phone.post(url, {"nomination": first.pk, "phone": "123"})
    assert bad.status_code == 422 and "电话号码格式不正确" in bad.content.decode()
    done = phone.post(url, {"nomination": first.pk, "phone": PHONE})
    assert done.status_code == 200 and "投票成功" in done.content.decode()
    again = Client().post(url, {"nomination": second.pk, "phone": PHONE})
    assert again.status_code == 409 and "您本轮已投过1票，每人限投1票" in again.content.decode()
    same_device = phone.post(url, {"nomination": second.pk, "phone": "13700001111"})
    assert same_device.status_code == 409 and "这台设备" in same_device.content.decode()
    assert Vote.objects.count() == 1 and Vote.objects.get().device
    assert not Vote.objects.filter(voter__contains="5678").exists()
    assert caplog.records and "5678" not in caplog.text  # refusals are logged, never the phone


def test_vote_through_the_api(d):
    round_, (first, second, _third) = scoring_round(d)
    created = api(None, "POST", f"/rounds/{round_.pk}/votes",
                  {"nomination_id": first.pk, "phone": PHONE})
    assert created.status_code == 201 and created.json()["votes_left"] == 0
    assert PHONE not in created.content.decode()
    again = api(None, "POST", f"/rounds/{round_.pk}/votes",
                {"nomination_id": second.pk, "phone": PHONE})
    assert again.status_code == 409 and again.json()["field"] == "phone"
    bad = api(None, "POST", f"/rounds/{round_.pk}/votes",
              {"nomination_id": second.pk, "phone": "' OR 1=1 --"})
    assert bad.status_code == 422 and bad.json()["field"] == "phone"
    unknown = api(None, "POST", f"/rounds/{round_.pk}/votes",
                  {"nomination_id": 999999, "phone": "13700000000"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "nomination_id"
    assert api(None, "POST", "/rounds/999999/votes",
               {"nomination_id": first.pk, "phone": PHONE}).status_code == 404


def test_vote_is_rate_limited(d, settings):
    settings.BANSHI_SUBMIT_RATE = "2/h"
    round_, made = scoring_round(d, nominees=3, votes_per_person=3)
    url = reverse("web:campaign-vote", args=[round_.pk])
    codes = [Client().post(url, {"nomination": made[n].pk, "phone": f"1380000000{n}"}
                           ).status_code for n in range(3)]
    assert codes == [200, 200, 429]


def test_publicity_objection_and_results_pages(d, client):
    round_, made = scoring_round(d, places=2)
    for score, nomination in zip((90, 80, 70), made, strict=True):
        actions.score_nomination(nomination, actor=d.leader, score=Decimal(score))
    round_ = actions.advance_round(round_, actor=d.dispatcher)
    url = reverse("web:campaign-publicity", args=[round_.pk])
    page = Client().get(url).content.decode()
    assert "候选人0" in page and "候选人1" in page and "候选人2" not in page
    assert Client().get(reverse("web:campaign-vote", args=[round_.pk])).status_code == 404
    assert Client().get(reverse("web:campaign-results", args=[round_.pk])).status_code == 404
    raised = Client().post(url, {"nomination": made[0].pk, "text": HOSTILE[0],
                                 "contact": PHONE})
    assert raised.status_code == 200 and "异议已提交" in raised.content.decode()
    login(client, "dispatcher")
    staff = client.get(reverse("web:campaign-round", args=[round_.pk])).content.decode()
    assert "&lt;script&gt;" in staff and HOSTILE[0] not in staff
    blocked = client.post(reverse("web:campaign-round-advance", args=[round_.pk]))
    assert blocked.status_code == 409 and "异议未处理" in blocked.content.decode()
    objection = Objection.objects.get()
    handle = reverse("web:campaign-objection-handle", args=[objection.pk])
    assert client.post(handle, {"decision": "dismiss", "response": ""}).status_code == 422
    assert client.post(handle, {"decision": "dismiss",
                                "response": "经核实不成立"}).status_code == 302
    assert Objection.objects.get().status == ObjectionStatus.DISMISSED
    assert client.post(reverse("web:campaign-round-advance", args=[round_.pk])
                       ).status_code == 302
    results = Client().get(reverse("web:campaign-results", args=[round_.pk])).content.decode()
    assert "候选人0" in results and "候选人1" in results and "候选人2" not in results
    assert "第1名" in results


def test_good_practices_pages_public_and_escaped(d, client):
    other = add_other_street(d)
    login(client, "linshanzhai")
    response = client.post(reverse("web:campaign-practice-new"), {
        "unit": "linshanzhai", "title": HOSTILE[0], "body": HOSTILE[1] + "\n第二段",
        "photo": SimpleUploadedFile("p.png", png(), content_type="image/png")})
    assert response.status_code == 302
    story = GoodPractice.objects.get()
    public = reverse("web:campaign-public-practice", args=[story.pk])
    assert Client().get(public).status_code == 404  # a draft is not public
    assert client.post(reverse("web:campaign-practice-submit", args=[story.pk])
                       ).status_code == 302
    sibling = Client()
    login(sibling, other.street_staff.username)
    assert sibling.get(reverse("web:campaign-practice", args=[story.pk])).status_code == 404
    office = Client()
    login(office, "dispatcher")
    review = reverse("web:campaign-practice-review", args=[story.pk])
    refused = office.post(review, {"decision": "return", "note": ""})
    assert refused.status_code == 422 and "退回意见不能为空" in refused.content.decode()
    assert office.post(review, {"decision": "publish", "note": ""}).status_code == 302
    assert GoodPractice.objects.get().status == StoryStatus.PUBLISHED
    page = Client().get(public).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page and HOSTILE[0] not in page
    assert Client().get(reverse("web:campaign-public-practice-photo",
                                args=[story.pk])).status_code == 200
    listed = Client().get(reverse("web:campaign-public-practices")).content.decode()
    assert public in listed
    assert sibling.get(reverse("web:campaign-practice", args=[story.pk])).status_code == 200
    api_list = api(None, "GET", "/practices").json()
    assert [p["title"] for p in api_list] == [HOSTILE[0]]


@pytest.mark.parametrize("text", HOSTILE + ["空\x00字符"])
def test_hostile_text_through_forms_and_api(d, client, text):
    round_ = make_round(d, quota_per_unit=5)
    login(client, "linshanzhai-01")
    response = client.post(reverse("web:campaign-nomination-new", args=[round_.pk]),
                           nomination_form(nominee=text[:50], deeds=text))
    assert response.status_code in (302, 400, 422)  # 400: the input guard refuses a NUL
    if response.status_code == 302:
        page = client.get(response["Location"]).content.decode()
        assert "<script>alert" not in page
    elif response.status_code == 422:
        assert "被推荐人" in response.content.decode() or "主要事迹" in response.content.decode()
    body = {"unit_code": "linshanzhai-01", "nominee": text[:50], "deeds": text,
            "party_member": True, "party_years": 10}
    answer = api(d.community_staff, "POST", f"/rounds/{round_.pk}/nominations", body)
    assert answer.status_code in (201, 422), answer.content
    if answer.status_code == 422:
        assert answer.json()["field"] in ("nominee", "deeds")
    else:
        assert answer.json()["deeds"] == text.strip()
    story = client.post(reverse("web:campaign-practice-new"),
                        {"unit": "linshanzhai-01", "title": text[:200], "body": text})
    assert story.status_code in (302, 400, 422)


def test_api_nominations_and_selections(d):
    round_ = make_round(d)
    photo = {"name": "me.png", "data": base64.b64encode(png()).decode()}
    body = {"unit_code": "linshanzhai-01", "nominee": "王建国", "deeds": "事迹",
            "party_years": 8, "photo": photo}
    created = api(d.community_staff, "POST", f"/rounds/{round_.pk}/nominations", body)
    assert created.status_code == 201 and created.json()["has_photo"] is True
    full = api(d.community_staff, "POST", f"/rounds/{round_.pk}/nominations", body)
    assert full.status_code == 422
    assert (full.json()["detail"], full.json()["field"]) == ("本单位推荐名额已满(1名)", "unit_code")
    other = api(d.cgj_staff, "POST", f"/rounds/{round_.pk}/nominations", body)
    assert other.status_code == 403
    bad = api(d.community_staff, "POST", f"/rounds/{round_.pk}/nominations",
              body | {"unit_code": "linshanzhai-02", "photo": {"data": "!!!"}})
    assert bad.status_code == 422 and bad.json()["field"] == "photo"
    assert api(None, "GET", "/selections").status_code == 401
    rounds = api(d.street_staff, "GET", "/selections").json()
    assert rounds[0]["stage"] == "nominating" and rounds[0]["nominations"] == 1
    round_ = advance(d, round_, RoundStage.REVIEWING)
    late = api(d.street_staff, "POST", f"/rounds/{round_.pk}/nominations",
               body | {"unit_code": "linshanzhai-02"})
    assert late.status_code == 409 and "推荐提名" in late.json()["detail"]
    assert Nomination.objects.filter(status=NominationStatus.PENDING).count() == 1


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_reasons_objections_and_notes(d, client, text):
    round_, (first, *_rest) = scoring_round(d, places=1)
    actions.score_nomination(first, actor=d.leader, score=Decimal(90))
    round_ = actions.advance_round(round_, actor=d.dispatcher)
    url = reverse("web:campaign-publicity", args=[round_.pk])
    raised = Client().post(url, {"nomination": first.pk, "text": text, "contact": text[:50]})
    if len(text) > actions.OBJECTION_MAX:  # refused, naming the field's limit
        assert raised.status_code == 422 and "2000" in raised.content.decode()
        raised = Client().post(url, {"nomination": first.pk, "text": text[:2000]})
    assert raised.status_code == 200 and "异议已提交" in raised.content.decode()
    login(client, "dispatcher")
    objection = Objection.objects.get()
    handled = client.post(reverse("web:campaign-objection-handle", args=[objection.pk]),
                          {"decision": "dismiss", "response": text[:2000]})
    assert handled.status_code == 302
    page = client.get(reverse("web:campaign-round", args=[round_.pk])).content.decode()
    assert "<script>alert" not in page
    story = actions.write_practice(actor=d.dispatcher, unit=d.street_unit, title="标题",
                                   body="正文", submit=True)
    returned = client.post(reverse("web:campaign-practice-review", args=[story.pk]),
                           {"decision": "return", "note": text[:2000]})
    assert returned.status_code == 302
    shown = client.get(reverse("web:campaign-practice", args=[story.pk])).content.decode()
    assert "<script>alert" not in shown and GoodPractice.objects.get().review_note

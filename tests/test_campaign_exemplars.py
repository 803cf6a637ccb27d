"""Exemplars through the actions: a round's stages one step at a time, nominations refused
over quota or ineligible, review, panel scores (a second score corrects the first), the public
vote (one per person and device, phone kept only as a hash), the final score formula, 公示
objections blocking the results until handled, and good practices reviewed and published."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from PIL import Image

from banshi.appeals.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from banshi.campaign.actions import exemplars as actions
from banshi.campaign.choices import NominationStatus, ObjectionStatus, RoundStage, StoryStatus
from banshi.campaign.models import PanelScore, Vote
from banshi.collection.models import RecordEvent
from banshi.org.choices import UnitKind

from .factories import add_other_street

PHONE = "13912345678"


def png(size=(40, 50), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def make_round(d, **rules):
    selection = actions.create_selection(actor=d.dispatcher, name="党史学习之星")
    return actions.create_round(selection, actor=d.dispatcher, **rules)


def nominate(d, round_, unit=None, actor=None, **fields):
    values = {"nominee": "王建国", "party_member": True, "party_years": 12,
              "deeds": "带头学党史，为群众办实事。"} | fields
    unit = unit or d.community_unit
    return actions.nominate(round_, actor=actor or d.dispatcher, unit=unit, **values)


def advance(d, round_, to: str):
    while round_.stage != to:
        round_ = actions.advance_round(round_, actor=d.dispatcher)
    return round_


def test_weights_must_sum_to_one_and_rules_are_checked(d):
    selection = actions.create_selection(actor=d.dispatcher, name="优秀共产党员")
    with pytest.raises(InvalidInput) as refused:
        actions.create_round(selection, actor=d.dispatcher, panel_weight=Decimal("0.6"),
                             vote_weight=Decimal("0.3"))
    assert refused.value.field == "vote_weight" and "之和须为1" in refused.value.message
    with pytest.raises(InvalidInput) as refused:
        actions.create_round(selection, actor=d.dispatcher, eligible_unit_kinds=["planet"])
    assert refused.value.field == "eligible_unit_kinds"
    with pytest.raises(NotPermitted):
        actions.create_selection(actor=d.street_staff, name="自选评选")
    with pytest.raises(InvalidInput) as refused:
        actions.create_round(selection, actor=d.dispatcher, voting_opens_on=dt.date(2026, 5, 1),
                             voting_closes_on=dt.date(2026, 4, 1))
    assert refused.value.field == "voting_closes_on"
    with pytest.raises(InvalidInput) as refused:
        actions.create_round(selection, actor=d.dispatcher, publicity_ends_on=dt.date(1, 1, 1))
    assert refused.value.field == "publicity_ends_on"
    first = actions.create_round(selection, actor=d.dispatcher)
    second = actions.create_round(selection, actor=d.dispatcher, public_vote=False,
                                  panel_weight=Decimal("0.5"), vote_weight=Decimal("0.5"))
    assert (first.number, second.number) == (1, 2)
    assert (second.panel_weight, second.vote_weight) == (Decimal(1), Decimal(0))


def test_the_stages_go_one_step_at_a_time_each_with_its_own_actions(d):
    round_ = make_round(d)
    nomination = nominate(d, round_)
    with pytest.raises(TransitionNotAllowed):  # review belongs to 资格审核
        actions.review_nomination(nomination, actor=d.dispatcher, passed=True)
    with pytest.raises(NotPermitted):
        actions.advance_round(round_, actor=d.street_staff)
    round_ = actions.advance_round(round_, actor=d.dispatcher)
    assert round_.stage == RoundStage.REVIEWING
    with pytest.raises(TransitionNotAllowed) as refused:
        nominate(d, round_, unit=d.community2_unit)
    assert "推荐提名" in refused.value.message
    with pytest.raises(TransitionNotAllowed) as refused:  # a nomination waits for review
        actions.advance_round(round_, actor=d.dispatcher)
    assert "未审核" in refused.value.message
    actions.review_nomination(nomination, actor=d.dispatcher, passed=True)
    round_ = actions.advance_round(round_, actor=d.dispatcher)
    assert round_.stage == RoundStage.SCORING
    with pytest.raises(TransitionNotAllowed):  # objections only in 公示
        actions.raise_objection(nomination, text="不属实")
    round_ = advance(d, round_, RoundStage.PUBLISHED)
    assert round_.published_on is not None
    with pytest.raises(TransitionNotAllowed):
        actions.advance_round(round_, actor=d.dispatcher)
    stages = [e.data["to"] for e in RecordEvent.objects.of(round_.selection)
              if e.action == "advance"]
    assert sorted(stages) == sorted(RoundStage.values[1:])


def test_quota_exceeded_is_refused_with_the_quota(d):
    round_ = make_round(d, quota_per_unit=2)
    nominate(d, round_, actor=d.community_staff)
    nominate(d, round_, actor=d.community_staff, nominee="李秀英")
    with pytest.raises(InvalidInput) as refused:
        nominate(d, round_, actor=d.community_staff, nominee="张志强")
    assert refused.value.message == "本单位推荐名额已满(2名)"
    nominate(d, round_, unit=d.community2_unit, actor=d.street_staff)  # another unit's quota
    assert round_.nominations.count() == 3


def test_ineligible_nominees_are_refused(d):
    round_ = make_round(d, min_party_years=5, eligible_unit_kinds=[UnitKind.COMMUNITY,
                                                                    UnitKind.STREET])
    with pytest.raises(InvalidInput) as refused:
        nominate(d, round_, party_member=False, party_years=0)
    assert refused.value.field == "party_member" and "党员" in refused.value.message
    with pytest.raises(InvalidInput) as refused:
        nominate(d, round_, party_years=3)
    assert refused.value.field == "party_years" and "党龄不足5年" in refused.value.message
    with pytest.raises(InvalidInput) as refused:
        nominate(d, round_, unit=d.cgj)
    assert "区城市管理局" in refused.value.message and "不在推荐范围" in refused.value.message
    with pytest.raises(NotPermitted):  # another unit's staff
        nominate(d, round_, actor=d.cgj_staff)
    open_round = make_round(d, require_party_member=False)
    assert nominate(d, open_round, party_member=False, party_years=0).party_member is False
    assert round_.nominations.count() == 0


def test_photo_checked_by_its_bytes(d):
    round_ = make_round(d, quota_per_unit=3)
    with pytest.raises(InvalidInput) as refused:
        nominate(d, round_, photo=("photo.jpg", b"<script>not an image</script>"))
    assert refused.value.field == "photo"
    with_photo = nominate(d, round_, photo=("me.png", png()))
    assert with_photo.photo.name.endswith(".png")


def test_review_needs_a_reason_to_reject(d):
    round_ = make_round(d, quota_per_unit=2)
    first, second = nominate(d, round_), nominate(d, round_, nominee="李秀英")
    round_ = actions.advance_round(round_, actor=d.dispatcher)
    with pytest.raises(InvalidInput) as refused:
        actions.review_nomination(first, actor=d.dispatcher, passed=False, reason="  ")
    assert refused.value.field == "reason"
    with pytest.raises(NotPermitted):
        actions.review_nomination(first, actor=d.leader, passed=True)
    rejected = actions.review_nomination(first, actor=d.dispatcher, passed=False,
                                         reason="事迹材料不完整")
    assert (rejected.status, rejected.reject_reason) == (NominationStatus.REJECTED,
                                                         "事迹材料不完整")
    with pytest.raises(TransitionNotAllowed):
        actions.review_nomination(first, actor=d.dispatcher, passed=True)
    assert actions.review_nomination(second, actor=d.dispatcher,
                                     passed=True).status == NominationStatus.PASSED


def scoring_round(d, nominees=3, **rules):
    round_ = make_round(d, quota_per_unit=nominees, **rules)
    made = [nominate(d, round_, nominee=f"候选人{n}") for n in range(nominees)]
    round_ = actions.advance_round(round_, actor=d.dispatcher)
    for nomination in made:
        actions.review_nomination(nomination, actor=d.dispatcher, passed=True)
    round_ = actions.advance_round(round_, actor=d.dispatcher)
    for nomination in made:
        nomination.refresh_from_db()
    return round_, made


def test_a_judge_scores_once_a_second_score_corrects_it(d):
    round_, (first, *_rest) = scoring_round(d)
    actions.score_nomination(first, actor=d.leader, score=Decimal("80"))
    actions.score_nomination(first, actor=d.leader, score=Decimal("90.5"))
    scores = PanelScore.objects.filter(nomination=first)
    assert [(s.judge, s.score) for s in scores] == [(d.leader, Decimal("90.50"))]
    events = [e.data for e in RecordEvent.objects.of(first) if e.action == "score"]
    assert sorted(e["corrected"] for e in events) == [False, True]
    for bad in (Decimal("-1"), Decimal("100.01")):
        with pytest.raises(InvalidInput) as refused:
            actions.score_nomination(first, actor=d.dispatcher, score=bad)
        assert refused.value.field == "score"
    with pytest.raises(NotPermitted):
        actions.score_nomination(first, actor=d.street_staff, score=Decimal(70))


def test_one_vote_per_person_kept_as_a_hash(d):
    round_, (first, second, _third) = scoring_round(d)
    vote = actions.cast_vote(first, phone=PHONE, device="c:phone-a")
    assert vote.voter != PHONE and PHONE not in vote.voter and len(vote.voter) == 64
    assert vote.voter == actions.voter_digest(PHONE)
    with pytest.raises(TransitionNotAllowed) as refused:  # the same person, another nominee
        actions.cast_vote(second, phone="139 1234 5678", device="c:phone-b")
    assert refused.value.field == "phone" and "每人限投1票" in refused.value.message
    with pytest.raises(TransitionNotAllowed) as refused:  # the same nominee again
        actions.cast_vote(first, phone="+8613912345678")
    assert "不能重复投票" in refused.value.message
    with pytest.raises(TransitionNotAllowed) as refused:  # the same device, another number
        actions.cast_vote(second, phone="13700000000", device="c:phone-a")
    assert "设备" in refused.value.message
    for bad in ("12345", "", "' OR 1=1 --"):
        with pytest.raises(InvalidInput) as refused:
            actions.cast_vote(second, phone=bad)
        assert refused.value.field == "phone"
    assert Vote.objects.filter(round=round_).count() == 1
    logged = [str(e.data) + e.note + e.actor_label for e in RecordEvent.objects.all()]
    assert not any(PHONE in text or "5678" in text for text in logged)


def test_votes_per_person_caps_a_voter(d):
    round_, (first, second, third) = scoring_round(d, votes_per_person=2)
    actions.cast_vote(first, phone=PHONE)
    actions.cast_vote(second, phone=PHONE)
    with pytest.raises(TransitionNotAllowed) as refused:
        actions.cast_vote(third, phone=PHONE)
    assert "每人限投2票" in refused.value.message


def test_no_vote_outside_scoring_or_without_a_public_vote(d):
    round_, (first, *_rest) = scoring_round(d, public_vote=False)
    with pytest.raises(TransitionNotAllowed):
        actions.cast_vote(first, phone=PHONE)
    round_ = make_round(d)
    early = nominate(d, round_)
    with pytest.raises(TransitionNotAllowed):
        actions.cast_vote(early, phone=PHONE)


def test_final_score_ranks_and_places(d):
    round_, (a, b, c) = scoring_round(d, places=2, panel_weight=Decimal("0.6"),
                                      vote_weight=Decimal("0.4"))
    for nomination, (leader_score, office_score) in zip((a, b, c), ((90, 80), (70, 70),
                                                                    (95, 95)), strict=True):
        actions.score_nomination(nomination, actor=d.leader, score=Decimal(leader_score))
        actions.score_nomination(nomination, actor=d.dispatcher, score=Decimal(office_score))
    for n in range(4):
        actions.cast_vote(b, phone=f"1380000000{n}")
    actions.cast_vote(a, phone="13800000009")
    round_ = actions.advance_round(round_, actor=d.dispatcher)
    # by hand: a 0.6×85 + 0.4×(1/4×100) = 61; b 0.6×70 + 0.4×100 = 82; c 0.6×95 + 0 = 57
    expected = {a.pk: (Decimal("61.00"), 2), b.pk: (Decimal("82.00"), 1),
                c.pk: (Decimal("57.00"), 3)}
    for nomination in round_.nominations.all():
        assert (nomination.final_score, nomination.rank) == expected[nomination.pk]
    status = dict(round_.nominations.values_list("pk", "status"))
    assert status == {a.pk: NominationStatus.SELECTED, b.pk: NominationStatus.SELECTED,
                      c.pk: NominationStatus.NOT_SELECTED}


def publicity_round(d):
    round_, made = scoring_round(d, places=2)
    for score, nomination in zip((90, 80, 70), made, strict=True):
        actions.score_nomination(nomination, actor=d.leader, score=Decimal(score))
    round_ = actions.advance_round(round_, actor=d.dispatcher)
    for nomination in made:
        nomination.refresh_from_db()
    return round_, made


def test_objections_block_publishing_until_handled(d):
    round_, (first, second, third) = publicity_round(d)
    assert third.status == NominationStatus.NOT_SELECTED
    with pytest.raises(InvalidInput):  # only the selected are in 公示
        actions.raise_objection(third, text="不属实")
    objection = actions.raise_objection(first, text="<script>x</script>事迹有出入",
                                        contact=PHONE)
    with pytest.raises(TransitionNotAllowed) as refused:
        actions.advance_round(round_, actor=d.dispatcher)
    assert "异议未处理" in refused.value.message
    with pytest.raises(InvalidInput) as refused:
        actions.handle_objection(objection, actor=d.dispatcher, upheld=False, response="")
    assert refused.value.field == "response"
    with pytest.raises(NotPermitted):
        actions.handle_objection(objection, actor=d.leader, upheld=False, response="经核实不成立")
    handled = actions.handle_objection(objection, actor=d.dispatcher, upheld=False,
                                       response="经核实，事迹属实，异议不成立")
    assert handled.status == ObjectionStatus.DISMISSED
    first.refresh_from_db()
    assert first.status == NominationStatus.SELECTED
    assert actions.advance_round(round_, actor=d.dispatcher).stage == RoundStage.PUBLISHED
    assert not any(PHONE in str(e.data) + e.note for e in RecordEvent.objects.all())


def test_an_upheld_objection_withdraws_without_promoting_the_next(d):
    round_, (first, second, third) = publicity_round(d)
    objection = actions.raise_objection(second, text="该同志曾受处分")
    actions.handle_objection(objection, actor=d.dispatcher, upheld=True, response="经核实属实")
    status = dict(round_.nominations.values_list("pk", "status"))
    assert status == {first.pk: NominationStatus.SELECTED, second.pk: NominationStatus.WITHDRAWN,
                      third.pk: NominationStatus.NOT_SELECTED}
    with pytest.raises(TransitionNotAllowed):
        actions.handle_objection(objection, actor=d.dispatcher, upheld=False, response="再议")
    round_ = actions.advance_round(round_, actor=d.dispatcher)
    assert round_.nominations.filter(status=NominationStatus.SELECTED).count() == 1


def test_good_practice_written_submitted_reviewed_published(d):
    other = add_other_street(d)
    story = actions.write_practice(actor=d.street_staff, unit=d.street_unit, title="一楼一议",
                                   body="因院施策，协商解决老旧小区改造问题。",
                                   photo=("a.png", png()))
    assert story.status == StoryStatus.DRAFT and story.photo
    with pytest.raises(NotPermitted):
        actions.write_practice(actor=other.street_staff, unit=d.street_unit, title="x", body="y")
    with pytest.raises(NotPermitted):
        actions.submit_practice(story, actor=other.street_staff)
    with pytest.raises(TransitionNotAllowed):  # not yet submitted
        actions.review_practice(story, actor=d.dispatcher, publish=True)
    actions.submit_practice(story, actor=d.street_staff)
    with pytest.raises(TransitionNotAllowed):  # submitted: no more edits
        actions.edit_practice(story, actor=d.street_staff, title="改", body="改")
    with pytest.raises(InvalidInput) as refused:
        actions.review_practice(story, actor=d.dispatcher, publish=False, note="")
    assert refused.value.field == "note"
    returned = actions.review_practice(story, actor=d.dispatcher, publish=False,
                                       note="请补充成效数据")
    assert returned.status == StoryStatus.RETURNED and returned.published_on is None
    actions.edit_practice(returned, actor=d.street_staff, title="因院施策、一楼一议",
                          body="协商解决老旧小区改造问题，惠及居民1200余户。")
    actions.submit_practice(returned, actor=d.street_staff)
    with pytest.raises(NotPermitted):
        actions.review_practice(returned, actor=d.street_staff, publish=True)
    published = actions.review_practice(returned, actor=d.dispatcher, publish=True)
    assert published.status == StoryStatus.PUBLISHED and published.published_on is not None
    actions_logged = [e.action for e in RecordEvent.objects.of(published)]
    assert sorted(actions_logged) == sorted(["create", "submit", "return", "update", "submit",
                                             "publish"])

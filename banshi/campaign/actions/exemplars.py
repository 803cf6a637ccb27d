"""Exemplars: selections ("党史学习之星" and others) run in rounds, units' nominations, the
office's review, panel scores and the public vote, the 公示 with objections, the published
results; and units' good practices (好做法好经验) reviewed and published by the office.

A round moves through RoundStage one step at a time (`advance_round`) and each stage allows
only its own actions: nominating in 推荐提名, review in 资格审核, panel scores and votes in
评审投票, objections in 公示. On entering 公示 the final scores and ranks are computed:

    final = panel_weight × mean panel score + vote_weight × (votes ÷ most votes × 100)

(the vote part is 0 when nobody voted; a round without a public vote scores on the mean
panel score alone). The `places` best are 入选, the rest 未入选; ties go to more votes, then
to the earlier nomination. A judge who scores a nominee again replaces their score (a
correction, logged) until the stage closes. An upheld objection withdraws the nominee (撤销
入选); the next ranked is not promoted — the places stay as published, with one fewer.
"""

import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max

from banshi.appeals import clock
from banshi.appeals.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from banshi.appeals.photos import sniff_photo
from banshi.appeals.validators import date_problem, normalise_phone
from banshi.collection.choices import RecordAction
from banshi.org.choices import UnitKind
from banshi.org.models import Unit
from banshi.org.permissions import Person

from .. import permissions
from ..choices import NominationStatus, ObjectionStatus, RoundStage, StoryStatus
from ..models import (
    GoodPractice,
    Nomination,
    Objection,
    PanelScore,
    Selection,
    SelectionRound,
    Vote,
)
from .common import check_recording, optional_text, record_event, require_text

NAME_MAX = 100
DESCRIPTION_MAX = 5_000
PERSON_MAX = 50
TITLE_MAX = 200
DEEDS_MAX = 10_000
REASON_MAX = 2_000
OBJECTION_MAX = 2_000
CONTACT_MAX = 50
STORY_TITLE_MAX = 200
STORY_BODY_MAX = 30_000
PARTY_YEARS_MAX = 90
PLACES_MAX = 1_000
QUOTA_MAX = 100
VOTES_MAX = 100
STAGES = list(RoundStage.values)
PUBLIC_STAGES = (RoundStage.SCORING, RoundStage.PUBLICITY, RoundStage.PUBLISHED)
VOTER_LABEL = "群众(投票)"
OBJECTOR_LABEL = "群众(公示异议)"
# A photo as sent: (file name, bytes)
Photo = tuple[str, bytes]


def _office(actor: Person, what: str) -> None:
    if not permissions.is_office(actor):
        raise NotPermitted(f"只有活动办公室可以{what}")


def _stage(round_: SelectionRound, stage: str, what: str) -> None:
    if round_.stage != stage:
        raise TransitionNotAllowed(
            f"{what}只能在“{RoundStage(stage).label}”阶段进行，本轮当前为"
            f"“{round_.get_stage_display()}”阶段", "stage")


# ---------- selections and rounds ----------


def create_selection(*, actor: User, name: str, description: str = "",
                     unit: Unit | None = None) -> Selection:
    """A new selection, organised by `unit` (the district's top unit when None)."""
    _office(actor, "发起评选")
    unit = unit or Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("id").first()
    if unit is None:
        raise InvalidInput("请选择组织单位", "unit_code")
    values = {"name": require_text(name, "name", "评选名称", NAME_MAX),
              "description": optional_text(description, "description", "评选说明",
                                           DESCRIPTION_MAX)}
    with transaction.atomic():
        selection = Selection.objects.create(unit=unit, created_by=actor, created_at=clock.now(),
                                             **values)
        record_event(selection, RecordAction.CREATE, actor=actor)
    return selection


def _weights(panel_weight: Decimal, vote_weight: Decimal, public_vote: bool
             ) -> tuple[Decimal, Decimal]:
    for value, field, label in ((panel_weight, "panel_weight", "评审分权重"),
                                (vote_weight, "vote_weight", "群众投票权重")):
        if not Decimal(0) <= value <= Decimal(1):
            raise InvalidInput(f"{label}须在0至1之间", field)
    if not public_vote:
        return Decimal(1), Decimal(0)
    if panel_weight + vote_weight != Decimal(1):
        raise InvalidInput(f"评审分权重与群众投票权重之和须为1(现为{panel_weight + vote_weight})",
                           "vote_weight")
    return panel_weight, vote_weight


def _dates(dates: dict[str, dt.date | None]) -> dict[str, dt.date | None]:
    order = ["nominations_close_on", "voting_opens_on", "voting_closes_on",
             "publicity_starts_on", "publicity_ends_on"]
    if unknown := sorted(set(dates) - set(order)):
        raise InvalidInput(f"未知的日期：{'、'.join(unknown)}", unknown[0])
    for name in order:
        if (value := dates.get(name)) and (problem := date_problem(value)):
            raise InvalidInput(problem, name)
    given = [(name, dates.get(name)) for name in order if dates.get(name)]
    for (_, earlier), (name, later) in zip(given, given[1:], strict=False):
        if later < earlier:  # type: ignore[operator]
            raise InvalidInput("各阶段日期须依次排列(推荐截止≤投票开始≤投票截止≤公示开始≤公示结束)",
                               name)
    return {name: dates.get(name) for name in order}


def create_round(selection: Selection, *, actor: User, eligible_unit_kinds: Sequence[str] = (),
                 require_party_member: bool = True, min_party_years: int = 0,
                 eligibility: str = "", quota_per_unit: int = 1, places: int = 10,
                 panel_weight: Decimal = Decimal("0.70"), vote_weight: Decimal = Decimal("0.30"),
                 public_vote: bool = True, votes_per_person: int = 1,
                 **dates: dt.date | None) -> SelectionRound:
    """A new round of `selection` with its rules, at 推荐提名."""
    _office(actor, "设置评选轮次")
    kinds = sorted(set(eligible_unit_kinds or []))
    if unknown := [k for k in kinds if k not in UnitKind.values]:
        raise InvalidInput(f"未知的单位类型：{'、'.join(unknown)}", "eligible_unit_kinds")
    if not 0 <= min_party_years <= PARTY_YEARS_MAX:
        raise InvalidInput(f"最低党龄须在0至{PARTY_YEARS_MAX}年之间", "min_party_years")
    if not 1 <= quota_per_unit <= QUOTA_MAX:
        raise InvalidInput(f"每单位推荐名额须在1至{QUOTA_MAX}之间", "quota_per_unit")
    if not 1 <= places <= PLACES_MAX:
        raise InvalidInput(f"评选名额须在1至{PLACES_MAX}之间", "places")
    if not 1 <= votes_per_person <= VOTES_MAX:
        raise InvalidInput(f"每人可投票数须在1至{VOTES_MAX}之间", "votes_per_person")
    panel_weight, vote_weight = _weights(Decimal(panel_weight), Decimal(vote_weight),
                                         public_vote)
    values = {"eligible_unit_kinds": kinds, "require_party_member": require_party_member,
              "min_party_years": min_party_years, "quota_per_unit": quota_per_unit,
              "eligibility": optional_text(eligibility, "eligibility", "推荐条件",
                                           DESCRIPTION_MAX),
              "places": places, "panel_weight": panel_weight, "vote_weight": vote_weight,
              "public_vote": public_vote, "votes_per_person": votes_per_person,
              **_dates(dates)}
    with transaction.atomic():
        Selection.objects.select_for_update().filter(pk=selection.pk).first()
        number = (selection.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
        round_ = SelectionRound.objects.create(selection=selection, number=number, **values)
        record_event(selection, RecordAction.CREATE, actor=actor, data={"round": number},
                     note=f"设置第{number}轮")
    return round_


def start_selection(*, actor: User, name: str, description: str = "",
                    unit: Unit | None = None, **rules: Any) -> SelectionRound:
    """A new selection with its first round, both or neither."""
    with transaction.atomic():
        selection = create_selection(actor=actor, name=name, description=description,
                                     unit=unit)
        return create_round(selection, actor=actor, **rules)


def scores_of(round_: SelectionRound) -> list[tuple[Nomination, Decimal, int, Decimal]]:
    """(nomination, mean panel score, votes, final score) of every passed nominee, best
    first: the formula of the module's docstring."""
    passed = list(round_.nominations.filter(status__in=[
        NominationStatus.PASSED, NominationStatus.SELECTED, NominationStatus.NOT_SELECTED,
        NominationStatus.WITHDRAWN]).order_by("id"))
    votes = {n.pk: n.votes.count() for n in passed}
    most = max(votes.values(), default=0)
    vote_weight = round_.vote_weight if round_.public_vote else Decimal(0)
    panel_weight = round_.panel_weight if round_.public_vote else Decimal(1)
    rows = []
    for nomination in passed:
        marks = [s.score for s in nomination.scores.all()]
        mean = sum(marks, Decimal(0)) / len(marks) if marks else Decimal(0)
        share = Decimal(votes[nomination.pk]) / most * 100 if most else Decimal(0)
        final = (panel_weight * mean + vote_weight * share).quantize(Decimal("0.01"),
                                                                     ROUND_HALF_UP)
        rows.append((nomination, mean.quantize(Decimal("0.01"), ROUND_HALF_UP),
                     votes[nomination.pk], final))
    rows.sort(key=lambda row: (-row[3], -row[2], row[0].pk))
    return rows


def _rank(round_: SelectionRound) -> dict[str, int]:
    ranked = scores_of(round_)
    for place, (nomination, _mean, _votes, final) in enumerate(ranked, 1):
        status = (NominationStatus.SELECTED if place <= round_.places
                  else NominationStatus.NOT_SELECTED)
        Nomination.objects.filter(pk=nomination.pk).update(final_score=final, rank=place,
                                                           status=status)
    return {"ranked": len(ranked), "selected": min(len(ranked), round_.places)}


def advance_round(round_: SelectionRound, *, actor: User) -> SelectionRound:
    """Move the round one stage on. Refused: past the last stage; into 评审投票 while a
    nomination awaits review; into 结果发布 while an objection is open. Entering 公示 ranks
    the nominees; entering 结果发布 dates the results (published_on)."""
    _office(actor, "推进评选阶段")
    with transaction.atomic():
        round_ = SelectionRound.objects.select_for_update().get(pk=round_.pk)
        at = STAGES.index(round_.stage)
        if at + 1 >= len(STAGES):
            raise TransitionNotAllowed("本轮评选结果已发布，没有下一阶段", "stage")
        target = STAGES[at + 1]
        data: dict[str, Any] = {"round": round_.number, "from": round_.stage, "to": target}
        if target == RoundStage.SCORING and (
                waiting := round_.nominations.filter(status=NominationStatus.PENDING).count()):
            raise TransitionNotAllowed(f"还有{waiting}名推荐人选未审核，请先完成资格审核",
                                       "stage")
        if target == RoundStage.PUBLICITY:
            data |= _rank(round_)
            round_.publicity_starts_on = round_.publicity_starts_on or clock.localdate()
        if target == RoundStage.PUBLISHED:
            if opened := Objection.objects.filter(nomination__round=round_,
                                                  status=ObjectionStatus.OPEN).count():
                raise TransitionNotAllowed(f"还有{opened}条公示异议未处理，处理后才能发布结果",
                                           "stage")
            round_.published_on = clock.localdate()
        round_.stage = target
        round_.save()
        record_event(round_.selection, RecordAction.ADVANCE, actor=actor, data=data,
                     note=f"第{round_.number}轮：{RoundStage(STAGES[at]).label}→"
                          f"{RoundStage(target).label}")
    return round_


# ---------- nominations ----------


def _photo(photo: Photo | None, field: str = "photo") -> tuple[bytes, str] | None:
    if not photo:
        return None
    name, data = photo
    if not data:
        raise InvalidInput("照片文件是空的", field)
    _type, extension = sniff_photo(data, "", field)
    if extension == "heic":  # browsers do not show it
        raise InvalidInput("照片请使用jpg、png或webp格式", field)
    return data, extension


def _eligible(round_: SelectionRound, unit: Unit, party_member: bool, party_years: int) -> None:
    if round_.eligible_unit_kinds and unit.kind not in round_.eligible_unit_kinds:
        kinds = "、".join(str(UnitKind(k).label) for k in round_.eligible_unit_kinds)
        raise InvalidInput(f"本轮评选只接受{kinds}推荐，“{unit.name}”不在推荐范围内", "unit_code")
    if not 0 <= party_years <= PARTY_YEARS_MAX:
        raise InvalidInput(f"党龄须在0至{PARTY_YEARS_MAX}年之间", "party_years")
    if round_.require_party_member and not party_member:
        raise InvalidInput("本轮评选要求被推荐人为中共党员", "party_member")
    if party_member and party_years < round_.min_party_years:
        raise InvalidInput(f"被推荐人党龄不足{round_.min_party_years}年", "party_years")
    if not party_member and party_years:
        raise InvalidInput("非党员的党龄应为0", "party_years")


def nominate(round_: SelectionRound, *, actor: User, unit: Unit | None, nominee: str,
             nominee_title: str = "", party_member: bool = True, party_years: int = 0,
             deeds: str, photo: Photo | None = None) -> Nomination:
    """`unit` nominates someone in 推荐提名 (the actor records for the unit). Every nomination
    of the unit in the round counts against its quota, a rejected one too."""
    unit = check_recording(actor, unit)
    values = {"nominee": require_text(nominee, "nominee", "被推荐人", PERSON_MAX),
              "nominee_title": optional_text(nominee_title, "nominee_title", "单位及职务",
                                             TITLE_MAX),
              "deeds": require_text(deeds, "deeds", "主要事迹", DEEDS_MAX),
              "party_member": bool(party_member), "party_years": party_years}
    checked = _photo(photo)
    with transaction.atomic():
        round_ = SelectionRound.objects.select_for_update().get(pk=round_.pk)
        _stage(round_, RoundStage.NOMINATING, "推荐")
        _eligible(round_, unit, bool(party_member), party_years)
        if round_.nominations.filter(unit=unit).count() >= round_.quota_per_unit:
            raise InvalidInput(f"本单位推荐名额已满({round_.quota_per_unit}名)", "unit_code")
        nomination = Nomination(round=round_, unit=unit, created_by=actor,
                                created_at=clock.now(), **values)
        if checked:
            data, extension = checked
            nomination.photo.save(f"nominee.{extension}", ContentFile(data), save=False)
        nomination.save()
        record_event(nomination, RecordAction.NOMINATE, actor=actor,
                     data={"round": round_.pk, "photo": bool(checked)})
    return nomination


def review_nomination(nomination: Nomination, *, actor: User, passed: bool,
                      reason: str = "") -> Nomination:
    """The office passes or rejects (with a reason) a nomination in 资格审核."""
    _office(actor, "审核推荐人选")
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        _stage(nomination.round, RoundStage.REVIEWING, "资格审核")
        if nomination.status != NominationStatus.PENDING:
            raise TransitionNotAllowed(f"该推荐人选已审核({nomination.get_status_display()})",
                                       "status")
        if passed:
            nomination.status, nomination.reject_reason = NominationStatus.PASSED, ""
        else:
            nomination.reject_reason = require_text(reason, "reason", "未通过原因", REASON_MAX)
            nomination.status = NominationStatus.REJECTED
        nomination.reviewed_by = actor
        nomination.save()
        record_event(nomination, RecordAction.REVIEW, actor=actor, note=nomination.reject_reason,
                     data={"status": nomination.status})
    return nomination


def score_nomination(nomination: Nomination, *, actor: User, score: Decimal) -> PanelScore:
    """A judge scores a passed nominee 0–100 in 评审投票; scoring again replaces the judge's
    own score (a correction, logged as such)."""
    if not permissions.may_score(actor):
        raise NotPermitted("只有评委(区领导和活动办公室)可以评分")
    score = Decimal(score)
    if not Decimal(0) <= score <= Decimal(100):
        raise InvalidInput("评分须在0至100之间", "score")
    score = score.quantize(Decimal("0.01"), ROUND_HALF_UP)
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        _stage(nomination.round, RoundStage.SCORING, "评分")
        if nomination.status != NominationStatus.PASSED:
            raise TransitionNotAllowed("只能为审核通过的推荐人选评分", "status")
        found, created = PanelScore.objects.update_or_create(
            nomination=nomination, judge=actor,
            defaults={"score": score, "scored_at": clock.now()})
        record_event(nomination, RecordAction.SCORE, actor=actor,
                     data={"score": str(score), "corrected": not created})
    return found


def voter_digest(phone: str) -> str:
    """A keyed digest of a normalised phone: the same phone gives the same voter, and the
    stored value tells nothing about the number."""
    key = f"banshi.campaign.vote:{settings.SECRET_KEY}".encode()
    return hmac.new(key, phone.encode(), hashlib.sha256).hexdigest()


def device_digest(device: str) -> str:
    key = f"banshi.campaign.vote-device:{settings.SECRET_KEY}".encode()
    return hmac.new(key, device.encode(), hashlib.sha256).hexdigest()


def cast_vote(nomination: Nomination, *, phone: str, device: str | None = None) -> Vote:
    """A resident votes for a passed nominee in 评审投票 with their phone number (kept only as
    a keyed hash). A voter — and a device — casts at most `votes_per_person` votes per round,
    and never two for the same nominee."""
    try:
        number = normalise_phone(phone)
    except ValueError as exc:
        raise InvalidInput(str(exc), "phone") from None
    if not number:
        raise InvalidInput("请填写手机号码", "phone")
    voter = voter_digest(number)
    machine = device_digest(device) if device else ""
    with transaction.atomic():
        round_ = SelectionRound.objects.select_for_update().get(pk=nomination.round_id)
        nomination = Nomination.objects.get(pk=nomination.pk)  # as it is now
        if not round_.public_vote:
            raise TransitionNotAllowed("本轮评选未开放群众投票", "stage")
        _stage(round_, RoundStage.SCORING, "投票")
        if nomination.status != NominationStatus.PASSED:
            raise InvalidInput("只能为审核通过的候选人投票", "nomination")
        cap = round_.votes_per_person
        if round_.votes.filter(nomination=nomination, voter=voter).exists():
            raise TransitionNotAllowed("您已为这位候选人投过票，不能重复投票", "phone")
        if round_.votes.filter(voter=voter).count() >= cap:
            raise TransitionNotAllowed(f"您本轮已投过{cap}票，每人限投{cap}票", "phone")
        if machine and round_.votes.filter(device=machine).count() >= cap:
            raise TransitionNotAllowed(f"这台设备本轮已投过{cap}票，每台设备限投{cap}票", "phone")
        try:
            with transaction.atomic():
                vote = Vote.objects.create(round=round_, nomination=nomination, voter=voter,
                                           device=machine, cast_at=clock.now())
        except IntegrityError:
            raise TransitionNotAllowed("您已为这位候选人投过票，不能重复投票", "phone") from None
        record_event(nomination, RecordAction.VOTE, actor=None, label=VOTER_LABEL)
    return vote


# ---------- 公示 and objections ----------


def raise_objection(nomination: Nomination, *, text: str, contact: str = "") -> Objection:
    """Anyone objects to a selected nominee during 公示 (the contact is optional and is not
    written to the log)."""
    values = {"text": require_text(text, "text", "异议内容", OBJECTION_MAX),
              "contact": optional_text(contact, "contact", "联系方式", CONTACT_MAX)}
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        _stage(nomination.round, RoundStage.PUBLICITY, "提出异议")
        if nomination.status != NominationStatus.SELECTED:
            raise InvalidInput("只能对公示中的入选人选提出异议", "nomination")
        objection = Objection.objects.create(nomination=nomination, raised_at=clock.now(),
                                             **values)
        record_event(nomination, RecordAction.OBJECT, actor=None, label=OBJECTOR_LABEL,
                     data={"objection": objection.pk})
    return objection


def handle_objection(objection: Objection, *, actor: User, upheld: bool,
                     response: str) -> Objection:
    """The office decides an objection in 公示 with a response: upheld withdraws the nominee
    (撤销入选; nobody is promoted in their place), dismissed leaves the result as it is."""
    _office(actor, "处理公示异议")
    response = require_text(response, "response", "处理意见", REASON_MAX)
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        nomination = objection.nomination
        _stage(nomination.round, RoundStage.PUBLICITY, "处理异议")
        if objection.status != ObjectionStatus.OPEN:
            raise TransitionNotAllowed("该异议已处理", "status")
        objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        objection.response, objection.handled_by = response, actor
        objection.save()
        if upheld and nomination.status == NominationStatus.SELECTED:
            nomination.status = NominationStatus.WITHDRAWN
            nomination.save(update_fields=["status"])
        record_event(nomination, RecordAction.HANDLE_OBJECTION, actor=actor, note=response,
                     data={"objection": objection.pk, "status": objection.status})
    return objection


# ---------- good practices ----------


def _story(title: str, body: str) -> dict[str, str]:
    return {"title": require_text(title, "title", "标题", STORY_TITLE_MAX),
            "body": require_text(body, "body", "正文", STORY_BODY_MAX)}


def _set_photo(practice: GoodPractice, photo: Photo | None) -> bool:
    checked = _photo(photo)
    if checked:
        data, extension = checked
        practice.photo.save(f"practice.{extension}", ContentFile(data), save=False)
    return bool(checked)


def write_practice(*, actor: User, unit: Unit | None, title: str, body: str,
                   photo: Photo | None = None, submit: bool = False) -> GoodPractice:
    """A unit writes a good practice (a draft, or submitted for review at once)."""
    unit = check_recording(actor, unit)
    values = _story(title, body)
    with transaction.atomic():
        practice = GoodPractice(unit=unit, created_by=actor, created_at=clock.now(), **values)
        _set_photo(practice, photo)
        practice.save()
        record_event(practice, RecordAction.CREATE, actor=actor)
        if submit:
            practice = submit_practice(practice, actor=actor)
    return practice


def edit_practice(practice: GoodPractice, *, actor: User, title: str, body: str,
                  photo: Photo | None = None) -> GoodPractice:
    """Change a draft or a returned story (a submitted or published one is not changed)."""
    check_recording(actor, practice.unit)
    if practice.status not in (StoryStatus.DRAFT, StoryStatus.RETURNED):
        raise TransitionNotAllowed(f"“{practice.get_status_display()}”的稿件不能修改", "status")
    values = _story(title, body)
    with transaction.atomic():
        changed = sorted(k for k, v in values.items() if getattr(practice, k) != v)
        for name, value in values.items():
            setattr(practice, name, value)
        if _set_photo(practice, photo):
            changed.append("photo")
        practice.save()
        record_event(practice, RecordAction.UPDATE, actor=actor, data={"fields": changed})
    return practice


def submit_practice(practice: GoodPractice, *, actor: User) -> GoodPractice:
    check_recording(actor, practice.unit)
    if practice.status not in (StoryStatus.DRAFT, StoryStatus.RETURNED):
        raise TransitionNotAllowed(f"“{practice.get_status_display()}”的稿件不能再提交", "status")
    with transaction.atomic():
        practice.status = StoryStatus.SUBMITTED
        practice.save(update_fields=["status"])
        record_event(practice, RecordAction.SUBMIT, actor=actor)
    return practice


def review_practice(practice: GoodPractice, *, actor: User, publish: bool,
                    note: str = "") -> GoodPractice:
    """The office publishes a submitted story (dated today) or returns it with a note."""
    _office(actor, "审核好做法好经验")
    with transaction.atomic():
        practice = GoodPractice.objects.select_for_update().get(pk=practice.pk)
        if practice.status != StoryStatus.SUBMITTED:
            raise TransitionNotAllowed(f"“{practice.get_status_display()}”的稿件不能审核",
                                       "status")
        if publish:
            practice.status, practice.published_on = StoryStatus.PUBLISHED, clock.localdate()
            practice.review_note = optional_text(note, "note", "审核意见", REASON_MAX)
        else:
            practice.status = StoryStatus.RETURNED
            practice.review_note = require_text(note, "note", "退回意见", REASON_MAX)
        practice.reviewed_by = actor
        practice.save()
        record_event(practice, RecordAction.PUBLISH if publish else RecordAction.RETURN,
                     actor=actor, note=practice.review_note)
    return practice

"""/api/v1/campaign (exemplars): the selections' rounds, a round's nominations (list, and a
unit's new one), the public vote, and the published good practices.

Staff operations take a bearer token: selections are district-wide; nominations are listed as
`visible_to` scopes them (a unit its own and its sub-units'); a unit nominates for a unit it
may record for. The vote and the published stories need no token; a vote is rate-limited and
its phone is kept only as a keyed hash (never echoed back).
"""

import base64
import binascii
import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.db.models import Count, Q
from django.http import Http404
from ninja import Field, Router, Schema, Status
from pydantic import StringConstraints

from banshi.appeals import limits
from banshi.appeals.errors import InvalidInput
from banshi.campaign.actions import exemplars as actions
from banshi.campaign.choices import NominationStatus, StoryStatus
from banshi.campaign.models import GoodPractice, Nomination, SelectionRound
from banshi.campaign.permissions import may_see_campaign
from banshi.org.models import Unit
from banshi.web import ratelimit
from banshi.web.clients import device_id

from . import schemas as s
from .appeals import ACTING, BAD_REQUEST, STAFF, THROTTLED
from .auth import bearer

router = Router(tags=["campaign"])


class RoundOut(Schema):
    id: int
    selection_id: int
    selection: str
    number: int
    stage: str
    stage_label: str
    quota_per_unit: int
    places: int
    panel_weight: Decimal
    vote_weight: Decimal
    public_vote: bool
    votes_per_person: int
    nominations: int = Field(description="推荐人数")
    passed: int = Field(description="审核通过(含入选、未入选)")
    selected: int = Field(description="入选人数")
    published_on: dt.date | None


@router.get("/selections", response={200: list[RoundOut]} | STAFF, auth=bearer,
            summary="评选活动的各轮次：阶段与人数")
def list_selections(request):
    if not may_see_campaign(request.user):
        return []
    passed = [NominationStatus.PASSED, NominationStatus.SELECTED, NominationStatus.NOT_SELECTED,
              NominationStatus.WITHDRAWN]
    rounds = (SelectionRound.objects.select_related("selection").annotate(
        n=Count("nominations"), p=Count("nominations", filter=Q(nominations__status__in=passed)),
        sel=Count("nominations", filter=Q(nominations__status=NominationStatus.SELECTED)))
        .order_by("-selection_id", "-number"))
    return [{"id": r.pk, "selection_id": r.selection_id, "selection": r.selection.name,
             "number": r.number, "stage": r.stage, "stage_label": r.get_stage_display(),
             "quota_per_unit": r.quota_per_unit, "places": r.places,
             "panel_weight": r.panel_weight, "vote_weight": r.vote_weight,
             "public_vote": r.public_vote, "votes_per_person": r.votes_per_person,
             "nominations": r.n, "passed": r.p, "selected": r.sel,
             "published_on": r.published_on} for r in rounds]


class NominationOut(Schema):
    id: int
    round_id: int
    unit_code: str
    unit_name: str
    nominee: str
    nominee_title: str
    party_member: bool
    party_years: int
    deeds: str
    has_photo: bool
    status: str
    status_label: str
    reject_reason: str
    votes: int
    final_score: Decimal | None
    rank: int | None
    created_at: dt.datetime


def nomination_out(n: Nomination) -> dict:
    return {"id": n.pk, "round_id": n.round_id, "unit_code": n.unit.code,
            "unit_name": n.unit.name, "nominee": n.nominee, "nominee_title": n.nominee_title,
            "party_member": n.party_member, "party_years": n.party_years, "deeds": n.deeds,
            "has_photo": bool(n.photo), "status": n.status,
            "status_label": n.get_status_display(), "reject_reason": n.reject_reason,
            "votes": n.votes.count(), "final_score": n.final_score, "rank": n.rank,
            "created_at": n.created_at}


def _round(user, round_id: int) -> SelectionRound:
    round_ = SelectionRound.objects.filter(pk=round_id).first()
    if round_ is None or (user is not None and not may_see_campaign(user)):
        raise Http404("评选轮次不存在")
    return round_


@router.get("/rounds/{round_id}/nominations", response={200: list[NominationOut], 404: s.Error}
            | STAFF, auth=bearer, summary="一轮评选中调用者可见的推荐人选(单位只见本单位及下级)")
def list_nominations(request, round_id: int):
    round_ = _round(request.user, round_id)
    rows = (Nomination.objects.visible_to(request.user).filter(round=round_)
            .select_related("unit").order_by("rank", "id"))
    return [nomination_out(n) for n in rows]


Nominee = Annotated[str, StringConstraints(min_length=1, max_length=actions.PERSON_MAX)]
NomineeTitle = Annotated[str, StringConstraints(max_length=actions.TITLE_MAX)]
Deeds = Annotated[str, StringConstraints(min_length=1, max_length=actions.DEEDS_MAX)]


class NominationIn(s.Input):
    unit_code: s.Code = Field(description="推荐单位编码(须在调用者的范围内)")
    nominee: Nominee
    nominee_title: NomineeTitle | None = None
    party_member: bool = True
    party_years: int = Field(0, ge=0, le=actions.PARTY_YEARS_MAX)
    deeds: Deeds
    photo: s.PhotoIn | None = None


def _photo(photo: s.PhotoIn | None) -> tuple[str, bytes] | None:
    if photo is None:
        return None
    try:
        return (photo.name or "", base64.b64decode(photo.data, validate=True))
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput("照片不是有效的base64编码", "photo") from exc


@router.post("/rounds/{round_id}/nominations", response={201: NominationOut} | ACTING,
             auth=bearer, summary="推荐人选(推荐提名阶段；受名额和资格限制)")
def create_nomination(request, round_id: int, payload: NominationIn):
    round_ = _round(request.user, round_id)
    unit = Unit.objects.filter(code=payload.unit_code).first()
    if unit is None:
        raise InvalidInput(f"单位“{payload.unit_code}”不存在", "unit_code")
    nomination = actions.nominate(
        round_, actor=request.user, unit=unit, nominee=payload.nominee,
        nominee_title=payload.nominee_title or "", party_member=payload.party_member,
        party_years=payload.party_years, deeds=payload.deeds, photo=_photo(payload.photo))
    return Status(201, nomination_out(nomination))


VoterPhone = Annotated[str, StringConstraints(min_length=1, max_length=limits.PHONE_MAX)]


class VoteIn(s.Input):
    nomination_id: int = Field(description="候选人(审核通过的推荐人选)编号")
    phone: VoterPhone = Field(description="投票人手机号：仅以加盐摘要保存，用于每人限投")


class VoteOut(Schema):
    nomination_id: int
    nominee: str
    votes_left: int = Field(description="本轮还可投票数")


@router.post("/rounds/{round_id}/votes", response={201: VoteOut, 404: s.Error, 409: s.Error}
             | BAD_REQUEST | THROTTLED, auth=None,
             summary="群众投票(评审投票阶段；凭手机号每人限投，限频)")
def vote(request, round_id: int, payload: VoteIn):
    round_ = _round(None, round_id)
    nomination = round_.nominations.filter(pk=payload.nomination_id).first()
    if nomination is None:
        raise InvalidInput("候选人不存在", "nomination_id")
    with ratelimit.reserve(request, "submit"):
        cast = actions.cast_vote(nomination, phone=payload.phone, device=device_id(request))
    left = round_.votes_per_person - round_.votes.filter(voter=cast.voter).count()
    return Status(201, {"nomination_id": nomination.pk, "nominee": nomination.nominee,
                        "votes_left": max(left, 0)})


class PracticeOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    title: str
    body: str
    has_photo: bool
    published_on: dt.date | None


@router.get("/practices", response={200: list[PracticeOut]} | BAD_REQUEST, auth=None,
            summary="已发布的好做法好经验(公开)")
def list_practices(request):
    rows = (GoodPractice.objects.filter(status=StoryStatus.PUBLISHED).select_related("unit")
            .order_by("-published_on", "-id"))
    return [{"id": p.pk, "unit_code": p.unit.code, "unit_name": p.unit.name, "title": p.title,
             "body": p.body, "has_photo": bool(p.photo), "published_on": p.published_on}
            for p in rows[:500]]

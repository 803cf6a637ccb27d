"""/api/v1/campaign (study): the study activities and lectures, the speakers and the red
education venues.

An activity belongs to its organiser unit: the caller records for a unit in their scope (403
outside it, 422 naming an unknown unit, speaker or venue) and lists what `visible_to` lets
them see; one activity the caller may not see is a 404 like a missing one. Speakers' lecture
counts and audiences and venues' visits and person-times are counted over the activities the
caller may see (as `GET /stats/campaign` is scoped).
"""

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Literal

from django.db.models import Count, Q, Sum
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import StringConstraints

from banshi.appeals.errors import InvalidInput
from banshi.campaign.access import access_record
from banshi.campaign.actions import study as actions
from banshi.campaign.choices import SpeakerKind, StudyKind
from banshi.campaign.models import Speaker, StudyActivity, Venue
from banshi.campaign.permissions import may_see_campaign
from banshi.org.models import Unit

from . import schemas as s
from .appeals import STAFF
from .auth import bearer
from .pagination import Pages

router = Router(tags=["campaign"])

if TYPE_CHECKING:
    KindCode = str
    SpeakerKindCode = str
else:
    KindCode = Literal[tuple(StudyKind.values)]
    SpeakerKindCode = Literal[tuple(SpeakerKind.values)]

Title = Annotated[str, StringConstraints(min_length=1, max_length=actions.TITLE_MAX)]
Place = Annotated[str, StringConstraints(max_length=actions.PLACE_MAX)]
Summary = Annotated[str, StringConstraints(max_length=actions.SUMMARY_MAX)]
Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
READ = STAFF | {404: s.Error}
ID_MAX = 2**31 - 1  # what every engine's integer key holds
RecordId = Annotated[int, Field(ge=1, le=ID_MAX)]


class ActivityIn(s.Input):
    unit_code: s.Code = Field(description="组织单位编码(须在调用者的范围内)")
    kind: KindCode = Field(description="活动类型")
    held_on: s.Day
    title: Title
    place: Place | None = None
    venue_id: RecordId | None = Field(None, description="红色教育基地(红色基地参观必填)")
    speaker_id: RecordId | None = Field(None, description="主讲人")
    is_special: bool = Field(False, description="专题学习(如中心组专题学习研讨)")
    person_times: int = Field(0, ge=0, le=actions.PERSON_TIMES_MAX,
                              description="参加人次；少于扫码签到人数时按签到人数计")
    summary: Summary | None = None


class ActivityOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    kind: str
    kind_label: str
    held_on: dt.date
    title: str
    place: str
    venue_id: int | None
    venue_name: str | None
    speaker_id: int | None
    speaker_name: str | None
    speaker_kind: str | None
    is_special: bool
    person_times: int = Field(description="参加人次 = max(填报人次, 扫码签到人数)")
    signed_in: int = Field(description="扫码签到人数")
    signin_open: bool
    files: int = Field(description="照片和材料数")
    summary: str
    created_at: dt.datetime


class ActivityFilters(s.Input):
    kind: KindCode | None = None
    month: Month | None = Field(None, description="月份，如 2026-03")
    unit: s.Code | None = Field(None, description="单位编码：该单位及其下级单位的活动")
    speaker_kind: SpeakerKindCode | None = Field(None, description="主讲人类型")
    special: bool | None = Field(None, description="true：仅专题学习")


class SpeakerOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    title: str
    unit_code: str | None
    is_active: bool
    lectures: int = Field(description="宣讲场次(调用者可见的活动)")
    audience: int = Field(description="受众人次")


class SpeakerFilters(s.Input):
    kind: SpeakerKindCode | None = None


class VenueOut(Schema):
    id: int
    name: str
    address: str
    visits: int = Field(description="参观场次(调用者可见的活动)")
    person_times: int = Field(description="参观人次")


def activity_out(activity: StudyActivity) -> dict:
    speaker, venue = activity.speaker, activity.venue
    return {
        "id": activity.pk, "unit_code": activity.unit.code, "unit_name": activity.unit.name,
        "kind": activity.kind, "kind_label": activity.get_kind_display(),
        "held_on": activity.held_on, "title": activity.title, "place": activity.place,
        "venue_id": activity.venue_id, "venue_name": venue.name if venue else None,
        "speaker_id": activity.speaker_id, "speaker_name": speaker.name if speaker else None,
        "speaker_kind": speaker.kind if speaker else None, "is_special": activity.is_special,
        "person_times": activity.person_times, "signed_in": activity.signins.count(),
        "signin_open": activity.signin_open, "files": activity.files.count(),
        "summary": activity.summary, "created_at": activity.created_at,
    }


def _gate(request) -> None:
    if not may_see_campaign(request.user):
        raise HttpError(403, "无权查看活动工作")


def _by_code(code: str | None, field: str):
    if not code:
        return None
    found = Unit.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(f"单位“{code}”不存在", field)
    return found


def _by_id(model, pk: int | None, field: str, label: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise InvalidInput(f"{label}不存在", field)
    return found


@router.post("/study", response={201: ActivityOut, 403: s.Error} | STAFF, auth=bearer,
             summary="登记学习活动或宣讲(组织单位须在调用者范围内)")
def create_activity(request, payload: ActivityIn):
    activity = actions.create_activity(
        actor=request.user, unit=_by_code(payload.unit_code, "unit_code"), kind=payload.kind,
        held_on=payload.held_on, title=payload.title, place=payload.place or "",
        venue=_by_id(Venue, payload.venue_id, "venue_id", "红色教育基地"),
        speaker=_by_id(Speaker, payload.speaker_id, "speaker_id", "主讲人"),
        is_special=payload.is_special, person_times=payload.person_times,
        summary=payload.summary or "")
    return Status(201, activity_out(activity))


class _Shaped:
    def __init__(self, queryset):
        self.queryset = queryset

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list[dict]:
        return [activity_out(row) for row in self.queryset[page]]


@router.get("/study", response={200: list[ActivityOut], 403: s.Error} | STAFF, auth=bearer,
            summary="调用者可见的学习活动，按日期倒序")
@paginate(Pages)
def list_activities(request, filters: Query[ActivityFilters]):
    _gate(request)
    rows = StudyActivity.objects.visible_to(request.user).select_related("unit", "speaker",
                                                                         "venue")
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.month:
        year, month = (int(part) for part in filters.month.split("-"))
        rows = rows.filter(held_on__year=year, held_on__month=month)
    if filters.unit:
        rows = rows.within(_by_code(filters.unit, "unit"))
    if filters.speaker_kind:
        rows = rows.filter(speaker__kind=filters.speaker_kind)
    if filters.special:
        rows = rows.filter(is_special=True)
    return _Shaped(rows.order_by("-held_on", "-id"))


@router.get("/study/{activity_id}", response={200: ActivityOut} | READ, auth=bearer,
            summary="一项学习活动；不存在或无权查看都返回 404")
def get_activity(request, activity_id: Annotated[int, Path(ge=1, le=ID_MAX)]):
    return activity_out(access_record(request.user, StudyActivity, pk=activity_id))


@router.get("/speakers", response={200: list[SpeakerOut], 403: s.Error} | STAFF, auth=bearer,
            summary="宣讲人及其宣讲场次、受众人次(按调用者可见的活动计)")
def list_speakers(request, filters: Query[SpeakerFilters]):
    _gate(request)
    seen = Q(lectures__in=StudyActivity.objects.visible_to(request.user))
    speakers = Speaker.objects.select_related("unit").annotate(
        lecture_count=Count("lectures", filter=seen),
        audience=Sum("lectures__person_times", filter=seen))
    if filters.kind:
        speakers = speakers.filter(kind=filters.kind)
    return [{"id": sp.pk, "name": sp.name, "kind": sp.kind, "kind_label": sp.get_kind_display(),
             "title": sp.title, "unit_code": sp.unit.code if sp.unit_id else None,
             "is_active": sp.is_active, "lectures": sp.lecture_count,
             "audience": sp.audience or 0} for sp in speakers.order_by("kind", "name", "id")]


@router.get("/venues", response={200: list[VenueOut], 403: s.Error} | STAFF, auth=bearer,
            summary="红色教育基地及其参观场次、参观人次(按调用者可见的活动计)")
def list_venues(request):
    _gate(request)
    seen = Q(visits__in=StudyActivity.objects.visible_to(request.user))
    venues = Venue.objects.annotate(visit_count=Count("visits", filter=seen),
                                    total=Sum("visits__person_times", filter=seen))
    return [{"id": v.pk, "name": v.name, "address": v.address, "visits": v.visit_count,
             "person_times": v.total or 0} for v in venues.order_by("name")]

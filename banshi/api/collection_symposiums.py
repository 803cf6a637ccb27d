"""/api/v1/collection/symposiums: record a symposium, list the caller's.

A symposium belongs to a unit: the caller records for a unit in their scope (403 outside
it, 422 naming an unknown unit) and lists what `visible_to` lets them see.
"""

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Literal

from django.contrib.contenttypes.models import ContentType
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StringConstraints

from banshi.appeals.errors import InvalidInput
from banshi.appeals.models import Appeal
from banshi.collection.actions import symposiums as actions
from banshi.collection.choices import SymposiumKind
from banshi.collection.models import Symposium
from banshi.org.models import Region, Unit

from . import schemas as s
from .appeals import STAFF
from .auth import bearer
from .pagination import Pages

router = Router(tags=["collection"])

if TYPE_CHECKING:
    KindCode = str
else:
    KindCode = Literal[tuple(SymposiumKind.values)]


Topic = Annotated[str, StringConstraints(min_length=1, max_length=actions.TOPIC_MAX)]
Place = Annotated[str, StringConstraints(max_length=actions.PLACE_MAX)]
Minutes = Annotated[str, StringConstraints(max_length=actions.MINUTES_MAX)]


class SymposiumIn(s.Input):
    unit_code: s.Code = Field(description="组织单位编码(须在调用者的范围内)")
    held_on: s.Day
    topic: Topic
    kind: KindCode = Field(SymposiumKind.SOLICITATION, description="座谈会类型")
    participants: int = Field(0, ge=0, le=actions.PARTICIPANTS_MAX, description="参会人数")
    place: Place | None = None
    minutes: Minutes | None = None
    region_code: s.Code | None = Field(None, description="所在社区编码")


class SymposiumOut(Schema):
    id: int
    code: str
    unit_code: str
    unit_name: str
    kind: str
    kind_label: str
    held_on: dt.date
    place: str
    region_code: str | None
    topic: str
    participants: int
    signed_in: int = Field(description="扫码签到人数")
    appeals: int = Field(description="会上收集的诉求件数")
    minutes: str
    created_at: dt.datetime


class SymposiumFilters(s.Input):
    kind: KindCode | None = None
    unit: s.Code | None = Field(None, description="单位编码：该单位及其下级单位的座谈会")
    start: s.Day | None = None
    end: s.Day | None = None


def symposium_out(symposium: Symposium) -> dict:
    kind = ContentType.objects.get_for_model(Symposium)
    return {
        "id": symposium.pk, "code": symposium.code, "unit_code": symposium.unit.code,
        "unit_name": symposium.unit.name, "kind": symposium.kind,
        "kind_label": symposium.get_kind_display(), "held_on": symposium.held_on,
        "place": symposium.place,
        "region_code": symposium.region.code if symposium.region_id else None,
        "topic": symposium.topic, "participants": symposium.participants,
        "signed_in": symposium.attendees.filter(signed_in_at__isnull=False).count(),
        "appeals": Appeal.objects.filter(source_type=kind, source_id=symposium.pk).count(),
        "minutes": symposium.minutes, "created_at": symposium.created_at,
    }


def _lookup(model, code: str | None, field: str, label: str):
    if not code:
        return None
    found = model.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(f"{label}“{code}”不存在", field)
    return found


@router.post("/symposiums", response={201: SymposiumOut, 403: s.Error} | STAFF, auth=bearer,
             summary="登记座谈会(组织单位须在调用者范围内)")
def create(request, payload: SymposiumIn):
    symposium = actions.create_symposium(
        actor=request.user, unit=_lookup(Unit, payload.unit_code, "unit_code", "单位"),
        kind=payload.kind, held_on=payload.held_on, topic=payload.topic,
        place=payload.place or "", minutes=payload.minutes or "",
        region=_lookup(Region, payload.region_code, "region_code", "社区"),
        participants=payload.participants)
    return Status(201, symposium_out(symposium))


class _Shaped:
    def __init__(self, queryset):
        self.queryset = queryset

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list[dict]:
        return [symposium_out(row) for row in self.queryset[page]]


@router.get("/symposiums", response={200: list[SymposiumOut]} | STAFF, auth=bearer,
            summary="调用者可见的座谈会，按召开日期倒序")
@paginate(Pages)
def list_symposiums(request, filters: Query[SymposiumFilters]):
    rows = Symposium.objects.visible_to(request.user).select_related("unit", "region")
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.unit:
        rows = rows.within(_lookup(Unit, filters.unit, "unit", "单位"))
    if filters.start:
        rows = rows.filter(held_on__gte=filters.start)
    if filters.end:
        rows = rows.filter(held_on__lte=filters.end)
    return _Shaped(rows.order_by("-held_on", "-id"))



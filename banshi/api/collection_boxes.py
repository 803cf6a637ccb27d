"""/api/v1/collection: opinion boxes, household visits and liaisons — each list scoped to the
caller like the pages (collection.permissions); households masked outside their unit."""

import datetime as dt

from django.db.models import Count, Q, Sum
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from banshi.appeals import limits
from banshi.appeals.errors import InvalidInput, NotPermitted
from banshi.appeals.masking import mask_address, mask_name
from banshi.collection.actions import visits as visit_actions
from banshi.collection.models import HouseholdVisit, Liaison, OpinionBox
from banshi.collection.permissions import may_see_collection, may_see_personal
from banshi.org.choices import RegionLevel
from banshi.org.models import Region, Unit

from .appeals import ACTING, STAFF
from .auth import bearer
from .pagination import Pages
from .schemas import Error

router = Router(tags=["collection"])


class BoxOut(Schema):
    code: str
    kind: str
    place: str
    community_code: str | None
    unit_code: str
    installed_on: dt.date
    status: str
    openings: int
    slips: int


class VisitOut(Schema):
    id: int
    visited_on: dt.date
    unit_code: str
    community_code: str | None
    visitors: str
    household_name: str = Field(description="户主/联系人；调用者不属于该单位时打码")
    address: str = Field(description="住址；调用者不属于该单位时打码")
    people_met: int


class VisitIn(Schema):
    unit_code: str = Field(min_length=1, max_length=64)
    visited_on: dt.date
    community_code: str = Field(min_length=1, max_length=20)
    visitors: str = Field(min_length=1, max_length=200)
    household_name: str = Field("", max_length=100)
    address: str = Field(min_length=1, max_length=limits.ADDRESS_MAX)
    people_met: int = Field(1, ge=1, le=visit_actions.PEOPLE_MAX)
    notes: str = Field("", max_length=limits.CONTENT_MAX)


class LiaisonOut(Schema):
    id: int
    name: str
    branch: str
    unit_code: str
    community_code: str | None
    appointed_on: dt.date
    households: int
    solved: int


def _gate(user) -> None:
    if not may_see_collection(user):
        raise NotPermitted("当前账号不能查看征集记录")


@router.get("/boxes", response={200: list[BoxOut]} | STAFF | {403: Error}, auth=bearer,
            summary="意见箱(征求意见台)：调用者可见的登记，含开箱次数和意见条数")
@paginate(Pages)
def list_boxes(request):
    _gate(request.user)
    boxes = (OpinionBox.objects.visible_to(request.user).select_related("unit", "region")
             .annotate(opening_count=Count("openings"), slip_count=Sum("openings__slips"))
             .order_by("code"))
    return _Shaped(boxes, lambda b: {
        "code": b.code, "kind": b.kind, "place": b.place,
        "community_code": b.region.code if b.region else None, "unit_code": b.unit.code,
        "installed_on": b.installed_on, "status": b.status,
        "openings": b.opening_count, "slips": b.slip_count or 0})


def visit_out(user, visit: HouseholdVisit) -> dict:
    personal = may_see_personal(user, visit.unit)
    return {"id": visit.pk, "visited_on": visit.visited_on, "unit_code": visit.unit.code,
            "community_code": visit.region.code if visit.region else None,
            "visitors": visit.visitors,
            "household_name": visit.household_name if personal else mask_name(
                visit.household_name),
            "address": visit.address if personal else mask_address(visit.address),
            "people_met": visit.people_met}


class _Shaped:
    """A queryset whose rows are shaped (and masked per caller) only when a page is cut."""

    def __init__(self, queryset, shape):
        self.queryset, self.shape = queryset, shape

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list[dict]:
        return [self.shape(row) for row in self.queryset[page]]


@router.get("/visits", response={200: list[VisitOut]} | STAFF | {403: Error}, auth=bearer,
            summary="入户走访：调用者可见的记录，按走访日期倒序")
@paginate(Pages)
def list_visits(request):
    _gate(request.user)
    visits = (HouseholdVisit.objects.visible_to(request.user)
              .select_related("unit", "region").order_by("-visited_on", "-id"))
    return _Shaped(visits, lambda visit: visit_out(request.user, visit))


@router.post("/visits", response={201: VisitOut} | ACTING, auth=bearer,
             summary="登记一次入户走访(本单位及下级单位)")
def create_visit(request, payload: VisitIn):
    unit = Unit.objects.filter(code=payload.unit_code, is_active=True).first()
    if unit is None:
        raise InvalidInput("单位不存在", "unit_code")
    region = Region.objects.filter(code=payload.community_code,
                                   level=RegionLevel.COMMUNITY).first()
    if region is None:
        raise InvalidInput("社区不存在", "community_code")
    visit = visit_actions.record_visit(
        actor=request.user, unit=unit, visited_on=payload.visited_on, region=region,
        visitors=payload.visitors, household_name=payload.household_name,
        address=payload.address, people_met=payload.people_met, notes=payload.notes)
    return Status(201, visit_out(request.user, visit))


@router.get("/liaisons", response={200: list[LiaisonOut]} | STAFF | {403: Error},
            auth=bearer, summary="联络员：调用者可见的联络员，含结对户数和解决问题数")
@paginate(Pages)
def list_liaisons(request):
    _gate(request.user)
    liaisons = (Liaison.objects.visible_to(request.user).select_related("unit", "region")
                .annotate(households=Count("pairings", distinct=True),
                          solved=Count("pairings__contacts",
                                       filter=Q(pairings__contacts__solved=True),
                                       distinct=True))
                .order_by("unit__path", "name", "id"))
    return _Shaped(liaisons, lambda one: {
        "id": one.pk, "name": one.name, "branch": one.branch, "unit_code": one.unit.code,
        "community_code": one.region.code if one.region else None,
        "appointed_on": one.appointed_on, "households": one.households,
        "solved": one.solved})

"""/api/v1/campaign (supervision): the guidance groups, the coverage matrix, visits and
rectification items.

Groups and their covered units are district-wide (every staff member); the coverage matrix,
visits and rectification items are scoped to the caller (district roles all, unit staff their
unit and its sub-units), as `GET /stats/campaign` counts them. A visit is recorded by a member
of its group (巡回指导组 account) or the office (403 otherwise); an item is marked done by
the unit that owes it; a record the caller may not see is 404.
"""

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StringConstraints

from banshi.appeals.errors import InvalidInput, NotPermitted
from banshi.campaign.access import access_record
from banshi.campaign.actions import supervision as actions
from banshi.campaign.choices import RectificationStatus, VisitRating
from banshi.campaign.models import Campaign, GuidanceGroup, GuidanceVisit, Rectification
from banshi.campaign.permissions import may_see_campaign
from banshi.campaign.supervision_matrix import coverage_matrix
from banshi.org.models import Unit

from . import schemas as s
from .appeals import ACTING, STAFF
from .auth import bearer
from .pagination import Pages

router = Router(tags=["campaign"])

if TYPE_CHECKING:
    RatingCode = str
    StatusCode = str
else:
    RatingCode = Literal[tuple(VisitRating.values)]
    StatusCode = Literal[(*RectificationStatus.values, "overdue")]

Findings = Annotated[str, StringConstraints(max_length=actions.FINDINGS_MAX)]
ItemText = Annotated[str, StringConstraints(min_length=1, max_length=actions.ITEM_MAX)]
Result = Annotated[str, StringConstraints(min_length=1, max_length=actions.RESULT_MAX)]
ID_MAX = 2 ** 63 - 1  # a BigAutoField; a larger id names no record
RecordId = Annotated[int, Field(ge=1, le=ID_MAX)]


class MemberOut(Schema):
    name: str
    role: str = Field(description="组长、副组长或成员")
    title: str = Field(description="本职")
    username: str | None = Field(description="关联的巡回指导组账号")


class UnitRef(Schema):
    code: str
    name: str
    kind: str


class GroupOut(Schema):
    id: int
    name: str
    order: int
    members: list[MemberOut]
    units: list[UnitRef] = Field(description="督导单位(全区可见)")
    visited: int | None = Field(description="调用者可见范围内已督导的单位数；范围外为 null")
    coverage: float | None = Field(description="可见范围内覆盖率(小数，4位)；无可见单位为 null")


class CellOut(Schema):
    code: str
    name: str
    kind: str
    visited: bool
    visits: int
    last_visited_on: dt.date | None
    last_visit_id: int | None


class MatrixGroupOut(Schema):
    id: int
    name: str
    leaders: list[str]
    units: list[CellOut]
    units_count: int
    visited: int
    coverage: float | None
    full_coverage: bool


class CoverageOut(Schema):
    campaign: str | None
    start: dt.date
    end: dt.date
    groups: list[MatrixGroupOut]
    units: int = Field(description="督导单位(个)，与 /stats/campaign 的 supervision_units 一致")
    visited: int = Field(description="已督导(个)，即 supervision_units_visited")
    coverage: float | None = Field(description="覆盖率，即 supervision_coverage")
    full_coverage: bool = Field(description="全覆盖：每个督导单位都已督导")


class ItemIn(s.Input):
    item: ItemText
    due_on: s.Day


class VisitIn(s.Input):
    group_id: RecordId = Field(description="指导组 id(调用者须为该组成员或活动办公室)")
    unit_code: s.Code = Field(description="被督导单位编码(须在该组督导范围内)")
    visited_on: s.Day
    rating: RatingCode = Field(VisitRating.GOOD,
                               description="好 good / 较好 fair / 一般 average / 差 poor")
    findings: Findings = ""
    highlights: Findings = ""
    rectifications: list[ItemIn] = Field(default_factory=list, max_length=actions.ITEMS_MAX)


class RectificationOut(Schema):
    id: int
    visit_id: int
    unit_code: str
    unit_name: str
    group: str
    item: str
    due_on: dt.date
    status: str
    status_label: str
    overdue: bool
    done_on: dt.date | None
    result: str


class VisitOut(Schema):
    id: int
    group_id: int
    group: str
    unit_code: str
    unit_name: str
    visited_on: dt.date
    rating: str
    rating_label: str
    findings: str
    highlights: str
    rectifications: list[RectificationOut]
    created_at: dt.datetime


class VisitFilters(s.Input):
    group_id: RecordId | None = None
    unit: s.Code | None = Field(None, description="单位编码：该单位及其下级单位")
    start: s.Day | None = None
    end: s.Day | None = None


class ItemFilters(s.Input):
    status: StatusCode | None = Field(None,
                                      description="open 整改中 / done 已整改 / overdue 已逾期")
    group_id: RecordId | None = None
    unit: s.Code | None = Field(None, description="单位编码：该单位及其下级单位")


class DoneIn(s.Input):
    result: Result = Field(description="整改情况")
    done_on: s.Day | None = Field(None, description="完成日期，默认今天")


class ReopenIn(s.Input):
    reason: Result = Field(description="重新打开的原因")
    due_on: s.Day | None = Field(None, description="新的整改时限，默认沿用原时限")


def _check_sees(request) -> None:
    if not may_see_campaign(request.user):
        raise NotPermitted("无权查看活动工作")


def _groups():
    campaign = Campaign.objects.current()
    return GuidanceGroup.objects.filter(campaign=campaign) if campaign \
        else GuidanceGroup.objects.none()


def _unit(code: str | None, field: str) -> Unit | None:
    if not code:
        return None
    found = Unit.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(f"单位“{code}”不存在", field)
    return found


def _item(request, item_id: int) -> Rectification:
    if not 1 <= item_id <= ID_MAX:
        raise Http404("整改事项不存在")
    return access_record(request.user, Rectification, pk=item_id)


def item_out(item: Rectification, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    return {"id": item.pk, "visit_id": item.visit_id, "unit_code": item.unit.code,
            "unit_name": item.unit.name, "group": item.visit.group.name, "item": item.item,
            "due_on": item.due_on, "status": item.status,
            "status_label": item.get_status_display(),
            "overdue": item.status == RectificationStatus.OPEN and item.due_on < today,
            "done_on": item.done_on, "result": item.result}


def visit_out(visit: GuidanceVisit) -> dict:
    return {"id": visit.pk, "group_id": visit.group_id, "group": visit.group.name,
            "unit_code": visit.unit.code, "unit_name": visit.unit.name,
            "visited_on": visit.visited_on, "rating": visit.rating,
            "rating_label": visit.get_rating_display(), "findings": visit.findings,
            "highlights": visit.highlights, "created_at": visit.created_at,
            "rectifications": [item_out(i) for i in visit.rectifications.all()]}


@router.get("/guidance-groups", response={200: list[GroupOut], 403: s.Error} | STAFF,
            auth=bearer, summary="本次活动的巡回指导组：成员、督导单位和可见范围内的督导进度")
def list_groups(request):
    _check_sees(request)
    rows = {row.group.pk: row for row in coverage_matrix(request.user).rows}
    out = []
    for group in _groups().prefetch_related("members__user", "covered_units"):
        row = rows.get(group.pk)
        out.append({
            "id": group.pk, "name": group.name, "order": group.order,
            "members": [{"name": m.name, "role": m.role, "title": m.title,
                         "username": m.user.username if m.user else None}
                        for m in group.members.all()],
            "units": [{"code": u.code, "name": u.name, "kind": u.kind}
                      for u in sorted(group.covered_units.all(), key=lambda u: u.path)],
            "visited": row.visited if row and row.units else None,
            "coverage": row.coverage if row else None})
    return out


@router.get("/coverage", response={200: CoverageOut, 403: s.Error} | STAFF, auth=bearer,
            summary="督导覆盖矩阵：指导组 × 督导单位，是否已督导、覆盖率、是否全覆盖")
def coverage(request):
    _check_sees(request)
    matrix = coverage_matrix(request.user)
    return {
        "campaign": matrix.campaign.name if matrix.campaign else None,
        "start": matrix.start, "end": matrix.end,
        "groups": [{
            "id": row.group.pk, "name": row.group.name, "leaders": row.leaders,
            "units": [{"code": c.unit.code, "name": c.unit.name, "kind": c.unit.kind,
                       "visited": c.visited, "visits": c.visits,
                       "last_visited_on": c.last.visited_on if c.last else None,
                       "last_visit_id": c.last.pk if c.last else None} for c in row.cells],
            "units_count": row.units, "visited": row.visited, "coverage": row.coverage,
            "full_coverage": row.units > 0 and row.visited == row.units,
        } for row in matrix.rows],
        "units": matrix.units, "visited": matrix.visited, "coverage": matrix.coverage,
        "full_coverage": matrix.full,
    }


class _Shaped:
    def __init__(self, queryset, shape):
        self.queryset, self.shape = queryset, shape

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list[dict]:
        return [self.shape(row) for row in self.queryset[page]]


@router.get("/visits", response={200: list[VisitOut], 403: s.Error} | STAFF, auth=bearer,
            summary="调用者可见的督导记录(被督导单位在其范围内)，按督导日期倒序")
@paginate(Pages)
def list_visits(request, filters: Query[VisitFilters]):
    _check_sees(request)
    rows = GuidanceVisit.objects.visible_to(request.user).filter(group__in=_groups())
    if filters.group_id is not None:
        rows = rows.filter(group_id=filters.group_id)
    if filters.unit:
        rows = rows.within(_unit(filters.unit, "unit"))
    if filters.start:
        rows = rows.filter(visited_on__gte=filters.start)
    if filters.end:
        rows = rows.filter(visited_on__lte=filters.end)
    rows = rows.select_related("group", "unit").prefetch_related("rectifications__unit",
                                                                 "rectifications__visit__group")
    return _Shaped(rows.order_by("-visited_on", "-id"), visit_out)


@router.post("/visits", response={201: VisitOut} | ACTING, auth=bearer,
             summary="录入督导记录(指导组成员或活动办公室)，发现问题可同时转为整改事项")
def create_visit(request, payload: VisitIn):
    _check_sees(request)
    group = _groups().filter(pk=payload.group_id).first()
    if group is None:
        raise InvalidInput(f"指导组 {payload.group_id} 不存在", "group_id")
    visit = actions.record_visit(
        group, actor=request.user, unit=_unit(payload.unit_code, "unit_code"),
        visited_on=payload.visited_on, rating=payload.rating, findings=payload.findings,
        highlights=payload.highlights,
        items=[actions.ItemIn(i.item, i.due_on) for i in payload.rectifications])
    return Status(201, visit_out(visit))


@router.get("/rectifications", response={200: list[RectificationOut], 403: s.Error} | STAFF,
            auth=bearer, summary="调用者可见的整改事项，可按状态、单位、指导组筛选")
@paginate(Pages)
def list_rectifications(request, filters: Query[ItemFilters]):
    _check_sees(request)
    today = timezone.localdate()
    rows = Rectification.objects.visible_to(request.user).filter(visit__group__in=_groups())
    if filters.status == "overdue":
        rows = rows.filter(status=RectificationStatus.OPEN, due_on__lt=today)
    elif filters.status:
        rows = rows.filter(status=filters.status)
    if filters.group_id is not None:
        rows = rows.filter(visit__group_id=filters.group_id)
    if filters.unit:
        rows = rows.within(_unit(filters.unit, "unit"))
    rows = rows.select_related("unit", "visit__group")
    return _Shaped(rows.order_by("-status", "due_on", "id"), item_out)


@router.post("/rectifications/{item_id}/done", response={200: RectificationOut} | ACTING,
             auth=bearer, summary="报告整改情况并标记已整改(责任单位或活动办公室)")
def rectification_done(request, item_id: int, payload: DoneIn):
    item = _item(request, item_id)
    item = actions.complete_rectification(item, actor=request.user, result=payload.result,
                                          done_on=payload.done_on)
    return item_out(item)


@router.post("/rectifications/{item_id}/reopen", response={200: RectificationOut} | ACTING,
             auth=bearer, summary="重新打开整改事项(该指导组成员或活动办公室)")
def rectification_reopen(request, item_id: int, payload: ReopenIn):
    item = _item(request, item_id)
    item = actions.reopen_rectification(item, actor=request.user, reason=payload.reason,
                                        due_on=payload.due_on)
    return item_out(item)

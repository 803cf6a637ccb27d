"""/api/v1/campaign (org): the organisation's tree, meetings and their decisions, work tasks
with each unit's progress reports, and the practical-matter lists with their progress.

Every list is scoped to the caller as the pages are (campaign.permissions, campaign.access)
and paginated ({count, page, page_size, results}); a record the caller may not see is 404,
whether it exists or not; a change the caller may not make is 403.
"""

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StringConstraints

from banshi.appeals.errors import InvalidInput, NotPermitted
from banshi.appeals.models import Aspect
from banshi.campaign.access import access_record, visible_assignments, visible_tasks
from banshi.campaign.actions import matters as matter_actions
from banshi.campaign.actions import meetings as meeting_actions
from banshi.campaign.actions import org as org_actions
from banshi.campaign.actions import tasks as task_actions
from banshi.campaign.choices import ActionKind, AssignmentStatus, MatterStatus, MeetingKind
from banshi.campaign.models import (
    Campaign,
    Meeting,
    OrgGroup,
    OrgMember,
    PracticalMatter,
    Task,
    TaskAssignment,
)
from banshi.campaign.permissions import may_see_campaign
from banshi.org.models import Unit

from . import schemas as s
from .appeals import ACTING, STAFF
from .auth import bearer
from .pagination import Pages

router = Router(tags=["campaign"])


def _length(max_length: int, min_length: int) -> StringConstraints:
    return StringConstraints(min_length=min_length, max_length=max_length)


# text fields, their lengths those the actions check
MatterTitleRequired = Annotated[str, _length(matter_actions.TITLE_MAX, 1)]
MeetingDecisionRequired = Annotated[str, _length(meeting_actions.DECISION_MAX, 1)]
MeetingTitleRequired = Annotated[str, _length(meeting_actions.TITLE_MAX, 1)]
TaskReportRequired = Annotated[str, _length(task_actions.REPORT_MAX, 1)]
TaskTitleRequired = Annotated[str, _length(task_actions.TITLE_MAX, 1)]
MatterCountUnitRequired = Annotated[str, _length(matter_actions.COUNT_UNIT_MAX, 1)]
MatterEvidence = Annotated[str, _length(matter_actions.EVIDENCE_MAX, 0)]
MatterMeasure = Annotated[str, _length(matter_actions.MEASURE_MAX, 0)]
MatterNote = Annotated[str, _length(matter_actions.NOTE_MAX, 0)]
MeetingAttendees = Annotated[str, _length(meeting_actions.ATTENDEES_MAX, 0)]
MeetingChair = Annotated[str, _length(meeting_actions.CHAIR_MAX, 0)]
MeetingMinutes = Annotated[str, _length(meeting_actions.MINUTES_MAX, 0)]
MeetingPlace = Annotated[str, _length(meeting_actions.PLACE_MAX, 0)]
TaskDescription = Annotated[str, _length(task_actions.DESCRIPTION_MAX, 0)]
TaskTitle = Annotated[str, _length(task_actions.TITLE_MAX, 0)]

if TYPE_CHECKING:
    MeetingKindCode = str
    ActionKindCode = str
    MatterStatusCode = str
else:
    MeetingKindCode = Literal[tuple(MeetingKind.values)]
    ActionKindCode = Literal[tuple(ActionKind.values)]
    MatterStatusCode = Literal[tuple(MatterStatus.values)]


def _lookup(model, code: str | None, field: str, label: str):
    if not code:
        return None
    found = model.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(f"{label}“{code}”不存在", field)
    return found


def _check_sees(user) -> None:
    if not may_see_campaign(user):
        raise NotPermitted("无权查看活动工作")


class Shaped:
    """A queryset shaped row by row for the paginator."""

    def __init__(self, queryset, shape):
        self.queryset, self.shape = queryset, shape

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list[dict]:
        return [self.shape(row) for row in self.queryset[page]]


# ---------- organisation ----------

class MemberOut(Schema):
    id: int
    name: str
    role: str
    title: str
    home_unit_code: str | None
    home_unit_name: str | None
    seconded: bool


class GroupOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    duties: str
    rules: str
    formed_on: dt.date | None
    members: list[MemberOut]
    children: list["GroupOut"]


class OrganisationOut(Schema):
    campaign: str | None
    started_on: dt.date | None
    seconded_staff: int = Field(description="抽调集中办公人员(同一人在多个组只计一次)")
    members: int = Field(description="各组成员人次")
    groups: list[GroupOut]


def member_out(member: OrgMember) -> dict:
    unit = member.home_unit
    return {"id": member.pk, "name": member.name, "role": member.role, "title": member.title,
            "home_unit_code": unit.code if unit else None,
            "home_unit_name": unit.name if unit else None, "seconded": member.seconded}


@router.get("/organisation", response={200: OrganisationOut, 403: s.Error} | STAFF,
            auth=bearer, summary="组织机构(树)：领导小组、办公室、工作组、临时党支部及成员")
def organisation(request):
    _check_sees(request.user)
    campaign = Campaign.objects.current()
    groups = list(OrgGroup.objects.filter(campaign=campaign).prefetch_related(
        "members__home_unit").order_by("order", "id")) if campaign else []
    below: dict[int | None, list[OrgGroup]] = {}
    for group in groups:
        below.setdefault(group.parent_id, []).append(group)

    def node(group: OrgGroup) -> dict:
        return {"id": group.pk, "kind": group.kind, "kind_label": group.get_kind_display(),
                "name": group.name, "duties": group.duties, "rules": group.rules,
                "formed_on": group.formed_on,
                "members": [member_out(m) for m in group.members.all()],
                "children": [node(child) for child in below.get(group.pk, [])]}

    return {"campaign": campaign.name if campaign else None,
            "started_on": campaign.started_on if campaign else None,
            "seconded_staff": org_actions.seconded_staff(campaign).count(),
            "members": sum(len(g.members.all()) for g in groups),
            "groups": [node(g) for g in below.get(None, [])]}


# ---------- meetings ----------

class MeetingIn(s.Input):
    unit_code: s.Code = Field(description="召开单位编码(须在调用者的范围内)")
    kind: MeetingKindCode
    held_on: s.Day
    title: MeetingTitleRequired
    place: MeetingPlace = ""
    chair: MeetingChair = ""
    attendees: MeetingAttendees = ""
    attendee_count: int = Field(0, ge=0, le=meeting_actions.ATTENDEE_COUNT_MAX)
    minutes: MeetingMinutes = ""


class DecisionOut(Schema):
    id: int
    text: str
    task_id: int | None


class MeetingOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    kind: str
    kind_label: str
    held_on: dt.date
    title: str
    place: str
    chair: str
    attendees: str
    attendee_count: int
    minutes: str
    decisions: list[DecisionOut]


class MeetingFilters(s.Input):
    kind: MeetingKindCode | None = None
    month: Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] | None = Field(
        None, description="月份，如 2026-03")
    unit: s.Code | None = Field(None, description="单位编码：该单位及其下级单位的会议")
    start: s.Day | None = None
    end: s.Day | None = None


def meeting_out(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk, "unit_code": meeting.unit.code, "unit_name": meeting.unit.name,
        "kind": meeting.kind, "kind_label": meeting.get_kind_display(),
        "held_on": meeting.held_on, "title": meeting.title, "place": meeting.place,
        "chair": meeting.chair, "attendees": meeting.attendees,
        "attendee_count": meeting.attendee_count, "minutes": meeting.minutes,
        "decisions": [{"id": d.pk, "text": d.text,
                       "task_id": getattr(getattr(d, "task", None), "pk", None)}
                      for d in meeting.decisions.all()],
    }


@router.post("/meetings", response={201: MeetingOut} | ACTING, auth=bearer,
             summary="登记会议(召开单位须在调用者范围内)")
def create_meeting(request, payload: MeetingIn):
    data = payload.dict()
    unit = _lookup(Unit, data.pop("unit_code"), "unit_code", "单位")
    meeting = meeting_actions.create_meeting(actor=request.user, unit=unit, **data)
    return Status(201, meeting_out(meeting))


@router.get("/meetings", response={200: list[MeetingOut]} | STAFF, auth=bearer,
            summary="调用者可见的会议，按召开日期倒序")
@paginate(Pages)
def list_meetings(request, filters: Query[MeetingFilters]):
    rows = Meeting.objects.visible_to(request.user).select_related("unit").prefetch_related(
        "decisions__task")
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.month:
        year, month = (int(part) for part in filters.month.split("-"))
        rows = rows.filter(held_on__year=year, held_on__month=month)
    if filters.unit:
        rows = rows.within(_lookup(Unit, filters.unit, "unit", "单位"))
    if filters.start:
        rows = rows.filter(held_on__gte=filters.start)
    if filters.end:
        rows = rows.filter(held_on__lte=filters.end)
    return Shaped(rows.order_by("-held_on", "-id"), meeting_out)


class DecisionIn(s.Input):
    text: MeetingDecisionRequired


@router.post("/meetings/{meeting_id}/decisions", response={201: DecisionOut} | ACTING,
             auth=bearer, summary="添加议定事项")
def add_decision(request, meeting_id: int, payload: DecisionIn):
    meeting = access_record(request.user, Meeting, pk=meeting_id)
    decision = meeting_actions.add_decision(meeting, actor=request.user, text=payload.text)
    return Status(201, {"id": decision.pk, "text": decision.text, "task_id": None})


# ---------- tasks ----------

class ReportOut(Schema):
    text: str
    reported_at: dt.datetime


class AssignmentOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    status: str
    completed_on: dt.date | None
    overdue: bool
    reports: list[ReportOut]


class TaskOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    kind_label: str
    unit_code: str = Field(description="下达单位")
    issued_on: dt.date
    due_on: dt.date
    owner_id: int | None
    owner_name: str | None
    meeting_id: int | None = Field(description="来源会议(由议定事项转来时)")
    decision_id: int | None
    assignments: list[AssignmentOut] = Field(description="调用者可见的承办单位")


class TaskIn(s.Input):
    unit_code: s.Code = Field(description="下达单位编码")
    title: TaskTitleRequired
    description: TaskDescription = ""
    kind: ActionKindCode = ActionKind.REQUIRED
    issued_on: s.Day | None = None
    due_on: s.Day
    owner_id: int | None = Field(None, description="牵头负责人(组织成员 id)")
    assignees: list[s.Code] = Field(min_length=1, max_length=task_actions.ASSIGNEES_MAX,
                                    description="承办单位编码")


class DecisionTaskIn(s.Input):
    title: TaskTitle = ""
    description: TaskDescription = ""
    kind: ActionKindCode = ActionKind.REQUIRED
    due_on: s.Day
    owner_id: int | None = None
    assignees: list[s.Code] = Field(min_length=1, max_length=task_actions.ASSIGNEES_MAX)


class TaskFilters(s.Input):
    kind: ActionKindCode | None = None
    status: Literal["open", "done", "overdue"] | None = None
    unit: s.Code | None = Field(None, description="承办单位编码(含下级单位)")


def task_shape(user):
    today = timezone.localdate()

    def shape(task: Task) -> dict:
        shown = [a for a in task.assignments.all() if a.pk in visible]
        decision = task.decision
        return {
            "id": task.pk, "title": task.title, "description": task.description,
            "kind": task.kind, "kind_label": task.get_kind_display(),
            "unit_code": task.unit.code, "issued_on": task.issued_on, "due_on": task.due_on,
            "owner_id": task.owner_id, "owner_name": task.owner.name if task.owner else None,
            "decision_id": task.decision_id,
            "meeting_id": decision.meeting_id if decision else None,
            "assignments": [{
                "id": a.pk, "unit_code": a.unit.code, "unit_name": a.unit.name,
                "status": a.status, "completed_on": a.completed_on,
                "overdue": a.status == AssignmentStatus.OPEN and task.due_on < today,
                "reports": [{"text": r.text, "reported_at": r.reported_at}
                            for r in a.reports.all()]} for a in shown],
        }

    visible = set(visible_assignments(user).values_list("pk", flat=True))
    return shape


def _units(codes: list[str]) -> list[Unit]:
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in units]
    if missing:
        raise InvalidInput(f"承办单位“{missing[0]}”不存在", "assignees")
    return [units[code] for code in dict.fromkeys(codes)]


def _owner(owner_id: int | None) -> OrgMember | None:
    if owner_id is None:
        return None
    found = OrgMember.objects.filter(pk=owner_id).first()
    if found is None:
        raise InvalidInput("牵头负责人不存在", "owner_id")
    return found


def _task_rows():
    return Task.objects.select_related("unit", "owner", "decision").prefetch_related(
        "assignments__unit", "assignments__reports")


@router.get("/tasks", response={200: list[TaskOut]} | STAFF, auth=bearer,
            summary="调用者可见的工作任务，按完成时限排序")
@paginate(Pages)
def list_tasks(request, filters: Query[TaskFilters]):
    rows = visible_tasks(request.user)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.unit:
        unit = _lookup(Unit, filters.unit, "unit", "单位")
        rows = rows.filter(assignments__unit__path__startswith=unit.path)
    if filters.status == "open":
        rows = rows.filter(assignments__status=AssignmentStatus.OPEN)
    elif filters.status == "done":
        rows = rows.exclude(assignments__status=AssignmentStatus.OPEN)
    elif filters.status == "overdue":
        rows = rows.filter(assignments__status=AssignmentStatus.OPEN,
                           due_on__lt=timezone.localdate())
    ids = rows.values("pk")
    return Shaped(_task_rows().filter(pk__in=ids).order_by("due_on", "id"),
                  task_shape(request.user))


@router.post("/tasks", response={201: TaskOut} | ACTING, auth=bearer,
             summary="下达工作任务(分解到承办单位)")
def create_task(request, payload: TaskIn):
    task = task_actions.issue_task(
        actor=request.user, unit=_lookup(Unit, payload.unit_code, "unit_code", "单位"),
        title=payload.title, description=payload.description, kind=payload.kind,
        issued_on=payload.issued_on, due_on=payload.due_on, owner=_owner(payload.owner_id),
        assignees=_units(payload.assignees))
    return Status(201, task_shape(request.user)(_task_rows().get(pk=task.pk)))


@router.post("/meetings/{meeting_id}/decisions/{decision_id}/task",
             response={201: TaskOut} | ACTING, auth=bearer,
             summary="议定事项转为任务(由会议的召开单位下达)")
def decision_to_task(request, meeting_id: int, decision_id: int, payload: DecisionTaskIn):
    meeting = access_record(request.user, Meeting, pk=meeting_id)
    decision = get_object_or_404(meeting.decisions, pk=decision_id)
    task = meeting_actions.decision_to_task(
        decision, actor=request.user, title=payload.title, description=payload.description,
        kind=payload.kind, due_on=payload.due_on, owner=_owner(payload.owner_id),
        assignees=_units(payload.assignees))
    return Status(201, task_shape(request.user)(_task_rows().get(pk=task.pk)))


class ReportIn(s.Input):
    text: TaskReportRequired
    unit_code: s.Code | None = Field(
        None, description="报告哪个承办单位的进展；不填为调用者本单位")
    complete: bool = Field(False, description="同时标记本单位的任务已完成")


def _assignment(request, task_id: int, unit_code: str | None) -> TaskAssignment:
    task = access_record(request.user, Task, pk=task_id)
    rows = visible_assignments(request.user).filter(task=task).select_related("unit", "task")
    if unit_code:
        found = rows.filter(unit__code=unit_code).first()
    else:
        unit = getattr(getattr(request.user, "staff", None), "unit", None)
        found = rows.filter(unit=unit).first() if unit else None
    if found is None:
        raise InvalidInput("该任务没有分解给此单位，请填写承办单位编码", "unit_code")
    return found


@router.post("/tasks/{task_id}/report", response={201: AssignmentOut} | ACTING, auth=bearer,
             summary="承办单位报告任务进展(可同时标记完成)")
def report(request, task_id: int, payload: ReportIn):
    assignment = _assignment(request, task_id, payload.unit_code)
    task_actions.report_progress(assignment, actor=request.user, text=payload.text)
    if payload.complete:
        task_actions.complete_assignment(assignment, actor=request.user)
    shaped = task_shape(request.user)(_task_rows().get(pk=task_id))
    return Status(201, next(a for a in shaped["assignments"] if a["id"] == assignment.pk))


# ---------- practical matters ----------

class MatterIn(s.Input):
    unit_code: s.Code = Field(description="责任单位编码(须在调用者的范围内)")
    title: MatterTitleRequired
    measure: MatterMeasure = ""
    kind: ActionKindCode = ActionKind.OPTIONAL
    aspect_code: s.Code | None = None
    target_count: int = Field(1, ge=1, le=matter_actions.COUNT_MAX)
    count_unit: MatterCountUnitRequired = "件"
    committed_on: s.Day | None = None
    due_on: s.Day | None = None
    evidence: MatterEvidence = ""


class MatterOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    title: str
    measure: str
    kind: str
    kind_label: str
    aspect_code: str | None
    target_count: int
    done_count: int
    count_unit: str
    committed_on: dt.date
    due_on: dt.date | None
    evidence: str
    status: str
    status_label: str
    closed_on: dt.date | None


class MatterFilters(s.Input):
    unit: s.Code | None = Field(None, description="责任单位编码(含下级单位)")
    kind: ActionKindCode | None = None
    status: MatterStatusCode | None = None


class ProgressIn(s.Input):
    added: int = Field(0, ge=0, le=matter_actions.COUNT_MAX, description="本次完成数量")
    note: MatterNote = ""
    on: s.Day | None = None


def matter_out(matter: PracticalMatter) -> dict:
    return {
        "id": matter.pk, "unit_code": matter.unit.code, "unit_name": matter.unit.name,
        "title": matter.title, "measure": matter.measure, "kind": matter.kind,
        "kind_label": matter.get_kind_display(),
        "aspect_code": matter.aspect.code if matter.aspect_id else None,
        "target_count": matter.target_count, "done_count": matter.done_count,
        "count_unit": matter.count_unit, "committed_on": matter.committed_on,
        "due_on": matter.due_on, "evidence": matter.evidence, "status": matter.status,
        "status_label": matter.get_status_display(), "closed_on": matter.closed_on,
    }


@router.get("/matters", response={200: list[MatterOut]} | STAFF, auth=bearer,
            summary="调用者可见的办实事清单，按单位排列")
@paginate(Pages)
def list_matters(request, filters: Query[MatterFilters]):
    rows = PracticalMatter.objects.visible_to(request.user).select_related("unit", "aspect")
    if filters.unit:
        rows = rows.within(_lookup(Unit, filters.unit, "unit", "单位"))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return Shaped(rows.order_by("unit__path", "committed_on", "id"), matter_out)


@router.post("/matters", response={201: MatterOut} | ACTING, auth=bearer,
             summary="列入办实事清单(责任单位须在调用者范围内)")
def create_matter(request, payload: MatterIn):
    data = payload.dict()
    unit = _lookup(Unit, data.pop("unit_code"), "unit_code", "单位")
    data["aspect"] = _lookup(Aspect, data.pop("aspect_code"), "aspect_code", "办实事方向")
    matter = matter_actions.create_matter(actor=request.user, unit=unit, **data)
    return Status(201, matter_out(matter))


@router.post("/matters/{matter_id}/progress", response={201: MatterOut} | ACTING,
             auth=bearer, summary="登记实事进展(完成数量累加)")
def add_progress(request, matter_id: int, payload: ProgressIn):
    matter = access_record(request.user, PracticalMatter, pk=matter_id)
    matter_actions.add_progress(matter, actor=request.user, added=payload.added,
                                note=payload.note, on=payload.on)
    matter.refresh_from_db()
    return Status(201, matter_out(matter))


class CloseIn(s.Input):
    note: MatterNote = ""


@router.post("/matters/{matter_id}/close", response={200: MatterOut} | ACTING, auth=bearer,
             summary="销号(完成数量达到目标，或填写说明)")
def close_matter(request, matter_id: int, payload: CloseIn):
    matter = access_record(request.user, PracticalMatter, pk=matter_id)
    return matter_out(matter_actions.close_matter(matter, actor=request.user,
                                                  note=payload.note))


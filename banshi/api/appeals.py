"""/api/v1/appeals: residents submit and track; staff list, read and act."""

from django.conf import settings
from django.core.paginator import Paginator
from ninja import Query, Router, Status

from banshi.appeals import actions
from banshi.appeals.access import access_appeal, track_appeal
from banshi.appeals.choices import Channel, State
from banshi.appeals.filters import LedgerFilter
from banshi.appeals.models import Appeal, Aspect, Category
from banshi.appeals.public import public_reply, public_timeline
from banshi.org import permissions
from banshi.org.models import Region, Unit

from . import schemas as s
from .auth import ResidentThrottle, bearer, caller, optional_bearer
from .serializers import appeal_detail, appeal_out

router = Router(tags=["appeals"])

# Channels an anonymous caller may claim; staff may enter any channel.
PUBLIC_CHANNELS = {
    Channel.ONLINE_FORM,
    Channel.OPEN311,
    Channel.WECHAT_GROUP,
    Channel.QQ_GROUP,
    Channel.PLATFORM,
}
ERRORS = {403: s.Error, 404: s.Error, 409: s.Error, 422: s.Error}


def _lookup(model, code: str | None, field: str, label: str):
    if not code:
        return None
    obj = model.objects.filter(code=code).first()
    if obj is None:
        raise actions.InvalidInput(f"{label}“{code}”不存在", field)
    return obj


@router.post(
    "",
    response={201: s.AppealCreated, 422: s.Error, 403: s.Error},
    auth=optional_bearer,
    throttle=[ResidentThrottle("submit", settings.BANSHI_SUBMIT_RATE)],
)
def submit(request, payload: s.AppealIn):
    user = caller(request)
    channel = payload.channel or Channel.ONLINE_FORM
    if user is None and channel not in PUBLIC_CHANNELS:
        raise actions.InvalidInput(f"渠道“{channel}”需要工作人员登录后录入", "channel")
    appeal, code = actions.submit_appeal(
        title=payload.title,
        content=payload.content,
        channel=channel,
        region=_lookup(Region, payload.region_code, "region_code", "社区"),
        contact_name=payload.contact_name or "",
        contact_phone=payload.contact_phone or "",
        address=payload.address or "",
        actor=user,
        collected_at=payload.collected_at if user else None,
    )
    return Status(201, {"number": appeal.number, "query_code": code, "state": appeal.state})


@router.get(
    "/track",
    response={200: s.TrackOut, 404: s.Error},
    auth=None,
    throttle=[ResidentThrottle("track", settings.BANSHI_TRACK_RATE)],
)
def track(request, number: str, code: str):
    appeal = track_appeal(number, code)
    return {
        "number": appeal.number,
        "state": appeal.state,
        "state_label": State(appeal.state).label,
        "title": appeal.title,
        "reply": public_reply(appeal),
        "rating": appeal.rating,
        "events": public_timeline(appeal),
    }


class ListFilters(s.Schema):
    q: str | None = None
    state: list[str] | None = None
    channel: list[str] | None = None
    category: str | None = None
    aspect: str | None = None
    unit: str | None = None
    street: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    overdue: bool | None = None
    page: int = 1
    page_size: int = 50


@router.get("", response={200: s.AppealPage, 422: s.Error}, auth=bearer)
def list_appeals(request, filters: Query[ListFilters]):
    data = {
        k: v for k, v in filters.dict().items() if v is not None and k not in {"page", "page_size"}
    }
    if "overdue" in data:
        data["overdue"] = "true" if data["overdue"] else "false"
    queryset = Appeal.objects.visible_to(request.user).select_related(
        "region__parent", "unit", "category", "aspect"
    )
    filterset = LedgerFilter(_querydict(data), queryset=queryset)
    if not filterset.is_valid():
        field, errors = next(iter(filterset.errors.items()))
        raise actions.InvalidInput(f"筛选条件{field}无效：{errors[0]}", field)
    size = max(1, min(filters.page_size, 200))
    page = Paginator(filterset.qs.order_by("-collected_at", "-id"), size).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "page_size": size,
        "results": [appeal_out(request.user, a) for a in page.object_list],
    }


def _querydict(data: dict):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [str(value)])
    return query


@router.get("/{number}", response={200: s.AppealDetail, 404: s.Error}, auth=bearer)
def get_appeal(request, number: str):
    return appeal_detail(request.user, access_appeal(request.user, number))


def _done(request, appeal: Appeal):
    """The appeal as the caller now sees it, even when the action moved it out of their scope."""
    return Status(200, appeal_detail(request.user, appeal))


@router.post("/{number}/dispatch", response={200: s.AppealDetail} | ERRORS, auth=bearer)
def dispatch(request, number: str, payload: s.DispatchIn):
    appeal = access_appeal(request.user, number)
    unit = _lookup(Unit, payload.unit_code, "unit_code", "承办单位")
    appeal = actions.dispatch(
        appeal,
        actor=request.user,
        unit=unit,
        category=_lookup(Category, payload.category_code, "category_code", "分类"),
        aspect=_lookup(Aspect, payload.aspect_code, "aspect_code", "办实事方向"),
        urgency=payload.urgency,
        note=payload.note or "",
    )
    return _done(request, appeal)


@router.post("/{number}/accept", response={200: s.AppealDetail} | ERRORS, auth=bearer)
def accept(request, number: str, payload: s.NoteIn | None = None):
    note = payload.note if payload else ""
    appeal = actions.accept(
        access_appeal(request.user, number), actor=request.user, note=note or ""
    )
    return _done(request, appeal)


@router.post("/{number}/return", response={200: s.AppealDetail} | ERRORS, auth=bearer)
def return_(request, number: str, payload: s.ReasonIn):
    appeal = actions.return_(
        access_appeal(request.user, number), actor=request.user, reason=payload.reason
    )
    return _done(request, appeal)


@router.post("/{number}/extend", response={200: s.AppealDetail} | ERRORS, auth=bearer)
def extend(request, number: str, payload: s.ExtendIn):
    appeal = actions.request_extension(
        access_appeal(request.user, number),
        actor=request.user,
        days=payload.days,
        reason=payload.reason,
    ).appeal
    return _done(request, appeal)


@router.post("/{number}/decide_extension", response={200: s.AppealDetail} | ERRORS, auth=bearer)
def decide_extension(request, number: str, payload: s.DecideExtensionIn):
    appeal = actions.decide_extension(
        access_appeal(request.user, number),
        actor=request.user,
        approve=payload.approve,
        note=payload.note or "",
    )
    return _done(request, appeal)


@router.post("/{number}/escalate", response={200: s.AppealDetail} | ERRORS, auth=bearer)
def escalate(request, number: str, payload: s.EscalateIn):
    appeal = actions.escalate(
        access_appeal(request.user, number), actor=request.user, note=payload.note
    )
    return _done(request, appeal)


@router.post("/{number}/resolve", response={200: s.AppealDetail} | ERRORS, auth=bearer)
def resolve(request, number: str, payload: s.ResolveIn):
    appeal = actions.resolve(
        access_appeal(request.user, number), actor=request.user, reply=payload.reply
    )
    return _done(request, appeal)


@router.post(
    "/{number}/feedback",
    response={200: s.TrackOut | s.AppealDetail} | ERRORS,
    auth=optional_bearer,
    throttle=[ResidentThrottle("track", settings.BANSHI_TRACK_RATE)],
)
def feedback(request, number: str, payload: s.FeedbackIn):
    """The resident rates with the query code; the dispatcher records a call-back with a token."""
    user = caller(request)
    if user is None:
        appeal = track_appeal(number, payload.query_code or "")
        actions.record_feedback(
            appeal,
            rating=payload.rating,
            comment=payload.comment or "",
            query_code=payload.query_code,
        )
        return Status(200, track(request, number, payload.query_code or ""))
    appeal = actions.record_feedback(
        access_appeal(user, number),
        rating=payload.rating,
        comment=payload.comment or "",
        actor=user,
    )
    return _done(request, appeal)


@router.post("/{number}/reopen", response={200: s.AppealDetail} | ERRORS, auth=bearer)
def reopen(request, number: str, payload: s.NoteIn | None = None):
    note = payload.note if payload else ""
    appeal = actions.reopen(
        access_appeal(request.user, number), actor=request.user, note=note or ""
    )
    return _done(request, appeal)


@router.post("/{number}/supervise", response={200: s.AppealDetail} | ERRORS, auth=bearer)
def supervise(request, number: str, payload: s.SuperviseIn):
    appeal = actions.supervise(
        access_appeal(request.user, number),
        actor=request.user,
        instruction=payload.instruction,
        due_date=payload.due_date,
    ).appeal
    return _done(request, appeal)


@router.post("/{number}/answer_supervision", response={200: s.AppealDetail} | ERRORS, auth=bearer)
def answer_supervision(request, number: str, payload: s.AnswerIn):
    appeal = actions.answer_supervision(
        access_appeal(request.user, number), actor=request.user, answer=payload.answer
    ).appeal
    return _done(request, appeal)


@router.post("/{number}/invalidate", response={200: s.AppealDetail} | ERRORS, auth=bearer)
def invalidate(request, number: str, payload: s.ReasonIn):
    appeal = actions.invalidate(
        access_appeal(request.user, number), actor=request.user, reason=payload.reason
    )
    return _done(request, appeal)


@router.post("/{number}/merge", response={200: s.AppealDetail} | ERRORS, auth=bearer)
def merge(request, number: str, payload: s.MergeIn):
    appeal = access_appeal(request.user, number)
    if not permissions.is_dispatcher(request.user):
        raise actions.NotPermitted("只有区派单员可以合并诉求")
    appeal = actions.merge(
        appeal,
        actor=request.user,
        into=access_appeal(request.user, payload.into),
        note=payload.note or "",
    )
    return _done(request, appeal)

"""/api/v1/appeals: residents submit and track; staff list, read and act.

The staff actions (`POST /appeals/{number}/{action}`) are generated from ACTIONS, one row per
action: its path, body schema, summary and a small adapter calling the action function.
"""

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, Http404, QueryDict
from django.views.decorators.cache import never_cache
from ninja import Query, Router, Status
from ninja.decorators import decorate_view
from ninja.pagination import paginate

from banshi.appeals import actions
from banshi.appeals.access import access_appeal, normalise_code, track_appeal
from banshi.appeals.choices import Channel, State
from banshi.appeals.filters import LedgerFilter
from banshi.appeals.models import Appeal, Aspect, Category
from banshi.appeals.photos import PHOTO_TYPES, resident_url
from banshi.appeals.public import own_photos, public_reply, public_timeline, reply_photos
from banshi.appeals.transitions import APPEAL
from banshi.org.models import Region, Unit
from banshi.web import ratelimit
from banshi.web.clients import submitter_key

from . import schemas as s
from .auth import bearer, caller, optional_bearer
from .pagination import Pages
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
# Error responses by who calls: anyone may send a malformed request (400: unreadable JSON,
# a NUL byte in the URL) or bad fields (422); staff endpoints add 401 (no or invalid token)
# and 404 (an appeal the caller may not see); actions add 403 (no right) and 409 (state).
BAD_REQUEST = {400: s.Error, 422: s.Error}
THROTTLED = {429: s.Error}
STAFF = BAD_REQUEST | {401: s.Error}
ACTING = STAFF | {403: s.Error, 404: s.Error, 409: s.Error}
# OpenAPI: the bearer token is optional here (an empty requirement means "no auth").
TOKEN_OPTIONAL: dict[str, Any] = {"security": [{}]}


def _lookup(model, code: str | None, field: str, label: str):
    if not code:
        return None
    obj = model.objects.filter(code=code).first()
    if obj is None:
        raise actions.InvalidInput(f"{label}“{code}”不存在", field)
    return obj


@router.post(
    "",
    response={201: s.AppealCreated, 403: s.Error} | BAD_REQUEST | THROTTLED,
    auth=optional_bearer,
    openapi_extra=TOKEN_OPTIONAL,
    summary="提交诉求(群众无需令牌；工作人员带令牌可录入线下渠道和收集时间)",
)
def submit(request, payload: s.AppealIn):
    user = caller(request)
    channel = payload.channel or Channel.ONLINE_FORM
    if user is None and channel not in PUBLIC_CHANNELS:
        raise actions.InvalidInput(f"渠道“{channel}”需要工作人员登录后录入", "channel")
    with ratelimit.reserve(request, "submit"):  # counts only an accepted appeal
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
            submitter_key="" if user else submitter_key(request),
        )
    return Status(201, {"number": appeal.number, "query_code": code, "state": appeal.state})


def _tracked(request, number: str, code: str) -> dict:
    ratelimit.attempt(request, "track")
    return _progress(track_appeal(number, code))


def _progress(appeal: Appeal) -> dict:
    """What the resident may see of their appeal: its photos as signed, short-lived links."""
    timeline, reply = public_timeline(appeal), public_reply(appeal)
    return {
        "number": appeal.number,
        "state": appeal.state,
        "state_label": State(appeal.state).label,
        "title": appeal.title,
        "content": appeal.content,
        "photos": [resident_url(p) for p in own_photos(appeal)],
        "reply": reply,
        "reply_photos": [resident_url(p) for p in reply_photos(timeline)] if reply else [],
        "rating": appeal.rating,
        "events": [item | {"photos": [resident_url(p) for p in item["photos"]]}
                   for item in timeline],
    }


TRACKING = {200: s.TrackOut, 404: s.Error} | BAD_REQUEST | THROTTLED


@router.post("/track", response=TRACKING, auth=None,
             summary="查询进度(编号和查询码在请求体中，推荐)")
@decorate_view(never_cache)
def track_post(request, payload: s.TrackIn):
    return _tracked(request, payload.number, payload.code)


@router.get("/track", response=TRACKING, auth=None,
            summary="查询进度(查询码在网址中，可能留在浏览器历史和服务器日志里；请优先用 POST)")
@decorate_view(never_cache)
def track(request, filters: Query[s.TrackIn]):
    return _tracked(request, filters.number, filters.code)


class _Shaped:
    """The caller's appeals, each shaped by appeal_out (masked per caller) when a page is cut."""

    def __init__(self, user, queryset):
        self.user, self.queryset = user, queryset

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list[dict]:
        return [appeal_out(self.user, appeal) for appeal in self.queryset[page]]


@router.get("", response={200: list[s.AppealOut]} | STAFF, auth=bearer,
            summary="台账：调用者可见的诉求，按收到时间倒序")
@paginate(Pages)
def list_appeals(request, filters: Query[s.ListFilters]):
    data = filters.dict(exclude_none=True)
    if "overdue" in data:
        data["overdue"] = "true" if data["overdue"] else "false"
    queryset = Appeal.objects.visible_to(request.user).select_related(
        "region__parent", "unit", "delegated_by", "category", "aspect"
    )
    filterset = LedgerFilter(_querydict(data), queryset=queryset, request=request)
    if not filterset.is_valid():
        field, errors = next(iter(filterset.errors.items()))
        raise actions.InvalidInput(f"筛选条件{field}无效：{errors[0]}", field)
    return _Shaped(request.user, filterset.qs.order_by("-collected_at", "-id"))


def _querydict(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return query


@router.get("/{number}", response={200: s.AppealDetail, 400: s.Error, 401: s.Error,
                                   404: s.Error}, auth=bearer,
            summary="一件诉求的详情、流转记录和督办")
def get_appeal(request, number: str):
    return detail(request.user, access_appeal(request.user, number))


# The photo's bytes, in the type it was stored with (checked by content on upload).
PHOTO_CONTENT = {content_type: {"schema": {"type": "string", "format": "binary"}}
                 for content_type in sorted({"image/heic"} | {t for t, _ in PHOTO_TYPES.values()})}


PHOTO_HEADERS = {"Cache-Control": {"schema": {"type": "string"}, "description": "no-store"},
                 "X-Content-Type-Options": {"schema": {"type": "string", "enum": ["nosniff"]}}}


@router.get("/{number}/photos/{photo_id}", response=STAFF | {404: s.Error}, auth=bearer,
            openapi_extra={"responses": {"200": {"description": "照片", "content": PHOTO_CONTENT,
                                                 "headers": PHOTO_HEADERS}}},
            summary="一张照片(诉求详情 photos[].url)；诉求或照片不存在、无权查看都返回 404")
def get_photo(request, number: str, photo_id: int):
    """The photo's bytes for staff who may open the appeal (the same check as its detail);
    the photo must be one of that appeal's. Never cached, never sniffed as another type."""
    photo = access_appeal(request.user, number).attachments.filter(pk=photo_id).first()
    if photo is None:
        raise Http404("照片不存在")
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post(
    "/{number}/feedback",
    response={200: s.TrackOut | s.AppealDetail} | ACTING | THROTTLED,
    auth=optional_bearer,
    openapi_extra=TOKEN_OPTIONAL,
    summary="回访评价(群众凭查询码；派单员带令牌记录电话回访)",
)
def feedback(request, number: str, payload: s.FeedbackIn):
    """The resident rates with the query code; the dispatcher records a call-back with a token."""
    user = caller(request)
    if user is None:
        ratelimit.attempt(request, "track")
        appeal = track_appeal(number, payload.query_code or "")
        appeal = actions.record_feedback(appeal, rating=payload.rating, solved=payload.solved or "",
                                         comment=payload.comment or "",
                                         query_code=normalise_code(payload.query_code))
        return Status(200, _progress(appeal))
    appeal = actions.record_feedback(access_appeal(user, number), rating=payload.rating,
                                     solved=payload.solved or "",
                                     comment=payload.comment or "", actor=user)
    return Status(200, detail(user, appeal))


# ---------- staff actions, generated from one table ----------

@dataclass(frozen=True)
class ApiAction:
    """One `POST /appeals/{number}/{path}`: `run(user, appeal, payload)` calls the action and
    returns the appeal (or an object with `.appeal`); `optional` bodies may be omitted."""

    path: str
    body: type[s.Input]
    run: Callable
    summary: str
    name: str = ""  # the view's name (the OpenAPI operationId) when it differs from `path`
    optional: bool = False


def _dispatch(user, appeal, p: s.DispatchIn):
    return actions.dispatch(
        appeal, actor=user, unit=_lookup(Unit, p.unit_code, "unit_code", "承办单位"),
        category=_lookup(Category, p.category_code, "category_code", "分类"),
        aspect=_lookup(Aspect, p.aspect_code, "aspect_code", "办实事方向"),
        urgency=p.urgency, note=p.note or "")


def _merge(user, appeal, p: s.MergeIn):
    # The right first, so a caller without it learns nothing about the target's number.
    APPEAL.check_right("merge", user, appeal)
    return actions.merge(appeal, actor=user, into=access_appeal(user, p.into), note=p.note or "")


def _note(p) -> str:
    return (p.note if p is not None else None) or ""


def _photos(photos: list[s.PhotoIn] | None) -> list[tuple[str, bytes]]:
    """(name, bytes) of the photos sent as base64; the action judges what they are."""
    decoded = []
    for photo in photos or []:
        name = photo.name or ""
        try:
            decoded.append((name, base64.b64decode(photo.data, validate=True)))
        except (binascii.Error, ValueError) as exc:
            label = f"照片“{name}”" if name else "照片"
            raise actions.InvalidInput(f"{label}不是有效的base64编码", "photos") from exc
    return decoded


ACTIONS = [
    ApiAction("dispatch", s.DispatchIn, _dispatch, "派单(区派单员)"),
    ApiAction("accept", s.NoteIn, optional=True, summary="接单(承办单位)",
              run=lambda user, a, p: actions.accept(a, actor=user, note=_note(p))),
    ApiAction("return", s.ReasonIn, name="return_", summary="退单，须写理由(承办单位)",
              run=lambda user, a, p: actions.return_(a, actor=user, reason=p.reason)),
    ApiAction("extend", s.ExtendIn, summary="申请延期(承办单位)",
              run=lambda user, a, p: actions.request_extension(
                  a, actor=user, days=p.days, reason=p.reason)),
    ApiAction("decide_extension", s.DecideExtensionIn, summary="审批延期(区派单员)",
              run=lambda user, a, p: actions.decide_extension(
                  a, actor=user, approve=p.approve, note=p.note or "")),
    ApiAction("escalate", s.EscalateIn, summary="上报区级协调(承办单位)",
              run=lambda user, a, p: actions.escalate(a, actor=user, note=p.note)),
    ApiAction("delegate", s.DelegateIn, summary="转派给本单位的下级单位(社区)，附说明和期限",
              run=lambda user, a, p: actions.delegate(
                  a, actor=user, unit=_lookup(Unit, p.unit_code, "unit_code", "转派单位"),
                  note=p.note, due=p.due)),
    ApiAction("review", s.ReviewIn,
              summary="审核下级单位的答复(转派单位)：通过则送达群众，否则退回",
              run=lambda user, a, p: actions.review(
                  a, actor=user, approve=p.approve, note=p.note or "")),
    ApiAction("progress", s.ProgressIn,
              summary="记录办理进展，可附照片，可选群众可见(承办单位，办理中)",
              run=lambda user, a, p: actions.add_progress(
                  a, actor=user, note=p.note, public=p.public, photos=_photos(p.photos))),
    ApiAction("resolve", s.ResolveIn, summary="办结并答复群众，可附照片(承办单位)",
              run=lambda user, a, p: actions.resolve(a, actor=user, reply=p.reply,
                                                     photos=_photos(p.photos))),
    ApiAction("reopen", s.NoteIn, optional=True, summary="重新办理(区派单员)",
              run=lambda user, a, p: actions.reopen(a, actor=user, note=_note(p))),
    ApiAction("call_back", s.CallBackIn,
              summary="电话回访：记录群众对问题是否解决和满意度的回答(区派单员)",
              run=lambda user, a, p: actions.call_back(
                  a, actor=user, solved=p.solved or "", rating=p.rating or "",
                  note=p.note or "")),
    ApiAction("supervise", s.SuperviseIn, summary="督办(区级领导、派单员)",
              run=lambda user, a, p: actions.supervise(
                  a, actor=user, instruction=p.instruction, due_date=p.due_date)),
    ApiAction("answer_supervision", s.AnswerIn, summary="督办反馈(承办单位)",
              run=lambda user, a, p: actions.answer_supervision(a, actor=user, answer=p.answer)),
    ApiAction("invalidate", s.ReasonIn, summary="作废，须写理由(区派单员)",
              run=lambda user, a, p: actions.invalidate(a, actor=user, reason=p.reason)),
    ApiAction("merge", s.MergeIn, _merge, "合并到另一件诉求(区派单员)"),
]


def _view(action: ApiAction) -> Callable:
    """The endpoint function for one table row (its signature tells ninja the body schema)."""

    def act(request, number: str, payload):
        result = action.run(request.user, access_appeal(request.user, number), payload)
        appeal = getattr(result, "appeal", result)
        # the appeal as the caller now sees it, even when the action moved it out of scope
        return Status(200, detail(request.user, appeal))

    # ninja reads the body schema from the annotation, here the row's schema chosen at run
    # time, which mypy cannot follow (it sees an undefined name and two signatures).
    if action.optional:
        def view(request, number: str, payload: action.body | None = None):  # type: ignore[name-defined]
            return act(request, number, payload)
    else:
        def view(request, number: str, payload: action.body):  # type: ignore[name-defined, misc]
            return act(request, number, payload)
    view.__name__ = view.__qualname__ = action.name or action.path
    return view


for _action in ACTIONS:
    router.post(f"/{{number}}/{_action.path}", response={200: s.AppealDetail} | ACTING,
                auth=bearer, summary=_action.summary)(_view(_action))

# What a caller may POST to /appeals/{number}/{name}: the table's rows the API serves.
ACTION_PATHS = {action.path for action in ACTIONS} | {"feedback"}
assert ACTION_PATHS.issubset(APPEAL), "every API action is a row of the transition table"


def detail(user, appeal: Appeal) -> dict:
    """The appeal as `user` sees it, with the actions the transition table allows them now."""
    allowed = [name for name in APPEAL.offered(user, appeal) if name in ACTION_PATHS]
    return appeal_detail(user, appeal) | {"allowed_actions": allowed}

"""The REST API under /api/v1/ (OpenAPI document at /api/v1/openapi.json)."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import Http404
from ninja import NinjaAPI, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError

from banshi.appeals.actions import ActionError
from banshi.org.lockout import lockout_message, login_succeeded
from banshi.org.models import ApiToken
from banshi.web.ratelimit import RateLimited, attempt

from . import (
    appeals,
    campaign_exemplars,
    campaign_org,
    campaign_study,
    campaign_supervision,
    collection_boxes,
    collection_surveys,
    collection_symposiums,
    problems,
    reference,
    stats,
)
from . import schemas as s
from .auth import bearer
from .errors import http_error_body, validation_error_body

api = NinjaAPI(
    title="办实事 Banshi API",
    version="1",
    description=(
        "群众诉求的提交、查询、派单、办理与督办。工作人员调用需 `Authorization: Bearer <token>`。"
    ),
    urls_namespace="api",
)
api.add_router("/appeals", appeals.router)
api.add_router("/problems", problems.router)
api.add_router("", reference.router)
api.add_router("/collection", collection_symposiums.router)
api.add_router("/collection/surveys", collection_surveys.router)
api.add_router("/collection", collection_boxes.router)
api.add_router("/stats", stats.router)
api.add_router("/campaign", campaign_org.router)
api.add_router("/campaign", campaign_study.router)
api.add_router("/campaign", campaign_supervision.router)
api.add_router("/campaign", campaign_exemplars.router)


@api.exception_handler(ActionError)
def action_error(request, exc: ActionError):
    return api.create_response(
        request, {"detail": exc.message, "field": exc.field}, status=exc.status
    )


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    return api.create_response(request, validation_error_body(exc), status=422)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, http_error_body(exc), status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "不存在"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


def _duration_text(delta) -> str:
    seconds = int(delta.total_seconds())
    for size, unit in [(86400, "天"), (3600, "小时"), (60, "分钟")]:
        if seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} 秒"


LOGIN_DOC = (
    f"用户名和密码换取令牌；令牌 {_duration_text(settings.BANSHI_TOKEN_TTL)}后过期(`expires_at`，"
    f"BANSHI_TOKEN_TTL)，每个账号最多保留最新的 {settings.BANSHI_TOKEN_MAX_PER_USER} 个。"
    f"同一账号输错密码 {settings.BANSHI_LOGIN_FAILURE_LIMIT} 次、或同一地址输错 "
    f"{settings.BANSHI_LOGIN_IP_FAILURE_LIMIT} 次后暂时锁定 "
    f"{_duration_text(settings.AXES_COOLOFF_TIME)}，锁定期间即使密码正确也返回 429。"
)


@api.exception_handler(RateLimited)
def rate_limited(request, exc: RateLimited):
    response = api.create_response(request, {"detail": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.post(
    "/auth/token",
    response={200: s.TokenOut, 401: s.Error} | appeals.BAD_REQUEST | appeals.THROTTLED,
    auth=None,
    tags=["auth"],
    summary="登录，换取令牌",
    description=LOGIN_DOC,
)
def token(request, payload: s.TokenIn):
    attempt(request, "token")
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        return Status(429, {"detail": lockout_message()})
    if user is None or not user.is_active:
        return Status(401, {"detail": "用户名或密码不正确"})
    login_succeeded(user.get_username())
    key, row = ApiToken.objects.grant(user)
    return Status(200, {"token": key, "expires_at": row.expires_at})


@api.delete(
    "/auth/token",
    response={204: None, 401: s.Error},
    auth=bearer,
    tags=["auth"],
    summary="吊销令牌(退出)",
    description="吊销本次请求所带的令牌；此后该令牌返回 401。",
)
def revoke_token(request):
    request.api_token.delete()
    return Status(204, None)

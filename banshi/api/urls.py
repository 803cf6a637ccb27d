"""The REST API under /api/v1/ (OpenAPI document at /api/v1/openapi.json)."""

from django.contrib.auth import authenticate
from django.http import Http404
from ninja import NinjaAPI, Status
from ninja.errors import AuthenticationError

from banshi.appeals.actions import ActionError
from banshi.org.models import ApiToken
from banshi.web.ratelimit import RateLimited, attempt

from . import appeals, reference
from . import schemas as s

api = NinjaAPI(
    title="办实事 Banshi API",
    version="1",
    description=(
        "群众诉求的提交、查询、派单、办理与督办。工作人员调用需 `Authorization: Bearer <token>`。"
    ),
    urls_namespace="api",
)
api.add_router("/appeals", appeals.router)
api.add_router("", reference.router)


@api.exception_handler(ActionError)
def action_error(request, exc: ActionError):
    return api.create_response(
        request, {"detail": exc.message, "field": exc.field}, status=exc.status
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "不存在"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


@api.exception_handler(RateLimited)
def rate_limited(request, exc: RateLimited):
    response = api.create_response(request, {"detail": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.post(
    "/auth/token",
    response={200: s.TokenOut, 401: s.Error, 429: s.Error},
    auth=None,
    tags=["auth"],
)
def token(request, payload: s.TokenIn):
    attempt(request, "token")
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        return Status(401, {"detail": "用户名或密码不正确"})
    return Status(200, {"token": ApiToken.objects.issue(user)})

"""Login lockout: django-axes as Banshi configures it (settings AXES_* and BANSHI_LOGIN_*).

One policy for every door where a password is typed — /login/, /admin/login/ and
POST /api/v1/auth/token. Within the cool-off (BANSHI_LOGIN_COOLOFF_MINUTES after the last
counted failure) an account is locked after BANSHI_LOGIN_FAILURE_LIMIT failures from
anywhere, and a client address after BANSHI_LOGIN_IP_FAILURE_LIMIT failures on any accounts.
While locked, even the right password is refused and the refusal is not counted again.
A successful login clears that account's failures (not the address's). Failures are rows of
axes' AccessAttempt, listed and deletable (= unlocked) in /admin/ as 登录失败记录.
"""

import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import (
    get_client_username,
    get_cool_off,
    get_failure_limit,
    get_lockout_parameters,
)
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render

API_PATH_PREFIX = "/api/"


def client_address(request) -> str | None:
    """The address a request comes from, for the lockout (AXES_CLIENT_IP_CALLABLE): the one
    rule the rate limits use too — X-Forwarded-For only through BANSHI_TRUSTED_PROXIES."""
    from banshi.web.clients import client_address as vouched_address

    address = vouched_address(request)
    return None if address == "unknown" else address


def cool_off_minutes() -> int:
    return math.ceil(get_cool_off().total_seconds() / 60)


def lockout_message() -> str:
    return (f"登录失败次数过多，账号已暂时锁定，请{cool_off_minutes()}分钟后再试"
            "或联系管理员。")


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login gets (AXES_LOCKOUT_CALLABLE): 429 with a Chinese message,
    as JSON `{"detail": ...}` on the API and as the project's own page elsewhere."""
    if request.path.startswith(API_PATH_PREFIX):
        response = JsonResponse({"detail": lockout_message()}, status=429,
                                json_dumps_params={"ensure_ascii": False})
    else:
        response = render(request, "web/locked_out.html",
                          {"message": lockout_message()}, status=429)
    response["Retry-After"] = str(cool_off_minutes() * 60)
    return response


def forget_failures(username: str) -> int:
    """Clear one account's failed logins (after it logged in, or an admin unlocked it)."""
    count, _ = AccessAttempt.objects.filter(username=username).delete()
    return count


def login_succeeded(username: str) -> None:
    """For logins that are not sessions (API tokens): what axes does after a session login."""
    if settings.AXES_RESET_ON_SUCCESS:
        forget_failures(username)


class LoginGuard(AxesDatabaseHandler):
    """axes' database handler with a separate, larger limit for a client address.

    axes compares one failure count with one limit; this handler reports an address's
    failures on the account limit's scale, so the address is locked exactly when it
    reaches BANSHI_LOGIN_IP_FAILURE_LIMIT.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials),
                                       strict=True):
            count = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if parameter == "ip_address":
                count = count * limit // settings.BANSHI_LOGIN_IP_FAILURE_LIMIT
            worst = max(worst, count)
        return worst

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a successful login, forget the account's failures only: axes would also
        forget every failure from the address, so logging in to one's own account would
        wipe the count against all the others."""
        return forget_failures(get_client_username(request, credentials))

"""Bearer tokens for staff; anonymous access where residents call."""

from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from banshi.org.models import ApiToken


class BearerAuth(HttpBearer):
    """A live token of an active user; the token row is kept on request.api_token."""

    def authenticate(self, request, token):
        row = ApiToken.objects.presented(token)
        if row is None:
            return None
        request.user, request.api_token = row.user, row
        return row.user


class Anonymous:
    """Lets a request through without credentials (residents); request.auth is "anonymous"."""

    def __call__(self, request):
        return "anonymous"


bearer = BearerAuth()
optional_bearer = [bearer, Anonymous()]


def caller(request):
    """The authenticated user, or None for an anonymous resident."""
    return request.auth if request.auth != "anonymous" else None


class ResidentThrottle(SimpleRateThrottle):
    """Per-IP limit on the endpoints residents reach without an account."""

    def __init__(self, scope: str, rate: str):
        self.scope = scope
        super().__init__(rate)

    def get_cache_key(self, request):
        if getattr(request, "auth", None) not in (None, "anonymous"):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

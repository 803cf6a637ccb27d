"""Bearer tokens for staff; anonymous access where residents call."""

from ninja.security import HttpBearer

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


"""Bearer tokens for staff; anonymous access where residents call."""

from ninja.security import HttpBearer

from banshi.org.models import ApiToken


class BearerAuth(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.objects.user_for(token)
        if user is not None:
            request.user = user
        return user


class Anonymous:
    """Lets a request through without credentials (residents); request.auth is "anonymous"."""

    def __call__(self, request):
        return "anonymous"


bearer = BearerAuth()
optional_bearer = [bearer, Anonymous()]


def caller(request):
    """The authenticated user, or None for an anonymous resident."""
    return request.auth if request.auth != "anonymous" else None


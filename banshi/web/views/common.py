"""What the staff views share: the login-and-role gates."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from banshi.org import permissions


def staff_required(view):
    """Logged in and holding a Staff role; a bare account sees "账号未分配角色" (403).
    Staff pages carry personal data, so browsers and proxies must not keep them."""

    @never_cache
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.is_staff_member(request.user):
            return render(request, "web/staff/no_role.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def dispatcher_required(view):
    """Only the district dispatcher and admins (others get 403 with a message)."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.is_dispatcher(request.user):
            return render(request, "web/staff/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper

"""What the staff views share: the login-and-role gates."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from banshi.appeals.errors import ActionError
from banshi.org import permissions

from ..forms import apply_action_error


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


def run_action_form(request, forms_by_name: dict, name: str, subject, render_page):
    """POST of one page action: the named form → its action. Returns None when the action
    was done (a success message is queued), else the page re-rendered with the reason:
    the transition table's refusal (403 no right, 409 not in this state), 422 for bad input,
    the action's status when it refused. `render_page(status=, bound=)` renders the page."""
    form_class = forms_by_name.get(name)
    if form_class is None:
        raise Http404("未知的操作")
    try:  # a page left open may offer what is no longer allowed: say why, as the action would
        form_class.table.check(form_class.transition, request.user, subject)
    except ActionError as exc:
        messages.error(request, exc.message)
        return render_page(status=exc.status, bound=None)
    form = form_class(request.POST, request.FILES, subject=subject, user=request.user,
                      auto_id=f"id_{name}_%s")
    if not form.is_valid():
        messages.error(request, f"{form.label}未完成，请检查填写的内容")
        return render_page(status=422, bound=(name, form))
    try:
        form.perform()
    except ActionError as exc:
        apply_action_error(form, exc)
        messages.error(request, exc.message)
        return render_page(status=exc.status, bound=(name, form))
    messages.success(request, form.done)
    return None

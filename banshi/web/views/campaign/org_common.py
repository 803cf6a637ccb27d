"""What the organisation, meetings, tasks and practical-matter pages share: the gate (who may
open campaign pages), the office gate, and running an action on a form."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.shortcuts import render

from banshi.appeals.errors import ActionError
from banshi.campaign.permissions import is_office, may_see_campaign

from ...forms import apply_action_error
from ..common import staff_required


def campaign_required(view):
    """Staff who may open the campaign pages (district roles, unit staff); 403 otherwise."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_see_campaign(request.user):
            return render(request, "web/staff/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def office_required(view):
    """The campaign office (dispatcher, admins): the organisation's editing pages."""

    @campaign_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_office(request.user):
            return render(request, "web/staff/forbidden.html",
                          {"reason": "只有活动办公室可以编辑组织机构"}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def run(form, action: Callable[..., Any], *args, **kwargs) -> Any:
    """`action(*args, **kwargs)`, or None with its refusal shown on `form`."""
    try:
        return action(*args, **kwargs)
    except ActionError as exc:
        apply_action_error(form, exc, above=True)
        form.refusal_status = exc.status
        return None


def status_of(form) -> int:
    return getattr(form, "refusal_status", 422)

"""The gates of every campaign page: who may open them at all (each page then scopes its
records and checks its action's right through banshi.campaign.permissions)."""

from functools import wraps

from django.shortcuts import render

from banshi.campaign.permissions import is_office, may_see_campaign

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
    """The campaign office (dispatcher, admins): the pages that edit what is the office's —
    the organisation, the guidance groups."""

    @campaign_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_office(request.user):
            return render(request, "web/staff/forbidden.html",
                          {"reason": "只有活动办公室(区派单员、系统管理员)可以进行此操作"},
                          status=403)
        return view(request, *args, **kwargs)

    return wrapper

"""数据看板: the leader dashboard — today's intake and backlog, the trend, the funnel, appeals
and overdue by street and level, categories and aspects, the hottest problems, the open 督办
orders and the campaign's progress; every chart opens the ledger behind it
(banshi/reports/dashboard.py counts; ECharts draws from json_script data)."""

from django.shortcuts import render
from django.utils import timezone

from banshi.appeals.models import Appeal
from banshi.campaign.stats import campaign_figures
from banshi.collection.permissions import may_see_collection
from banshi.collection.stats import appeals_of_unit, collection_figures
from banshi.org import permissions
from banshi.reports import dashboard as figures
from banshi.reports.metrics import handling_figures

from ..collection_stats import _period, request_presets, scope_name
from ..common import staff_required

RATES = [("response_rate", "响应率"), ("resolution_rate", "办结率"), ("solve_rate", "解决率"),
         ("satisfaction_rate", "满意率")]


def rate_percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}"


def percent(part: int, whole: int) -> str:
    return "—" if not whole else f"{part / whole * 100:.1f}"


@staff_required
def dashboard(request):
    user = request.user
    if not may_see_collection(user):  # district roles and unit staff: the same audience
        return render(request, "web/staff/forbidden.html", status=403)
    form, start, end, unit = _period(request)
    context = {"form": form, "presets": request_presets(request), "start": start, "end": end,
               "unit": unit}
    if form.is_bound and not form.is_valid():
        return render(request, "web/reports/dashboard.html", context, status=400)
    today = timezone.localdate()
    appeals = appeals_of_unit(Appeal.objects.visible_to(user), unit)
    led_streets, led_units = (figures.led_scope(user) if permissions.role_of(user) == "leader"
                              else (set(), set()))
    funnel = figures.funnel(appeals, start, end)
    for step in funnel:
        step["rate"] = percent(step["value"], funnel[0]["value"])
    handling = handling_figures(user, start, end, unit)
    collection = collection_figures(user, start, end, unit)
    campaign = campaign_figures(user, start, end, unit)
    charts = {
        "trend": figures.trend(appeals, today),
        "funnel": funnel,
        "streets": figures.by_street(appeals, start, end, led_streets),
        "levels": figures.by_level(appeals, start, end),
        "categories": figures.by_category(appeals, start, end),
        "aspects": figures.by_aspect(appeals, start, end),
    }
    context |= {
        "scope_name": scope_name(user, unit), "today": today,
        "now": figures.today_figures(appeals, today), "funnel": funnel,
        "problems": figures.hottest_problems(user),
        "orders": figures.open_orders(appeals, led_units),
        "led": bool(led_units), "collection": collection, "campaign": campaign,
        "rates": [(label, rate_percent(handling[key])) for key, label in RATES],
        "charts": charts,
    }
    return render(request, "web/reports/dashboard.html", context)

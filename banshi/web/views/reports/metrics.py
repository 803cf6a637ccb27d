"""The handling metrics pages (办理指标): the figures of a period with their formulas, the
红黑榜 of a month, and one unit's monthly trend and rank history. Views only read: the
figures come from banshi.reports.metrics and banshi.reports.ranking."""

import datetime as dt
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from banshi.collection.stats import stats_unit
from banshi.reports import metrics, ranking
from banshi.reports.permissions import may_see_ranking, may_see_reports

from ..collection_stats import _period, request_presets, scope_name
from ..common import staff_required

CARDS = [
    ("received", "收到", "件"), ("dispatched", "派单", "件"),
    ("responded_in_time", "按时响应", "件"), ("response_rate", "响应率", "%"),
    ("resolved", "办结", "件"), ("resolution_rate", "办结率", "%"),
    ("rated", "参评", "件"), ("solve_rate", "解决率", "%"),
    ("satisfaction_rate", "满意率", "%"), ("overdue", "超期", "件"),
    ("avg_handling_days", "平均办理用时", "工作日"), ("returns", "退单", "次"),
]
HISTORY_MONTHS = 12


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}"


# The second table's groupings (the first is by unit): ?by=…
BREAKDOWNS = {"level": "办理层级", "street": "街道", "category": "分类", "aspect": "办实事方向",
              "channel": "渠道", "month": "月份"}


def shown(figures: dict) -> dict:
    """The figures with their rates as percentages for display (— when None)."""
    return figures | {key: percent(figures[key]) for key in metrics.RATES} | {
        "avg_handling_days": "—" if figures["avg_handling_days"] is None
        else figures["avg_handling_days"]}


def cards(figures: dict) -> list[dict]:
    display = shown(figures)
    return [{"key": key, "label": label, "value": display[key], "unit": measure}
            for key, label, measure in CARDS]


def _ledger_url(**filters) -> str:
    return reverse("web:ledger") + "?" + urlencode({k: v for k, v in filters.items() if v})


@staff_required
def handling(request):
    if not may_see_reports(request.user):
        return render(request, "web/staff/forbidden.html", status=403)
    form, start, end, unit = _period(request)
    context = {"form": form, "presets": request_presets(request),
               "formulas": metrics.FORMULAS + metrics.REWORK_FORMULAS,
               "rate_note": metrics.RATE_NOTE}
    if form.is_bound and not form.is_valid():
        return render(request, "web/reports/metrics/handling.html", context, status=400)
    by = request.GET.get("by", "level")
    if by not in BREAKDOWNS:
        by = "level"
    report = metrics.handling_report(request.user, start, end, unit, keys=(by,))
    figures, levels = report["figures"], report[by]
    period = {"date_from": start.isoformat(), "date_to": end.isoformat()}
    rows = [shown(row) | {"ledger": _ledger_url(unit=row["unit_code"], **period),
                          "page": reverse("web:reports-unit", args=[row["unit_code"]])}
            for row in figures["by_unit"]]
    return render(request, "web/reports/metrics/handling.html", context | {
        "start": start, "end": end, "unit": unit,
        "scope_name": scope_name(request.user, unit), "figures": figures,
        "cards": cards(figures), "rows": rows, "levels": [shown(row) for row in levels],
        "by": by, "by_label": BREAKDOWNS[by], "breakdowns": BREAKDOWNS.items(),
        "rework": metrics.rework_figures(request.user, start, end, unit),
    })


def _month(request) -> tuple[dt.date | None, str]:
    """The month asked for (this month when none), or None and the message."""
    text = request.GET.get("month", "")
    if not text:
        return timezone.localdate().replace(day=1), ""
    month = ranking.parse_month(text)
    return (month, "") if month else (None, "月份：请按“YYYY-MM”填写，如 2026-03")


@staff_required
def ranking_page(request):
    if not may_see_ranking(request.user):
        return render(request, "web/staff/forbidden.html", status=403)
    month, error = _month(request)
    if month is None:
        return render(request, "web/reports/metrics/ranking.html",
                      {"error": error, "rule": ranking.RULE, "month_value": ""}, status=400)
    board = ranking.monthly_ranking(month)
    before, after = ranking.previous_months(month, 2)[0], month_after(month)

    def rows(items):
        return [shown(row) | {"page": reverse("web:reports-unit", args=[row["unit_code"]])}
                for row in items]

    return render(request, "web/reports/metrics/ranking.html", {
        "rule": ranking.RULE, "board": board, "month_value": board["month"],
        "red": rows(board["red"]), "black": rows(board["black"]),
        "ranked": rows(board["ranked"]), "apart": rows(board["apart"]),
        "previous": f"{before:%Y-%m}", "next": f"{after:%Y-%m}",
        "min_appeals": ranking.MIN_APPEALS,
    })


def month_after(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


@staff_required
def unit_page(request, code: str):
    if not may_see_reports(request.user):
        return render(request, "web/staff/forbidden.html", status=403)
    unit = stats_unit(request.user, code)
    if unit is None:
        raise Http404("单位不存在")
    last, error = _month(request)
    if last is None:
        raise Http404(error)
    months = ranking.previous_months(last, HISTORY_MONTHS)
    history = ranking.rank_history(unit, months)
    chart = {
        "months": [row["month"] for row in history],
        "received": [row["received"] for row in history],
        "rates": [{"name": label, "data": [None if row[key] is None
                                           else round(row[key] * 100, 1) for row in history]}
                  for key, label in (("response_rate", "响应率"), ("resolution_rate", "办结率"),
                                     ("solve_rate", "解决率"),
                                     ("satisfaction_rate", "满意率"))],
        "ranks": [row["rank"] for row in history],
        "of": max([row["of"] for row in history] or [0]),
    }
    return render(request, "web/reports/metrics/unit.html", {
        "unit": unit, "history": [shown(row) for row in history][::-1], "chart": chart,
        "may_rank": may_see_ranking(request.user), "rule": ranking.RULE,
        "ranked_any": any(row["rank"] for row in history), "min_appeals": ranking.MIN_APPEALS,
        "ranked_unit": any(u.pk == unit.pk for u in metrics.district_units()),
    })

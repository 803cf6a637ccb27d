"""征集工作统计: the collection figures of a period as cards, the report's sentence, charts
(ECharts, fed through json_script: the CSP forbids inline scripts) and an Excel export."""

import datetime as dt
import io
from urllib.parse import urlencode

from django import forms
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from banshi.appeals.choices import Channel
from banshi.appeals.validators import validate_date
from banshi.campaign.models import campaign_start
from banshi.collection.permissions import may_see_collection
from banshi.collection.stats import (
    CHANNEL_KEYS,
    CHANNEL_LABELS,
    appeals_per_week,
    per_street,
    stats_unit,
    stats_units,
)
from banshi.collection.stats_export import write_collection_stats
from banshi.org import permissions
from banshi.org.choices import UnitKind
from banshi.org.models import Unit

from ..unit_picker import UnitSelect, unit_choices
from ..widgets import DateInput
from .common import staff_required

# (figure, label, unit) of the cards, in the report's order
CARDS = [
    ("symposiums", "召开座谈会", "场"), ("symposium_participants", "座谈会参会", "人次"),
    ("surveys_distributed", "发放调查问卷", "份"), ("surveys_returned", "收回调查问卷", "份"),
    ("survey_return_rate", "问卷回收率", "%"), ("opinion_boxes", "设置意见箱(台)", "个"),
    ("opinion_box_slips", "开箱收到意见", "条"), ("household_visits", "入户走访", "户次"),
    ("household_visit_person_times", "走访群众", "人次"), ("liaisons", "联络员", "人"),
    ("liaison_households", "结对户", "户"), ("appeals_collected", "征集群众诉求", "件"),
]
# the figures the per-street chart shows first (the others are a legend click away)
STREET_SERIES_SHOWN = {"symposiums", "household_visit_person_times", "appeals_collected"}
INTERNAL_CHANNEL = {"h5": Channel.ONLINE_FORM, "online_platform": Channel.PLATFORM}


def _today() -> dt.date:
    return timezone.localdate()


def presets() -> list[tuple[str, dt.date, dt.date]]:
    today = _today()
    return [("本月", today.replace(day=1), today),
            ("活动以来", min(campaign_start(), today), today)]


def request_presets(request) -> list[tuple[str, dt.date, dt.date]]:
    """`presets()`, looked up once a request (the campaign's start is a query)."""
    if not hasattr(request, "_stats_presets"):
        request._stats_presets = presets()
    return request._stats_presets


class PeriodForm(forms.Form):
    start = forms.DateField(label="统计期起", widget=DateInput(), validators=[validate_date])
    end = forms.DateField(label="统计期止", widget=DateInput(), validators=[validate_date])
    unit = forms.ChoiceField(label="单位", required=False, widget=UnitSelect())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = set(stats_units(user).values_list("code", flat=True))
        choices = []
        for group in unit_choices("全部", inactive=True):
            label, members = group
            if isinstance(members, list):
                members = [(code, name) for code, name in members if code in allowed]
                if members:
                    choices.append((label, members))
            else:
                choices.append(group)
        self.fields["unit"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "统计期止不能早于统计期起")
        return data


def _period(request) -> tuple[PeriodForm, dt.date, dt.date, Unit | None]:
    """The form and the period it names; the campaign so far when nothing was chosen. An
    unknown unit, or one outside the user's scope, is a 404 alike."""
    code = request.GET.get("unit") or ""
    unit = stats_unit(request.user, code) if code else None
    if code and unit is None:
        raise Http404("单位不存在")
    _label, start, end = request_presets(request)[1]
    data = request.GET if "start" in request.GET or "end" in request.GET else None
    initial = {"start": start, "end": end, "unit": code}
    form = PeriodForm(data, user=request.user, initial=initial)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, start, end, unit


def scope_name(user, unit: Unit | None) -> str:
    if unit is not None:
        return unit.name
    if permissions.sees_everything(user):
        return "全区"
    own = permissions.unit_of(user)
    return own.name if own else "全区"


def sentence(name: str, f: dict) -> str:
    """The report's sentence, filled from the figures."""
    return (f"{name}共召开群众诉求征集意见座谈会{f['symposiums']}场，"
            f"发放调查问卷{f['surveys_distributed']}份、收回{f['surveys_returned']}份，"
            f"设置征集意见箱{f['opinion_boxes']}个，"
            f"入户走访群众{f['household_visit_person_times']}人次，"
            f"征集群众诉求{f['appeals_collected']}条。")


def _ledger_url(**filters) -> str:
    return reverse("web:ledger") + "?" + urlencode({k: v for k, v in filters.items() if v})


def _ledger_scope(unit: Unit | None) -> dict:
    """The ledger filter nearest to the unit narrowing (a street: appeals located in it)."""
    if unit is None:
        return {}
    if unit.kind == UnitKind.STREET and unit.region_id:
        return {"street": unit.region.code}
    return {"unit": unit.code}


def chart_data(figures: dict, rows: list[dict], weeks, start, end, unit) -> dict:
    period = {"date_from": start.isoformat(), "date_to": end.isoformat()} | _ledger_scope(unit)
    channels = [{"name": CHANNEL_LABELS[key], "value": figures["appeals_by_channel"][key],
                 "url": _ledger_url(channel=INTERNAL_CHANNEL.get(key, key), **period)}
                for key in CHANNEL_KEYS]
    streets = [row for row in rows if row["unit"] is not None]
    series = [{"key": key, "name": f"{label}({measure})",
               "data": [row[key] for row in streets], "shown": key in STREET_SERIES_SHOWN}
              for key, label, measure in CARDS if key != "survey_return_rate"]
    street_urls = [_ledger_url(**period | _ledger_scope(row["unit"])) for row in streets]
    return {
        "channels": channels,
        "streets": {"names": [row["unit"].name for row in streets], "series": series,
                    "urls": street_urls},
        "weeks": [{"name": f"{monday:%m-%d}", "value": n,
                   "url": _ledger_url(**period | {
                       "date_from": max(monday, start).isoformat(),
                       "date_to": min(monday + dt.timedelta(days=6), end).isoformat()})}
                  for monday, n in weeks],
    }


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}"


def cards(figures: dict) -> list[dict]:
    result = []
    for key, label, measure in CARDS:
        value = figures[key]
        if key == "survey_return_rate":
            value = percent(value)
        result.append({"key": key, "label": label, "value": value, "unit": measure})
    return result


@staff_required
def collection_stats(request):
    if not may_see_collection(request.user):
        return render(request, "web/staff/forbidden.html", status=403)
    form, start, end, unit = _period(request)
    if form.is_bound and not form.is_valid():
        return render(request, "web/collection/stats/collection.html",
                      {"form": form, "presets": request_presets(request)}, status=400)
    breakdown = per_street(request.user, start, end, unit)
    figures = breakdown["total"]
    weeks = appeals_per_week(request.user, start, end, unit)
    name = scope_name(request.user, unit)
    return render(request, "web/collection/stats/collection.html", {
        "form": form, "presets": request_presets(request), "start": start, "end": end, "unit": unit,
        "scope_name": name, "figures": figures, "cards": cards(figures),
        "sentence": sentence(name, figures),
        "rows": [row | {"rate": percent(row["survey_return_rate"])} for row in breakdown["rows"]],
        "charts": chart_data(figures, breakdown["rows"], weeks, start, end, unit),
    })


@staff_required
def collection_stats_export(request):
    if not may_see_collection(request.user):
        return render(request, "web/staff/forbidden.html", status=403)
    form, start, end, unit = _period(request)
    if form.is_bound and not form.is_valid():
        return collection_stats(request)
    breakdown = per_street(request.user, start, end, unit)
    name = scope_name(request.user, unit)
    buffer = io.BytesIO()
    write_collection_stats(buffer, title=f"{name}征集工作统计", start=start, end=end,
                           sentence=sentence(name, breakdown["total"]), **breakdown)
    buffer.seek(0)
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return FileResponse(buffer, as_attachment=True, content_type=content_type,
                        filename=f"征集统计-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")

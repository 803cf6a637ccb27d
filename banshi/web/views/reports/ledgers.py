"""台账下载: the five ledgers of a period and (optionally) a unit in the user's scope, each a
download (GET with the period and the unit's code; nothing personal in the URL)."""

import io
from urllib.parse import urlencode

from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse

from banshi.campaign.permissions import may_see_campaign
from banshi.org import permissions
from banshi.org.choices import RegionLevel
from banshi.org.models import Region, Unit
from banshi.reports.ledgers import MODULES, ledger_bytes

from ..collection_stats import _period, request_presets
from ..common import staff_required

TEMPLATE = "web/reports/ledgers/index.html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ABOUT = {
    "appeals": "按村(社区)、街道(局委)、区三级分表，含办理期限、答复与销号标记；"
               "群众姓名、电话按权限脱敏。",
    "problems": "期间内整改中或已解决的共性问题：涉及诉求数、牵头单位、整改节点与进度、包联领导。",
    "supervision": "巡回指导组的督导记录：发现问题、评价及整改事项的时限、状态与整改情况。",
    "study": "学习活动：日期、单位、形式、主题、主讲人、地点、参加人次与签到人数。",
    "matters": "办实事清单：规定/自选动作、目标与完成数量、计划完成时间、销号日期与佐证材料。",
}


def scope_name(user, unit: Unit | None) -> str:
    """Whose ledger it is, for its title: the chosen unit, else the user's own unit, else the
    district ("中原区")."""
    if unit is not None:
        return unit.name
    own = None if permissions.sees_everything(user) else permissions.unit_of(user)
    if own is not None:
        return own.name
    district = Region.objects.filter(level=RegionLevel.DISTRICT).order_by("id").first()
    return district.name if district else "全区"


@staff_required
def ledgers(request):
    if not may_see_campaign(request.user):
        return render(request, "web/staff/forbidden.html", status=403)
    form, start, end, unit = _period(request)
    context = {"form": form, "presets": request_presets(request)}
    if form.is_bound and not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    query = urlencode({"start": start.isoformat(), "end": end.isoformat()}
                      | ({"unit": unit.code} if unit else {}))
    items = [{"kind": kind, "name": module.NAME, "about": ABOUT[kind],
              "url": reverse(f"web:reports-ledger-{kind}") + "?" + query}
             for kind, module in MODULES.items()]
    return render(request, TEMPLATE, context | {
        "start": start, "end": end, "unit": unit,
        "scope_name": scope_name(request.user, unit), "items": items})


def download(kind: str):
    @staff_required
    def view(request):
        if not may_see_campaign(request.user):
            return render(request, "web/staff/forbidden.html", status=403)
        form, start, end, unit = _period(request)
        if form.is_bound and not form.is_valid():
            return ledgers(request)
        scope = scope_name(request.user, unit)
        data = ledger_bytes(kind, request.user, start, end, unit, scope)
        name = f"{MODULES[kind].NAME}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
        return FileResponse(io.BytesIO(data), as_attachment=True, filename=name,
                            content_type=XLSX)
    view.__name__ = f"ledger_{kind}"
    return view


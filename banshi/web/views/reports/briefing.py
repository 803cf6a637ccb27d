"""工作简报: pick a period (the campaign so far by default) and a unit, press 生成简报 and get
the briefing as a Word file — the user's own scope (unit staff: their unit's figures and
title)."""

import io

from django.http import FileResponse
from django.shortcuts import render

from banshi.collection.permissions import may_see_collection
from banshi.reports.briefing import build_briefing
from banshi.reports.briefing.generator import area_names

from ..collection_stats import _period, request_presets
from ..common import staff_required

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@staff_required
def briefing(request):
    if not may_see_collection(request.user):
        return render(request, "web/staff/forbidden.html", status=403)
    form, start, end, unit = _period(request)
    area, scope = area_names(request.user, unit)
    context = {"form": form, "presets": request_presets(request), "start": start, "end": end,
               "unit": unit, "area": area, "scope": scope}
    if form.is_bound and not form.is_valid():
        return render(request, "web/reports/briefing/briefing.html", context, status=400)
    if "generate" not in request.GET:
        return render(request, "web/reports/briefing/briefing.html", context)
    content = build_briefing(request.user, start, end, unit)
    return FileResponse(io.BytesIO(content), as_attachment=True, content_type=DOCX,
                        filename=f"工作简报-{start:%Y%m%d}-{end:%Y%m%d}.docx")

"""台账: the filtered list of appeals the user may see, and its Excel export."""

import tempfile

from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone

from banshi.appeals.ledger.export import write_ledger
from banshi.appeals.ledger.summary import ledger_title, level_aspect_counts
from banshi.appeals.models import Appeal

from ..filter_forms import LedgerFilterForm
from .common import staff_required

PAGE_SIZE = 50
EXPORT_IN_MEMORY = 16 * 1024 * 1024  # larger workbooks spill to a temporary file


def filtered(request) -> LedgerFilterForm:
    queryset = (Appeal.objects.visible_to(request.user)
                .select_related("region__parent", "category", "unit"))
    return LedgerFilterForm(request.GET or None, queryset=queryset, request=request)


@staff_required
def ledger(request):
    ledger_filter = filtered(request)
    if ledger_filter.is_bound and not ledger_filter.is_valid():
        return render(request, "web/staff/ledger.html", {
            "filter": ledger_filter, "ledger_title": ledger_title(request.user)}, status=400)
    page = Paginator(ledger_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/staff/ledger.html", {
        "filter": ledger_filter, "page": page, "ledger_title": ledger_title(request.user),
        "summary": level_aspect_counts(ledger_filter.qs),
    })


@staff_required
def export(request):
    ledger_filter = filtered(request)
    if ledger_filter.is_bound and not ledger_filter.is_valid():
        return ledger(request)  # the same page, its errors shown on the filter form
    buffer = tempfile.SpooledTemporaryFile(max_size=EXPORT_IN_MEMORY)  # noqa: SIM115 (FileResponse closes it)
    write_ledger(ledger_filter.qs, buffer)
    buffer.seek(0)
    name = f"台账-{timezone.localdate():%Y%m%d}.xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=content_type)

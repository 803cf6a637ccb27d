"""台账: the filtered list of appeals the user may see, and its Excel export."""

import tempfile

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone

from banshi.appeals.filters import LedgerFilter
from banshi.appeals.ledger.export import write_ledger
from banshi.appeals.models import Appeal, Category
from banshi.org.models import Unit

from .common import staff_required

PAGE_SIZE = 50
EXPORT_IN_MEMORY = 16 * 1024 * 1024  # larger workbooks spill to a temporary file
OVERDUE_CHOICES = [("", "全部"), ("true", "超期"), ("false", "未超期")]


class LedgerFilterForm(LedgerFilter):
    """The ledger filter with pickers instead of bare codes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = [("", "全部")] + [(u.code, u.name) for u in Unit.objects.order_by("path")]
        categories = [("", "全部")] + [(c.code, c.path_name)
                                       for c in Category.objects.order_by("code")]
        widgets = {
            "q": forms.TextInput(attrs={"placeholder": "编号、标题或内容", "type": "search"}),
            "unit": forms.Select(choices=units),
            "category": forms.Select(choices=categories),
            "state": forms.CheckboxSelectMultiple,
            "channel": forms.CheckboxSelectMultiple,
            "overdue": forms.Select(choices=OVERDUE_CHOICES),
        }
        for name, widget in widgets.items():
            self.filters[name].extra["widget"] = widget
        self.filters["unit"].label, self.filters["category"].label = "承办单位", "分类"
        self.filters["aspect"].extra["empty_label"] = "全部"
        self.filters["street"].extra["empty_label"] = "全部"


def filtered(request) -> LedgerFilterForm:
    queryset = (Appeal.objects.visible_to(request.user)
                .select_related("region__parent", "category", "unit"))
    return LedgerFilterForm(request.GET or None, queryset=queryset)


@staff_required
def ledger(request):
    ledger_filter = filtered(request)
    if ledger_filter.is_bound and not ledger_filter.is_valid():
        return render(request, "web/staff/ledger.html", {"filter": ledger_filter}, status=400)
    page = Paginator(ledger_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/staff/ledger.html", {
        "filter": ledger_filter, "page": page,
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

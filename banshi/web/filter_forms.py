"""The ledger's filters (banshi.appeals.filters.LedgerFilter) as the staff pages show them:
the 台账 page's form, and the workbench's, which adds a sort and defaults to the queue."""

import django_filters
from django import forms
from django.db.models import F

from banshi.appeals.choices import State
from banshi.appeals.filters import LedgerFilter
from banshi.appeals.models import Category
from banshi.appeals.permissions import may_search_by_phone

from .unit_picker import UnitSelect, unit_choices

OVERDUE_CHOICES = [("", "全部"), ("true", "超期"), ("false", "未超期")]


class LedgerFilterForm(LedgerFilter):
    """The ledger filter with pickers instead of bare codes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = [("", "全部")] + [(c.code, c.path_name)
                                       for c in Category.objects.order_by("code")]
        phone = may_search_by_phone(getattr(self.request, "user", None))
        words = "编号、标题、内容或电话" if phone else "编号、标题或内容"
        widgets = {
            "q": forms.TextInput(attrs={"placeholder": words, "type": "search"}),
            "unit": UnitSelect(choices=unit_choices("全部", inactive=True)),
            "category": forms.Select(choices=categories),
            "state": forms.CheckboxSelectMultiple,
            "channel": forms.CheckboxSelectMultiple,
            "rating": forms.CheckboxSelectMultiple,
            "overdue": forms.Select(choices=OVERDUE_CHOICES),
        }
        for name, widget in widgets.items():
            self.filters[name].extra["widget"] = widget
        self.filters["unit"].label, self.filters["category"].label = "承办单位", "分类"
        self.filters["aspect"].extra["empty_label"] = "全部"
        self.filters["street"].extra["empty_label"] = "全部"


# The workbench's queue: what waits for 派单 (new, and returned by a unit).
PENDING = (State.SUBMITTED, State.RETURNED)
SORTS = {
    "received": ("collected_at", "id"),
    "-received": ("-collected_at", "-id"),
    "deadline": (F("handling_due_at").asc(nulls_last=True), "collected_at", "id"),
}


class WorkbenchFilter(LedgerFilterForm):
    """The dispatcher's queue: pending appeals unless states are chosen, sorted."""

    sort = django_filters.ChoiceFilter(
        label="排序", method="filter_sort", empty_label="先收先办",
        choices=[("-received", "最新收到在前"), ("deadline", "办理期限最近在前")],
    )

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("state"):
            queryset = queryset.filter(state__in=PENDING)
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS["received"])
        return queryset

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS[value])

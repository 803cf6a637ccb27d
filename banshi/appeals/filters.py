"""The ledger's filters, shared by the staff pages, the API and `banshi export-ledger`."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from banshi.org.choices import RegionLevel, UnitLevel
from banshi.org.models import Region, Unit

from .choices import Channel, State
from .models import Appeal, Aspect, Category
from .validators import validate_date


class LedgerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="关键词")
    state = django_filters.MultipleChoiceFilter(choices=State.choices, label="状态")
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices, label="渠道")
    category = django_filters.CharFilter(method="filter_category", label="分类代码")
    aspect = django_filters.ModelChoiceFilter(
        queryset=Aspect.objects.all(), to_field_name="code", label="办实事方向"
    )
    unit = django_filters.CharFilter(method="filter_unit", label="承办单位代码")
    street = django_filters.ModelChoiceFilter(
        queryset=Region.objects.filter(level=RegionLevel.STREET), to_field_name="code",
        field_name="region__parent", label="街道",
    )
    date_from = django_filters.DateFilter(
        field_name="collected_at", method="filter_from", label="收到日期起",
        validators=[validate_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="collected_at", method="filter_to", label="收到日期止",
        validators=[validate_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    overdue = django_filters.BooleanFilter(field_name="is_overdue", label="是否超期")
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices, label="办理层级",
                                        empty_label="全部层级")

    class Meta:
        model = Appeal
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(content__icontains=value)
        )

    def filter_category(self, queryset, name, value):
        category = Category.objects.filter(code=value).first()
        if category is None:
            return queryset.none()
        return queryset.filter(
            Q(category=category) | Q(category__path_name__startswith=category.path_name + "/")
        )

    def filter_unit(self, queryset, name, value):
        unit = Unit.objects.filter(code=value).first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)

    def filter_from(self, queryset, name, value):
        start = timezone.make_aware(timezone.datetime.combine(value, timezone.datetime.min.time()))
        return queryset.filter(collected_at__gte=start)

    def filter_to(self, queryset, name, value):
        end = timezone.make_aware(timezone.datetime.combine(value, timezone.datetime.max.time()))
        return queryset.filter(collected_at__lte=end)

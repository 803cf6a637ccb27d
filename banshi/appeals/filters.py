"""The ledger's filters, shared by the staff pages, the API and `banshi export-ledger`."""

import unicodedata

import django_filters
from django.db.models import Q
from django.utils import timezone

from banshi.org.choices import RegionLevel, UnitLevel
from banshi.org.models import Region, Unit
from banshi.web.widgets import DateInput

from .choices import Channel, Rating, State
from .models import Appeal, Aspect, Category
from .permissions import may_search_by_phone
from .validators import normalise_phone, validate_date

PHONE_DIGITS_MIN = 7  # a search of this many digits or more also matches inside phones


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
        widget=DateInput(),
    )
    date_to = django_filters.DateFilter(
        field_name="collected_at", method="filter_to", label="收到日期止",
        validators=[validate_date],
        widget=DateInput(),
    )
    overdue = django_filters.BooleanFilter(field_name="is_overdue", label="是否超期")
    rating = django_filters.MultipleChoiceFilter(choices=Rating.choices, label="评价")
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
            | self.phone_match(value)
        )

    def phone_match(self, value: str) -> Q:
        """The caller's phone, whole ("138 1234 1234", "0371-67181234") or seven digits and
        more of it — only for those who may search by phone (pass `request=`); for anyone
        else (and without a request) it matches nothing."""
        if not may_search_by_phone(getattr(self.request, "user", None)):
            return Q(pk__in=[])
        digits = "".join(unicodedata.normalize("NFKC", value).split())
        match = (Q(contact_phone__contains=digits)
                 if digits.isdigit() and len(digits) >= PHONE_DIGITS_MIN else Q(pk__in=[]))
        try:
            phone = normalise_phone(value)
        except ValueError:
            return match
        return match | Q(contact_phone=phone) if phone else match

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

"""Forms of the supervision pages: a guidance group and its covered units, a member, a visit
with its rectification items, an item's result or reopening, and the lists' filters."""

from django import forms
from django.contrib.auth import get_user_model

from banshi.campaign.actions import supervision as actions
from banshi.campaign.choices import RectificationStatus, VisitRating
from banshi.campaign.models import GuidanceGroup
from banshi.org.choices import UnitKind
from banshi.org.models import Unit

from ...unit_picker import UnitSelect, UnitSelectMultiple, unit_choices
from ...widgets import DateInput

COVERABLE = (UnitKind.STREET, UnitKind.DEPARTMENT, UnitKind.COMMUNITY)
ITEM_ROWS = 3


def units_of(codes) -> list[Unit]:
    return list(Unit.objects.filter(code__in=codes).order_by("path"))


def unit_of(code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first() if code else None


class GroupForm(forms.Form):
    required_css_class = "required"
    name = forms.CharField(label="名称", max_length=actions.GROUP_NAME_MAX)
    order = forms.IntegerField(label="排序", min_value=0, max_value=actions.ORDER_MAX,
                               initial=0)
    units = forms.MultipleChoiceField(
        label="督导单位", required=False, widget=UnitSelectMultiple,
        help_text="一个单位只能由一个指导组督导；按住Ctrl(或⌘)可多选")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = unit_choices(None, kinds=COVERABLE)

    def initial_from(self, group: GuidanceGroup) -> None:
        self.initial.update({"name": group.name, "order": group.order,
                             "units": [u.code for u in group.covered_units.all()]})


class MemberForm(forms.Form):
    required_css_class = "required"
    name = forms.CharField(label="姓名", max_length=actions.MEMBER_NAME_MAX)
    role = forms.ChoiceField(label="职务", choices=[(r, r) for r in actions.MEMBER_ROLES],
                             initial="成员")
    title = forms.CharField(label="本职", max_length=actions.TITLE_MAX, required=False,
                            help_text="如：区委组织部副部长")
    username = forms.CharField(label="关联账号", max_length=150, required=False,
                               help_text="“巡回指导组”角色的登录账号，关联后可录入本组督导记录")

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(f"账号“{username}”不存在")
        return user

    def values(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "role": data["role"], "title": data["title"],
                "user": data["username"]}


class VisitForm(forms.Form):
    required_css_class = "required"
    aliases = {"unit_code": "unit", "group_id": "group"}  # the action's names for the fields
    group = forms.ChoiceField(label="指导组")
    unit = forms.ChoiceField(label="被督导单位", widget=UnitSelect)
    visited_on = forms.DateField(label="督导日期", widget=DateInput)
    rating = forms.ChoiceField(label="评价", choices=VisitRating.choices)
    findings = forms.CharField(label="发现问题", max_length=actions.FINDINGS_MAX, required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))
    highlights = forms.CharField(label="工作亮点", max_length=actions.FINDINGS_MAX,
                                 required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        groups = list(groups.prefetch_related("covered_units"))
        self.fields["group"].choices = [(str(g.pk), g.name) for g in groups]
        covered = {u.code for g in groups for u in g.covered_units.all()}
        self.fields["unit"].choices = [
            (label, [(code, name) for code, name in members if code in covered])
            if isinstance(members, list) else (label, members)
            for label, members in unit_choices("请选择被督导单位", kinds=COVERABLE)]
        self.groups = {str(g.pk): g for g in groups}
        self.items = [ItemForm(self.data or None, prefix=f"item-{n}")
                      for n in range(1, ITEM_ROWS + 1)]

    def is_valid(self) -> bool:
        rows = [item.is_valid() for item in self.items if not item.is_blank()]
        return super().is_valid() and all(rows)

    def values(self) -> dict:
        data = self.cleaned_data
        return {"group": self.groups[data["group"]], "unit": unit_of(data["unit"]),
                "visited_on": data["visited_on"], "rating": data["rating"],
                "findings": data["findings"], "highlights": data["highlights"],
                "items": [actions.ItemIn(f.cleaned_data["item"], f.cleaned_data["due_on"])
                          for f in self.items if not f.is_blank()]}


class ItemForm(forms.Form):
    item = forms.CharField(label="整改事项", max_length=actions.ITEM_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label="整改时限", required=False, widget=DateInput)

    def is_blank(self) -> bool:
        return not any((self.data.get(self.add_prefix(name)) or "").strip()
                       for name in self.fields)

    def clean(self):
        data = super().clean()
        if "item" in data and not data["item"].strip():
            self.add_error("item", "整改事项不能为空")
        if "due_on" in data and data["due_on"] is None:
            self.add_error("due_on", "整改时限不能为空")
        return data


class ResultForm(forms.Form):
    required_css_class = "required"
    result = forms.CharField(label="整改情况", max_length=actions.RESULT_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))
    done_on = forms.DateField(label="完成日期", required=False, widget=DateInput,
                              help_text="不填为今天")


class ReopenForm(forms.Form):
    required_css_class = "required"
    reason = forms.CharField(label="重新打开的原因", max_length=actions.RESULT_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label="新的整改时限", required=False, widget=DateInput,
                             help_text="不填则沿用原时限")


class VisitFilter(forms.Form):
    group = forms.ChoiceField(label="指导组", required=False)
    unit = forms.CharField(label="单位编码", required=False, max_length=64)
    rating = forms.ChoiceField(label="评价", required=False,
                               choices=[("", "全部评价"), *VisitRating.choices])

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "全部指导组")] + [(str(g.pk), g.name)
                                                            for g in groups]

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["group"]:
            queryset = queryset.filter(group_id=data["group"])
        if data["unit"]:
            unit = unit_of(data["unit"])
            queryset = queryset.within(unit) if unit else queryset.none()
        if data["rating"]:
            queryset = queryset.filter(rating=data["rating"])
        return queryset


class RectificationFilter(VisitFilter):
    rating = None  # type: ignore[assignment]
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部状态"), *RectificationStatus.choices,
                                        ("overdue", "已逾期")])

    def apply(self, queryset, today=None):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["group"]:
            queryset = queryset.filter(visit__group_id=data["group"])
        if data["unit"]:
            unit = unit_of(data["unit"])
            queryset = queryset.within(unit) if unit else queryset.none()
        if data["status"] == "overdue":
            queryset = queryset.filter(status=RectificationStatus.OPEN, due_on__lt=today)
        elif data["status"]:
            queryset = queryset.filter(status=data["status"])
        return queryset

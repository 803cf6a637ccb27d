"""Forms of the campaign's organisation, meetings, tasks and practical-matter pages. Units are
chosen with the grouped unit picker, limited to the units the user may record for (or, for a
member's home unit and a filter, any unit)."""

from typing import cast

from django import forms

from banshi.appeals.models import Aspect
from banshi.campaign.actions import matters as matter_actions
from banshi.campaign.actions import meetings as meeting_actions
from banshi.campaign.actions import org as org_actions
from banshi.campaign.actions import tasks as task_actions
from banshi.campaign.choices import ActionKind, GroupKind, MatterStatus, MeetingKind
from banshi.campaign.models import Meeting, OrgGroup, OrgMember, PracticalMatter
from banshi.campaign.permissions import units_for_recording
from banshi.org.models import Unit

from ...unit_picker import UnitSelect, UnitSelectMultiple, unit_choices
from ...widgets import DateInput

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def unit_of(code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first() if code else None


def picker_choices(allowed: set[str] | None, empty_label: str | None) -> list:
    """The grouped unit choices, keeping only the `allowed` codes (all when None)."""
    groups = []
    for label, members in unit_choices(empty_label):
        if isinstance(members, list):
            kept = [(code, name) for code, name in members if allowed is None or code in allowed]
            if kept:
                groups.append((label, kept))
        else:
            groups.append((label, members))
    return groups


def recording_choices(user, empty_label: str | None = "请选择单位") -> list:
    return picker_choices(set(units_for_recording(user).values_list("code", flat=True)),
                          empty_label)


class Base(forms.Form):
    required_css_class = "required"
    aliases = {"unit_code": "unit", "completed_on": "on", "closed_on": "on"}


# ---------- organisation ----------

class GroupForm(Base):
    name = forms.CharField(label="名称", max_length=org_actions.NAME_MAX)
    kind = forms.ChoiceField(label="类型", choices=GroupKind.choices)
    parent = forms.TypedChoiceField(label="上级", required=False, coerce=int, empty_value=None)
    duties = forms.CharField(label="职责", max_length=org_actions.DUTIES_MAX, required=False,
                             widget=TEXTAREA)
    rules = forms.CharField(label="工作规则/制度", max_length=org_actions.RULES_MAX,
                            required=False, widget=forms.Textarea(attrs={"rows": 8}))
    formed_on = forms.DateField(label="成立日期", required=False, widget=DateInput)
    order = forms.IntegerField(label="排序", min_value=0, max_value=org_actions.ORDER_MAX,
                               initial=0)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {g.pk: g for g in groups}
        self.fields["parent"].choices = [("", "(顶层)")] + [
            (g.pk, g.name) for g in groups]

    def initial_from(self, group: OrgGroup) -> None:
        self.initial.update({name: getattr(group, name) for name in (
            "name", "kind", "duties", "rules", "formed_on", "order")} | {
            "parent": group.parent_id or ""})

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["parent"] = self.groups.get(data["parent"]) if data["parent"] else None
        return data


class MemberForm(Base):
    name = forms.CharField(label="姓名", max_length=org_actions.PERSON_MAX)
    role = forms.CharField(label="职务", max_length=org_actions.ROLE_MAX, required=False,
                           help_text="如：组长、副组长、办公室主任、支部书记、成员")
    title = forms.CharField(label="本职", max_length=org_actions.TITLE_MAX, required=False,
                            help_text="原单位职务，如：区委常委、组织部副部长")
    home_unit = forms.ChoiceField(label="原单位", required=False, widget=UnitSelect)
    seconded = forms.BooleanField(label="抽调集中办公", required=False)
    order = forms.IntegerField(label="排序", min_value=0, max_value=org_actions.ORDER_MAX,
                               initial=0)

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_unit"].choices = unit_choices("(未填写)")
        self.groups = {g.pk: g for g in groups or []}
        if groups:
            self.fields["group"] = forms.TypedChoiceField(
                label="所在组", coerce=int, choices=[(g.pk, g.name) for g in groups])

    def initial_from(self, member: OrgMember) -> None:
        self.initial.update({name: getattr(member, name) for name in (
            "name", "role", "title", "seconded", "order")} | {
            "home_unit": member.home_unit.code if member.home_unit_id else "",
            "group": member.group_id})

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["home_unit"] = unit_of(data["home_unit"])
        if "group" in data:
            data["group"] = self.groups[data["group"]]
        return data


# ---------- meetings ----------

class MeetingForm(Base):
    unit = forms.ChoiceField(label="召开单位", widget=UnitSelect)
    kind = forms.ChoiceField(label="类型", choices=MeetingKind.choices)
    held_on = forms.DateField(label="召开日期", widget=DateInput)
    title = forms.CharField(label="会议名称", max_length=meeting_actions.TITLE_MAX)
    place = forms.CharField(label="地点", max_length=meeting_actions.PLACE_MAX, required=False)
    chair = forms.CharField(label="主持人", max_length=meeting_actions.CHAIR_MAX,
                            required=False)
    attendees = forms.CharField(label="参会人员", max_length=meeting_actions.ATTENDEES_MAX,
                                required=False, widget=TEXTAREA,
                                help_text="姓名或单位，逗号或换行分隔")
    attendee_count = forms.IntegerField(label="参会人数", min_value=0,
                                        max_value=meeting_actions.ATTENDEE_COUNT_MAX, initial=0)
    minutes = forms.CharField(label="会议纪要", max_length=meeting_actions.MINUTES_MAX,
                              required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = recording_choices(user)

    def initial_from(self, meeting: Meeting) -> None:
        self.initial.update({name: getattr(meeting, name) for name in (
            "kind", "held_on", "title", "place", "chair", "attendees", "attendee_count",
            "minutes")} | {"unit": meeting.unit.code})

    def values(self) -> dict:
        return dict(self.cleaned_data) | {"unit": unit_of(self.cleaned_data["unit"])}


class MeetingFilter(forms.Form):
    kind = forms.ChoiceField(label="类型", required=False,
                             choices=[("", "全部类型"), *MeetingKind.choices])
    month = forms.RegexField(label="月份", required=False, regex=r"^\d{4}-\d{2}$",
                             widget=forms.TextInput(attrs={"type": "month"}),
                             error_messages={"invalid": "月份格式为 2026-03"})

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["month"]:
            year, month = (int(part) for part in data["month"].split("-"))
            queryset = queryset.filter(held_on__year=year, held_on__month=month)
        return queryset


class DecisionForm(Base):
    text = forms.CharField(label="议定事项", max_length=meeting_actions.DECISION_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))


# ---------- tasks ----------

class TaskForm(Base):
    unit = forms.ChoiceField(label="下达单位", widget=UnitSelect)
    title = forms.CharField(label="任务", max_length=task_actions.TITLE_MAX)
    description = forms.CharField(label="任务要求", max_length=task_actions.DESCRIPTION_MAX,
                                  required=False, widget=TEXTAREA)
    kind = forms.ChoiceField(label="性质", choices=ActionKind.choices,
                             initial=ActionKind.REQUIRED)
    issued_on = forms.DateField(label="下达日期", widget=DateInput, required=False,
                                help_text="不填为今天")
    due_on = forms.DateField(label="完成时限", widget=DateInput)
    owner = forms.TypedChoiceField(label="牵头负责人", required=False, coerce=int,
                                   empty_value=None)
    assignees = forms.MultipleChoiceField(label="承办单位", widget=UnitSelectMultiple)

    def __init__(self, *args, user, owners, with_unit: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {m.pk: m for m in owners}
        fields = cast(dict[str, forms.ChoiceField], self.fields)
        fields["owner"].choices = [("", "(未指定)")] + [
            (m.pk, f"{m.name}({m.group.name}{' · ' + m.role if m.role else ''})")
            for m in owners]
        fields["assignees"].choices = picker_choices(None, None)
        if with_unit:
            fields["unit"].choices = recording_choices(user)
        else:
            del self.fields["unit"]
            self.fields["title"].required = False
            self.fields["title"].help_text = "不填则用议定事项的内容"
            self.fields["issued_on"].help_text = "不填为会议日期"

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        if "unit" in data:
            data["unit"] = unit_of(data["unit"])
        data["owner"] = self.owners.get(data["owner"]) if data["owner"] else None
        data["assignees"] = list(Unit.objects.filter(code__in=data["assignees"])
                                 .order_by("path"))
        return data


class TaskFilter(forms.Form):
    kind = forms.ChoiceField(label="性质", required=False,
                             choices=[("", "全部"), *ActionKind.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=[
        ("", "全部"), ("open", "办理中"), ("done", "已完成"), ("overdue", "已超期")])
    unit = forms.ChoiceField(label="承办单位", required=False, widget=UnitSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices("全部单位", inactive=True)


class ReportForm(Base):
    text = forms.CharField(label="进展情况", max_length=task_actions.REPORT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(Base):
    reason = forms.CharField(label="重新打开原因", max_length=task_actions.NOTE_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))


# ---------- practical matters ----------

class MatterForm(Base):
    unit = forms.ChoiceField(label="责任单位", widget=UnitSelect)
    title = forms.CharField(label="实事项目", max_length=matter_actions.TITLE_MAX)
    measure = forms.CharField(label="措施", max_length=matter_actions.MEASURE_MAX,
                              required=False, widget=TEXTAREA)
    kind = forms.ChoiceField(label="性质", choices=ActionKind.choices,
                             initial=ActionKind.OPTIONAL)
    aspect = forms.ChoiceField(label="办实事方向", required=False)
    target_count = forms.IntegerField(label="目标数量", min_value=1,
                                      max_value=matter_actions.COUNT_MAX, initial=1)
    count_unit = forms.CharField(label="计量单位", max_length=matter_actions.COUNT_UNIT_MAX,
                                 initial="件", help_text="如：处、件、户、条、个")
    committed_on = forms.DateField(label="列入清单日期", widget=DateInput)
    due_on = forms.DateField(label="计划完成时间", required=False, widget=DateInput)
    evidence = forms.CharField(label="佐证材料说明", max_length=matter_actions.EVIDENCE_MAX,
                               required=False, widget=TEXTAREA)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = recording_choices(user)
        self.fields["aspect"].choices = [("", "(未指定)")] + list(
            Aspect.objects.order_by("code").values_list("code", "name"))

    def initial_from(self, matter: PracticalMatter) -> None:
        self.initial.update({name: getattr(matter, name) for name in (
            "title", "measure", "kind", "target_count", "count_unit", "committed_on", "due_on",
            "evidence")} | {"unit": matter.unit.code,
                            "aspect": matter.aspect.code if matter.aspect_id else ""})

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["unit"] = unit_of(data["unit"])
        data["aspect"] = Aspect.objects.filter(code=data["aspect"]).first() \
            if data["aspect"] else None
        return data


class MatterFilter(forms.Form):
    unit = forms.ChoiceField(label="责任单位", required=False, widget=UnitSelect)
    kind = forms.ChoiceField(label="性质", required=False,
                             choices=[("", "全部"), *ActionKind.choices])
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), *MatterStatus.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices("全部单位", inactive=True)


class ProgressForm(Base):
    added = forms.IntegerField(label="本次完成数量", min_value=0,
                               max_value=matter_actions.COUNT_MAX, initial=0)
    note = forms.CharField(label="进展说明", max_length=matter_actions.NOTE_MAX,
                           required=False, widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label="日期", required=False, widget=DateInput)
    file = forms.FileField(label="佐证材料", required=False,
                           help_text="PDF、Word、Excel或JPG/PNG图片，不超过10MB")


class CloseForm(Base):
    note = forms.CharField(label="销号说明", max_length=matter_actions.NOTE_MAX,
                           required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="完成数量未达目标时必填")

"""Forms of the symposium pages: the record, its filters, a participant, a file, sign-in."""

from django import forms

from banshi.collection.actions import symposiums as actions
from banshi.collection.choices import SymposiumKind
from banshi.collection.models import Symposium

from ...widgets import DateInput
from .shared_forms import RecordForm, region_of, unit_of


class SymposiumForm(RecordForm):
    kind = forms.ChoiceField(label="类型", choices=SymposiumKind.choices)
    held_on = forms.DateField(label="召开日期", widget=DateInput)
    place = forms.CharField(label="地点", max_length=actions.PLACE_MAX, required=False)
    topic = forms.CharField(label="主题", max_length=actions.TOPIC_MAX)
    participants = forms.IntegerField(label="参会人数", min_value=0,
                                      max_value=actions.PARTICIPANTS_MAX, initial=0)
    minutes = forms.CharField(label="会议纪要", max_length=actions.MINUTES_MAX, required=False,
                              widget=forms.Textarea(attrs={"rows": 6}))

    field_order = ["unit", "kind", "held_on", "place", "region", "topic", "participants",
                   "minutes"]

    def initial_from(self, symposium: Symposium) -> None:
        self.initial.update({
            "unit": symposium.unit.code, "kind": symposium.kind, "held_on": symposium.held_on,
            "place": symposium.place, "region": symposium.region.code if symposium.region_id
            else "", "topic": symposium.topic, "participants": symposium.participants,
            "minutes": symposium.minutes})

    def values(self) -> dict:
        data = self.cleaned_data
        return {"unit": unit_of(data["unit"]), "kind": data["kind"],
                "held_on": data["held_on"], "place": data["place"],
                "region": region_of(data["region"]), "topic": data["topic"],
                "participants": data["participants"], "minutes": data["minutes"]}


class SymposiumFilter(forms.Form):
    kind = forms.ChoiceField(label="类型", required=False,
                             choices=[("", "全部类型"), *SymposiumKind.choices])
    unit = forms.CharField(label="单位编码", required=False, max_length=64)
    start = forms.DateField(label="起始日期", required=False, widget=DateInput)
    end = forms.DateField(label="截止日期", required=False, widget=DateInput)

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["unit"]:
            queryset = queryset.within(unit_of(data["unit"])) if unit_of(data["unit"]) \
                else queryset.none()
        if data["start"]:
            queryset = queryset.filter(held_on__gte=data["start"])
        if data["end"]:
            queryset = queryset.filter(held_on__lte=data["end"])
        return queryset


class ParticipantForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=actions.PERSON_MAX)
    role = forms.CharField(label="身份", max_length=actions.PERSON_MAX, required=False,
                           help_text="如：居民代表、楼栋长、物业、人大代表")
    organisation = forms.CharField(label="单位/小区", max_length=actions.ORGANISATION_MAX,
                                   required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件", help_text="PDF、Word、Excel或JPG/PNG图片，不超过10MB")


class SignInForm(ParticipantForm):
    role = forms.CharField(label="身份/单位", max_length=actions.PERSON_MAX, required=False,
                           help_text="如：居民代表、物业公司、人大代表")
    organisation = forms.CharField(label="小区/楼栋", max_length=actions.ORGANISATION_MAX,
                                   required=False)

"""Forms of the study pages: an activity, its filters, a file, the phone sign-in; a speaker
and a venue."""

import datetime as dt

from django import forms

from banshi.campaign.actions import study as actions
from banshi.campaign.choices import SpeakerKind, StudyKind
from banshi.campaign.models import Speaker, StudyActivity, Venue
from banshi.org.models import Unit

from ...unit_picker import UnitSelect, unit_choices
from ...widgets import DateInput
from ..collection.shared_forms import recording_units, unit_of

MONTH_FORMAT = "%Y-%m"


def speaker_choices() -> list[tuple[str, str]]:
    return [("", "(无)")] + [
        (str(s.pk), f"{s.name}（{s.get_kind_display()}）{'' if s.is_active else '(不在册)'}")
        for s in Speaker.objects.order_by("-is_active", "kind", "name", "id")]


def venue_choices() -> list[tuple[str, str]]:
    return [("", "(无)")] + [(str(v.pk), v.name) for v in Venue.objects.all()]


def _pk(model, value: str):
    return model.objects.filter(pk=int(value)).first() if value and value.isdigit() else None


class ActivityForm(forms.Form):
    required_css_class = "required"
    unit = forms.ChoiceField(label="组织单位")
    kind = forms.ChoiceField(label="类型", choices=StudyKind.choices)
    held_on = forms.DateField(label="日期", widget=DateInput)
    title = forms.CharField(label="主题", max_length=actions.TITLE_MAX)
    place = forms.CharField(label="地点", max_length=actions.PLACE_MAX, required=False)
    venue = forms.ChoiceField(label="红色教育基地", required=False, choices=venue_choices,
                              help_text="红色基地参观须选择")
    speaker = forms.ChoiceField(label="主讲人", required=False, choices=speaker_choices)
    is_special = forms.BooleanField(label="专题学习", required=False,
                                    help_text="中心组专题学习(研讨)等专题安排")
    person_times = forms.IntegerField(label="参加人次", min_value=0,
                                      max_value=actions.PERSON_TIMES_MAX, initial=0,
                                      help_text="不少于扫码签到人数：签到多于所填人次时按签到人数计")
    summary = forms.CharField(label="内容摘要", max_length=actions.SUMMARY_MAX, required=False,
                              widget=forms.Textarea(attrs={"rows": 6}))

    field_order = ["unit", "kind", "held_on", "title", "place", "venue", "speaker",
                   "is_special", "person_times", "summary"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = forms.ChoiceField(label="组织单位", choices=recording_units(user))

    def initial_from(self, activity: StudyActivity) -> None:
        self.initial.update({
            "unit": activity.unit.code, "kind": activity.kind, "held_on": activity.held_on,
            "title": activity.title, "place": activity.place,
            "venue": str(activity.venue_id or ""), "speaker": str(activity.speaker_id or ""),
            "is_special": activity.is_special, "person_times": activity.person_times,
            "summary": activity.summary})

    def values(self) -> dict:
        data = self.cleaned_data
        return {"unit": unit_of(data["unit"]), "kind": data["kind"], "held_on": data["held_on"],
                "title": data["title"], "place": data["place"],
                "venue": _pk(Venue, data["venue"]), "speaker": _pk(Speaker, data["speaker"]),
                "is_special": data["is_special"], "person_times": data["person_times"],
                "summary": data["summary"]}


class ActivityFilter(forms.Form):
    kind = forms.ChoiceField(label="类型", required=False,
                             choices=[("", "全部类型"), *StudyKind.choices])
    month = forms.CharField(label="月份", required=False,
                            widget=forms.TextInput(attrs={"type": "month"}))
    unit = forms.CharField(label="单位编码", required=False, max_length=64)
    speaker_kind = forms.ChoiceField(label="主讲人类型", required=False,
                                     choices=[("", "全部"), *SpeakerKind.choices])
    special = forms.BooleanField(label="仅专题学习", required=False)

    def clean_month(self) -> dt.date | None:
        text = self.cleaned_data["month"].strip()
        if not text:
            return None
        try:
            return dt.datetime.strptime(text, MONTH_FORMAT).date()  # noqa: DTZ007 - a month
        except ValueError:
            raise forms.ValidationError("月份格式应为 2026-03") from None

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["month"]:
            queryset = queryset.filter(held_on__year=data["month"].year,
                                       held_on__month=data["month"].month)
        if data["unit"]:
            unit = unit_of(data["unit"])
            queryset = queryset.within(unit) if unit else queryset.none()
        if data["speaker_kind"]:
            queryset = queryset.filter(speaker__kind=data["speaker_kind"])
        if data["special"]:
            queryset = queryset.filter(is_special=True)
        return queryset


class FileForm(forms.Form):
    file = forms.FileField(label="照片或材料",
                           help_text="JPG/PNG照片，或PDF、Word、Excel材料，不超过10MB")


class SignInForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=actions.NAME_MAX)
    organisation = forms.CharField(label="单位/支部", max_length=actions.ORGANISATION_MAX,
                                   required=False, help_text="如：百花社区党支部")


class SpeakerForm(forms.Form):
    required_css_class = "required"
    name = forms.CharField(label="姓名", max_length=actions.NAME_MAX)
    kind = forms.ChoiceField(label="类型", choices=SpeakerKind.choices)
    title = forms.CharField(label="身份/职务", max_length=actions.SPEAKER_TITLE_MAX,
                            required=False, help_text="如：社区党委书记、区委党校讲师")
    unit = forms.ChoiceField(label="所在单位", required=False)
    bio = forms.CharField(label="简介", max_length=actions.BIO_MAX, required=False,
                          widget=forms.Textarea(attrs={"rows": 4}))
    is_active = forms.BooleanField(label="在册", required=False, initial=True)

    def __init__(self, *args, user, office: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if office:
            choices = unit_choices("(不限单位)")
            self.fields["unit"] = forms.ChoiceField(label="所在单位", required=False,
                                                    choices=choices,
                                                    widget=UnitSelect(choices=choices))
        else:
            self.fields["unit"] = forms.ChoiceField(label="所在单位",
                                                    choices=recording_units(user))

    def initial_from(self, speaker: Speaker) -> None:
        self.initial.update({"name": speaker.name, "kind": speaker.kind, "title": speaker.title,
                             "unit": speaker.unit.code if speaker.unit_id else "",
                             "bio": speaker.bio, "is_active": speaker.is_active})

    def values(self) -> dict:
        data = self.cleaned_data
        unit = Unit.objects.filter(code=data["unit"]).first() if data["unit"] else None
        return {"name": data["name"], "kind": data["kind"], "title": data["title"],
                "unit": unit, "bio": data["bio"], "is_active": data["is_active"]}


class VenueForm(forms.Form):
    required_css_class = "required"
    name = forms.CharField(label="名称", max_length=actions.VENUE_NAME_MAX)
    address = forms.CharField(label="地址", max_length=actions.ADDRESS_MAX, required=False)
    description = forms.CharField(label="简介", max_length=actions.DESCRIPTION_MAX,
                                  required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def initial_from(self, venue: Venue) -> None:
        self.initial.update({"name": venue.name, "address": venue.address,
                             "description": venue.description})

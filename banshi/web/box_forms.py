"""Forms of the collection pages for opinion boxes, household visits and liaisons, and the
rows of appeals raised from a record (one per row). They parse; the actions decide."""

import datetime as dt

from django import forms
from django.utils import timezone

from banshi.appeals import limits
from banshi.collection.choices import BoxKind, BoxStatus
from banshi.collection.permissions import units_for_recording
from banshi.org.models import Region, Unit

from .forms import AppealFieldsMixin, CommunityField, community_choices
from .widgets import DateInput

ROWS_MAX = 50  # appeals (or visits) in one submission


def _today() -> dt.date:
    return timezone.localdate()


class UnitField(forms.ChoiceField):
    """A unit the user may record for, by code; cleans to the Unit."""

    def __init__(self, *, user, **kwargs):
        kwargs.setdefault("label", "所属单位")
        self.units = {u.code: u for u in units_for_recording(user).order_by("path")}
        super().__init__(choices=[(c, u.name) for c, u in self.units.items()], **kwargs)

    def clean(self, value) -> Unit:
        code = super().clean(value)
        return self.units[code]


def past_date(label: str, **kwargs) -> forms.DateField:
    field = forms.DateField(label=label, initial=_today, widget=DateInput(), **kwargs)
    return field


class RecordForm(forms.Form):
    """A record's form: the unit picker defaults to the user's own unit (or the record's)."""

    required_css_class = "required"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitField(user=user)
        self.order_fields(self.field_order)
        for field in self.fields.values():
            if isinstance(field.widget, DateInput):
                field.widget.attrs["max"] = _today().isoformat()
        units = self.fields["unit"].units  # type: ignore[attr-defined]
        if "unit" not in self.initial and units:
            self.initial["unit"] = next(iter(units))


class BoxForm(RecordForm):
    field_order = ["code", "kind", "place", "region", "unit", "installed_on", "status"]

    code = forms.CharField(label="编号", max_length=32,
                           help_text="字母、数字和“-”，如 LSZ-BH-01；印在二维码标签上")
    kind = forms.ChoiceField(label="类型", choices=BoxKind.choices)
    place = forms.CharField(label="设置地点", max_length=200)
    region = CommunityField(required=False, label="所在社区")
    installed_on = past_date("设置日期")
    status = forms.ChoiceField(label="状态", choices=BoxStatus.choices)


class BoxFilterForm(forms.Form):
    """The registry's filters (all optional; bad values are ignored as "all")."""

    kind = forms.ChoiceField(label="类型", required=False,
                             choices=[("", "全部类型")] + list(BoxKind.choices))
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部状态")] + list(BoxStatus.choices))
    unit = forms.CharField(label="单位编码", required=False, max_length=64)
    community = forms.ChoiceField(label="社区", required=False, choices=community_choices)

    def apply(self, boxes):
        if not self.is_valid():
            return boxes
        data = self.cleaned_data
        if data["kind"]:
            boxes = boxes.filter(kind=data["kind"])
        if data["status"]:
            boxes = boxes.filter(status=data["status"])
        if data["unit"]:
            unit = Unit.objects.filter(code=data["unit"]).first()
            boxes = boxes.within(unit) if unit else boxes.none()
        if data["community"]:
            boxes = boxes.filter(region__code=data["community"])
        return boxes


class OpeningForm(forms.Form):
    required_css_class = "required"

    opened_on = past_date("开箱日期")
    opened_by = forms.CharField(label="开箱人", max_length=200)
    slips = forms.IntegerField(label="意见条数", min_value=0, max_value=10_000, initial=0)
    note = forms.CharField(label="说明", required=False, max_length=limits.NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))


class AppealRowForm(AppealFieldsMixin):
    """One appeal of the rows (no photos); an untouched row is skipped."""

    photos = None  # type: ignore[assignment]
    field_order = ["title", "content", "region", "contact_name", "contact_phone", "address"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].widget.attrs["rows"] = 3
        self.fields["region"].required = False

    def has_changed(self) -> bool:
        """A row with nothing but its (pre-filled) community is a blank row."""
        return any(name != "region" for name in self.changed_data)

    def row(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in ("title", "content", "region", "contact_name",
                                          "contact_phone", "address")}


AppealRows = forms.formset_factory(AppealRowForm, extra=0, max_num=ROWS_MAX,
                                   absolute_max=ROWS_MAX)


def appeal_rows(data=None, *, region: Region | None = None, extra: int = 3):
    """The rows formset: every row may be left blank (skipped), each row's community
    defaults to `region`."""
    initial = [{"region": region.code} if region else {} for _ in range(extra)]
    return AppealRows(data, prefix="rows", initial=initial,
                      form_kwargs={"empty_permitted": True})


def filled_rows(formset) -> list[tuple[int, forms.Form]]:
    """(row number from 1, form) of the rows someone filled in."""
    if not formset.management_form.is_valid():
        return []
    return [(number, form) for number, form in enumerate(formset.forms, start=1)
            if form.has_changed()]


# --- household visits ----------------------------------------------------------------------

class VisitForm(RecordForm):
    field_order = ["visited_on", "region", "unit", "visitors", "household_name", "address",
                   "people_met", "notes"]

    visited_on = past_date("走访日期")
    region = CommunityField(label="所在社区")
    visitors = forms.CharField(label="走访人员", max_length=200,
                               help_text="多人用顿号分隔")
    household_name = forms.CharField(label="户主/联系人", max_length=100, required=False)
    address = forms.CharField(label="住址", max_length=limits.ADDRESS_MAX)
    people_met = forms.IntegerField(label="走访人次", min_value=1, max_value=100, initial=1,
                                    help_text="本户见到的人数")
    notes = forms.CharField(label="走访记录", required=False, max_length=limits.CONTENT_MAX,
                            widget=forms.Textarea(attrs={"rows": 3}))


class VisitDayForm(RecordForm):
    """The part a day's visits share: the day, the unit, the visitors."""

    field_order = ["visited_on", "unit", "visitors"]

    visited_on = past_date("走访日期")
    visitors = forms.CharField(label="走访人员", max_length=200)


class VisitRowForm(forms.Form):
    """One household of a day's visits; an untouched row is skipped."""

    region = CommunityField(label="所在社区", required=False)
    household_name = forms.CharField(label="户主/联系人", max_length=100, required=False)
    address = forms.CharField(label="住址", max_length=limits.ADDRESS_MAX)
    people_met = forms.IntegerField(label="人次", min_value=1, max_value=100, initial=1)
    notes = forms.CharField(label="走访记录", required=False, max_length=limits.NOTE_MAX)

    def has_changed(self) -> bool:
        """A row with nothing but its pre-filled community and count is a blank row."""
        return any(name not in ("region", "people_met") for name in self.changed_data)


VisitRows = forms.formset_factory(VisitRowForm, extra=0, max_num=ROWS_MAX,
                                  absolute_max=ROWS_MAX)


def visit_rows(data=None, *, region_code: str = "", extra: int = 10):
    initial = [{"region": region_code, "people_met": 1} for _ in range(extra)]
    return VisitRows(data, prefix="visits", initial=initial,
                     form_kwargs={"empty_permitted": True})


# --- liaisons ------------------------------------------------------------------------------

class PairingImportForm(RecordForm):
    field_order = ["unit", "file", "all_or_nothing"]

    file = forms.FileField(
        label="结对名册",
        help_text="xlsx、xls、ods 或 csv；表头：联络员姓名、联系电话、所在党支部、所在社区、"
                  "户主、住址、结对日期",
        widget=forms.FileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}))
    all_or_nothing = forms.BooleanField(label="全部成功才导入", required=False,
                                        help_text="勾选后，只要有一行出错就整批不导入")


class ContactForm(forms.Form):
    """A contact against one of the liaison's pairings, optionally raising an appeal."""

    required_css_class = "required"

    pairing = forms.ChoiceField(label="结对户")
    contacted_on = past_date("联系日期")
    note = forms.CharField(label="联系内容", max_length=limits.NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))
    solved = forms.BooleanField(label="已帮助解决问题", required=False)
    appeal_title = forms.CharField(label="转为诉求：标题", required=False,
                                   max_length=limits.TITLE_MAX, help_text="需要转办时填写")
    appeal_content = forms.CharField(label="转为诉求：内容", required=False,
                                     max_length=limits.CONTENT_MAX,
                                     widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, pairings: list, **kwargs):
        """`pairings`: [(pairing, label as the user may see it)]."""
        super().__init__(*args, **kwargs)
        self.pairings = {str(p.pk): p for p, _label in pairings}
        self.fields["pairing"].choices = [(str(p.pk), label) for p, label in pairings]  # type: ignore[attr-defined]
        self.fields["contacted_on"].widget.attrs["max"] = _today().isoformat()

    def clean_pairing(self):
        return self.pairings[self.cleaned_data["pairing"]]

    def clean(self):
        data = super().clean()
        if bool(data.get("appeal_title")) != bool(data.get("appeal_content")):
            self.add_error("appeal_content" if data.get("appeal_title") else "appeal_title",
                           "转为诉求时标题和内容都要填写")
        return data

    def appeal(self) -> dict | None:
        data = self.cleaned_data
        if not data["appeal_title"]:
            return None
        return {"title": data["appeal_title"], "content": data["appeal_content"]}

"""Forms for the resident's H5 pages and the staff's intake pages: they parse, actions decide."""

import datetime as dt
from itertools import groupby

from django import forms
from django.utils import timezone

from banshi.appeals import limits
from banshi.appeals.choices import OFFLINE_CHANNELS, Rating, Solved
from banshi.appeals.validators import PHONE_HELP, normalise_phone, validate_date
from banshi.org.choices import RegionLevel, UnitKind
from banshi.org.models import Region

from .widgets import DateInput

PHONE_ATTRS = {"inputmode": "tel", "autocomplete": "tel"}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to limits.PHOTOS_MAX images, cleaned to [(name, bytes)]; the action sniffs them."""

    def __init__(self, **kwargs):
        attrs = {"accept": "image/*", "multiple": True}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "照片")
        megabytes = limits.PHOTO_BYTES_MAX // (1024 * 1024)
        kwargs.setdefault("help_text", f"可选，最多{limits.PHOTOS_MAX}张，每张不超过{megabytes}MB")
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        files = [super(PhotosField, self).clean(f, initial) for f in files if f]
        if len(files) > limits.PHOTOS_MAX:
            raise forms.ValidationError(f"最多上传{limits.PHOTOS_MAX}张照片")
        return [(f.name, f.read()) for f in files]


def community_choices() -> list:
    """Communities grouped by street, for a <select> with one <optgroup> per 街道."""
    communities = (Region.objects.filter(level=RegionLevel.COMMUNITY)
                   .select_related("parent").order_by("parent__code", "code"))
    groups = groupby(communities, key=lambda region: region.parent)
    return [("", "请选择所在社区(村)")] + [
        (street.name if street else "其他", [(c.code, c.name) for c in members])
        for street, members in groups
    ]


class CommunityField(forms.ChoiceField):
    """A community chosen by region code; cleans to the Region."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "所在社区")
        super().__init__(choices=community_choices, **kwargs)

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        region = Region.objects.filter(code=code, level=RegionLevel.COMMUNITY).first()
        if region is None:
            raise forms.ValidationError("请选择社区(村)")
        return region


class AppealFieldsMixin(forms.Form):
    """What every intake form asks: the appeal itself and who to call back."""

    title = forms.CharField(label="标题", max_length=limits.TITLE_MAX,
                            widget=forms.TextInput(attrs={"placeholder": "一句话说明问题"}))
    content = forms.CharField(
        label="内容", max_length=limits.CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "请写清时间、地点和具体情况"}),
    )
    region = CommunityField()
    contact_name = forms.CharField(label="姓名", max_length=limits.NAME_MAX, required=False,
                                   widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact_phone = forms.CharField(label="电话", max_length=limits.PHONE_MAX, required=False,
                                    help_text=PHONE_HELP,
                                    widget=forms.TextInput(attrs=PHONE_ATTRS))
    address = forms.CharField(label="地址", max_length=limits.ADDRESS_MAX, required=False)
    photos = PhotosField()

    # ActionError.field → form field
    aliases = {"region_code": "region", "collected_at": "collected_date"}

    def clean_contact_phone(self) -> str:
        """The phone in its stored form ("0371-67181234"); the rule is the action's own."""
        try:
            return normalise_phone(self.cleaned_data["contact_phone"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def appeal_fields(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in
                ("title", "content", "region", "contact_name", "contact_phone", "address",
                 "photos")}


class SubmitForm(AppealFieldsMixin):
    """The resident's H5 form; `box` carries the code of the opinion box whose QR label
    opened it (an unknown or retired code is ignored: the plain form)."""

    required_css_class = "required"

    box = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)


def _today() -> dt.date:
    return timezone.localdate()


class EntryForm(AppealFieldsMixin):
    """A worker's (or the dispatcher's) entry of an appeal collected offline."""

    required_css_class = "required"
    field_order = ["channel", "collected_date", "region", "title", "content"]

    channel = forms.ChoiceField(label="渠道",
                                choices=[("", "请选择")] + [(c.value, c.label)
                                                            for c in OFFLINE_CHANNELS])
    collected_date = forms.DateField(label="收集日期", initial=_today, validators=[validate_date],
                                     widget=DateInput())

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collected_date"].widget.attrs["max"] = _today().isoformat()
        if unit is not None and unit.kind == UnitKind.COMMUNITY and unit.region_id:
            self.fields["region"].initial = unit.region.code

    def clean_collected_date(self):
        day = self.cleaned_data["collected_date"]
        if day > _today():
            raise forms.ValidationError("收集日期不能晚于今天")
        return day

    def collected_at(self) -> dt.datetime:
        """Now when collected today; noon of the day otherwise."""
        day = self.cleaned_data["collected_date"]
        if day == _today():
            return timezone.now()
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


class TrackForm(forms.Form):
    NUMBER_MAX = 32
    number = forms.CharField(label="编号", max_length=NUMBER_MAX,
                             widget=forms.TextInput(attrs={"placeholder": "如 ZY20260101-0001",
                                                           "autocomplete": "off"}))
    code = forms.CharField(label="查询码", max_length=12,
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "off",
                                                         "placeholder": "6位数字"}))


class RateForm(TrackForm):
    number = forms.CharField(widget=forms.HiddenInput, max_length=32)
    code = forms.CharField(widget=forms.HiddenInput, max_length=12)
    solved = forms.ChoiceField(label="您反映的问题是否解决", choices=Solved.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "请选择问题是否解决"})
    rating = forms.ChoiceField(label="您对办理结果是否满意", choices=Rating.choices,
                               widget=forms.RadioSelect)
    comment = forms.CharField(label="意见", required=False, max_length=limits.NOTE_MAX,
                              widget=forms.Textarea(attrs={"rows": 3,
                                                           "placeholder": "可选"}))


class ImportForm(forms.Form):
    """The file is judged by the importer, which names what it cannot read."""

    file = forms.FileField(label="台账文件", help_text="支持 xlsx、xls、ods 或 csv，第一行为表头",
                           widget=forms.FileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}))
    all_or_nothing = forms.BooleanField(label="全部成功才导入", required=False, initial=True,
                                        help_text="勾选后，只要有一行出错就整批不导入")


def apply_action_error(form: forms.Form, exc, *, above: bool = True) -> None:
    """Show an ActionError on the field it names, else above the form (when `above`)."""
    field = getattr(form, "aliases", {}).get(exc.field, exc.field)
    if field in form.fields:
        form.add_error(field, exc.message)
    elif above:
        form.add_error(None, exc.message)

"""Form parts every collection record's pages share: the unit picker limited to the units
the user may record for, the community picker, and the "appeals raised here" rows."""

from django import forms

from banshi.appeals.limits import ADDRESS_MAX, CONTENT_MAX, NAME_MAX, PHONE_MAX, TITLE_MAX
from banshi.collection.actions.symposiums import AppealRow
from banshi.collection.permissions import units_for_recording
from banshi.org.choices import RegionLevel
from banshi.org.models import Region, Unit

ROWS_DEFAULT = 5
ROWS_MAX = 30


def recording_units(user) -> list[tuple[str, str]]:
    return [(u.code, u.name) for u in units_for_recording(user).order_by("path")]


def community_choices() -> list[tuple[str, str]]:
    return [("", "(未指定)")] + [
        (r.code, r.name) for r in Region.objects.filter(level=RegionLevel.COMMUNITY)
        .order_by("code")]


def unit_of(code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first() if code else None


def region_of(code: str) -> Region | None:
    return Region.objects.filter(code=code).first() if code else None


class RecordForm(forms.Form):
    """A record's own fields: `unit` offers only the units the user may record for."""

    required_css_class = "required"
    unit = forms.ChoiceField(label="所属单位")
    region = forms.ChoiceField(label="所在社区", required=False, choices=community_choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = recording_units(user)


class AppealRowForm(forms.Form):
    """One appeal raised at a record: title and content required when the row is used."""

    title = forms.CharField(label="标题", max_length=TITLE_MAX, required=False)
    content = forms.CharField(label="内容", max_length=CONTENT_MAX, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    contact_name = forms.CharField(label="联系人", max_length=NAME_MAX, required=False)
    contact_phone = forms.CharField(label="电话", max_length=PHONE_MAX, required=False)
    address = forms.CharField(label="地址", max_length=ADDRESS_MAX, required=False)
    region = forms.ChoiceField(label="社区", required=False, choices=community_choices)

    def is_blank(self) -> bool:
        return not any((self.data.get(self.add_prefix(name)) or "").strip()
                       for name in self.fields)

    def clean(self):
        data = super().clean()
        for name, label in (("title", "标题"), ("content", "内容")):
            if name in data and not data[name].strip():
                self.add_error(name, f"{label}不能为空")
        return data

    def row(self, number: int) -> AppealRow:
        data = self.cleaned_data
        return AppealRow(number=number, title=data["title"], content=data["content"],
                         contact_name=data["contact_name"], contact_phone=data["contact_phone"],
                         address=data["address"], region=region_of(data["region"]))


def row_forms(data=None, count: int = ROWS_DEFAULT) -> list[AppealRowForm]:
    """The rows of the form, numbered from 1 (prefix row-1 …)."""
    return [AppealRowForm(data, prefix=f"row-{n}", auto_id="id_%s")
            for n in range(1, min(max(count, 1), ROWS_MAX) + 1)]


def row_count(data) -> int:
    try:
        return int(data.get("rows", ROWS_DEFAULT))
    except (TypeError, ValueError):
        return ROWS_DEFAULT

"""Forms of the exemplar pages: a selection with its first round's rules, a nomination, its
review and score, the public vote and objection, an objection's handling, a good practice
and its review. They parse; the actions (banshi/campaign/actions/exemplars.py) decide."""

from decimal import Decimal
from typing import cast

from django import forms

from banshi.appeals import limits
from banshi.campaign.actions import exemplars as actions
from banshi.org.choices import UnitKind

from ...forms import PHONE_ATTRS
from ...widgets import DateInput
from ..collection.shared_forms import recording_units, unit_of

PHOTO_HELP = f"可选，jpg/png/webp，不超过{limits.PHOTO_BYTES_MAX // (1024 * 1024)}MB"


class PhotoField(forms.FileField):
    """One optional image, cleaned to (name, bytes) or None; the action judges the bytes."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "照片")
        kwargs.setdefault("help_text", PHOTO_HELP)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        if upload.size > limits.PHOTO_BYTES_MAX:  # refused before it is read
            raise forms.ValidationError(
                f"照片不能超过{limits.PHOTO_BYTES_MAX // (1024 * 1024)}MB")
        return (upload.name, upload.read())


class RoundForm(forms.Form):
    """A round's rules."""

    eligible_unit_kinds = forms.MultipleChoiceField(
        label="可推荐单位类型", required=False, choices=UnitKind.choices,
        widget=forms.CheckboxSelectMultiple, help_text="不选为所有单位")
    require_party_member = forms.BooleanField(label="被推荐人须为党员", required=False,
                                              initial=True)
    min_party_years = forms.IntegerField(label="最低党龄(年)", min_value=0,
                                         max_value=actions.PARTY_YEARS_MAX, initial=0)
    eligibility = forms.CharField(label="推荐条件(说明)", max_length=actions.DESCRIPTION_MAX,
                                  required=False, widget=forms.Textarea(attrs={"rows": 3}))
    quota_per_unit = forms.IntegerField(label="每单位推荐名额", min_value=1,
                                        max_value=actions.QUOTA_MAX, initial=1)
    places = forms.IntegerField(label="评选名额", min_value=1, max_value=actions.PLACES_MAX,
                                initial=10)
    panel_weight = forms.DecimalField(label="评审分权重", min_value=Decimal(0),
                                      max_value=Decimal(1), decimal_places=2, max_digits=3,
                                      initial=Decimal("0.70"))
    vote_weight = forms.DecimalField(label="群众投票权重", min_value=Decimal(0),
                                     max_value=Decimal(1), decimal_places=2, max_digits=3,
                                     initial=Decimal("0.30"), help_text="两项权重之和须为1")
    public_vote = forms.BooleanField(label="开放群众投票", required=False, initial=True)
    votes_per_person = forms.IntegerField(label="每人可投票数", min_value=1,
                                          max_value=actions.VOTES_MAX, initial=1)
    nominations_close_on = forms.DateField(label="推荐截止", required=False, widget=DateInput)
    voting_opens_on = forms.DateField(label="投票开始", required=False, widget=DateInput)
    voting_closes_on = forms.DateField(label="投票截止", required=False, widget=DateInput)
    publicity_starts_on = forms.DateField(label="公示开始", required=False, widget=DateInput)
    publicity_ends_on = forms.DateField(label="公示结束", required=False, widget=DateInput)

    SELECTION: tuple[str, ...] = ()

    def round_values(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items()
                if name not in self.SELECTION}


class SelectionForm(RoundForm):
    """A selection and its first round's rules."""

    name = forms.CharField(label="评选名称", max_length=actions.NAME_MAX, initial="党史学习之星")
    description = forms.CharField(label="评选说明", max_length=actions.DESCRIPTION_MAX,
                                  required=False, widget=forms.Textarea(attrs={"rows": 3}))

    SELECTION = ("name", "description")
    field_order = ["name", "description"]

    def selection_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.SELECTION}


class NominationForm(forms.Form):
    unit = forms.ChoiceField(label="推荐单位")
    nominee = forms.CharField(label="被推荐人", max_length=actions.PERSON_MAX)
    nominee_title = forms.CharField(label="单位及职务", max_length=actions.TITLE_MAX,
                                    required=False)
    party_member = forms.BooleanField(label="中共党员", required=False, initial=True)
    party_years = forms.IntegerField(label="党龄(年)", min_value=0,
                                     max_value=actions.PARTY_YEARS_MAX, initial=0)
    deeds = forms.CharField(label="主要事迹", max_length=actions.DEEDS_MAX,
                            widget=forms.Textarea(attrs={"rows": 8}))
    photo = PhotoField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = recording_units(user)
        self.aliases = {"unit_code": "unit"}

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["unit"] = unit_of(data["unit"])
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核结果", choices=[("pass", "审核通过"),
                                                        ("reject", "不通过")],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label="未通过原因", max_length=actions.REASON_MAX, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ScoreForm(forms.Form):
    score = forms.DecimalField(label="评分(0–100)", min_value=Decimal(0),
                               max_value=Decimal(100), decimal_places=2, max_digits=5)


class VoteForm(forms.Form):
    phone = forms.CharField(label="手机号码", max_length=limits.PHONE_MAX,
                            widget=forms.TextInput(attrs=PHONE_ATTRS),
                            help_text="仅用于确认每人限投，不会公开或保存号码本身")


class ObjectionForm(forms.Form):
    text = forms.CharField(label="异议内容", max_length=actions.OBJECTION_MAX,
                           widget=forms.Textarea(attrs={"rows": 4}))
    contact = forms.CharField(label="联系方式(可选)", max_length=actions.CONTACT_MAX,
                              required=False)


class HandleObjectionForm(forms.Form):
    decision = forms.ChoiceField(label="处理结果", choices=[("dismiss", "异议不成立"),
                                                        ("uphold", "异议成立(撤销入选)")],
                                 widget=forms.RadioSelect)
    response = forms.CharField(label="处理意见", max_length=actions.REASON_MAX,
                               widget=forms.Textarea(attrs={"rows": 2}))


class PracticeForm(forms.Form):
    unit = forms.ChoiceField(label="单位")
    title = forms.CharField(label="标题", max_length=actions.STORY_TITLE_MAX)
    body = forms.CharField(label="正文", max_length=actions.STORY_BODY_MAX,
                           widget=forms.Textarea(attrs={"rows": 12}))
    photo = PhotoField(label="配图")
    submit = forms.BooleanField(label="保存后直接提交审核", required=False)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = recording_units(user)
        self.aliases = {"unit_code": "unit"}
        if editing:
            del self.fields["unit"], self.fields["submit"]


class PracticeReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核结果", choices=[("publish", "发布"),
                                                        ("return", "退回修改")],
                                 widget=forms.RadioSelect)
    note = forms.CharField(label="审核意见", max_length=actions.REASON_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="退回时必填")

"""Forms of the questionnaire pages: they parse; the actions in
banshi/collection/actions/surveys.py decide."""

from django import forms
from django.utils import timezone

from banshi.appeals import limits
from banshi.appeals.validators import validate_date
from banshi.collection import answers as survey_answers
from banshi.collection.choices import DistributionMode, QuestionKind
from banshi.collection.models import Question
from banshi.collection.permissions import units_for_recording
from banshi.org.models import Unit

from ...forms import CommunityField
from ...unit_picker import UnitSelect
from ...widgets import DateInput


class UnitField(forms.ModelChoiceField):
    """A unit the user may record for, chosen by code in the grouped picker."""

    def __init__(self, user, **kwargs):
        kwargs.setdefault("label", "单位")
        super().__init__(queryset=units_for_recording(user).order_by("path"),
                         to_field_name="code", widget=UnitSelect(), **kwargs)
        self.error_messages["invalid_choice"] = "请选择您可以管理的单位"

    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class QuestionnaireForm(forms.Form):
    required_css_class = "required"

    title = forms.CharField(label="问卷标题", max_length=200)
    intro = forms.CharField(label="说明", required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="显示在问卷开头，如调查目的、填写须知")
    one_per_device = forms.BooleanField(label="每台设备限答一次", required=False, initial=True,
                                        help_text="同一部手机再次提交会被拒绝；"
                                                  "在社区活动室共用平板时可关闭")

    def __init__(self, *args, user=None, with_unit: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_unit:
            self.fields["unit"] = UnitField(user, label="所属单位")
            self.order_fields(["unit", "title", "intro", "one_per_device"])


class QuestionForm(forms.Form):
    required_css_class = "required"

    kind = forms.ChoiceField(label="题型", choices=QuestionKind.choices)
    text = forms.CharField(label="题目", max_length=survey_answers.QUESTION_MAX)
    required = forms.BooleanField(label="必答", required=False, initial=True)
    options = forms.CharField(label="选项", required=False,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="选择题填写，每行一个选项")
    scale = forms.IntegerField(label="评分上限", initial=5, min_value=survey_answers.SCALE_MIN,
                               max_value=survey_answers.SCALE_MAX, required=False,
                               help_text="评分题填写，如5表示1到5分")

    @classmethod
    def for_question(cls, question: Question, **kwargs) -> "QuestionForm":
        return cls(initial={"kind": question.kind, "text": question.text,
                            "required": question.required,
                            "options": "\n".join(question.options),
                            "scale": question.scale}, **kwargs)

    def action_fields(self) -> dict:
        data = self.cleaned_data
        return {"kind": data["kind"], "text": data["text"], "required": data["required"],
                "options": data["options"].splitlines(), "scale": data["scale"] or 5}


def _today():
    return timezone.localdate()


class DistributionForm(forms.Form):
    required_css_class = "required"

    distributed_on = forms.DateField(label="发放日期", initial=_today, widget=DateInput(),
                                     validators=[validate_date])
    mode = forms.ChoiceField(label="方式", choices=DistributionMode.choices)
    copies = forms.IntegerField(label="份数", min_value=1, max_value=1_000_000)
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitField(user, label="发放单位")
        self.order_fields(["unit", "distributed_on", "mode", "copies", "note"])


class ImportForm(forms.Form):
    file = forms.FileField(label="答卷文件",
                           help_text="xlsx(可先下载模板)，第一行为题目，每行一份答卷",
                           widget=forms.FileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}))
    all_or_nothing = forms.BooleanField(label="全部成功才导入", required=False, initial=True,
                                        help_text="勾选后只要有一行出错就整批不导入；"
                                                  "不勾选则导入正确的行，出错的行列出待改")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitField(user, label="回收单位")
        self.order_fields(["unit", "file", "all_or_nothing"])


class PaperUnitForm(forms.Form):
    """The unit a paper response is entered for (the answers are the H5 form's fields)."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitField(user, label="回收单位")


class AnswerAppealForm(forms.Form):
    required_css_class = "required"

    title = forms.CharField(label="诉求标题", max_length=limits.TITLE_MAX)
    region = CommunityField(required=False)

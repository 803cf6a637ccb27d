"""The case page's action forms: each parses one action's input, says when it is offered,
and calls that action. `ACTION_FORMS` maps the URL's action name to its form."""

import datetime as dt

from django import forms
from django.utils import timezone

from banshi.appeals import actions
from banshi.appeals.actions.supervision import MAX_EXTENSION_DAYS
from banshi.appeals.choices import Rating, Solved, Urgency
from banshi.appeals.learning.suggest import confidence_text, usable_units
from banshi.appeals.limits import ANSWER_MAX, REPLY_MAX
from banshi.appeals.models import Appeal, Aspect, Category
from banshi.appeals.transitions import APPEAL
from banshi.org.models import Unit

from .action_forms import BaseActionForm, note_field, offered_forms
from .forms import PhotosField
from .unit_picker import UnitSelect, unit_choices
from .widgets import DateInput


def category_choices() -> list:
    return [("", "(不变)")] + [(c.code, c.path_name) for c in Category.objects.order_by("code")]


def aspect_choices() -> list:
    return [("", "(不变)")] + [(a.code, a.name) for a in Aspect.objects.order_by("code")]


class ActionForm(BaseActionForm):
    """One case-page action on an appeal."""

    table = APPEAL
    subject_name = "appeal"


class DispatchForm(ActionForm):
    """派单, or 改派 once the appeal has a unit (the same action, to another unit)."""

    transition = "dispatch"
    label, done = "派单", "已派单"
    primary = True
    unit = forms.ChoiceField(label="承办单位", choices=unit_choices, widget=UnitSelect)
    category = forms.ChoiceField(label="分类", choices=category_choices, required=False)
    aspect = forms.ChoiceField(label="办实事方向", choices=aspect_choices, required=False)
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices)
    note = note_field()
    aliases = {"unit_code": "unit"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["urgency"].initial = self.appeal.urgency
        if self.appeal.unit_id:
            self.fields["unit"].initial = self.appeal.unit.code
            self.label, self.done, self.primary = "改派", "已改派", False
        self._suggest()

    def _suggest(self):
        """Pre-select the model's top suggestion and say why (see banshi.appeals.suggest)."""
        suggestion = self.appeal.suggestion or {}
        units = usable_units(self.appeal)
        if units:
            self.fields["unit"].help_text = f"建议：{units[0]['name']}（{units[0]['reason']}）"
            if not self.appeal.unit_id:
                self.fields["unit"].initial = units[0]["code"]
        categories = suggestion.get("categories") or []
        if categories:
            self.fields["category"].help_text = "建议：" + " / ".join(
                f"{c['name']} {confidence_text(c['p'])}" for c in categories)
        if self.appeal.suggested_category_id and not self.appeal.category_id:
            self.fields["category"].initial = self.appeal.suggested_category.code

    def perform(self):
        data = self.cleaned_data
        unit = Unit.objects.filter(code=data["unit"]).first()
        if unit is None:
            raise actions.InvalidInput("请选择承办单位", "unit")
        return actions.dispatch(
            self.appeal, actor=self.user, unit=unit,
            category=Category.objects.filter(code=data["category"]).first(),
            aspect=Aspect.objects.filter(code=data["aspect"]).first(),
            urgency=data["urgency"], note=data["note"],
        )


class AcceptForm(ActionForm):
    transition = "accept"
    label, done = "接单", "已接单"
    primary = True
    note = note_field()

    def perform(self):
        return actions.accept(self.appeal, actor=self.user, note=self.cleaned_data["note"])


class ReturnForm(ActionForm):
    transition = "return"
    label, done, danger = "退单", "已退单", True
    reason = note_field("退单理由", required=True)

    def perform(self):
        return actions.return_(self.appeal, actor=self.user, reason=self.cleaned_data["reason"])


class ExtendForm(ActionForm):
    transition = "extend"
    label, done = "申请延期", "已提交延期申请"
    days = forms.IntegerField(label="延期工作日", min_value=1, max_value=MAX_EXTENSION_DAYS)
    reason = note_field("延期理由", required=True)

    def perform(self):
        data = self.cleaned_data
        return actions.request_extension(self.appeal, actor=self.user, days=data["days"],
                                         reason=data["reason"])


class DecideExtensionForm(ActionForm):
    transition = "decide_extension"
    label, done = "延期审批", "已审批延期申请"
    primary = True
    decision = forms.ChoiceField(label="审批", choices=[("approve", "同意"), ("reject", "不同意")],
                                 widget=forms.RadioSelect)
    note = note_field("审批意见")

    def perform(self):
        data = self.cleaned_data
        return actions.decide_extension(self.appeal, actor=self.user,
                                        approve=data["decision"] == "approve", note=data["note"])


class EscalateForm(ActionForm):
    transition = "escalate"
    label, done = "上报", "已上报上级单位"
    note = note_field("上报说明", required=True)

    def perform(self):
        return actions.escalate(self.appeal, actor=self.user, note=self.cleaned_data["note"])


class ResolveForm(ActionForm):
    transition = "resolve"
    label, done, button = "答复", "已答复", "提交答复"
    primary = True
    reply = note_field("答复内容", required=True, rows=5, max_length=REPLY_MAX)
    photos = PhotosField(label="答复照片")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.appeal.delegated_by_id and self.appeal.delegated_by.review_delegated_answers:
            self.fields["photos"].help_text += "；经上级审核通过后与答复一并送达群众"
        else:
            self.fields["photos"].help_text += "；与答复一并送达群众"

    def perform(self):
        data = self.cleaned_data
        return actions.resolve(self.appeal, actor=self.user, reply=data["reply"],
                               photos=data["photos"])


class ProgressForm(ActionForm):
    """办理进展: a note and photos for the case's file, and for the resident if ticked."""

    transition = "progress"
    label, done, button = "办理进展", "已记录办理进展", "记录进展"
    note = note_field("进展情况", required=True, rows=3)
    public = forms.BooleanField(label="群众可见(群众查询进度时可以看到这条进展和照片)",
                                required=False)
    photos = PhotosField(label="现场照片")

    def perform(self):
        data = self.cleaned_data
        return actions.add_progress(self.appeal, actor=self.user, note=data["note"],
                                    public=data["public"], photos=data["photos"])


class DelegateForm(ActionForm):
    transition = "delegate"
    label, done = "转派", "已转派下级单位"
    unit = forms.ChoiceField(label="转派至", choices=[])
    due = forms.DateField(label="办理期限", required=False,
                          help_text="不晚于本单位的办理期限；不填则为本单位的办理期限",
                          widget=DateInput())
    note = note_field("转派说明", required=True)
    aliases = {"unit_code": "unit"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        holder = self.appeal.unit
        units = holder.sub_units() if holder is not None else Unit.objects.none()
        self.fields["unit"].choices = [("", "请选择下级单位")] + [(u.code, u.name) for u in units]
        if self.appeal.handling_due_at:
            self.fields["due"].initial = timezone.localdate(self.appeal.handling_due_at)

    def perform(self):
        data = self.cleaned_data
        return actions.delegate(self.appeal, actor=self.user,
                                unit=Unit.objects.filter(code=data["unit"]).first(),
                                note=data["note"], due=data["due"])


class ReviewForm(ActionForm):
    transition = "review"
    label, done = "审核答复", "已审核"
    primary = True
    decision = forms.ChoiceField(label="审核", widget=forms.RadioSelect, choices=[
        ("approve", "通过，答复群众"), ("reject", "退回重新办理")])
    note = note_field("审核意见(退回时必填)")

    def perform(self):
        data = self.cleaned_data
        return actions.review(self.appeal, actor=self.user,
                              approve=data["decision"] == "approve", note=data["note"])


def _in_three_days() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=3)


class SuperviseForm(ActionForm):
    transition = "supervise"
    label, done = "督办", "已下达督办"
    instruction = note_field("督办要求", required=True, rows=3)
    due_date = forms.DateField(label="督办期限", initial=_in_three_days,
                               widget=DateInput())

    def perform(self):
        data = self.cleaned_data
        return actions.supervise(self.appeal, actor=self.user, instruction=data["instruction"],
                                 due_date=data["due_date"])


class AnswerSupervisionForm(ActionForm):
    transition = "answer_supervision"
    label, done = "督办反馈", "已反馈督办"
    primary = True
    answer = note_field("反馈内容", required=True, rows=3, max_length=ANSWER_MAX)

    def perform(self):
        return actions.answer_supervision(self.appeal, actor=self.user,
                                          answer=self.cleaned_data["answer"])


class FeedbackForm(ActionForm):
    transition = "feedback"
    label, done = "回访评价", "已记录回访评价"
    primary = True
    solved = forms.ChoiceField(label="问题是否解决", choices=Solved.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "请选择问题是否解决"})
    rating = forms.ChoiceField(label="评价", choices=Rating.choices, widget=forms.RadioSelect)
    comment = note_field("评价意见")

    def perform(self):
        data = self.cleaned_data
        return actions.record_feedback(self.appeal, actor=self.user, rating=data["rating"],
                                       solved=data["solved"], comment=data["comment"])


class CallBackForm(ActionForm):
    transition = "call_back"
    label, done = "电话回访", "已记录电话回访"
    solved = forms.ChoiceField(label="问题是否解决", choices=Solved.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "请选择问题是否解决"})
    rating = forms.ChoiceField(label="满意度", choices=Rating.choices, widget=forms.RadioSelect,
                               error_messages={"required": "请选择满意度"})
    note = note_field("回访记录")

    def perform(self):
        data = self.cleaned_data
        return actions.call_back(self.appeal, actor=self.user, solved=data["solved"],
                                 rating=data["rating"], note=data["note"])


class ReopenForm(ActionForm):
    transition = "reopen"
    label, done = "重新办理", "已退回承办单位重新办理"
    note = note_field()

    def perform(self):
        return actions.reopen(self.appeal, actor=self.user, note=self.cleaned_data["note"])


class InvalidateForm(ActionForm):
    transition = "invalidate"
    label, done, danger = "作废", "已作废", True
    reason = note_field("作废理由", required=True)

    def perform(self):
        return actions.invalidate(self.appeal, actor=self.user,
                                  reason=self.cleaned_data["reason"])


class MergeForm(ActionForm):
    transition = "merge"
    label, done = "合并", "已合并"
    into = forms.CharField(label="合并至编号", max_length=32)
    note = note_field()

    def perform(self):
        number = self.cleaned_data["into"].strip()
        into = Appeal.objects.visible_to(self.user).filter(number=number).first()
        if into is None:
            raise actions.InvalidInput(f"未找到编号为{number}的诉求", "into")
        return actions.merge(self.appeal, actor=self.user, into=into,
                             note=self.cleaned_data["note"])


class UndoAutoDispatchForm(ActionForm):
    transition = "undo_auto_dispatch"
    label, done, danger = "撤销自动派单", "已撤销自动派单，诉求回到待派单", True
    note = note_field()

    def perform(self):
        return actions.undo_auto_dispatch(self.appeal, actor=self.user,
                                          note=self.cleaned_data["note"])


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "dispatch": DispatchForm,
    "accept": AcceptForm,
    "return": ReturnForm,
    "extend": ExtendForm,
    "decide-extension": DecideExtensionForm,
    "escalate": EscalateForm,
    "delegate": DelegateForm,
    "progress": ProgressForm,
    "resolve": ResolveForm,
    "review": ReviewForm,
    "supervise": SuperviseForm,
    "answer-supervision": AnswerSupervisionForm,
    "feedback": FeedbackForm,
    "call-back": CallBackForm,
    "reopen": ReopenForm,
    "invalidate": InvalidateForm,
    "merge": MergeForm,
    "undo-auto-dispatch": UndoAutoDispatchForm,
}


def case_forms(user, appeal: Appeal, bound=None) -> list:
    """[(name, form)] of the case actions `user` may take now."""
    return offered_forms(ACTION_FORMS, user, appeal, bound)

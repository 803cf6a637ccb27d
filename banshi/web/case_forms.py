"""The case page's action forms: each parses one action's input, says when it is offered,
and calls that action. `ACTION_FORMS` maps the URL's action name to its form."""

import datetime as dt
from itertools import groupby

from django import forms
from django.utils import timezone

from banshi.appeals import actions
from banshi.appeals.actions.supervision import MAX_EXTENSION_DAYS
from banshi.appeals.actions.triage import is_auto_dispatched
from banshi.appeals.choices import (
    HANDLING_STATES,
    OPEN_STATES,
    ExtensionStatus,
    Rating,
    State,
    Urgency,
)
from banshi.appeals.limits import ANSWER_MAX, NOTE_MAX, REPLY_MAX
from banshi.appeals.models import Appeal, Aspect, Category
from banshi.org import permissions
from banshi.org.choices import UnitLevel
from banshi.org.models import Unit

UNIT_LEVEL_ORDER = [UnitLevel.COMMUNITY, UnitLevel.STREET, UnitLevel.DISTRICT]


def handles(user, appeal: Appeal) -> bool:
    """The user acts for the unit holding the appeal (an admin may act for any unit)."""
    role = permissions.role_of(user)
    unit = permissions.unit_of(user)
    return role == "admin" or (role == "unit" and unit is not None
                               and appeal.unit_id == unit.pk)


def pending_extension(appeal: Appeal):
    return appeal.extension_requests.filter(status=ExtensionStatus.PENDING).first()


def unit_choices() -> list:
    """Active units grouped by level: 社区 / 街道·局委 / 区."""
    units = sorted(Unit.objects.filter(is_active=True),
                   key=lambda u: (UNIT_LEVEL_ORDER.index(u.level), u.path))
    return [("", "请选择承办单位")] + [
        (UnitLevel(level).label, [(u.code, u.name) for u in members])
        for level, members in groupby(units, key=lambda u: u.level)
    ]


def category_choices() -> list:
    return [("", "(不变)")] + [(c.code, c.path_name) for c in Category.objects.order_by("code")]


def aspect_choices() -> list:
    return [("", "(不变)")] + [(a.code, a.name) for a in Aspect.objects.order_by("code")]


def note_field(label="说明", required=False, rows=2, max_length=NOTE_MAX):
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": rows}))


class BaseActionForm(forms.Form):
    """One action offered on an object's page (a case, a problem).

    Subclasses set `label` and `done`, say when they apply in `offered()` (deny by default: a
    form that does not say when it applies is never shown) and call an action in `perform()`.
    """

    label = ""
    done = "操作成功"
    button = ""
    danger = False
    primary = False  # shown unfolded on the page

    @classmethod
    def offered(cls, user, subject) -> bool:
        return False

    def perform(self):
        raise TypeError(f"{type(self).__name__} must define perform()")

    @property
    def submit_label(self) -> str:
        return self.button or self.label


class ActionForm(BaseActionForm):
    """One case-page action on an appeal."""

    aliases: dict[str, str] = {}

    def __init__(self, *args, appeal: Appeal, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.appeal, self.user = appeal, user


class DispatchForm(ActionForm):
    label, done = "派单", "已派单"
    primary = True
    unit = forms.ChoiceField(label="承办单位", choices=unit_choices)
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
        self._suggest()

    def _suggest(self):
        """Pre-select the model's top suggestion and say why (see banshi.appeals.suggest)."""
        suggestion = self.appeal.suggestion or {}
        units = suggestion.get("units") or []
        if units:
            self.fields["unit"].help_text = f"建议：{units[0]['name']}（{units[0]['reason']}）"
            if not self.appeal.unit_id:
                self.fields["unit"].initial = units[0]["code"]
        categories = suggestion.get("categories") or []
        if categories:
            self.fields["category"].help_text = "建议：" + " / ".join(
                f"{c['name']} {c['p']:.0%}" for c in categories)
        if self.appeal.suggested_category_id and not self.appeal.category_id:
            self.fields["category"].initial = self.appeal.suggested_category.code

    @classmethod
    def offered(cls, user, appeal):
        states = {State.SUBMITTED, State.RETURNED, State.DISPATCHED}
        return permissions.is_dispatcher(user) and appeal.state in states

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
    label, done = "接单", "已接单"
    primary = True
    note = note_field()

    @classmethod
    def offered(cls, user, appeal):
        return appeal.state == State.DISPATCHED and handles(user, appeal)

    def perform(self):
        return actions.accept(self.appeal, actor=self.user, note=self.cleaned_data["note"])


class ReturnForm(ActionForm):
    label, done, danger = "退单", "已退单", True
    reason = note_field("退单理由", required=True)

    @classmethod
    def offered(cls, user, appeal):
        return appeal.state in HANDLING_STATES and handles(user, appeal)

    def perform(self):
        return actions.return_(self.appeal, actor=self.user, reason=self.cleaned_data["reason"])


class ExtendForm(ActionForm):
    label, done = "申请延期", "已提交延期申请"
    days = forms.IntegerField(label="延期工作日", min_value=1, max_value=MAX_EXTENSION_DAYS)
    reason = note_field("延期理由", required=True)

    @classmethod
    def offered(cls, user, appeal):
        return (appeal.state in HANDLING_STATES and handles(user, appeal)
                and pending_extension(appeal) is None)

    def perform(self):
        data = self.cleaned_data
        return actions.request_extension(self.appeal, actor=self.user, days=data["days"],
                                         reason=data["reason"])


class DecideExtensionForm(ActionForm):
    label, done = "延期审批", "已审批延期申请"
    primary = True
    decision = forms.ChoiceField(label="审批", choices=[("approve", "同意"), ("reject", "不同意")],
                                 widget=forms.RadioSelect)
    note = note_field("审批意见")

    @classmethod
    def offered(cls, user, appeal):
        return permissions.is_dispatcher(user) and pending_extension(appeal) is not None

    def perform(self):
        data = self.cleaned_data
        return actions.decide_extension(self.appeal, actor=self.user,
                                        approve=data["decision"] == "approve", note=data["note"])


class EscalateForm(ActionForm):
    label, done = "上报", "已上报上级单位"
    note = note_field("上报说明", required=True)

    @classmethod
    def offered(cls, user, appeal):
        return (appeal.state in HANDLING_STATES and handles(user, appeal)
                and appeal.unit is not None and appeal.unit.parent_id is not None)

    def perform(self):
        return actions.escalate(self.appeal, actor=self.user, note=self.cleaned_data["note"])


class ResolveForm(ActionForm):
    label, done, button = "答复", "已答复", "提交答复"
    primary = True
    reply = note_field("答复内容", required=True, rows=5, max_length=REPLY_MAX)

    @classmethod
    def offered(cls, user, appeal):
        return appeal.state == State.IN_PROGRESS and handles(user, appeal)

    def perform(self):
        return actions.resolve(self.appeal, actor=self.user, reply=self.cleaned_data["reply"])


def _in_three_days() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=3)


class SuperviseForm(ActionForm):
    label, done = "督办", "已下达督办"
    instruction = note_field("督办要求", required=True, rows=3)
    due_date = forms.DateField(label="督办期限", initial=_in_three_days,
                               widget=forms.DateInput(attrs={"type": "date"}))

    @classmethod
    def offered(cls, user, appeal):
        return (permissions.can_supervise(user)
                and appeal.state in OPEN_STATES | {State.RESOLVED})

    def perform(self):
        data = self.cleaned_data
        return actions.supervise(self.appeal, actor=self.user, instruction=data["instruction"],
                                 due_date=data["due_date"])


class AnswerSupervisionForm(ActionForm):
    label, done = "督办反馈", "已反馈督办"
    primary = True
    answer = note_field("反馈内容", required=True, rows=3, max_length=ANSWER_MAX)

    @classmethod
    def offered(cls, user, appeal):
        return handles(user, appeal) and appeal.open_supervisions().exists()

    def perform(self):
        return actions.answer_supervision(self.appeal, actor=self.user,
                                          answer=self.cleaned_data["answer"])


class FeedbackForm(ActionForm):
    label, done = "回访评价", "已记录回访评价"
    primary = True
    rating = forms.ChoiceField(label="评价", choices=Rating.choices, widget=forms.RadioSelect)
    comment = note_field("评价意见")

    @classmethod
    def offered(cls, user, appeal):
        return permissions.is_dispatcher(user) and appeal.state == State.RESOLVED

    def perform(self):
        data = self.cleaned_data
        return actions.record_feedback(self.appeal, actor=self.user, rating=data["rating"],
                                       comment=data["comment"])


class ReopenForm(ActionForm):
    label, done = "重新办理", "已退回承办单位重新办理"
    note = note_field()

    @classmethod
    def offered(cls, user, appeal):
        return (permissions.is_dispatcher(user) and appeal.unit_id is not None
                and appeal.state in {State.RESOLVED, State.CLOSED})

    def perform(self):
        return actions.reopen(self.appeal, actor=self.user, note=self.cleaned_data["note"])


class InvalidateForm(ActionForm):
    label, done, danger = "作废", "已作废", True
    reason = note_field("作废理由", required=True)

    @classmethod
    def offered(cls, user, appeal):
        return (permissions.is_dispatcher(user)
                and appeal.state in {State.SUBMITTED, State.RETURNED})

    def perform(self):
        return actions.invalidate(self.appeal, actor=self.user,
                                  reason=self.cleaned_data["reason"])


class MergeForm(ActionForm):
    label, done = "合并", "已合并"
    into = forms.CharField(label="合并至编号", max_length=32)
    note = note_field()

    @classmethod
    def offered(cls, user, appeal):
        states = {State.SUBMITTED, State.RETURNED, State.DISPATCHED}
        return permissions.is_dispatcher(user) and appeal.state in states

    def perform(self):
        number = self.cleaned_data["into"].strip()
        into = Appeal.objects.visible_to(self.user).filter(number=number).first()
        if into is None:
            raise actions.InvalidInput(f"未找到编号为{number}的诉求", "into")
        return actions.merge(self.appeal, actor=self.user, into=into,
                             note=self.cleaned_data["note"])


class UndoAutoDispatchForm(ActionForm):
    label, done, danger = "撤销自动派单", "已撤销自动派单，诉求回到待派单", True
    note = note_field()

    @classmethod
    def offered(cls, user, appeal):
        return permissions.is_dispatcher(user) and is_auto_dispatched(appeal)

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
    "resolve": ResolveForm,
    "supervise": SuperviseForm,
    "answer-supervision": AnswerSupervisionForm,
    "feedback": FeedbackForm,
    "reopen": ReopenForm,
    "invalidate": InvalidateForm,
    "merge": MergeForm,
    "undo-auto-dispatch": UndoAutoDispatchForm,
}


def offered_forms(user, appeal: Appeal, bound: tuple[str, ActionForm] | None = None) -> list:
    """[(name, form)] of the actions `user` may take now; `bound` replaces its blank form."""
    result = []
    for name, form_class in ACTION_FORMS.items():
        if not form_class.offered(user, appeal):
            continue
        if bound and bound[0] == name:
            result.append(bound)
        else:
            form = form_class(appeal=appeal, user=user, auto_id=f"id_{name}_%s")
            result.append((name, form))
    return result

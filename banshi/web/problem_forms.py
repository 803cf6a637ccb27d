"""Forms of the 共性问题 pages: each parses one action's input, says when it is offered and
calls that action. `PROBLEM_FORMS` maps the URL's action name to its form."""

import datetime as dt

from django import forms
from django.utils import timezone

from banshi.appeals import actions
from banshi.appeals.choices import OPEN_STATES, ProblemStatus
from banshi.appeals.limits import ANSWER_MAX, NOTE_MAX, REPLY_MAX, TITLE_MAX
from banshi.appeals.models import Appeal, Category, Milestone, Problem
from banshi.appeals.transitions import PROBLEM
from banshi.org.choices import RegionLevel
from banshi.org.models import Region, Unit

from .action_forms import BaseActionForm, note_field, offered_forms
from .unit_picker import UnitSelect, unit_choices
from .widgets import DateInput


def category_choices() -> list:
    return [("", "(未指定)")] + [(c.code, c.path_name) for c in Category.objects.order_by("code")]


def owner_choices() -> list:
    return unit_choices("(未指定)")


def community_choices() -> list:
    return [(r.code, r.name) for r in
            Region.objects.filter(level=RegionLevel.COMMUNITY).order_by("code")]


class ProblemFieldsForm(forms.Form):
    """What a problem says about itself: used to create one by hand, to edit or confirm one."""

    required_css_class = "required"
    title = forms.CharField(label="问题名称", max_length=TITLE_MAX)
    description = note_field("问题描述", rows=3, max_length=REPLY_MAX)
    category = forms.ChoiceField(label="分类", choices=category_choices, required=False)
    owner_unit = forms.ChoiceField(label="牵头单位", choices=owner_choices, required=False,
                                   widget=UnitSelect)
    places = forms.CharField(label="地点/人群", max_length=NOTE_MAX, required=False,
                             help_text="多个用顿号“、”分隔")
    plan = note_field("整改方案", rows=4, max_length=REPLY_MAX)

    def initial_from(self, problem: Problem) -> None:
        self.initial.update({
            "title": problem.title, "description": problem.description,
            "category": problem.category.code if problem.category_id else "",
            "owner_unit": problem.owner_unit.code if problem.owner_unit_id else "",
            "places": "、".join(problem.places or []), "plan": problem.plan,
        })

    def problem_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"], "description": data["description"], "plan": data["plan"],
            "places": data["places"],
            "category": Category.objects.filter(code=data["category"]).first()
            if data["category"] else None,
            "owner_unit": Unit.objects.filter(code=data["owner_unit"]).first()
            if data["owner_unit"] else None,
        }


class NewProblemForm(ProblemFieldsForm):
    regions = forms.MultipleChoiceField(label="涉及社区", choices=community_choices,
                                        required=False, widget=forms.CheckboxSelectMultiple)

    def create(self, user) -> Problem:
        regions = Region.objects.filter(code__in=self.cleaned_data["regions"])
        return actions.create_problem(actor=user, regions=list(regions),
                                      **self.problem_fields())


class ProblemActionForm(BaseActionForm):
    """One action on the problem page."""

    table = PROBLEM
    subject_name = "problem"


class ConfirmForm(ProblemActionForm, ProblemFieldsForm):
    transition = "confirm"
    label, done, button = "确认为共性问题", "已确认为共性问题", "确认"
    primary = True
    appeals = forms.MultipleChoiceField(label="并入的诉求", required=False,
                                        widget=forms.CheckboxSelectMultiple,
                                        help_text="只有未办结的诉求会并入")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = self.problem.candidate_appeals.filter(state__in=OPEN_STATES)
        choices = [(a.number, f"{a.number} {a.title[:30]}")
                   for a in members.order_by("collected_at", "id")]
        self.fields["appeals"].choices = choices
        self.initial_from(self.problem)
        self.initial["appeals"] = [number for number, _ in choices]

    def perform(self):
        return actions.confirm_candidate(self.problem, actor=self.user,
                                         appeals=self.cleaned_data["appeals"],
                                         **self.problem_fields())


class EditForm(ProblemActionForm, ProblemFieldsForm):
    transition = "edit"
    label, done, button = "修改", "已修改", "保存"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial_from(self.problem)

    def perform(self):
        return actions.edit_problem(self.problem, actor=self.user, **self.problem_fields())


class RejectForm(ProblemActionForm):
    transition = "reject"
    label, done, danger = "驳回", "已驳回，不再提示相同的诉求组合", True
    reason = note_field("驳回理由", required=True)

    def perform(self):
        return actions.reject_candidate(self.problem, actor=self.user,
                                        reason=self.cleaned_data["reason"])


class LinkForm(ProblemActionForm):
    transition = "link"
    label, done, button = "关联诉求", "已并入该问题", "并入"
    number = forms.CharField(label="诉求编号", max_length=32)
    note = note_field()
    aliases = {"appeal": "number"}

    def perform(self):
        number = self.cleaned_data["number"].strip()
        appeal = Appeal.objects.visible_to(self.user).filter(number=number).first()
        if appeal is None:
            raise actions.InvalidInput(f"未找到编号为{number}的诉求", "number")
        return actions.link_appeal(appeal, self.problem, actor=self.user,
                                   note=self.cleaned_data["note"])


class ProgressField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(label="进度%", min_value=0, max_value=100,
                         widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
                         **kwargs)


class MilestoneForm(ProblemActionForm):
    transition = "milestone"
    label, done, button = "新增整改节点", "已新增整改节点", "新增"
    title = forms.CharField(label="节点名称", max_length=TITLE_MAX)
    due_date = forms.DateField(label="计划完成", required=False,
                               widget=DateInput())
    progress = ProgressField(initial=0)
    note = note_field()

    def perform(self):
        data = self.cleaned_data
        return actions.add_milestone(self.problem, actor=self.user, title=data["title"],
                                     due_date=data["due_date"], progress=data["progress"],
                                     note=data["note"])


class ProgressForm(ProblemActionForm):
    transition = "progress"
    label, done, button = "更新整改进度", "已更新整改进度", "更新"
    milestone = forms.ChoiceField(label="整改节点")
    progress = ProgressField()
    note = note_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].choices = [
            (str(m.pk), f"{m.title}({m.progress}%)") for m in self.problem.milestones.all()]

    def perform(self):
        data = self.cleaned_data
        milestone = Milestone.objects.get(problem=self.problem, pk=int(data["milestone"]))
        return actions.update_milestone(milestone, actor=self.user, progress=data["progress"],
                                        note=data["note"])


class ResolveForm(ProblemActionForm):
    transition = "resolve"
    label, done, button = "整改完成并统一答复", "已统一答复所有关联诉求", "提交答复"
    reply = note_field("统一答复", required=True, rows=5, max_length=REPLY_MAX)

    def perform(self):
        return actions.resolve_problem(self.problem, actor=self.user,
                                       reply=self.cleaned_data["reply"])


def _in_a_week() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=7)


class SuperviseForm(ProblemActionForm):
    transition = "supervise"
    label, done = "督办", "已下达督办"
    instruction = note_field("督办要求", required=True, rows=3)
    due_date = forms.DateField(label="督办期限", initial=_in_a_week, widget=DateInput())

    def perform(self):
        data = self.cleaned_data
        return actions.supervise_problem(self.problem, actor=self.user,
                                         instruction=data["instruction"],
                                         due_date=data["due_date"])


class AnswerSupervisionForm(ProblemActionForm):
    transition = "answer_supervision"
    label, done = "督办反馈", "已反馈督办"
    primary = True
    answer = note_field("反馈内容", required=True, rows=3, max_length=ANSWER_MAX)

    def perform(self):
        return actions.answer_problem_supervision(self.problem, actor=self.user,
                                                  answer=self.cleaned_data["answer"])


PROBLEM_FORMS: dict[str, type[ProblemActionForm]] = {
    "confirm": ConfirmForm,
    "reject": RejectForm,
    "milestone": MilestoneForm,
    "progress": ProgressForm,
    "resolve": ResolveForm,
    "link": LinkForm,
    "edit": EditForm,
    "supervise": SuperviseForm,
    "answer-supervision": AnswerSupervisionForm,
}


def problem_forms(user, problem: Problem, bound=None) -> list:
    """[(name, form)] of the problem actions `user` may take now."""
    return offered_forms(PROBLEM_FORMS, user, problem, bound)


def open_problem_choices() -> list:
    problems = Problem.objects.filter(status=ProblemStatus.OPEN).order_by("-heat", "-created_at")
    return [("", "请选择")] + [(p.code, f"{p.code} {p.title[:40]}") for p in problems[:200]]


class LinkToProblemForm(forms.Form):
    """The case page's "并入共性问题": pick an open problem or type its code."""

    problem = forms.ChoiceField(label="共性问题", choices=open_problem_choices, required=False)
    code = forms.CharField(label="或输入问题编号", max_length=32, required=False)
    note = note_field()

    def clean(self):
        data = super().clean()
        code = (data.get("code") or "").strip() or data.get("problem") or ""
        if not code and not self.errors:
            raise forms.ValidationError("请选择或输入共性问题编号")
        data["code"] = code
        return data

    def perform(self, appeal: Appeal, user):
        problem = Problem.objects.filter(code=self.cleaned_data["code"]).first()
        if problem is None:
            raise actions.InvalidInput(f"未找到编号为{self.cleaned_data['code']}的共性问题",
                                       "code")
        return actions.link_appeal(appeal, problem, actor=user, note=self.cleaned_data["note"])

"""共性问题 pages: the list by heat, one problem with its appeals and milestones, creating
one by hand, and the case page's "并入共性问题"."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from banshi.appeals import actions
from banshi.appeals.access import (
    access_appeal,
    access_problem,
    hide_foreign_numbers,
    problem_appeals,
    visible_problems,
)
from banshi.appeals.choices import ProblemStatus
from banshi.appeals.masking import contact
from banshi.appeals.models import Milestone, Problem
from banshi.appeals.permissions import may_manage_problems as may_manage
from banshi.triage.problems import Settings, heat_formula_zh

from ..forms import apply_action_error
from ..problem_forms import PROBLEM_FORMS, LinkToProblemForm, NewProblemForm, problem_forms
from .case import render_case
from .common import dispatcher_required, run_action_form, staff_required

PAGE_SIZE = 50
TABS = [ProblemStatus.CANDIDATE, ProblemStatus.OPEN, ProblemStatus.RESOLVED,
        ProblemStatus.REJECTED]

_DAYS = f"{Settings().burst_days:g}"  # the detector's window for concentration and growth
# What each part of the heat index means, for people who did not write the detector.
# Keys as banshi.triage.problems.heat_components writes them ("heat" is the total).
HEAT_PARTS = {
    "appeals": ("诉求件数", "同一问题的诉求越多，热度越高"),
    "count": ("诉求件数", "同一问题的诉求越多，热度越高"),
    "residents": ("涉及群众", "反映问题的不同群众人数，权重最高；同一人多次反映只算一次"),
    "likes": ("点赞", "群众对这些诉求的点赞数之和(有点赞的渠道)，与反对相抵后计入"),
    "dislikes": ("反对", "群众对这些诉求的反对数之和"),
    "concentration": ("时间集中度", f"最集中的{_DAYS}天内的诉求占比：1表示全部在{_DAYS}天内"
                                    "集中出现，越接近0越分散"),
    "burst": ("时间集中度", "诉求在短时间内集中出现的程度"),
    "growth": ("增长趋势", f"最近{_DAYS}天比此前{_DAYS}天诉求增减的幅度：1为全部是新增，"
                           "-1为已无新增"),
    "persistence": ("持续度", "群众持续反映的时长：从第一件到最后一件的天数除以365，最大为1；"
                              "热度取时间集中度与持续度中较大者，长期反映的问题不因持续时间长而降温"),
    "span_days": ("持续天数", "从第一件到最后一件诉求相隔的天数"),
    "flooded": ("疑似刷屏", "同一来源(电话，或无电话时同一设备)几分钟内提交的相近内容按一件计，"
                            "这里是被合并的件数"),
}


def heat_parts(components: dict) -> list[dict]:
    """[{key, label, help, value}] of a problem's heat components, in Chinese."""
    parts = []
    for key, value in (components or {}).items():
        if key == "heat":
            continue
        label, help_text = HEAT_PARTS.get(key, (key, ""))
        if isinstance(value, float) and not value.is_integer():
            value = round(value, 2)
        elif isinstance(value, float):
            value = int(value)
        parts.append({"key": key, "label": label, "help": help_text, "value": value})
    return parts


@staff_required
def problem_list(request):
    user = request.user
    visible = visible_problems(user)
    counts = dict(visible.values_list("status").annotate(n=Count("id")).order_by())
    default = ProblemStatus.CANDIDATE if may_manage(user) else ProblemStatus.OPEN
    status = request.GET.get("status") or default
    if status not in ProblemStatus.values:
        status = default
    rows = (visible.filter(status=status).select_related("owner_unit", "category")
            .annotate(n_linked=Count("appeals", distinct=True),
                      n_candidates=Count("candidate_appeals", distinct=True))
            .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.all()))
            .order_by("-heat", "-created_at", "-id"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [{"status": s.value, "label": s.label, "count": counts.get(s.value, 0),
             "current": s.value == status} for s in TABS]
    return render(request, "web/problems/list.html",
                  {"page": page, "tabs": tabs, "status": status,
                   "can_create": may_manage(user)})


@dispatcher_required
def problem_new(request):
    posted = request.method == "POST"
    form = NewProblemForm(request.POST) if posted else NewProblemForm()
    if posted and form.is_valid():
        try:
            problem = form.create(request.user)
        except actions.ActionError as exc:
            apply_action_error(form, exc)
        else:
            messages.success(request, f"已创建共性问题 {problem.code}")
            return redirect("web:problem", code=problem.code)
    return render(request, "web/problems/new.html", {"form": form},
                  status=422 if posted else 200)


def _appeal_rows(user, appeals) -> list[dict]:
    return [{"appeal": a, "contact": contact(user, a)} for a in appeals]


def _timeline(user, problem: Problem) -> list[dict]:
    """The problem's events, their notes naming no appeal `user` may not open."""
    events = list(problem.events.order_by("at", "id"))
    notes = hide_foreign_numbers(user, [e.note for e in events])
    return [{"event": e, "note": note} for e, note in zip(events, notes, strict=True)]


def render_problem(request, problem: Problem, *, status: int = 200, bound=None):
    """The problem page: only the appeals the user may open are listed, the others counted
    ("另有 N 件其他单位诉求")."""
    user = request.user
    appeals = problem_appeals(user, problem)
    context = {
        "problem": problem,
        "heat_parts": heat_parts(problem.heat_components),
        "heat_formula": heat_formula_zh(),
        "linked": _appeal_rows(user, appeals.linked),
        "others": _appeal_rows(user, appeals.candidates),
        "hidden_linked": appeals.hidden_linked,
        "hidden_others": appeals.hidden_candidates,
        "n_linked": len(appeals.linked) + appeals.hidden_linked,
        "n_others": len(appeals.candidates) + appeals.hidden_candidates,
        "milestones": list(problem.milestones.all()),
        "progress": problem.progress,
        "regions": problem.regions.order_by("code"),
        "events": _timeline(user, problem),
        "supervisions": list(problem.supervisions.order_by("due_date", "id")),
        "leaders": list(problem.leaders.order_by("username")),
        "action_forms": problem_forms(user, problem, bound),
    }
    return render(request, "web/problems/detail.html", context, status=status)


@staff_required
def problem_detail(request, code: str):
    return render_problem(request, access_problem(request.user, code))


@staff_required
@require_POST
def problem_act(request, code: str, action: str):
    """One endpoint for every problem action: form → action → back to the problem page."""
    problem = access_problem(request.user, code)
    failed = run_action_form(
        request, PROBLEM_FORMS, action, problem,
        lambda status, bound: render_problem(request, problem, status=status, bound=bound))
    return failed or redirect("web:problem", code=problem.code)


@staff_required
@require_POST
def link_from_case(request, number: str):
    """The case page's "并入共性问题" form."""
    appeal = access_appeal(request.user, number)
    form = LinkToProblemForm(request.POST, auto_id="id_link_problem_%s")
    if form.is_valid():
        try:
            form.perform(appeal, request.user)
        except actions.ActionError as exc:
            apply_action_error(form, exc)
            messages.error(request, exc.message)
            request.problem_link_form = form
            return render_case(request, appeal, status=exc.status)
        messages.success(request, "已并入共性问题")
        return redirect("web:case", number=appeal.number)
    messages.error(request, "并入共性问题未完成，请检查填写的内容")
    request.problem_link_form = form
    return render_case(request, appeal, status=422)

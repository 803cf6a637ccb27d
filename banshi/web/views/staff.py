"""The staff's work pages: the role's workbench, the 督办 board, offline entry and import."""

from itertools import groupby

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from banshi.appeals import actions
from banshi.appeals.choices import HANDLING_STATES, ExtensionStatus, ProblemStatus, State
from banshi.appeals.ledger.importer import import_appeals
from banshi.appeals.models import (
    Appeal,
    ExtensionRequest,
    Problem,
    ProblemSupervision,
    Supervision,
)
from banshi.appeals.permissions import is_leader
from banshi.org import permissions
from banshi.org.choices import Role
from banshi.org.models import Unit

from ..forms import EntryForm, ImportForm, apply_action_error
from .common import dispatcher_required, staff_required
from .workbench import render_workbench


def _unit_todo(unit) -> dict:
    mine = Appeal.objects.filter(unit=unit).select_related("region__parent", "category")
    delegated = Appeal.objects.filter(delegated_by=unit).select_related("unit")
    orders = list(Supervision.objects.filter(appeal__unit=unit, answered_at__isnull=True)
                  .select_related("appeal").order_by("due_date", "id"))
    problem_orders = list(ProblemSupervision.objects.filter(
        problem__owner_unit=unit, problem__status=ProblemStatus.OPEN, answered_at__isnull=True)
        .select_related("problem").order_by("due_date", "id"))
    return {
        # 督办待反馈: orders on its cases and on the problems it leads
        "supervisions": orders, "problem_supervisions": problem_orders,
        "supervision_count": len(orders) + len(problem_orders),
        "to_accept": mine.filter(state=State.DISPATCHED).order_by("response_due_at", "id"),
        "in_progress": mine.filter(state=State.IN_PROGRESS).order_by("handling_due_at", "id"),
        "extensions": ExtensionRequest.objects.filter(appeal__unit=unit,
                                                      status=ExtensionStatus.PENDING)
        .select_related("appeal").order_by("requested_at"),
        # 转派: its sub-units' answers awaiting its 审核, and what they still hold
        "to_review": delegated.filter(state=State.PENDING_REVIEW).order_by("handling_due_at",
                                                                           "id"),
        "delegated": delegated.filter(state__in=[State.DISPATCHED, State.IN_PROGRESS])
        .order_by("delegation_due", "id"),
    }


def _overdue_and_orders(appeals) -> dict:
    """Open overdue cases of `appeals` grouped by unit, and their open 督办 orders."""
    overdue = (appeals.filter(is_overdue=True, state__in=HANDLING_STATES)
               .select_related("unit", "region__parent")
               .order_by("unit__path", "handling_due_at", "id"))
    groups = [(unit, list(rows)) for unit, rows in groupby(overdue, key=lambda a: a.unit)]
    orders = (Supervision.objects.filter(appeal__in=appeals, answered_at__isnull=True)
              .select_related("appeal__unit", "issued_by").order_by("due_date", "id"))
    return {"overdue_groups": groups, "orders": orders}


def _led_problems(user) -> list[dict]:
    """The open problems a leader 包联, with their overdue milestones and open 督办."""
    problems = (Problem.objects.led_by(user).filter(status=ProblemStatus.OPEN)
                .select_related("owner_unit").prefetch_related("milestones")
                .order_by("-heat", "code"))
    today = timezone.localdate()
    rows = []
    for problem in problems:
        orders = list(problem.open_supervisions().order_by("due_date", "id"))
        rows.append({"problem": problem, "late_milestones": problem.overdue_milestones(),
                     "orders": orders, "late_orders": [o for o in orders if o.due_date < today]})
    return rows


def led_context(user) -> dict:
    """A leader's 包联 first: their units, those units' overdue cases and 督办, their
    problems. Empty for other roles."""
    if not is_leader(user):
        return {}
    led = Appeal.objects.led_by(user)
    mine = _overdue_and_orders(led)
    return {"led": {"units": list(Unit.objects.led_by(user).order_by("path")),
                    "problems": _led_problems(user),
                    "overdue_groups": mine["overdue_groups"], "orders": mine["orders"]},
            "led_scope": led}


def board_context(user) -> dict:
    """Open overdue cases grouped by unit, and open 督办 orders, as `user` may see them; for
    a leader their 包联 comes first (`led`) and the rest ("其他") after it."""
    context = led_context(user)
    visible = Appeal.objects.visible_to(user)
    if "led_scope" in context:
        visible = visible.exclude(pk__in=context.pop("led_scope").values("pk"))
    return context | _overdue_and_orders(visible) | {"today": timezone.localdate()}


@staff_required
def home(request):
    role = permissions.role_of(request.user)
    context = {"role_label": Role(role).label, "unit": permissions.unit_of(request.user)}
    if permissions.is_dispatcher(request.user):
        return render_workbench(request, request.GET)
    if role == Role.UNIT and context["unit"] is not None:
        context |= _unit_todo(context["unit"]) | {"panel": "unit"}
    else:
        context |= board_context(request.user) | {"panel": "board"}
    return render(request, "web/staff/home.html", context)


@staff_required
def supervision_board(request):
    return render(request, "web/staff/supervision.html", board_context(request.user))


@staff_required
def entry(request):
    if not permissions.can_enter_offline(request.user):
        return render(request, "web/staff/forbidden.html", status=403)
    unit = permissions.unit_of(request.user)
    posted = request.method == "POST"
    form = EntryForm(request.POST, request.FILES, unit=unit) if posted else EntryForm(unit=unit)
    if posted and form.is_valid():
        try:
            appeal, code = actions.submit_appeal(
                actor=request.user, channel=form.cleaned_data["channel"],
                collected_at=form.collected_at(), **form.appeal_fields())
        except actions.ActionError as exc:
            apply_action_error(form, exc)
        else:
            messages.success(request, f"已录入诉求 {appeal.number}，查询码 {code}，"
                                      "请告知群众妥善保存")
            return redirect("web:case", number=appeal.number)
    status = 422 if posted else 200
    return render(request, "web/staff/entry.html", {"form": form}, status=status)


@dispatcher_required
def import_view(request):
    posted = request.method == "POST"
    form = ImportForm(request.POST, request.FILES) if posted else ImportForm()
    report = None
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_appeals(upload, filename=upload.name, actor=request.user,
                                all_or_nothing=form.cleaned_data["all_or_nothing"])
    return render(request, "web/staff/import.html", {"form": form, "report": report})

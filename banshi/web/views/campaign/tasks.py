"""Task pages (工作任务): the scoped list (by kind, status, unit), the overdue list (assignments
open past their due date), issuing a task, the task's page with each unit's assignment, its
progress reports, complete and reopen."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from banshi.appeals.errors import NotPermitted, TransitionNotAllowed
from banshi.campaign.access import access_record, visible_tasks
from banshi.campaign.access import visible_assignments as assignments_in_scope
from banshi.campaign.actions import tasks as actions
from banshi.campaign.choices import AssignmentStatus
from banshi.campaign.models import Task, TaskAssignment
from banshi.campaign.permissions import (
    may_handle_assignment,
    may_record_for,
    units_for_recording,
)
from banshi.org.models import Unit

from .gates import campaign_required
from .meetings import owners
from .org_common import run, status_of
from .org_forms import ReopenForm, ReportForm, TaskFilter, TaskForm

PAGE_SIZE = 50


def filtered_tasks(user, filters: TaskFilter):
    rows = visible_tasks(user)
    if not filters.is_valid():
        return rows
    data = filters.cleaned_data
    today = timezone.localdate()
    if data["kind"]:
        rows = rows.filter(kind=data["kind"])
    if data["unit"]:
        unit = Unit.objects.filter(code=data["unit"]).first()
        rows = rows.filter(assignments__unit__path__startswith=unit.path) if unit \
            else rows.none()
    if data["status"] == "open":
        rows = rows.filter(assignments__status=AssignmentStatus.OPEN)
    elif data["status"] == "done":
        rows = rows.exclude(assignments__status=AssignmentStatus.OPEN)
    elif data["status"] == "overdue":
        rows = rows.filter(assignments__status=AssignmentStatus.OPEN, due_on__lt=today)
    return rows.distinct()


@campaign_required
def task_list(request):
    filters = TaskFilter(request.GET)
    rows = (filtered_tasks(request.user, filters).select_related("unit", "owner")
            .annotate(n_units=Count("assignments", distinct=True),
                      n_open=Count("assignments", distinct=True,
                                   filter=Q(assignments__status=AssignmentStatus.OPEN))))
    page = Paginator(rows.order_by("due_on", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/campaign/org/tasks/list.html", {
        "page": page, "filters": filters, "total": page.paginator.count,
        "today": timezone.localdate(),
        "overdue": assignments_in_scope(request.user).overdue().count(),
        "can_create": units_for_recording(request.user).exists()})


@campaign_required
def overdue(request):
    rows = (assignments_in_scope(request.user).overdue().select_related("task", "unit",
                                                                        "task__owner")
            .order_by("task__due_on", "unit__path"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for assignment in page:
        assignment.days_over = (today - assignment.task.due_on).days
    return render(request, "web/campaign/org/tasks/overdue.html",
                  {"page": page, "total": page.paginator.count})


@campaign_required
@require_http_methods(["GET", "POST"])
def task_new(request):
    if not units_for_recording(request.user).exists():
        return render(request, "web/staff/forbidden.html", status=403)
    posted = request.method == "POST"
    form = TaskForm(request.POST if posted else None, user=request.user, owners=owners())
    if posted and form.is_valid() and (task := run(form, actions.issue_task, actor=request.user,
                                                   **form.values())):
        messages.success(request, f"已下达任务“{task.title}”")
        return redirect("web:campaign-task", pk=task.pk)
    return render(request, "web/campaign/org/tasks/form.html", {"form": form},
                  status=status_of(form) if posted else 200)


def render_task(request, task: Task, *, status: int = 200, forms: dict | None = None):
    user = request.user
    shown = assignments_in_scope(user).filter(task=task).select_related("unit").prefetch_related(
        Prefetch("reports", to_attr="report_list"))
    assignments = []
    for assignment in shown:
        assignment.can_handle = may_handle_assignment(user, assignment.unit)
        assignment.report_form = (forms or {}).get(("report", assignment.pk)) or ReportForm(
            auto_id=f"id_report_{assignment.pk}_%s")
        assignment.reopen_form = (forms or {}).get(("reopen", assignment.pk)) or ReopenForm(
            auto_id=f"id_reopen_{assignment.pk}_%s")
        assignments.append(assignment)
    return render(request, "web/campaign/org/tasks/detail.html", {
        "task": task, "assignments": assignments,
        "hidden": task.assignments.count() - len(assignments),
        "can_reopen": may_record_for(user, task.unit), "today": timezone.localdate(),
    }, status=status)


@campaign_required
def task_detail(request, pk: int):
    return render_task(request, access_record(request.user, Task, pk=pk))


def _assignment(request, pk: int, assignment_id: int) -> TaskAssignment:
    task = access_record(request.user, Task, pk=pk)
    return get_object_or_404(assignments_in_scope(request.user).filter(task=task)
                             .select_related("task", "unit"), pk=assignment_id)


@campaign_required
@require_POST
def report(request, pk: int, assignment_id: int):
    assignment = _assignment(request, pk, assignment_id)
    form = ReportForm(request.POST, auto_id=f"id_report_{assignment.pk}_%s")
    if form.is_valid() and run(form, actions.report_progress, assignment, actor=request.user,
                               text=form.cleaned_data["text"]):
        messages.success(request, "已报告进展")
        return redirect("web:campaign-task", pk=assignment.task_id)
    return render_task(request, assignment.task, status=status_of(form),
                       forms={("report", assignment.pk): form})


@campaign_required
@require_POST
def complete(request, pk: int, assignment_id: int):
    assignment = _assignment(request, pk, assignment_id)
    try:
        actions.complete_assignment(assignment, actor=request.user)
    except NotPermitted as exc:
        return render(request, "web/staff/forbidden.html", {"reason": exc.message}, status=403)
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message)
        return render_task(request, assignment.task, status=409)
    messages.success(request, f"“{assignment.unit.name}”的任务已完成")
    return redirect("web:campaign-task", pk=assignment.task_id)


@campaign_required
@require_POST
def reopen(request, pk: int, assignment_id: int):
    assignment = _assignment(request, pk, assignment_id)
    form = ReopenForm(request.POST, auto_id=f"id_reopen_{assignment.pk}_%s")
    if form.is_valid() and run(form, actions.reopen_assignment, assignment, actor=request.user,
                               reason=form.cleaned_data["reason"]):
        messages.success(request, f"已重新打开“{assignment.unit.name}”的任务")
        return redirect("web:campaign-task", pk=assignment.task_id)
    if getattr(form, "refusal_status", None) == 403:
        return render(request, "web/staff/forbidden.html", status=403)
    return render_task(request, assignment.task, status=status_of(form),
                       forms={("reopen", assignment.pk): form})

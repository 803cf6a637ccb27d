"""Meeting pages: the scoped list (by kind and month), create and edit, the meeting's page with
its decisions, adding a decision, and making a decision a task (转为任务)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from banshi.campaign.access import access_record
from banshi.campaign.actions import meetings as actions
from banshi.campaign.choices import MeetingKind
from banshi.campaign.models import Campaign, Meeting, OrgMember
from banshi.campaign.permissions import may_record_for, units_for_recording

from .gates import campaign_required
from .org_common import run, status_of
from .org_forms import DecisionForm, MeetingFilter, MeetingForm, TaskForm

PAGE_SIZE = 50


@campaign_required
def meeting_list(request):
    filters = MeetingFilter(request.GET)
    visible = Meeting.objects.visible_to(request.user)
    rows = filters.apply(visible).select_related("unit").annotate(n_decisions=Count("decisions"))
    page = Paginator(rows.order_by("-held_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    by_kind = dict(visible.values_list("kind").annotate(n=Count("id")).order_by())
    return render(request, "web/campaign/org/meetings/list.html", {
        "page": page, "filters": filters, "total": page.paginator.count,
        "by_kind": [(label, by_kind.get(kind, 0)) for kind, label in MeetingKind.choices],
        "can_create": units_for_recording(request.user).exists()})


def _edit(request, meeting: Meeting | None):
    if not units_for_recording(request.user).exists():
        return render(request, "web/staff/forbidden.html", status=403)
    posted = request.method == "POST"
    form = MeetingForm(request.POST if posted else None, user=request.user)
    if meeting is not None and not posted:
        form.initial_from(meeting)
    if posted and form.is_valid():
        saved = (run(form, actions.create_meeting, actor=request.user, **form.values())
                 if meeting is None else
                 run(form, actions.update_meeting, meeting, actor=request.user, **form.values()))
        if saved:
            messages.success(request, f"已保存会议“{saved.title}”")
            return redirect("web:campaign-meeting", pk=saved.pk)
    return render(request, "web/campaign/org/meetings/form.html",
                  {"form": form, "meeting": meeting},
                  status=status_of(form) if posted else 200)


@campaign_required
@require_http_methods(["GET", "POST"])
def meeting_new(request):
    return _edit(request, None)


@campaign_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    meeting = access_record(request.user, Meeting, pk=pk)
    if not may_record_for(request.user, meeting.unit):
        return render(request, "web/staff/forbidden.html", status=403)
    return _edit(request, meeting)


def render_meeting(request, meeting: Meeting, *, status: int = 200,
                   decision_form: DecisionForm | None = None):
    decisions = list(meeting.decisions.select_related("task"))
    return render(request, "web/campaign/org/meetings/detail.html", {
        "meeting": meeting, "decisions": decisions,
        "can_record": may_record_for(request.user, meeting.unit),
        "decision_form": decision_form or DecisionForm(auto_id="id_decision_%s"),
    }, status=status)


@campaign_required
def meeting_detail(request, pk: int):
    return render_meeting(request, access_record(request.user, Meeting, pk=pk))


@campaign_required
@require_POST
def decision_add(request, pk: int):
    meeting = access_record(request.user, Meeting, pk=pk)
    form = DecisionForm(request.POST, auto_id="id_decision_%s")
    if form.is_valid() and run(form, actions.add_decision, meeting, actor=request.user,
                               text=form.cleaned_data["text"]):
        messages.success(request, "已添加议定事项")
        return redirect("web:campaign-meeting", pk=meeting.pk)
    return render_meeting(request, meeting, status=status_of(form), decision_form=form)


def owners() -> list[OrgMember]:
    campaign = Campaign.objects.current()
    return list(OrgMember.objects.filter(group__campaign=campaign).select_related("group")
                .order_by("group__order", "group_id", "order", "id")) if campaign else []


@campaign_required
@require_http_methods(["GET", "POST"])
def decision_task(request, pk: int, decision_id: int):
    """转为任务: the task form for one decision, issued by the meeting's unit."""
    meeting = access_record(request.user, Meeting, pk=pk)
    decision = get_object_or_404(meeting.decisions, pk=decision_id)
    if not may_record_for(request.user, meeting.unit):
        return render(request, "web/staff/forbidden.html", status=403)
    posted = request.method == "POST"
    form = TaskForm(request.POST if posted else None, user=request.user, owners=owners(),
                    with_unit=False, initial={"description": decision.text})
    if posted and form.is_valid():
        task = run(form, actions.decision_to_task, decision, actor=request.user,
                   **form.values())
        if task:
            messages.success(request, f"已转为任务“{task.title}”")
            return redirect("web:campaign-task", pk=task.pk)
    return render(request, "web/campaign/org/meetings/decision_task.html", {
        "form": form, "meeting": meeting, "decision": decision},
        status=status_of(form) if posted else 200)

"""领导包联: who answers for which streets, departments and problems. The dispatcher and admins
edit it; a leader reads their own."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render

from banshi.appeals import actions
from banshi.appeals.permissions import is_leader, may_assign_leaders
from banshi.org.choices import Role
from banshi.org.models import LeaderAssignmentChange

from ..forms import apply_action_error
from ..leader_forms import LeaderAssignmentForm
from .common import staff_required

RECENT_CHANGES = 20


def _leaders(user, may_edit: bool):
    accounts = (get_user_model().objects.filter(staff__role=Role.LEADER)
                .prefetch_related("leader_assignment__units", "led_problems")
                .select_related("leader_assignment__updated_by").order_by("username"))
    return accounts if may_edit else accounts.filter(pk=user.pk)


def _rows(accounts) -> list[dict]:
    rows = []
    for leader in accounts:
        assignment = getattr(leader, "leader_assignment", None)
        rows.append({"leader": leader, "assignment": assignment,
                     "units": sorted(assignment.units.all(), key=lambda u: u.path)
                     if assignment else [],
                     "problems": sorted(leader.led_problems.all(), key=lambda p: p.code)})
    return rows


def _chosen(accounts, request):
    pk = request.POST.get("leader") or request.GET.get("leader") or ""
    return accounts.filter(pk=int(pk)).first() if pk.isdigit() else None


@staff_required
def leaders(request):
    user = request.user
    may_edit = may_assign_leaders(user)
    posted = request.method == "POST"
    if not may_edit and (posted or not is_leader(user)):
        return render(request, "web/staff/forbidden.html", status=403)
    accounts = _leaders(user, may_edit)
    editing = _chosen(accounts, request) if may_edit else None
    form, status = None, 200
    if editing is not None:
        form = LeaderAssignmentForm(request.POST if posted else None, leader=editing,
                                    auto_id="id_leader_%s")
    if posted:
        status = 422
        if form is None:
            messages.error(request, "请选择区级领导")
        elif form.is_valid():
            try:
                form.save(user)
            except actions.ActionError as exc:
                apply_action_error(form, exc)
                messages.error(request, exc.message)
                status = exc.status
            else:
                messages.success(request, f"已更新 {editing.get_username()} 的包联")
                return redirect(f"{request.path}?leader={editing.pk}")
        else:
            messages.error(request, "包联未保存，请检查填写的内容")
    changes = (LeaderAssignmentChange.objects.select_related("leader", "actor")
               [:RECENT_CHANGES]) if may_edit else []
    return render(request, "web/staff/leaders.html", {
        "rows": _rows(accounts), "may_edit": may_edit, "editing": editing, "form": form,
        "changes": changes}, status=status)

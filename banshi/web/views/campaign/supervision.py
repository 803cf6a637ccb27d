"""Supervision pages (巡回督导): the guidance groups and a group's page (members, covered units,
its visits), the visits and a visit's page with its rectification items, the rectification
list, and the coverage matrix with its Excel export. Views parse, call an action, render."""

import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from banshi.appeals.errors import ActionError
from banshi.campaign import permissions
from banshi.campaign.access import access_record
from banshi.campaign.actions import supervision as actions
from banshi.campaign.choices import RectificationStatus
from banshi.campaign.models import Campaign, GuidanceGroup, GuidanceVisit, Rectification
from banshi.campaign.supervision_export import write_coverage
from banshi.campaign.supervision_matrix import coverage_matrix, percent

from ...forms import apply_action_error
from .gates import campaign_required, office_required
from .supervision_forms import (
    GroupForm,
    ItemForm,
    MemberForm,
    RectificationFilter,
    ReopenForm,
    ResultForm,
    VisitFilter,
    VisitForm,
    units_of,
)

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _campaign() -> Campaign:
    campaign = Campaign.objects.current()
    if campaign is None:
        raise Http404("尚未设立活动")
    return campaign


def _groups():
    campaign = Campaign.objects.current()
    return GuidanceGroup.objects.filter(campaign=campaign) if campaign \
        else GuidanceGroup.objects.none()


# --- groups -----------------------------------------------------------------------------------

@campaign_required
def group_list(request):
    matrix = coverage_matrix(request.user)
    progress = {row.group.pk: row for row in matrix.rows}
    groups = list(_groups().prefetch_related("members", "covered_units"))
    return render(request, "web/campaign/supervision/groups.html", {
        "groups": [(g, progress.get(g.pk)) for g in groups], "matrix": matrix,
        "can_manage": permissions.may_manage_guidance(request.user)})


@campaign_required
def group_detail(request, pk: int, *, status: int = 200, member_form=None):
    group = access_record(request.user, GuidanceGroup, pk=pk)
    row = next((r for r in coverage_matrix(request.user).rows if r.group.pk == group.pk), None)
    cells = {cell.unit.pk: cell for cell in row.cells} if row else {}
    visits = (GuidanceVisit.objects.visible_to(request.user).filter(group=group)
              .select_related("unit"))
    return render(request, "web/campaign/supervision/group.html", {
        "group": group, "row": row,
        "members": list(group.members.select_related("user")),
        "units": [(u, cells.get(u.pk)) for u in group.covered_units.order_by("-kind", "path")],
        "visits": list(visits[:200]),
        "can_manage": permissions.may_manage_guidance(request.user),
        "can_visit": permissions.may_record_visit(request.user, group),
        "member_form": member_form or MemberForm(auto_id="id_member_%s"),
    }, status=status)


@office_required
@require_http_methods(["GET", "POST"])
def group_new(request):
    return _edit_group(request, None)


@office_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk: int):
    return _edit_group(request, access_record(request.user, GuidanceGroup, pk=pk))


def _save_group(request, form: GroupForm, group: GuidanceGroup | None):
    data = form.cleaned_data
    units = units_of(data["units"])
    try:
        if group is None:
            return actions.create_group(_campaign(), actor=request.user, name=data["name"],
                                        order=data["order"], units=units)
        actions.update_group(group, actor=request.user, name=data["name"], order=data["order"])
        return actions.set_covered_units(group, actor=request.user, units=units)
    except ActionError as exc:
        apply_action_error(form, exc)
        return None


def _edit_group(request, group: GuidanceGroup | None):
    posted = request.method == "POST"
    form = GroupForm(request.POST if posted else None)
    if group is not None and not posted:
        form.initial_from(group)
    if posted and form.is_valid() and (saved := _save_group(request, form, group)):
        messages.success(request, f"已保存{saved.name}")
        return redirect("web:campaign-guidance-group", pk=saved.pk)
    return render(request, "web/campaign/supervision/group_form.html",
                  {"form": form, "group": group}, status=422 if posted else 200)


@office_required
@require_POST
def member_add(request, pk: int):
    group = access_record(request.user, GuidanceGroup, pk=pk)
    form = MemberForm(request.POST, auto_id="id_member_%s")
    if form.is_valid():
        try:
            actions.add_member(group, actor=request.user, **form.values())
        except ActionError as exc:
            apply_action_error(form, exc)
            return group_detail(request, pk, status=exc.status, member_form=form)
        messages.success(request, "已添加成员")
        return redirect("web:campaign-guidance-group", pk=group.pk)
    return group_detail(request, pk, status=422, member_form=form)


@office_required
@require_POST
def member_remove(request, pk: int, member_id: int):
    group = access_record(request.user, GuidanceGroup, pk=pk)
    member = get_object_or_404(group.members, pk=member_id)
    actions.remove_member(member, actor=request.user)
    messages.success(request, "已移除成员")
    return redirect("web:campaign-guidance-group", pk=group.pk)


# --- visits -----------------------------------------------------------------------------------

@campaign_required
def visit_list(request):
    filters = VisitFilter(request.GET, groups=_groups())
    rows = filters.apply(GuidanceVisit.objects.visible_to(request.user)
                         .filter(group__in=_groups())).select_related("group", "unit")
    page = Paginator(rows.order_by("-visited_on", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "web/campaign/supervision/visits.html", {
        "page": page, "filters": filters, "total": page.paginator.count,
        "can_record": permissions.groups_for_visits(request.user, _campaign_or_none()).exists()})


def _campaign_or_none():
    return Campaign.objects.current()


@campaign_required
@require_http_methods(["GET", "POST"])
def visit_new(request):
    groups = permissions.groups_for_visits(request.user, _campaign_or_none())
    if not groups.exists():
        return render(request, "web/staff/forbidden.html", status=403)
    posted = request.method == "POST"
    form = VisitForm(request.POST if posted else None, groups=groups,
                     initial={"group": request.GET.get("group", ""),
                              "unit": request.GET.get("unit", ""),
                              "visited_on": timezone.localdate()})
    if posted and form.is_valid():
        values = form.values()
        try:
            visit = actions.record_visit(values.pop("group"), actor=request.user, **values)
        except ActionError as exc:
            apply_action_error(form, exc)
        else:
            messages.success(request, f"已录入对{visit.unit.name}的督导记录")
            return redirect("web:campaign-visit", pk=visit.pk)
    return render(request, "web/campaign/supervision/visit_form.html", {"form": form},
                  status=422 if posted else 200)


def render_visit(request, visit: GuidanceVisit, *, status: int = 200, bound=None):
    """The visit's page; `bound`: (form name, item pk or None, bound form) to show its errors."""
    user = request.user
    items = list(visit.rectifications.all())
    today = timezone.localdate()
    kind, item_pk, form = bound or (None, None, None)
    for item in items:
        item.overdue = item.status == RectificationStatus.OPEN and item.due_on < today
        item.can_rectify = item.status == RectificationStatus.OPEN and \
            permissions.may_rectify(user, item)
        item.can_reopen = item.status == RectificationStatus.DONE and \
            permissions.may_reopen_rectification(user, item)
        prefix = f"id_item{item.pk}_%s"
        item.result_form = form if (kind, item_pk) == ("done", item.pk) else \
            ResultForm(auto_id=prefix)
        item.reopen_form = form if (kind, item_pk) == ("reopen", item.pk) else \
            ReopenForm(auto_id=prefix)
    return render(request, "web/campaign/supervision/visit.html", {
        "visit": visit, "items": items,
        "can_add": permissions.may_record_visit(user, visit.group),
        "item_form": form if kind == "add" else ItemForm(auto_id="id_new_%s"),
    }, status=status)


@campaign_required
def visit_detail(request, pk: int):
    return render_visit(request, access_record(request.user, GuidanceVisit, pk=pk))


@campaign_required
@require_POST
def rectification_add(request, pk: int):
    visit = access_record(request.user, GuidanceVisit, pk=pk)
    form = ItemForm(request.POST, auto_id="id_new_%s")
    if form.is_valid() and not form.is_blank():
        try:
            actions.add_rectification(visit, actor=request.user, item=form.cleaned_data["item"],
                                      due_on=form.cleaned_data["due_on"])
        except ActionError as exc:
            apply_action_error(form, exc)
            return render_visit(request, visit, status=exc.status, bound=("add", None, form))
        messages.success(request, "已添加整改事项")
        return redirect("web:campaign-visit", pk=visit.pk)
    if form.is_blank():
        form.add_error("item", "整改事项不能为空")
    return render_visit(request, visit, status=422, bound=("add", None, form))


# --- rectifications -----------------------------------------------------------------------------

@campaign_required
def rectification_list(request):
    today = timezone.localdate()
    filters = RectificationFilter(request.GET, groups=_groups())
    rows = filters.apply(Rectification.objects.visible_to(request.user)
                         .filter(visit__group__in=_groups()), today=today)
    rows = rows.select_related("unit", "visit__group")
    rows = rows.order_by("-status", "due_on", "id")  # 整改中 (open) first
    page = Paginator(rows, PAGE_SIZE).get_page(
        request.GET.get("page"))
    for item in page:
        item.overdue = item.status == RectificationStatus.OPEN and item.due_on < today
    return render(request, "web/campaign/supervision/rectifications.html", {
        "page": page, "filters": filters, "total": page.paginator.count})


def _item_post(request, pk: int, kind: str, form_class, run):
    item = access_record(request.user, Rectification, pk=pk)
    form = form_class(request.POST, auto_id=f"id_item{item.pk}_%s")
    visit = item.visit
    if form.is_valid():
        try:
            run(item, form.cleaned_data)
        except ActionError as exc:
            if exc.field not in form.fields:  # the item's state or the right: said above
                messages.error(request, exc.message)
            apply_action_error(form, exc)
            return render_visit(request, visit, status=exc.status, bound=(kind, item.pk, form))
        return None
    return render_visit(request, visit, status=422, bound=(kind, item.pk, form))


@campaign_required
@require_POST
def rectification_done(request, pk: int):
    refused = _item_post(request, pk, "done", ResultForm, lambda item, data: (
        actions.complete_rectification(item, actor=request.user, result=data["result"],
                                       done_on=data["done_on"])))
    if refused is not None:
        return refused
    messages.success(request, "已报告整改情况，事项已整改")
    return redirect("web:campaign-visit", pk=Rectification.objects.get(pk=pk).visit_id)


@campaign_required
@require_POST
def rectification_reopen(request, pk: int):
    refused = _item_post(request, pk, "reopen", ReopenForm, lambda item, data: (
        actions.reopen_rectification(item, actor=request.user, reason=data["reason"],
                                     due_on=data["due_on"])))
    if refused is not None:
        return refused
    messages.success(request, "已重新打开整改事项")
    return redirect("web:campaign-visit", pk=Rectification.objects.get(pk=pk).visit_id)


# --- coverage ---------------------------------------------------------------------------------

@campaign_required
def coverage(request):
    matrix = coverage_matrix(request.user)
    return render(request, "web/campaign/supervision/coverage.html", {
        "matrix": matrix, "total_percent": percent(matrix.coverage),
        "rows": [(row, percent(row.coverage)) for row in matrix.rows],
        "can_record": permissions.groups_for_visits(request.user, matrix.campaign).exists()
        if matrix.campaign else False,
        "recordable": set(permissions.groups_for_visits(request.user, matrix.campaign)
                          .values_list("pk", flat=True)) if matrix.campaign else set()})


@campaign_required
def coverage_export(request):
    matrix = coverage_matrix(request.user)
    buffer = io.BytesIO()
    write_coverage(buffer, matrix)
    buffer.seek(0)
    name = f"督导全覆盖情况{matrix.end:%Y%m%d}.xlsx"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX)


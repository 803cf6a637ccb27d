"""The campaign's organisation: the tree (领导小组 → 办公室 → 工作组, the temporary Party
branch and its committee with its rules), a group's page, a member's page with their tasks and
groups; the office adds, changes and removes groups and members."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from banshi.appeals.errors import InvalidInput, NotPermitted
from banshi.campaign.access import access_record, visible_tasks
from banshi.campaign.actions import org as actions
from banshi.campaign.models import Campaign, OrgGroup, OrgMember
from banshi.campaign.permissions import is_office

from .gates import campaign_required, office_required
from .org_common import run, status_of
from .org_forms import GroupForm, MemberForm


def tree(campaign: Campaign | None) -> list[dict]:
    """The campaign's groups as nested {"group", "members", "children"}, in order."""
    if campaign is None:
        return []
    groups = list(OrgGroup.objects.filter(campaign=campaign).prefetch_related(
        "members__home_unit").order_by("order", "id"))
    below: dict[int | None, list[OrgGroup]] = {}
    for group in groups:
        below.setdefault(group.parent_id, []).append(group)

    def node(group: OrgGroup) -> dict:
        return {"group": group, "members": list(group.members.all()),
                "children": [node(child) for child in below.get(group.pk, [])]}

    return [node(group) for group in below.get(None, [])]


def _groups(campaign: Campaign | None) -> list[OrgGroup]:
    return list(OrgGroup.objects.filter(campaign=campaign).order_by("order", "id")) \
        if campaign else []


@campaign_required
def organisation(request):
    campaign = Campaign.objects.current()
    seconded = actions.seconded_staff(campaign)
    return render(request, "web/campaign/org/tree.html", {
        "campaign": campaign, "tree": tree(campaign), "seconded": seconded.count(),
        "members": OrgMember.objects.filter(group__campaign=campaign).count(),
        "can_edit": is_office(request.user)})


@campaign_required
def group_detail(request, pk: int):
    group = access_record(request.user, OrgGroup, pk=pk)
    return render(request, "web/campaign/org/group.html", {
        "group": group, "members": list(group.members.select_related("home_unit")),
        "children": list(group.children.order_by("order", "id")),
        "can_edit": is_office(request.user)})


def _group_form(request, group: OrgGroup | None):
    campaign = group.campaign if group else Campaign.objects.current()
    groups = [g for g in _groups(campaign) if group is None or g.pk != group.pk]
    posted = request.method == "POST"
    form = GroupForm(request.POST if posted else None, groups=groups)
    if group is not None and not posted:
        form.initial_from(group)
    elif not posted and request.GET.get("parent", "").isdigit():
        form.initial["parent"] = int(request.GET["parent"])
    if posted and form.is_valid():
        saved = (run(form, actions.add_group, actor=request.user, **form.values())
                 if group is None else
                 run(form, actions.update_group, group, actor=request.user, **form.values()))
        if saved:
            messages.success(request, f"已保存“{saved.name}”")
            return redirect("web:campaign-org-group", pk=saved.pk)
    return render(request, "web/campaign/org/group_form.html", {"form": form, "group": group},
                  status=status_of(form) if posted else 200)


@office_required
@require_http_methods(["GET", "POST"])
def group_new(request):
    return _group_form(request, None)


@office_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk: int):
    return _group_form(request, access_record(request.user, OrgGroup, pk=pk))


@campaign_required
@require_POST
def group_remove(request, pk: int):
    group = access_record(request.user, OrgGroup, pk=pk)
    try:
        actions.remove_group(group, actor=request.user)
    except NotPermitted as exc:
        return render(request, "web/staff/forbidden.html", {"reason": exc.message}, status=403)
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("web:campaign-org-group", pk=group.pk)
    messages.success(request, f"已删除“{group.name}”")
    return redirect("web:campaign-org")


def _member_form(request, group: OrgGroup, member: OrgMember | None):
    posted = request.method == "POST"
    groups = _groups(group.campaign) if member is not None else None
    form = MemberForm(request.POST if posted else None, groups=groups)
    if member is not None and not posted:
        form.initial_from(member)
    if posted and form.is_valid():
        saved = (run(form, actions.add_member, group, actor=request.user, **form.values())
                 if member is None else
                 run(form, actions.update_member, member, actor=request.user, **form.values()))
        if saved:
            messages.success(request, f"已保存成员“{saved.name}”")
            return redirect("web:campaign-org-member", pk=saved.pk)
    return render(request, "web/campaign/org/member_form.html",
                  {"form": form, "group": group, "member": member},
                  status=status_of(form) if posted else 200)


@office_required
@require_http_methods(["GET", "POST"])
def member_new(request, pk: int):
    return _member_form(request, access_record(request.user, OrgGroup, pk=pk), None)


def _member(request, pk: int) -> OrgMember:
    """A member of a group the user may see (every campaign user sees the organisation)."""
    member = get_object_or_404(OrgMember.objects.select_related("group", "home_unit"), pk=pk)
    access_record(request.user, OrgGroup, pk=member.group_id)
    return member


@office_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk: int):
    member = _member(request, pk)
    return _member_form(request, member.group, member)


@campaign_required
def member_detail(request, pk: int):
    member = _member(request, pk)
    same_person = OrgMember.objects.filter(
        group__campaign=member.group.campaign, name=member.name,
        home_unit=member.home_unit).select_related("group").order_by("group__order", "id")
    tasks = (visible_tasks(request.user).filter(owner__in=same_person)
             .prefetch_related("assignments__unit").order_by("due_on", "id"))
    return render(request, "web/campaign/org/member.html", {
        "member": member, "memberships": list(same_person), "tasks": list(tasks),
        "can_edit": is_office(request.user)})


@campaign_required
@require_POST
def member_remove(request, pk: int):
    member = _member(request, pk)
    group = member.group
    try:
        actions.remove_member(member, actor=request.user)
    except NotPermitted as exc:
        return render(request, "web/staff/forbidden.html", {"reason": exc.message}, status=403)
    messages.success(request, f"已移除成员“{member.name}”")
    return redirect("web:campaign-org-group", pk=group.pk)

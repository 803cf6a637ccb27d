"""Online group pages: the registry per unit, create and edit a group, and a group's page
where staff paste a message that becomes an appeal (the original kept with it)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from banshi.appeals.errors import ActionError
from banshi.appeals.limits import CONTENT_MAX, TITLE_MAX
from banshi.collection.access import access_record
from banshi.collection.actions import groups as actions
from banshi.collection.choices import GroupKind
from banshi.collection.models import OnlineGroup
from banshi.collection.permissions import may_record_for, units_for_recording

from ...forms import apply_action_error
from .gates import collection_required
from .shared_forms import RecordForm, community_choices, region_of, unit_of
from .symposiums import linked_appeals

PAGE_SIZE = 50
MESSAGES_SHOWN = 50


class GroupForm(RecordForm):
    kind = forms.ChoiceField(label="类型", choices=GroupKind.choices)
    name = forms.CharField(label="群名称/平台", max_length=actions.NAME_MAX)
    members = forms.IntegerField(label="成员数", min_value=0, max_value=actions.MEMBERS_MAX,
                                 initial=0)
    is_active = forms.BooleanField(label="在用", required=False, initial=True)

    field_order = ["unit", "kind", "name", "region", "members", "is_active"]

    def initial_from(self, group: OnlineGroup) -> None:
        self.initial.update({"unit": group.unit.code, "kind": group.kind, "name": group.name,
                             "region": group.region.code if group.region_id else "",
                             "members": group.members, "is_active": group.is_active})

    def values(self) -> dict:
        data = self.cleaned_data
        return {"unit": unit_of(data["unit"]), "kind": data["kind"], "name": data["name"],
                "region": region_of(data["region"]), "members": data["members"],
                "is_active": data["is_active"]}


class PasteForm(forms.Form):
    required_css_class = "required"
    sender_alias = forms.CharField(label="发送人昵称", max_length=actions.ALIAS_MAX)
    sent_at = forms.DateTimeField(label="发送时间", widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    text = forms.CharField(label="原文", max_length=CONTENT_MAX,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text="原样粘贴群消息，保存后随诉求留存")
    title = forms.CharField(label="诉求标题", max_length=TITLE_MAX, required=False,
                            help_text=f"不填则取原文前{actions.TITLE_FROM_TEXT}个字")
    region = forms.ChoiceField(label="社区", required=False, choices=community_choices,
                               help_text="不选则用群所在社区")

    def values(self) -> dict:
        data = self.cleaned_data
        return {"sender_alias": data["sender_alias"], "sent_at": data["sent_at"],
                "text": data["text"], "title": data["title"],
                "region": region_of(data["region"])}


@collection_required
def group_list(request):
    kind = request.GET.get("kind", "")
    rows = OnlineGroup.objects.visible_to(request.user).select_related("unit", "region")
    if kind in GroupKind.values:
        rows = rows.filter(kind=kind)
    page = Paginator(rows.order_by("unit__path", "kind", "name"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "web/collection/groups/list.html", {
        "page": page, "kinds": GroupKind.choices, "kind": kind,
        "can_create": units_for_recording(request.user).exists()})


def _edit(request, group: OnlineGroup | None):
    if not units_for_recording(request.user).exists() or (
            group is not None and not may_record_for(request.user, group.unit)):
        return render(request, "web/staff/forbidden.html", status=403)
    posted = request.method == "POST"
    form = GroupForm(request.POST if posted else None, user=request.user)
    if group is not None and not posted:
        form.initial_from(group)
    if posted and form.is_valid():
        try:
            if group is None:
                group = actions.create_group(actor=request.user, **form.values())
            else:
                group = actions.update_group(group, actor=request.user, **form.values())
        except ActionError as exc:
            apply_action_error(form, exc)
        else:
            messages.success(request, f"已保存“{group.name}”")
            return redirect("web:online-group", pk=group.pk)
    return render(request, "web/collection/groups/form.html", {"form": form, "group": group},
                  status=422 if posted else 200)


@collection_required
@require_http_methods(["GET", "POST"])
def group_new(request):
    return _edit(request, None)


@collection_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk: int):
    return _edit(request, access_record(request.user, OnlineGroup, pk=pk))


def render_group(request, group: OnlineGroup, *, form=None, status: int = 200):
    shown = list(group.messages.order_by("-sent_at", "-id")[:MESSAGES_SHOWN])
    rows = [{"message": m, "appeals": linked_appeals(request.user, m)[0]} for m in shown]
    return render(request, "web/collection/groups/detail.html", {
        "group": group, "rows": rows, "total": group.messages.count(),
        "can_record": may_record_for(request.user, group.unit),
        "form": form or PasteForm()}, status=status)


@collection_required
def group_detail(request, pk: int):
    return render_group(request, access_record(request.user, OnlineGroup, pk=pk))


@collection_required
@require_POST
def paste(request, pk: int):
    group = access_record(request.user, OnlineGroup, pk=pk)
    form = PasteForm(request.POST)
    if form.is_valid():
        try:
            _message, appeal = actions.paste_message(group, actor=request.user, **form.values())
        except ActionError as exc:
            apply_action_error(form, exc)
            return render_group(request, group, form=form, status=exc.status)
        messages.success(request, f"已录入诉求 {appeal.number}")
        return redirect("web:online-group", pk=group.pk)
    return render_group(request, group, form=form, status=422)

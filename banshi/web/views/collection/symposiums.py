"""Symposium (座谈会) pages: the scoped list, create and edit, the detail with its
participants, files and appeals (entered several at once), the printable sign-in sheet
and the public sign-in page its QR code opens."""

import segno
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from banshi.appeals.errors import ActionError
from banshi.appeals.masking import mask_name
from banshi.appeals.models import Appeal
from banshi.collection.access import access_record
from banshi.collection.actions import symposiums as actions
from banshi.collection.models import Symposium
from banshi.collection.permissions import may_record_for, may_see_personal, units_for_recording

from ... import ratelimit
from ...forms import apply_action_error
from ..resident import resident_page
from .gates import collection_required
from .shared_forms import row_count, row_forms
from .symposium_forms import (
    AttachmentForm,
    ParticipantForm,
    SignInForm,
    SymposiumFilter,
    SymposiumForm,
)

PAGE_SIZE = 50
SHEET_BLANK_ROWS = 20


@collection_required
def symposium_list(request):
    filters = SymposiumFilter(request.GET)
    rows = filters.apply(Symposium.objects.visible_to(request.user)).select_related(
        "unit", "region")
    page = Paginator(rows.order_by("-held_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/collection/symposiums/list.html", {
        "page": page, "filters": filters, "total": page.paginator.count,
        "can_create": units_for_recording(request.user).exists()})


def _save(request, form: SymposiumForm, symposium: Symposium | None):
    try:
        if symposium is None:
            return actions.create_symposium(actor=request.user, **form.values())
        return actions.update_symposium(symposium, actor=request.user, **form.values())
    except ActionError as exc:
        apply_action_error(form, exc, above=True)
        return None


@collection_required
@require_http_methods(["GET", "POST"])
def symposium_new(request):
    return _edit(request, None)


@collection_required
@require_http_methods(["GET", "POST"])
def symposium_edit(request, pk: int):
    symposium = access_record(request.user, Symposium, pk=pk)
    if not may_record_for(request.user, symposium.unit):
        return render(request, "web/staff/forbidden.html", status=403)
    return _edit(request, symposium)


def _edit(request, symposium: Symposium | None):
    if not units_for_recording(request.user).exists():
        return render(request, "web/staff/forbidden.html", status=403)
    posted = request.method == "POST"
    form = SymposiumForm(request.POST if posted else None, user=request.user)
    if symposium is not None and not posted:
        form.initial_from(symposium)
    if posted and form.is_valid() and (saved := _save(request, form, symposium)):
        messages.success(request, f"已保存座谈会 {saved.code}")
        return redirect("web:symposium", pk=saved.pk)
    return render(request, "web/collection/symposiums/form.html",
                  {"form": form, "symposium": symposium}, status=422 if posted else 200)


def linked_appeals(user, record) -> tuple[list[Appeal], int]:
    """The appeals raised from `record` that `user` may open, and how many others there are."""
    linked = Appeal.objects.filter(source_type=ContentType.objects.get_for_model(record),
                                   source_id=record.pk)
    shown = list(linked.visible_to(user).order_by("collected_at", "id"))
    return shown, linked.count() - len(shown)


def attendees_for(user, symposium: Symposium) -> list:
    """The attendee list, names masked (王*) for those who may not see the unit's personal
    data (leaders, inspection groups)."""
    attendees = list(symposium.attendees.all())
    if not may_see_personal(user, symposium.unit):
        for person in attendees:
            person.name = mask_name(person.name)
    return attendees


def render_symposium(request, symposium: Symposium, *, status: int = 200, **forms):
    user = request.user
    appeals, hidden = linked_appeals(user, symposium)
    attendees = attendees_for(user, symposium)
    rows = forms.pop("rows", None) or row_forms()
    return render(request, "web/collection/symposiums/detail.html", {
        "symposium": symposium, "attendees": attendees,
        "signed_in": sum(1 for a in attendees if a.signed_in_at),
        "files": list(symposium.files.order_by("uploaded_at", "id")),
        "appeals": appeals, "hidden_appeals": hidden,
        "can_record": may_record_for(user, symposium.unit),
        "rows": rows, "row_count": len(rows),
        "participant_form": forms.pop("participant_form", None) or ParticipantForm(),
        "attachment_form": forms.pop("attachment_form", None) or AttachmentForm(),
        "row_errors": forms.pop("row_errors", []),
    }, status=status)


@collection_required
def symposium_detail(request, pk: int):
    return render_symposium(request, access_record(request.user, Symposium, pk=pk))


def _recorded(request, pk: int) -> Symposium:
    """The symposium for a POST that changes it: 404 unseen; the action checks the right."""
    return access_record(request.user, Symposium, pk=pk)


@collection_required
@require_POST
def symposium_appeals(request, pk: int):
    """Several appeals at once, one per row: bad rows come back named by row and field, the
    good ones are entered and leave the form."""
    symposium = _recorded(request, pk)
    forms = row_forms(request.POST, row_count(request.POST))
    used = [(n, f) for n, f in enumerate(forms, 1) if not f.is_blank()]
    if not used:
        messages.error(request, "请至少填写一行诉求")
        return render_symposium(request, symposium, status=422, rows=forms)
    good = [(n, f) for n, f in used if f.is_valid()]
    try:
        result = actions.raise_appeals(symposium, actor=request.user,
                                       rows=[f.row(n) for n, f in good])
    except ActionError as exc:
        messages.error(request, exc.message)
        return render_symposium(request, symposium, status=exc.status, rows=forms)
    for number, refusal in result.errors.items():
        apply_action_error(forms[number - 1], refusal)
    bad = {n for n, f in used if f.errors}
    if result.appeals:
        messages.success(request, f"已录入 {len(result.appeals)} 件诉求")
    if not bad:
        return redirect("web:symposium", pk=symposium.pk)
    kept = [f if n in bad else row_forms(count=n)[-1] for n, f in enumerate(forms, 1)]
    errors = [f"第{n}行 {forms[n - 1].fields[name].label if name in forms[n - 1].fields else ''}"
              f"：{message}" for n in sorted(bad) for name, messages_ in forms[n - 1].errors.items()
              for message in messages_]
    messages.error(request, f"{len(bad)} 行未录入，请修改后重新提交")
    return render_symposium(request, symposium, status=422, rows=kept, row_errors=errors)


@collection_required
@require_POST
def participant_add(request, pk: int):
    symposium = _recorded(request, pk)
    form = ParticipantForm(request.POST, auto_id="id_participant_%s")
    if form.is_valid():
        try:
            actions.add_participant(symposium, actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            apply_action_error(form, exc)
            return render_symposium(request, symposium, status=exc.status,
                                    participant_form=form)
        messages.success(request, "已添加参会人员")
        return redirect("web:symposium", pk=symposium.pk)
    return render_symposium(request, symposium, status=422, participant_form=form)


@collection_required
@require_POST
def participant_remove(request, pk: int, participant_id: int):
    symposium = _recorded(request, pk)
    participant = get_object_or_404(symposium.attendees, pk=participant_id)
    try:
        actions.remove_participant(participant, actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return render_symposium(request, symposium, status=exc.status)
    messages.success(request, "已移除参会人员")
    return redirect("web:symposium", pk=symposium.pk)


@collection_required
@require_POST
def attach(request, pk: int):
    symposium = _recorded(request, pk)
    form = AttachmentForm(request.POST, request.FILES, auto_id="id_attachment_%s")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > actions.ATTACHMENT_BYTES_MAX:  # refused before it is read
                raise actions.InvalidInput("文件不能超过10MB", "file")
            actions.attach_file(symposium, actor=request.user, name=upload.name,
                                data=upload.read())
        except ActionError as exc:
            apply_action_error(form, exc)
            return render_symposium(request, symposium, status=exc.status, attachment_form=form)
        messages.success(request, "已上传附件")
        return redirect("web:symposium", pk=symposium.pk)
    return render_symposium(request, symposium, status=422, attachment_form=form)


@collection_required
def attachment(request, pk: int, file_id: int):
    symposium = access_record(request.user, Symposium, pk=pk)
    found = get_object_or_404(symposium.files, pk=file_id)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name,
                        content_type=found.content_type)


def qr_svg(url: str) -> str:
    """An inline SVG QR code of `url` (segno), sized by the page's CSS."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True)


@collection_required
def sheet(request, pk: int):
    """The printable sign-in sheet: the attendees so far, blank rows, and the QR code."""
    symposium = access_record(request.user, Symposium, pk=pk)
    url = request.build_absolute_uri(reverse("web:signin", args=[symposium.signin_token]))
    attendees = attendees_for(request.user, symposium)
    return render(request, "web/collection/symposiums/sheet.html", {
        "symposium": symposium, "attendees": attendees, "signin_url": url,
        "qr": mark_safe(qr_svg(url)),  # noqa: S308 - segno's own SVG, the URL escaped by it
        "blank_rows": range(max(SHEET_BLANK_ROWS - len(attendees), 5))})


@resident_page
@require_http_methods(["GET", "POST"])
def signin(request, token: str):
    """The phone sign-in page the sheet's QR code opens (no login; rate-limited)."""
    symposium = Symposium.objects.filter(signin_token=token).select_related("unit").first()
    if symposium is None:
        raise Http404("签到码无效")
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            with ratelimit.reserve(request, "signin"):
                person = actions.sign_in(symposium, **form.cleaned_data)
        except ActionError as exc:
            apply_action_error(form, exc)
        else:
            return render(request, "web/collection/symposiums/signed_in.html",
                          {"symposium": symposium, "person": person})
    return render(request, "web/collection/symposiums/signin.html",
                  {"symposium": symposium, "form": form},
                  status=422 if request.method == "POST" else 200)

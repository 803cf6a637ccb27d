"""The case page: everything about one appeal, and the actions the user may take on it."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from banshi.appeals.access import HIDDEN_APPEAL, access_appeal, hide_foreign_numbers
from banshi.appeals.choices import Action, PhotoKind
from banshi.appeals.masking import contact
from banshi.appeals.models import Appeal

from ..case_forms import ACTION_FORMS, case_forms
from .common import run_action_form, staff_required


def timeline(user, appeal: Appeal) -> list[dict]:
    """The appeal's events, each with the note shown — its note naming no appeal `user` may
    not open ("合并至ZY…" of an appeal merged into another unit's) — and the photos that came
    with it (an answer's, a progress note's)."""
    events = list(appeal.events.select_related("unit").order_by("at", "id"))
    notes = hide_foreign_numbers(user, [event.note for event in events])
    photos: dict[int | None, list] = {}
    for attachment in appeal.attachments.exclude(kind=PhotoKind.RESIDENT).order_by("id"):
        photos.setdefault(attachment.event_id, []).append(attachment)
    return [{"event": e, "note": note, "photos": photos.get(e.pk, [])}
            for e, note in zip(events, notes, strict=True)]


def answer_photos(appeal: Appeal) -> list:
    """The photos of the appeal's current answer (also one awaiting 审核)."""
    if not appeal.reply:
        return []
    answer = appeal.events.filter(action=Action.RESOLVE).order_by("-at", "-id").first()
    return list(appeal.attachments.filter(event=answer)) if answer else []


def merged_into(user, appeal: Appeal) -> Appeal | None:
    """The appeal this one was merged into, if `user` may open it."""
    if appeal.merged_into_id is None:
        return None
    return Appeal.objects.visible_to(user).filter(pk=appeal.merged_into_id).first()


def render_case(request, appeal: Appeal, *, status: int = 200, bound=None):
    user = request.user
    context = {
        "appeal": appeal,
        "merged_into": merged_into(user, appeal),
        "hidden_appeal": HIDDEN_APPEAL,
        "contact": contact(user, appeal),
        "photos": appeal.attachments.filter(kind=PhotoKind.RESIDENT).order_by("id"),
        "answer_photos": answer_photos(appeal),
        "categories": [c for c in appeal.category_levels() if c is not None],
        "events": timeline(user, appeal),
        "supervisions": appeal.supervisions.select_related("issued_by").order_by("due_date"),
        "extension": appeal.pending_extension(),
        "action_forms": case_forms(user, appeal, bound),
    }
    return render(request, "web/staff/case.html", context, status=status)


@staff_required
def case(request, number: str):
    return render_case(request, access_appeal(request.user, number))


@staff_required
def photo(request, number: str, attachment_id: int):
    appeal = access_appeal(request.user, number)
    attachment = get_object_or_404(appeal.attachments, pk=attachment_id)
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)


@staff_required
@require_POST
def act(request, number: str, action: str):
    """One endpoint for every case action: form → action → back to the case page."""
    appeal = access_appeal(request.user, number)
    failed = run_action_form(
        request, ACTION_FORMS, action, appeal,
        lambda status, bound: render_case(request, appeal, status=status, bound=bound))
    if failed is not None:
        return failed
    if Appeal.objects.visible_to(request.user).filter(pk=appeal.pk).exists():
        return redirect("web:case", number=appeal.number)
    return redirect("web:home")

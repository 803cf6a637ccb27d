"""联络员结对: liaisons and their paired households, coverage per community, the pairings'
import from Excel, contacts logged against a pairing (and the appeal one may raise).
Households' names and addresses are masked outside the liaison's unit."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from banshi.appeals.errors import ActionError
from banshi.appeals.masking import mask_address, mask_name
from banshi.collection.access import access_record
from banshi.collection.actions import liaisons as actions
from banshi.collection.models import Liaison, LiaisonContact, LiaisonPairing
from banshi.collection.permissions import may_record_for, may_see_personal
from banshi.lib.spreadsheet import UnreadableFile

from ...box_forms import ContactForm, PairingImportForm
from ...forms import apply_action_error
from .gates import appeals_from, collection_required, recorder_required

PAGE_SIZE = 50


def coverage(liaisons) -> dict:
    """Per community: paired households and liaisons; with the totals and the problems
    solved through contacts — all counted from the records of `liaisons`."""
    pairings = LiaisonPairing.objects.filter(liaison__in=liaisons)
    rows = list(pairings.values("region__code", "region__name")
                .annotate(households=Count("id"), liaisons=Count("liaison", distinct=True))
                .order_by("region__code"))
    return {"communities": rows, "liaisons": liaisons.count(), "households": pairings.count(),
            "solved": LiaisonContact.objects.filter(pairing__in=pairings, solved=True).count()}


@collection_required
def liaison_list(request):
    liaisons = Liaison.objects.visible_to(request.user)
    listed = (liaisons.select_related("unit", "region")
              .annotate(households=Count("pairings", distinct=True),
                        solved=Count("pairings__contacts",
                                     filter=Q(pairings__contacts__solved=True), distinct=True))
              .order_by("unit__path", "name", "id"))
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/collection/liaisons/list.html",
                  {"page": page, "coverage": coverage(liaisons)})


def household_label(user, pairing: LiaisonPairing, liaison: Liaison) -> tuple[str, str]:
    if may_see_personal(user, liaison.unit):
        return pairing.household_name, pairing.address
    return mask_name(pairing.household_name), mask_address(pairing.address)


def _detail(request, liaison: Liaison, form: ContactForm | None = None, status: int = 200):
    pairings = list(liaison.pairings.select_related("region").order_by("id"))
    labelled = [(p, *household_label(request.user, p, liaison)) for p in pairings]
    may_record = may_record_for(request.user, liaison.unit)
    if may_record and form is None:
        form = ContactForm(pairings=[(p, f"{name or '—'} {address}") for p, name, address
                                     in labelled], auto_id="id_contact_%s")
    contacts = list(LiaisonContact.objects.filter(pairing__liaison=liaison)
                    .select_related("pairing"))
    names = {p.pk: (name, address) for p, name, address in labelled}
    context = {"liaison": liaison, "pairings": labelled, "may_record": may_record,
               "form": form, "contacts": [(c, names[c.pairing_id]) for c in contacts],
               "solved": sum(c.solved for c in contacts),
               "appeals": appeals_from(request.user, contacts)}
    return render(request, "web/collection/liaisons/detail.html", context, status=status)


@collection_required
def liaison_detail(request, pk: int):
    return _detail(request, access_record(request.user, Liaison, pk=pk))


@require_POST
@collection_required
def liaison_contact(request, pk: int):
    liaison = access_record(request.user, Liaison, pk=pk)
    if not may_record_for(request.user, liaison.unit):
        return render(request, "web/staff/forbidden.html", status=403)
    pairings = [(p, str(p.pk)) for p in liaison.pairings.all()]
    form = ContactForm(request.POST, pairings=pairings, auto_id="id_contact_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            _contact, appeal = actions.log_contact(
                data["pairing"], actor=request.user, contacted_on=data["contacted_on"],
                note=data["note"], solved=data["solved"], appeal=form.appeal())
        except ActionError as exc:
            field = {"title": "appeal_title", "content": "appeal_content"}.get(
                exc.field or "", exc.field)
            apply_action_error(form, ActionError(exc.message, field))
        else:
            messages.success(request, "已登记联系" + (f"，诉求 {appeal.number}" if appeal else ""))
            return redirect("web:liaison", pk=liaison.pk)
    return _detail(request, liaison, form=_relabel(request, form, liaison), status=422)


def _relabel(request, form: ContactForm, liaison: Liaison) -> ContactForm:
    """The bound form, its pairing choices labelled as the user may see them."""
    form.fields["pairing"].choices = [  # type: ignore[attr-defined]
        (str(p.pk), " ".join(x or "—" for x in household_label(request.user, p, liaison)))
        for p in form.pairings.values()]
    return form


@recorder_required
def liaison_import(request):
    posted = request.method == "POST"
    form = PairingImportForm(request.POST if posted else None,
                             request.FILES if posted else None, user=request.user)
    report = None
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = actions.import_pairings(
                upload, filename=upload.name, unit=form.cleaned_data["unit"],
                actor=request.user, all_or_nothing=form.cleaned_data["all_or_nothing"])
        except UnreadableFile as exc:
            form.add_error("file", exc.message)
        except ActionError as exc:
            apply_action_error(form, exc)
    status = 422 if posted and (report is None or report.errors) else 200
    return render(request, "web/collection/liaisons/import.html",
                  {"form": form, "report": report}, status=status)

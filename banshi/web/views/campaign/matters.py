"""Practical-matter pages (办实事清单): each unit's list (scoped, filtered), the district-wide
view by unit with totals and 销号 rate, a matter's page with its progress, adding progress
(with an evidence file), 销号 and reopening."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from banshi.campaign.access import access_record
from banshi.campaign.actions import matters as actions
from banshi.campaign.choices import MatterStatus
from banshi.campaign.models import PracticalMatter
from banshi.campaign.permissions import may_record_for, units_for_recording
from banshi.org.models import Unit

from .gates import campaign_required
from .org_common import run, status_of
from .org_forms import CloseForm, MatterFilter, MatterForm, ProgressForm, ReopenForm

PAGE_SIZE = 50


def filtered_matters(user, filters: MatterFilter):
    rows = PracticalMatter.objects.visible_to(user)
    if not filters.is_valid():
        return rows
    data = filters.cleaned_data
    if data["unit"]:
        unit = Unit.objects.filter(code=data["unit"]).first()
        rows = rows.within(unit) if unit else rows.none()
    if data["kind"]:
        rows = rows.filter(kind=data["kind"])
    if data["status"]:
        rows = rows.filter(status=data["status"])
    return rows


@campaign_required
def matter_list(request):
    filters = MatterFilter(request.GET)
    rows = filtered_matters(request.user, filters).select_related("unit", "aspect")
    page = Paginator(rows.order_by("unit__path", "committed_on", "id"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "web/campaign/org/matters/list.html", {
        "page": page, "filters": filters, "total": page.paginator.count,
        "can_create": units_for_recording(request.user).exists()})


def rate(part: int, whole: int) -> float | None:
    return round(part / whole * 100, 1) if whole else None


@campaign_required
def summary(request):
    """By unit: matters, target and done counts, 销号 count and rate; the totals of matters
    and 销号 at the foot (counts in different units — 处, 户, 条 — are not added up)."""
    rows = list(PracticalMatter.objects.visible_to(request.user).values(
        "unit__code", "unit__name", "unit__path").annotate(
        matters=Count("id"), closed=Count("id", filter=Q(status=MatterStatus.CLOSED)),
        target=Sum("target_count"), done=Sum("done_count")).order_by("unit__path"))
    for row in rows:
        row["rate"] = rate(row["closed"], row["matters"])
    totals = {key: sum(row[key] for row in rows) for key in ("matters", "closed")}
    totals["rate"] = rate(totals["closed"], totals["matters"])
    return render(request, "web/campaign/org/matters/summary.html",
                  {"rows": rows, "totals": totals, "units": len(rows)})


def _edit(request, matter: PracticalMatter | None):
    if not units_for_recording(request.user).exists():
        return render(request, "web/staff/forbidden.html", status=403)
    posted = request.method == "POST"
    form = MatterForm(request.POST if posted else None, user=request.user)
    if matter is not None and not posted:
        form.initial_from(matter)
    if posted and form.is_valid():
        saved = (run(form, actions.create_matter, actor=request.user, **form.values())
                 if matter is None else
                 run(form, actions.update_matter, matter, actor=request.user, **form.values()))
        if saved:
            messages.success(request, f"已保存“{saved.title}”")
            return redirect("web:campaign-matter", pk=saved.pk)
    return render(request, "web/campaign/org/matters/form.html", {"form": form, "matter": matter},
                  status=status_of(form) if posted else 200)


@campaign_required
@require_http_methods(["GET", "POST"])
def matter_new(request):
    return _edit(request, None)


@campaign_required
@require_http_methods(["GET", "POST"])
def matter_edit(request, pk: int):
    matter = access_record(request.user, PracticalMatter, pk=pk)
    if not may_record_for(request.user, matter.unit):
        return render(request, "web/staff/forbidden.html", status=403)
    return _edit(request, matter)


def render_matter(request, matter: PracticalMatter, *, status: int = 200, **forms):
    return render(request, "web/campaign/org/matters/detail.html", {
        "matter": matter, "progress": list(matter.progress.select_related("reported_by")),
        "can_record": may_record_for(request.user, matter.unit),
        "percent": min(100, round(matter.done_count / matter.target_count * 100))
        if matter.target_count else 0,
        "progress_form": forms.get("progress_form") or ProgressForm(auto_id="id_progress_%s"),
        "close_form": forms.get("close_form") or CloseForm(auto_id="id_close_%s"),
        "reopen_form": forms.get("reopen_form") or ReopenForm(auto_id="id_reopen_%s"),
    }, status=status)


@campaign_required
def matter_detail(request, pk: int):
    return render_matter(request, access_record(request.user, PracticalMatter, pk=pk))


@campaign_required
@require_POST
def progress(request, pk: int):
    matter = access_record(request.user, PracticalMatter, pk=pk)
    form = ProgressForm(request.POST, request.FILES, auto_id="id_progress_%s")
    if form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        if upload is not None and upload.size > actions.FILE_BYTES_MAX:
            form.add_error("file", "文件不能超过10MB")
        elif run(form, actions.add_progress, matter, actor=request.user, added=data["added"],
                 note=data["note"], on=data["on"],
                 file=(upload.name, upload.read()) if upload is not None else None):
            messages.success(request, "已登记进展")
            return redirect("web:campaign-matter", pk=matter.pk)
    return render_matter(request, matter, status=status_of(form), progress_form=form)


@campaign_required
@require_POST
def close(request, pk: int):
    matter = access_record(request.user, PracticalMatter, pk=pk)
    form = CloseForm(request.POST, auto_id="id_close_%s")
    if form.is_valid() and run(form, actions.close_matter, matter, actor=request.user,
                               note=form.cleaned_data["note"]):
        messages.success(request, f"“{matter.title}”已销号")
        return redirect("web:campaign-matter", pk=matter.pk)
    return render_matter(request, matter, status=status_of(form), close_form=form)


@campaign_required
@require_POST
def reopen(request, pk: int):
    matter = access_record(request.user, PracticalMatter, pk=pk)
    form = ReopenForm(request.POST, auto_id="id_reopen_%s")
    if form.is_valid() and run(form, actions.reopen_matter, matter, actor=request.user,
                               reason=form.cleaned_data["reason"]):
        messages.success(request, f"已重新打开“{matter.title}”")
        return redirect("web:campaign-matter", pk=matter.pk)
    return render_matter(request, matter, status=status_of(form), reopen_form=form)


@campaign_required
def evidence(request, pk: int, progress_id: int):
    matter = access_record(request.user, PracticalMatter, pk=pk)
    found = get_object_or_404(matter.progress.exclude(file=""), pk=progress_id)
    name = found.file.name.rsplit("/", 1)[-1]
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=name)

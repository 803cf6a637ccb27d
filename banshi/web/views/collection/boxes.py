"""意见箱 / 征求意见台: the registry, a box's page with its openings, the printable QR label,
and the slips of an opening transcribed as appeals."""

import segno
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from banshi.appeals.errors import ActionError
from banshi.collection.access import access_record
from banshi.collection.actions import boxes as actions
from banshi.collection.actions.appeal_rows import RowsReport
from banshi.collection.models import OpinionBox
from banshi.collection.permissions import may_record_for

from ...box_forms import BoxFilterForm, BoxForm, OpeningForm, appeal_rows
from ...forms import apply_action_error
from .gates import appeals_from, collection_required, recorder_required, run_rows

PAGE_SIZE = 50


@collection_required
def box_list(request):
    boxes = OpinionBox.objects.visible_to(request.user).select_related("unit", "region")
    filters = BoxFilterForm(request.GET or None)
    boxes = filters.apply(boxes).annotate(opening_count=Count("openings"),
                                          slip_count=Sum("openings__slips"))
    page = Paginator(boxes.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/collection/boxes/list.html",
                  {"filters": filters, "page": page, "total": page.paginator.count})


@recorder_required
def box_new(request):
    posted = request.method == "POST"
    form = BoxForm(request.POST if posted else None, user=request.user)
    if posted and form.is_valid():
        try:
            box = actions.register_box(actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            apply_action_error(form, exc)
        else:
            messages.success(request, f"已登记 {box.code}")
            return redirect("web:opinion-box", code=box.code)
    return render(request, "web/collection/boxes/form.html", {"form": form},
                  status=422 if posted else 200)


def _box(request, code: str) -> OpinionBox:
    return access_record(request.user, OpinionBox, code=code)


@collection_required
def box_detail(request, code: str):
    box = _box(request, code)
    openings = list(box.openings.all())
    context = {"box": box, "openings": openings,
               "may_record": may_record_for(request.user, box.unit),
               "opening_form": OpeningForm(auto_id="id_opening_%s"),
               "appeals": appeals_from(request.user, [box], openings),
               "slips": sum(o.slips for o in openings)}
    return render(request, "web/collection/boxes/detail.html", context)


@collection_required
def box_edit(request, code: str):
    box = _box(request, code)
    if not may_record_for(request.user, box.unit):
        return render(request, "web/staff/forbidden.html", status=403)
    posted = request.method == "POST"
    initial = {"code": box.code, "kind": box.kind, "place": box.place,
               "region": box.region.code if box.region else "", "unit": box.unit.code,
               "installed_on": box.installed_on, "status": box.status}
    form = BoxForm(request.POST if posted else None, user=request.user, initial=initial)
    if posted and form.is_valid():
        try:
            actions.update_box(box, actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            apply_action_error(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("web:opinion-box", code=box.code)
    return render(request, "web/collection/boxes/form.html", {"form": form, "box": box},
                  status=422 if posted else 200)


def resident_link(request, box: OpinionBox) -> str:
    """The absolute address the label's QR code holds: the H5 form with the box's code
    (no personal data, nothing else)."""
    return request.build_absolute_uri(reverse("web:submit") + f"?box={box.code}")


@collection_required
def box_label(request, code: str):
    box = _box(request, code)
    link = resident_link(request, box)
    qr = segno.make(link, error="m")
    return render(request, "web/collection/boxes/label.html",
                  {"box": box, "link": link, "qr_svg": qr.svg_inline(border=2, omitsize=True)})


@require_POST
@collection_required
def box_opening(request, code: str):
    box = _box(request, code)
    if not may_record_for(request.user, box.unit):
        return render(request, "web/staff/forbidden.html", status=403)
    form = OpeningForm(request.POST, auto_id="id_opening_%s")
    if form.is_valid():
        try:
            opening = actions.record_opening(box, actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            apply_action_error(form, exc)
        else:
            messages.success(request, f"已登记开箱：{opening.slips} 条意见，请逐条录入诉求")
            return redirect("web:opinion-box-transcribe", code=box.code, opening=opening.pk)
    openings = list(box.openings.all())
    context = {"box": box, "openings": openings, "may_record": may_record_for(request.user,
                                                                              box.unit),
               "opening_form": form, "appeals": appeals_from(request.user, [box], openings),
               "slips": sum(o.slips for o in openings)}
    return render(request, "web/collection/boxes/detail.html", context, status=422)


@collection_required
def opening_transcribe(request, code: str, opening: int):
    box = _box(request, code)
    found = box.openings.filter(pk=opening).first()
    if found is None:
        raise Http404("开箱记录不存在")
    if not may_record_for(request.user, box.unit):
        return render(request, "web/staff/forbidden.html", status=403)
    posted = request.method == "POST"
    extra = max(3, min(found.slips, 20))
    formset = appeal_rows(request.POST if posted else None, region=box.region, extra=extra)
    report: RowsReport | None = None
    problems: list[tuple[int, str, str]] = []
    if posted:
        report, problems = run_rows(formset, lambda rows: actions.transcribe_slips(
            found, rows, actor=request.user))
        if report and report.done and not problems:
            messages.success(request, f"已录入 {len(report.done)} 件诉求")
            return redirect("web:opinion-box", code=box.code)
    context = {"box": box, "opening": found, "formset": formset, "report": report,
               "problems": problems,
               "appeals": appeals_from(request.user, [found])}
    status = 422 if problems or (posted and report is None) else 200
    return render(request, "web/collection/boxes/transcribe.html", context, status=status)

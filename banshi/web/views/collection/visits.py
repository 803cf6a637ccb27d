"""入户走访: a worker's own list (works on a phone), one visit with the appeals raised at
it, and a day's visits in one form. Households' names and addresses are masked outside the
visit's unit (collection.permissions.may_see_personal)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render

from banshi.appeals.errors import ActionError
from banshi.appeals.masking import mask_address, mask_name
from banshi.collection.access import access_record
from banshi.collection.actions import visits as actions
from banshi.collection.actions.appeal_rows import RowsReport
from banshi.collection.models import HouseholdVisit
from banshi.collection.permissions import may_record_for, may_see_personal
from banshi.org import permissions

from ...box_forms import VisitDayForm, VisitForm, appeal_rows, filled_rows, visit_rows
from ...forms import apply_action_error
from .gates import appeals_from, collection_required, recorder_required, row_problems, run_rows

PAGE_SIZE = 30
VISIT_FIELDS = {"region": "所在社区", "household_name": "户主/联系人", "address": "住址",
                "people_met": "人次", "notes": "走访记录"}


def household(user, visit: HouseholdVisit) -> dict[str, str]:
    """The visit's household as `user` may see it."""
    if may_see_personal(user, visit.unit):
        return {"name": visit.household_name, "address": visit.address}
    return {"name": mask_name(visit.household_name), "address": mask_address(visit.address)}


@collection_required
def visit_list(request):
    visits = (HouseholdVisit.objects.visible_to(request.user)
              .select_related("unit", "region").order_by("-visited_on", "-id"))
    totals = visits.aggregate(people=Coalesce(Sum("people_met"), 0))
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(visit, household(request.user, visit)) for visit in page]
    return render(request, "web/collection/visits/list.html",
                  {"page": page, "rows": rows, "total": page.paginator.count,
                   "people": totals["people"], "unit": permissions.unit_of(request.user)})


@recorder_required
def visit_new(request):
    posted = request.method == "POST"
    unit = permissions.unit_of(request.user)
    initial = {"region": unit.region.code} if unit and unit.region_id and \
        unit.region.level == "community" else {}
    form = VisitForm(request.POST if posted else None, user=request.user, initial=initial)
    formset = appeal_rows(request.POST if posted else None, extra=2)
    if posted and form.is_valid() and all(f.is_valid() for _, f in filled_rows(formset)):
        try:
            visit = actions.record_visit(actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            apply_action_error(form, exc)
        else:
            report, problems = run_rows(formset, lambda rows: actions.raise_from_visit(
                visit, rows, actor=request.user))
            raised = len(report.done) if report else 0
            messages.success(request, f"已登记走访{f'，录入诉求 {raised} 件' if raised else ''}")
            if problems:
                messages.error(request, "有诉求未能录入，请在本页补录")
            return redirect("web:household-visit", pk=visit.pk)
    problems = row_problems(filled_rows(formset)) if posted else []
    return render(request, "web/collection/visits/form.html",
                  {"form": form, "formset": formset, "problems": problems},
                  status=422 if posted else 200)


@collection_required
def visit_detail(request, pk: int):
    visit = access_record(request.user, HouseholdVisit, pk=pk)
    may_record = may_record_for(request.user, visit.unit)
    posted = request.method == "POST" and may_record
    formset = appeal_rows(request.POST if posted else None, region=visit.region, extra=2)
    report: RowsReport | None = None
    problems: list[tuple[int, str, str]] = []
    if posted:
        report, problems = run_rows(formset, lambda rows: actions.raise_from_visit(
            visit, rows, actor=request.user))
        if report and report.done and not problems:
            messages.success(request, f"已录入 {len(report.done)} 件诉求")
            return redirect("web:household-visit", pk=visit.pk)
    context = {"visit": visit, "household": household(request.user, visit),
               "may_record": may_record, "formset": formset, "report": report,
               "problems": problems, "posted_empty": posted and report is None and not problems,
               "appeals": appeals_from(request.user, [visit])}
    return render(request, "web/collection/visits/detail.html", context,
                  status=422 if posted else 200)


def _day_problems(numbered) -> list[tuple[int, str, str]]:
    return [(n, VISIT_FIELDS.get(name, ""), str(message)) for n, form in numbered
            for name, errors in form.errors.items() for message in errors]


@recorder_required
def visit_day(request):
    """A day's visits by the same visitors, one row per household; bad rows named by row and
    field (and kept on the page), good rows recorded."""
    posted = request.method == "POST"
    unit = permissions.unit_of(request.user)
    region_code = unit.region.code if unit and unit.region_id and \
        unit.region.level == "community" else ""
    form = VisitDayForm(request.POST if posted else None, user=request.user)
    formset = visit_rows(request.POST if posted else None, region_code=region_code)
    done: dict[int, HouseholdVisit] = {}
    problems: list[tuple[int, str, str]] = []
    if posted and form.is_valid():
        filled = filled_rows(formset)
        good = [(n, f) for n, f in filled if f.is_valid()]
        report = actions.record_day(actor=request.user, rows=[(n, f.cleaned_data)
                                                              for n, f in good],
                                    **form.cleaned_data)
        by_number = dict(good)
        for number, field, message in report.errors:
            apply_action_error(by_number[number], ActionError(message, field))
        done = {n: v for (n, _f), v in zip([g for g in good if g[0] not in
                                             {e[0] for e in report.errors}],
                                            report.visits, strict=True)}
        problems = _day_problems(filled)
        if done and not problems:
            people = sum(v.people_met for v in done.values())
            messages.success(request, f"已登记走访 {len(done)} 户、{people} 人次")
            return redirect("web:household-visits")
    return render(request, "web/collection/visits/day.html",
                  {"form": form, "formset": formset, "done": done, "problems": problems},
                  status=422 if posted else 200)

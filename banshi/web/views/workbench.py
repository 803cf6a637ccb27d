"""The dispatcher's workbench: the queue of appeals waiting for 派单, filtered, sorted and
paged, and 批量派单 of the appeals ticked on it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from banshi.appeals.choices import HANDLING_STATES, Action, ExtensionStatus, State
from banshi.appeals.models import Appeal, AppealEvent, ExtensionRequest
from banshi.org import permissions
from banshi.org.choices import Role

from ..bulk_forms import BulkDispatchForm, BulkReport
from ..filter_forms import WorkbenchFilter
from .common import dispatcher_required

PAGE_SIZE = 25
BACK_MAX = 2000  # the workbench's query string carried through the bulk form


def _returns(appeals: list[Appeal]) -> dict[int, AppealEvent]:
    """The latest 退单 event of each returned appeal on the page."""
    returned = [a.pk for a in appeals if a.state == State.RETURNED]
    reasons = {}
    for event in (AppealEvent.objects.filter(appeal_id__in=returned, action=Action.RETURN)
                  .select_related("unit").order_by("at", "id")):
        reasons[event.appeal_id] = event  # the latest return wins
    return reasons


def _summary(user) -> dict:
    visible = Appeal.objects.visible_to(user)
    counts = dict(visible.values_list("state").annotate(n=Count("id")).order_by())
    return {
        "counts": [(State(s).label, counts.get(s, 0)) for s in
                   (State.SUBMITTED, State.RETURNED, State.DISPATCHED, State.IN_PROGRESS,
                    State.RESOLVED, State.CLOSED)],
        "overdue_count": visible.filter(is_overdue=True, state__in=HANDLING_STATES).count(),
        "extensions": (ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING)
                       .select_related("appeal__unit").order_by("requested_at")),
    }


def render_workbench(request, query: QueryDict, *, bulk: BulkDispatchForm | None = None,
                     status: int = 200):
    user = request.user
    queryset = Appeal.objects.visible_to(user).select_related("region__parent")
    queue = WorkbenchFilter(query, queryset=queryset, request=request)
    valid = queue.is_valid()
    page = Paginator(queue.qs if valid else queryset.none(), PAGE_SIZE).get_page(
        query.get("page"))
    rows = list(page)
    reasons = _returns(rows)
    ticked = set(bulk["numbers"].value() or []) if bulk is not None else set()
    context = _summary(user) | {
        "panel": "dispatch",
        "role_label": dict(Role.choices).get(permissions.role_of(user) or "", ""),
        "unit": permissions.unit_of(user),
        "filter": queue, "page": page,
        "more_filters": any(query.get(k) for k in query if k not in ("q", "sort", "page")),
        "queue": [{"appeal": a, "returned": reasons.get(a.pk), "ticked": a.number in ticked}
                  for a in rows],
        "bulk": bulk or BulkDispatchForm(user=user, auto_id="id_bulk_%s"),
        "back": query.urlencode(),
    }
    return render(request, "web/staff/home.html", context,
                  status=status if valid else 400)


def _report(request, report: BulkReport) -> None:
    if report.done:
        messages.success(request, f"已派单{len(report.done)}件至{report.unit.name}："
                                  + "、".join(report.done))
    for number, reason in report.refused:
        messages.error(request, f"{number} 未派单：{reason}")


@dispatcher_required
@require_POST
def bulk_dispatch(request):
    """Dispatch each ticked appeal on its own; back to the same page of the workbench."""
    back = QueryDict(request.POST.get("back", "")[:BACK_MAX])
    form = BulkDispatchForm(request.POST, user=request.user, auto_id="id_bulk_%s")
    if not form.is_valid():
        messages.error(request, "批量派单未完成：" + "；".join(
            e for errors in form.errors.values() for e in errors))
        return render_workbench(request, back, bulk=form, status=422)
    _report(request, form.perform())
    return redirect(reverse("web:home") + ("?" + back.urlencode() if back else ""))

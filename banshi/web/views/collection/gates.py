"""The collection pages' gates and the rows of appeals raised from a record (shared by the
boxes', visits' and liaisons' pages)."""

from functools import wraps

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import render

from banshi.appeals.errors import ActionError
from banshi.appeals.models import Appeal
from banshi.collection.actions.appeal_rows import RowsReport
from banshi.collection.permissions import may_see_collection, units_for_recording

from ...box_forms import filled_rows
from ...forms import apply_action_error
from ..common import staff_required

FIELD_LABELS = {"title": "标题", "content": "内容", "region": "所在社区",
                "contact_name": "姓名", "contact_phone": "电话", "address": "地址"}


def collection_required(view):
    """Staff who may open the collection pages (district roles, unit staff); 403 otherwise."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_see_collection(request.user):
            return render(request, "web/staff/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def recorder_required(view):
    """Those who may record for some unit (the create pages); 403 otherwise."""

    @collection_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not units_for_recording(request.user).exists():
            return render(request, "web/staff/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def row_problems(numbered_forms) -> list[tuple[int, str, str]]:
    """(row, field label, message) for every error of the numbered forms."""
    problems = []
    for number, form in numbered_forms:
        for name, errors in form.errors.items():
            label = FIELD_LABELS.get(name, "") if name != "__all__" else ""
            problems += [(number, label, str(message)) for message in errors]
    return problems


def run_rows(formset, submit) -> tuple[RowsReport | None, list[tuple[int, str, str]]]:
    """The filled rows of `formset`: the valid ones through `submit(rows) -> RowsReport`
    (an action), each refusal shown on its row; returns the report and every row's problems
    (row number, field, message)."""
    filled = filled_rows(formset)
    good = [(n, form) for n, form in filled if form.is_valid()]
    report = None
    if good:
        report = submit([(n, form.row()) for n, form in good])  # type: ignore[attr-defined]
        by_number = dict(good)
        for number, field, message in report.errors:
            apply_action_error(by_number[number], ActionError(message, field))
    return report, row_problems(filled)


def appeals_from(user, *sources) -> list[Appeal]:
    """The appeals raised from `sources` (records of one model each) that `user` may see."""
    found = Appeal.objects.none()
    for records in sources:
        records = list(records)
        if not records:
            continue
        kind = ContentType.objects.get_for_model(records[0])
        found = found | Appeal.objects.filter(source_type=kind,
                                              source_id__in=[r.pk for r in records])
    return list(Appeal.objects.visible_to(user).filter(pk__in=found.values("pk"))
                .order_by("-created_at")[:200])

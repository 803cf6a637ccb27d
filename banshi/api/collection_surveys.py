"""/api/v1/collection/surveys: questionnaires the caller may see, with handed-out and returned
counts, and one questionnaire's results (counted from records, like the pages)."""

import datetime as dt

from ninja import Router, Schema
from ninja.pagination import paginate

from banshi.collection import survey_results
from banshi.collection.access import access_record
from banshi.collection.choices import QuestionKind
from banshi.collection.models import Questionnaire

from . import schemas as s
from .auth import bearer
from .pagination import Pages

router = Router(tags=["collection"])
STAFF = {400: s.Error, 401: s.Error, 422: s.Error}
TEXTS_MAX = 50


class SurveyOut(Schema):
    id: int
    title: str
    unit_code: str
    unit_name: str
    status: str
    one_per_device: bool
    published_at: dt.datetime | None
    closed_at: dt.datetime | None
    distributed: int
    returned: int
    return_rate: float | None


class UnitReturns(Schema):
    unit_code: str
    unit_name: str
    distributed: int
    returned: int
    return_rate: float | None


class OptionCount(Schema):
    label: str
    count: int
    share: float


class QuestionOut(Schema):
    id: int
    number: int
    kind: str
    text: str
    required: bool
    answered: int
    counts: list[OptionCount]
    average: float | None
    texts: list[str]


class SurveyResults(SurveyOut):
    units: list[UnitReturns]
    questions: list[QuestionOut]


def survey_out(row: Questionnaire, distributed: int, returned: int) -> dict:
    return {"id": row.pk, "title": row.title, "unit_code": row.unit.code,
            "unit_name": row.unit.name, "status": row.status,
            "one_per_device": row.one_per_device, "published_at": row.published_at,
            "closed_at": row.closed_at, "distributed": distributed, "returned": returned,
            "return_rate": survey_results.rate(returned, distributed)}


@router.get("", response={200: list[SurveyOut]} | STAFF, auth=bearer,
            summary="调查问卷：调用者可见的问卷及其发放、回收份数和回收率")
@paginate(Pages)
def list_surveys(request):
    rows = survey_results.with_counts(
        Questionnaire.objects.visible_to(request.user).select_related("unit"))
    return [survey_out(row, row.distributed, row.returned)  # annotated by with_counts
            for row in rows.order_by("-created_at", "-id")]


@router.get("/{survey_id}/results", response={200: SurveyResults, 404: s.Error} | STAFF,
            auth=bearer, summary="问卷统计：各单位回收率，每道题的选项人数、评分均值和填空回答")
def survey_results_view(request, survey_id: int):
    row = access_record(request.user, Questionnaire, pk=survey_id)
    units, total = survey_results.by_unit(row)
    questions = []
    for number, result in enumerate(survey_results.question_results(
            row, texts_limit=TEXTS_MAX), start=1):
        question = result.question
        questions.append({
            "id": question.pk, "number": number, "kind": question.kind, "text": question.text,
            "required": question.required, "answered": result.answered,
            "counts": [{"label": label, "count": count, "share": share}
                       for label, count, share in result.rows],
            "average": result.average,
            "texts": [text for _, text in result.texts]
            if question.kind == QuestionKind.TEXT else []})
    return survey_out(row, total.handed_out, total.returned) | {
        "units": [{"unit_code": u.unit_code, "unit_name": u.unit_name,
                   "distributed": u.handed_out, "returned": u.returned,
                   "return_rate": u.rate} for u in units],
        "questions": questions}

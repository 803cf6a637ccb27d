"""A questionnaire's figures: handed out, returned and the return rate per unit, and each
question's results — counted from Distribution and Response rows, never stored.

Return rate = returned / handed out (paper copies plus online sends). A unit with
distributions and no responses counts with 0 returned (rate 0%); a unit with responses and no
distribution record (e.g. a resident who found the link elsewhere) counts its returns, and
its rate is shown as "—" since nothing was recorded as handed out to divide by. The totals
divide all returns by all copies handed out.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .choices import QuestionKind
from .models import Distribution, Question, Questionnaire, Response


def rate(returned: int, handed_out: int) -> float | None:
    """Returned / handed out as a fraction, None when nothing was handed out."""
    return returned / handed_out if handed_out else None


def with_counts(questionnaires: QuerySet) -> QuerySet:
    """Annotate `distributed` (copies) and `returned` (responses) without joining both."""
    copies = (Distribution.objects.filter(questionnaire=OuterRef("pk"))
              .values("questionnaire").annotate(n=Sum("copies")).values("n"))
    returned = (Response.objects.filter(questionnaire=OuterRef("pk"))
                .values("questionnaire").annotate(n=Count("id")).values("n"))
    return questionnaires.annotate(
        distributed=Coalesce(Subquery(copies, output_field=IntegerField()), Value(0)),
        returned=Coalesce(Subquery(returned, output_field=IntegerField()), Value(0)))


@dataclass
class UnitRow:
    unit_id: int
    unit_name: str
    unit_code: str = ""
    handed_out: int = 0
    returned: int = 0

    @property
    def rate(self) -> float | None:
        return rate(self.returned, self.handed_out)


def by_unit(questionnaire: Questionnaire) -> tuple[list[UnitRow], UnitRow]:
    """(a row per unit that handed out or returned, the total row)."""
    rows: dict[int, UnitRow] = {}
    names = ("unit_id", "unit__name", "unit__code")
    handed = questionnaire.distributions.values(*names).annotate(n=Sum("copies"))
    for item in handed:
        rows[item["unit_id"]] = UnitRow(item["unit_id"], item["unit__name"],
                                        item["unit__code"], handed_out=item["n"])
    back = questionnaire.responses.values(*names).annotate(n=Count("id"))
    for item in back:
        row = rows.setdefault(item["unit_id"], UnitRow(item["unit_id"], item["unit__name"],
                                                       item["unit__code"]))
        row.returned = item["n"]
    ordered = sorted(rows.values(), key=lambda r: (-r.handed_out, -r.returned, r.unit_name))
    total = UnitRow(0, "合计", "", sum(r.handed_out for r in ordered),
                    sum(r.returned for r in ordered))
    return ordered, total


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    # choices: (option, count, share of those who answered); ratings: (score, count, share)
    rows: list[tuple[str, int, float]] = field(default_factory=list)
    average: float | None = None
    texts: list[tuple[Response, str]] = field(default_factory=list)

    def chart(self) -> dict:
        """What the chart script draws: labels and counts."""
        return {"id": self.question.pk, "kind": self.question.kind,
                "labels": [label for label, _, _ in self.rows],
                "counts": [count for _, count, _ in self.rows]}


def _tally(question: Question, answers: list[object]) -> QuestionResult:
    result = QuestionResult(question, answered=len(answers))
    counts: Counter[int] = Counter()
    if question.kind == QuestionKind.MULTIPLE:
        for answer in answers:
            if isinstance(answer, list):
                counts.update(a for a in answer if isinstance(a, int))
    else:
        counts.update(a for a in answers if isinstance(a, int))
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        labels = list(enumerate(question.options))
    elif question.kind == QuestionKind.RATING:
        labels = [(score, f"{score}分") for score in range(1, question.scale + 1)]
        scores = [a for a in answers if isinstance(a, int)]
        result.average = sum(scores) / len(scores) if scores else None
    else:
        return result
    answered = result.answered or 1
    result.rows = [(str(label), counts[key], counts[key] / answered) for key, label in labels]
    return result


def question_results(questionnaire: Questionnaire, *, texts_limit: int = 200
                     ) -> list[QuestionResult]:
    """Each question's results over every response: choice counts and shares (of those who
    answered the question; a multiple-choice question's shares add up to more than 100%),
    a rating's average and spread, a text question's answers (newest first, up to
    `texts_limit`)."""
    questions = list(questionnaire.questions.order_by("order", "id"))
    collected: dict[int, list[object]] = {q.pk: [] for q in questions}
    texts: dict[int, list[tuple[Response, str]]] = {q.pk: [] for q in questions}
    text_ids = {q.pk for q in questions if q.kind == QuestionKind.TEXT}
    for response in questionnaire.responses.order_by("-submitted_at", "-id").iterator(
            chunk_size=2000):
        for question in questions:
            answer = response.answers.get(str(question.pk))
            if answer is None:
                continue
            collected[question.pk].append(answer)
            if question.pk in text_ids and len(texts[question.pk]) < texts_limit:
                texts[question.pk].append((response, str(answer)))
    results = []
    for question in questions:
        result = _tally(question, collected[question.pk])
        result.texts = texts[question.pk]
        results.append(result)
    return results

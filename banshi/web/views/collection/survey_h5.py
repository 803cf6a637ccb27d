"""The resident's questionnaire (H5, no login): /h5/survey/<token>/, reached by link or QR.

POST → redirect → GET thank-you page. One response per device by default: the device is the
H5 pages' signed cookie (web/clients.py), stored only as a keyed digest. Accepted responses
count against the same limiter as appeals (ratelimit "submit" scope); a form with errors
costs nothing.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from banshi.appeals.errors import ActionError
from banshi.collection import answers as survey_answers
from banshi.collection.actions import surveys as actions
from banshi.collection.choices import QuestionKind, QuestionnaireStatus, ResponseSource
from banshi.collection.models import Question, Questionnaire
from banshi.org.models import Unit

from ... import ratelimit
from ...clients import device_id
from ..resident import resident_page

DONE = "h5_survey_done"  # session key: the token of the questionnaire just answered


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def posted_values(data):
    """values_for(question) over a POSTed form."""
    return lambda question: data.getlist(field_name(question))


def answer_fields(questions, data, errors: dict[int, str]) -> list[dict]:
    """What the form template draws for each question: its inputs' name, the choices, what
    was entered (on an error) and the error."""
    rows = []
    for number, question in enumerate(questions, start=1):
        values = data.getlist(field_name(question)) if data is not None else []
        choices: list[tuple[str, str]] = []
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            choices = [(str(i), str(o)) for i, o in enumerate(question.options)]
        elif question.kind == QuestionKind.RATING:
            choices = [(str(i), str(i)) for i in range(1, question.scale + 1)]
        rows.append({"q": question, "number": number, "name": field_name(question),
                     "choices": choices, "values": values,
                     "text": values[0] if values else "",
                     "error": errors.get(question.pk, ""),
                     "text_max": survey_answers.TEXT_MAX})
    return rows


def _published(token: str) -> Questionnaire:
    found = Questionnaire.objects.filter(token=token).exclude(
        status=QuestionnaireStatus.DRAFT).select_related("unit").first()
    if found is None:
        raise Http404("问卷不存在")
    return found


def _attributed_unit(questionnaire: Questionnaire, code: str) -> Unit:
    """`?u=<unit code>`: a unit below the questionnaire's or one that handed it out; the
    questionnaire's own unit otherwise."""
    code = code.strip()[:64]
    if code:
        unit = Unit.objects.filter(code=code, is_active=True).first()
        if unit is not None and (unit.path.startswith(questionnaire.unit.path)
                                 or questionnaire.distributions.filter(unit=unit).exists()):
            return unit
    return questionnaire.unit


@resident_page
@require_http_methods(["GET", "POST"])
def survey(request, token: str):
    questionnaire = _published(token)
    questions = list(questionnaire.questions.order_by("order", "id"))
    context = {"q": questionnaire, "closed": questionnaire.status != "published"}
    if request.method != "POST" or context["closed"]:
        device = device_id(request)
        if device and questionnaire.one_per_device and questionnaire.responses.filter(
                device_hash=actions.device_digest(device)).exists():
            context["refusal"] = actions.ONE_PER_DEVICE  # said before they fill it again
        return render(request, "web/h5/survey.html",
                      context | {"fields": answer_fields(questions, None, {})})
    errors: dict[int, str] = {}
    refusal = ""
    try:
        with ratelimit.reserve(request, "submit"):
            actions.submit_response(
                questionnaire, values_for=posted_values(request.POST),
                source=ResponseSource.ONLINE, device=device_id(request),
                unit=_attributed_unit(questionnaire, request.GET.get("u", "")))
    except actions.AnswersInvalid as exc:
        errors = exc.errors
    except ActionError as exc:
        refusal = exc.message
    else:
        request.session[DONE] = questionnaire.token
        return redirect("web:survey-done", token=questionnaire.token)
    fields = answer_fields(questions, request.POST, errors)
    return render(request, "web/h5/survey.html",
                  context | {"fields": fields, "errors": errors, "refusal": refusal},
                  status=409 if refusal else 422)


@resident_page
@require_http_methods(["GET"])
def survey_done(request, token: str):
    questionnaire = _published(token)
    return render(request, "web/h5/survey_done.html",
                  {"q": questionnaire, "just_sent": request.session.get(DONE) == token})

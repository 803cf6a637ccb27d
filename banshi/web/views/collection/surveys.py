"""Questionnaire pages for staff: the list, the designer (questions while a draft), publish
and close, distributions, paper entry and Excel import, the printable QR code, results with
charts, the Excel export, and turning a text answer into an appeal.

Views parse and call banshi/collection/actions/surveys.py; a questionnaire the user may not
see is a 404 (collection.access), one they may see but not manage answers 403.
"""

import io
from functools import wraps

import segno
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from banshi.appeals.errors import ActionError, InvalidInput, NotPermitted
from banshi.collection import survey_results
from banshi.collection.access import access_record
from banshi.collection.actions import surveys as actions
from banshi.collection.choices import QuestionKind, QuestionnaireStatus, ResponseSource
from banshi.collection.models import AnswerAppeal, Question, Questionnaire, Response
from banshi.collection.permissions import may_record_for, may_see_collection
from banshi.collection.survey_sheets import import_responses, write_responses, write_template

from ...forms import apply_action_error
from ..common import staff_required
from . import survey_forms as f
from .survey_h5 import answer_fields, posted_values

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def collection_page(view):
    """Staff who may see collection records (the list is then scoped by unit)."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_see_collection(request.user):
            return render(request, "web/staff/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _questionnaire(request, pk: int) -> Questionnaire:
    return access_record(request.user, Questionnaire, pk=pk)


def _manageable(request, pk: int) -> Questionnaire:
    questionnaire = _questionnaire(request, pk)
    if not may_record_for(request.user, questionnaire.unit):
        raise NotPermitted("无权管理这份问卷")
    return questionnaire


def _forbidden(request, exc: ActionError):
    return render(request, "web/staff/forbidden.html", {"reason": exc.message}, status=403)


@collection_page
def questionnaire_list(request):
    rows = survey_results.with_counts(
        Questionnaire.objects.visible_to(request.user).select_related("unit"))
    rows = list(rows.order_by("-created_at", "-id"))
    for row in rows:
        row.rate = survey_results.rate(row.returned, row.distributed)
    can_create = f.units_for_recording(request.user).exists()
    return render(request, "web/collection/surveys/list.html",
                  {"rows": rows, "can_create": can_create})


@collection_page
@require_http_methods(["GET", "POST"])
def questionnaire_new(request):
    if not f.units_for_recording(request.user).exists():
        return render(request, "web/staff/forbidden.html", status=403)
    posted = request.method == "POST"
    form = f.QuestionnaireForm(request.POST if posted else None, user=request.user)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            row = actions.create_questionnaire(actor=request.user, unit=data["unit"],
                                               title=data["title"], intro=data["intro"],
                                               one_per_device=data["one_per_device"])
        except ActionError as exc:
            apply_action_error(form, exc)
        else:
            messages.success(request, "问卷已创建，请添加题目")
            return redirect("web:questionnaire", pk=row.pk)
    return render(request, "web/collection/surveys/new.html", {"form": form},
                  status=422 if posted else 200)


def public_link(request, questionnaire: Questionnaire) -> str:
    """The absolute address of the H5 form: it holds only the unguessable token."""
    return request.build_absolute_uri(reverse("web:survey", args=[questionnaire.token]))


def _detail_context(request, questionnaire: Questionnaire, **forms) -> dict:
    manage = may_record_for(request.user, questionnaire.unit)
    draft = questionnaire.status == QuestionnaireStatus.DRAFT
    settings_form = f.QuestionnaireForm(
        initial={"title": questionnaire.title, "intro": questionnaire.intro,
                 "one_per_device": questionnaire.one_per_device}, with_unit=False)
    units, total = survey_results.by_unit(questionnaire)
    return {
        "q": questionnaire, "manage": manage, "draft": draft,
        "questions": list(questionnaire.questions.order_by("order", "id")),
        "settings_form": forms.get("settings") or settings_form,
        "question_form": forms.get("question") or f.QuestionForm(auto_id="id_new_%s"),
        "distribution_form": forms.get("distribution") or f.DistributionForm(
            user=request.user, initial={"unit": questionnaire.unit.code}),
        "distributions": questionnaire.distributions.select_related("unit"),
        "units": units, "total": total,
        "link": public_link(request, questionnaire) if not draft else "",
    }


@collection_page
def questionnaire(request, pk: int):
    row = _questionnaire(request, pk)
    return render(request, "web/collection/surveys/detail.html", _detail_context(request, row))


def _act(request, row: Questionnaire, action: str):
    """One POSTed form of the detail page → its action; (done message, form or None)."""
    user = request.user
    if action in ("publish", "close"):
        getattr(actions, action)(row, actor=user)
        return ("问卷已发布，可以分享链接和二维码" if action == "publish" else "问卷已结束"), None
    form_class = {"settings": f.QuestionnaireForm, "question": f.QuestionForm,
                  "distribution": f.DistributionForm}.get(action)
    if form_class is None:
        raise Http404("未知的操作")
    kwargs = {"with_unit": False} if action == "settings" else {}
    if action == "distribution":
        kwargs = {"user": user}
    form = form_class(request.POST, auto_id="id_new_%s" if action == "question" else "id_%s",
                      **kwargs)
    if not form.is_valid():
        return None, form
    data = form.cleaned_data
    try:
        if action == "settings":
            actions.update_questionnaire(row, actor=user, title=data["title"],
                                         intro=data["intro"],
                                         one_per_device=data["one_per_device"])
        elif action == "question":
            actions.save_question(row, actor=user, **form.action_fields())
        else:
            actions.record_distribution(row, actor=user, unit=data["unit"],
                                        distributed_on=data["distributed_on"],
                                        mode=data["mode"], copies=data["copies"],
                                        note=data["note"])
    except NotPermitted:
        raise
    except ActionError as exc:
        apply_action_error(form, exc)
        return None, form
    return {"settings": "已保存", "question": "已添加题目",
            "distribution": "已登记发放"}[action], None


@collection_page
@require_POST
def questionnaire_act(request, pk: int, action: str):
    try:
        row = _manageable(request, pk)
        done, form = _act(request, row, action)
    except NotPermitted as exc:
        return _forbidden(request, exc)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("web:questionnaire", pk=pk)
    if form is not None:
        messages.error(request, "填写的内容有误，请检查")
        context = _detail_context(request, row, **{action: form})
        return render(request, "web/collection/surveys/detail.html", context, status=422)
    messages.success(request, done)
    return redirect("web:questionnaire", pk=pk)


@collection_page
@require_http_methods(["GET", "POST"])
def question_edit(request, pk: int, question_id: int):
    try:
        row = _manageable(request, pk)
    except NotPermitted as exc:
        return _forbidden(request, exc)
    question = get_object_or_404(Question, pk=question_id, questionnaire=row)
    form = f.QuestionForm.for_question(question)
    if request.method == "POST":
        op = request.POST.get("op", "save")
        try:
            if op in ("up", "down"):
                actions.move_question(question, actor=request.user, up=op == "up")
            elif op == "delete":
                actions.delete_question(question, actor=request.user)
            else:
                form = f.QuestionForm(request.POST)
                if form.is_valid():
                    actions.save_question(row, actor=request.user, question=question,
                                          **form.action_fields())
                else:
                    raise InvalidInput("题目填写有误，请检查")
        except ActionError as exc:
            messages.error(request, exc.message)
            if op == "save" and form.is_bound:
                apply_action_error(form, exc)
                return render(request, "web/collection/surveys/question.html",
                              {"q": row, "question": question, "form": form}, status=422)
        else:
            messages.success(request, "已删除题目" if op == "delete" else "已保存")
        return redirect(reverse("web:questionnaire", args=[pk]) + "#questions")
    return render(request, "web/collection/surveys/question.html",
                  {"q": row, "question": question, "form": form})


@collection_page
def questionnaire_qr(request, pk: int):
    """The printable page: title, QR code (inline SVG) and the link."""
    row = _questionnaire(request, pk)
    if row.status == QuestionnaireStatus.DRAFT:
        raise Http404("问卷尚未发布")
    link = public_link(request, row)
    svg = segno.make(link, error="m").svg_inline(scale=8, border=2, title=row.title)
    return render(request, "web/collection/surveys/qr.html",
                  {"q": row, "link": link, "svg": mark_safe(svg)})  # noqa: S308 (segno's SVG)


@collection_page
@require_http_methods(["GET", "POST"])
def paper_entry(request, pk: int):
    """A paper questionnaire typed in by staff: the H5 form's questions, source=paper."""
    try:
        row = _manageable(request, pk)
    except NotPermitted as exc:
        return _forbidden(request, exc)
    questions = list(row.questions.order_by("order", "id"))
    posted = request.method == "POST"
    unit_form = f.PaperUnitForm(request.POST if posted else None, user=request.user,
                                initial={"unit": row.unit.code})
    errors: dict[int, str] = {}
    if posted and unit_form.is_valid():
        try:
            actions.submit_response(row, values_for=posted_values(request.POST),
                                    source=ResponseSource.PAPER, actor=request.user,
                                    unit=unit_form.cleaned_data["unit"])
        except actions.AnswersInvalid as exc:
            errors = exc.errors
        except ActionError as exc:
            unit_form.add_error(None, exc.message)
        else:
            messages.success(request, "已录入一份纸质答卷，可继续录入下一份")
            return redirect("web:questionnaire-paper", pk=pk)
    fields = answer_fields(questions, request.POST if posted else None, errors)
    return render(request, "web/collection/surveys/paper.html",
                  {"q": row, "unit_form": unit_form, "fields": fields, "errors": errors},
                  status=422 if posted else 200)


@collection_page
@require_http_methods(["GET", "POST"])
def responses_import(request, pk: int):
    try:
        row = _manageable(request, pk)
    except NotPermitted as exc:
        return _forbidden(request, exc)
    posted = request.method == "POST"
    form = f.ImportForm(request.POST if posted else None, request.FILES if posted else None,
                        user=request.user, initial={"unit": row.unit.code})
    report = None
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            report = import_responses(row, data["file"], filename=data["file"].name,
                                      actor=request.user, unit=data["unit"],
                                      all_or_nothing=data["all_or_nothing"])
        except ActionError as exc:
            form.add_error(None, exc.message)
    status = 422 if posted and (report is None or report.errors) else 200
    return render(request, "web/collection/surveys/import.html",
                  {"q": row, "form": form, "report": report}, status=status)


def _xlsx(write, row: Questionnaire, name: str) -> FileResponse:
    buffer = io.BytesIO()
    write(row, buffer)
    buffer.seek(0)
    filename = f"{name}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX)


@collection_page
def import_template(request, pk: int):
    return _xlsx(write_template, _questionnaire(request, pk), "问卷导入模板")


@collection_page
def responses_export(request, pk: int):
    return _xlsx(write_responses, _questionnaire(request, pk), "问卷答卷")


@collection_page
def results(request, pk: int):
    row = _questionnaire(request, pk)
    units, total = survey_results.by_unit(row)
    per_question = survey_results.question_results(row)
    turned = {(a.response_id, a.question_id): a.appeal
              for a in AnswerAppeal.objects.filter(response__questionnaire=row)
              .select_related("appeal")}
    return render(request, "web/collection/surveys/results.html", {
        "q": row, "units": units, "total": total, "results": per_question,
        "charts": [r.chart() for r in per_question if r.question.kind != QuestionKind.TEXT],
        "turned": turned, "manage": may_record_for(request.user, row.unit)})


@collection_page
@require_http_methods(["GET", "POST"])
def answer_appeal(request, pk: int, response_id: int, question_id: int):
    """一键转诉求: a text answer → an appeal whose source is the response (once)."""
    try:
        row = _manageable(request, pk)
    except NotPermitted as exc:
        return _forbidden(request, exc)
    response = get_object_or_404(Response, pk=response_id, questionnaire=row)
    question = get_object_or_404(Question, pk=question_id, questionnaire=row,
                                 kind=QuestionKind.TEXT)
    text = str(response.answers.get(str(question.pk)) or "")
    done = AnswerAppeal.objects.filter(response=response, question=question).first()
    posted = request.method == "POST" and done is None
    form = f.AnswerAppealForm(request.POST if posted else None,
                              initial={"title": text.splitlines()[0][:40] if text else ""})
    if posted and form.is_valid():
        try:
            appeal = actions.answer_to_appeal(response, question, actor=request.user,
                                              title=form.cleaned_data["title"],
                                              region=form.cleaned_data["region"])
        except ActionError as exc:
            apply_action_error(form, exc)
        else:
            messages.success(request, f"已转为诉求 {appeal.number}")
            return redirect(reverse("web:questionnaire-results", args=[pk])
                            + f"#question-{question.pk}")
    return render(request, "web/collection/surveys/answer_appeal.html",
                  {"q": row, "response": response, "question": question, "text": text,
                   "form": form, "done": done},
                  status=422 if posted else 200)

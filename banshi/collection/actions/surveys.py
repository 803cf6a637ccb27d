"""Questionnaires (问卷): design while a draft, publish (questions frozen), close; hand out;
take responses (online, paper, import); turn a text answer into an appeal.

Each action checks the actor's right (collection/permissions.py) and the questionnaire's
state, and changes the rows in one transaction. Views, the API, the import and the demo call
these; nothing else writes a questionnaire.
"""

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Sequence

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from banshi.appeals import actions as appeal_actions
from banshi.appeals.actions.base import optional_text, require_text
from banshi.appeals.choices import Channel
from banshi.appeals.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from banshi.appeals.models import Appeal
from banshi.org.models import Region, Unit

from .. import answers as survey_answers
from ..choices import (
    DistributionMode,
    QuestionKind,
    QuestionnaireStatus,
    RecordAction,
    ResponseSource,
)
from ..models import AnswerAppeal, Distribution, Question, Questionnaire, Response
from ..permissions import may_record_for
from .common import record_event

TITLE_MAX = 200
INTRO_MAX = 5000
NOTE_MAX = 200
COPIES_MAX = 1_000_000
ONLINE_LABEL = "群众(H5问卷)"  # who answers the H5 form: no account
ONE_PER_DEVICE = "您已经填写过这份问卷，每台设备只能提交一次，感谢您的参与！"


def _require_right(actor: User | None, unit: Unit | None) -> None:
    if actor is None or not may_record_for(actor, unit):
        raise NotPermitted("无权为该单位管理问卷", "unit")


def _require_draft(questionnaire: Questionnaire) -> None:
    if questionnaire.status != QuestionnaireStatus.DRAFT:
        raise TransitionNotAllowed("问卷已发布，题目不能再修改")


def _locked(questionnaire: Questionnaire) -> Questionnaire:
    return Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)


def _texts(title: str, intro: str) -> tuple[str, str]:
    return (require_text(title, "title", "问卷标题", TITLE_MAX),
            optional_text(intro, "intro", "说明", INTRO_MAX))


def create_questionnaire(*, actor: User, unit: Unit, title: str, intro: str = "",
                         one_per_device: bool = True) -> Questionnaire:
    """A new questionnaire of `unit`, a draft with no questions."""
    _require_right(actor, unit)
    title, intro = _texts(title, intro)
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(unit=unit, title=title, intro=intro,
                                                     one_per_device=one_per_device,
                                                     created_by=actor)
        record_event(questionnaire, RecordAction.CREATE, actor=actor)
    return questionnaire


def update_questionnaire(questionnaire: Questionnaire, *, actor: User, title: str,
                         intro: str = "", one_per_device: bool = True) -> Questionnaire:
    """Title and introduction while a draft; the one-per-device switch until it is closed."""
    _require_right(actor, questionnaire.unit)
    title, intro = _texts(title, intro)
    with transaction.atomic():
        row = _locked(questionnaire)
        if row.status == QuestionnaireStatus.CLOSED:
            raise TransitionNotAllowed("问卷已结束，不能再修改")
        if row.status != QuestionnaireStatus.DRAFT and (title, intro) != (row.title, row.intro):
            raise TransitionNotAllowed("问卷已发布，标题和说明不能再修改")
        changed = [name for name, value in (("title", title), ("intro", intro),
                                            ("one_per_device", one_per_device))
                   if getattr(row, name) != value]
        row.title, row.intro, row.one_per_device = title, intro, one_per_device
        row.save(update_fields=["title", "intro", "one_per_device"])
        record_event(row, RecordAction.UPDATE, actor=actor, data={"fields": changed})
    return row


def _question_fields(kind: str, text: str, options: Sequence[str], scale: int) -> dict:
    if kind not in QuestionKind.values:
        raise InvalidInput("请选择题型", "kind")
    text = require_text(text, "text", "题目", survey_answers.QUESTION_MAX)
    choices: list[str] = []
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        try:
            choices = survey_answers.clean_options("\n".join(options))
        except survey_answers.AnswerError as exc:
            raise InvalidInput(exc.message, "options") from exc
        if len(choices) < 2:
            raise InvalidInput("选择题至少需要两个选项(每行一个)", "options")
    if kind == QuestionKind.RATING and not (
            survey_answers.SCALE_MIN <= scale <= survey_answers.SCALE_MAX):
        raise InvalidInput(f"评分上限应在{survey_answers.SCALE_MIN}到"
                           f"{survey_answers.SCALE_MAX}之间", "scale")
    return {"kind": kind, "text": text, "options": choices,
            "scale": scale if kind == QuestionKind.RATING else 5}


def save_question(questionnaire: Questionnaire, *, actor: User, kind: str, text: str,
                  required: bool = True, options: Sequence[str] = (), scale: int = 5,
                  question: Question | None = None) -> Question:
    """Add a question at the end, or change `question`; only while a draft."""
    _require_right(actor, questionnaire.unit)
    fields = _question_fields(kind, text, options, scale) | {"required": required}
    with transaction.atomic():
        _require_draft(_locked(questionnaire))
        if question is None:
            last = questionnaire.questions.aggregate(m=Max("order"))["m"]
            added = Question.objects.create(questionnaire=questionnaire,
                                            order=(last or 0) + 1, **fields)
            record_event(questionnaire, RecordAction.ADD_QUESTION, actor=actor,
                         data={"question": added.pk, "order": added.order})
            return added
        if question.questionnaire_id != questionnaire.pk:
            raise InvalidInput("题目不属于这份问卷")
        Question.objects.filter(pk=question.pk).update(**fields)
        question.refresh_from_db()
        record_event(questionnaire, RecordAction.EDIT_QUESTION, actor=actor,
                     data={"question": question.pk, "order": question.order})
        return question


def move_question(question: Question, *, actor: User, up: bool) -> None:
    """Swap a question with the one before (`up`) or after it; only while a draft."""
    questionnaire = question.questionnaire
    _require_right(actor, questionnaire.unit)
    with transaction.atomic():
        _require_draft(_locked(questionnaire))
        ordered = list(questionnaire.questions.order_by("order", "id"))
        at = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
        other = at - 1 if up else at + 1
        if not 0 <= other < len(ordered):
            return
        ordered[at], ordered[other] = ordered[other], ordered[at]
        for order, item in enumerate(ordered, start=1):
            if item.order != order:
                Question.objects.filter(pk=item.pk).update(order=order)
        record_event(questionnaire, RecordAction.MOVE_QUESTION, actor=actor,
                     data={"question": question.pk, "order": other + 1})


def delete_question(question: Question, *, actor: User) -> None:
    _require_right(actor, question.questionnaire.unit)
    with transaction.atomic():
        _require_draft(_locked(question.questionnaire))
        pk = question.pk
        question.delete()
        record_event(question.questionnaire, RecordAction.DELETE_QUESTION, actor=actor,
                     data={"question": pk})


def publish(questionnaire: Questionnaire, *, actor: User) -> Questionnaire:
    """Open the H5 form (its link and QR code); the questions are frozen from now on."""
    _require_right(actor, questionnaire.unit)
    with transaction.atomic():
        row = _locked(questionnaire)
        if row.status != QuestionnaireStatus.DRAFT:
            raise TransitionNotAllowed("只有草稿状态的问卷可以发布")
        if not row.questions.exists():
            raise InvalidInput("问卷至少需要一道题目才能发布")
        row.status, row.published_at = QuestionnaireStatus.PUBLISHED, timezone.now()
        row.save(update_fields=["status", "published_at"])
        record_event(row, RecordAction.PUBLISH, actor=actor,
                     data={"questions": row.questions.count()})
    return row


def close(questionnaire: Questionnaire, *, actor: User) -> Questionnaire:
    """Stop taking online responses (paper ones may still be entered)."""
    _require_right(actor, questionnaire.unit)
    with transaction.atomic():
        row = _locked(questionnaire)
        if row.status != QuestionnaireStatus.PUBLISHED:
            raise TransitionNotAllowed("只有已发布的问卷可以结束")
        row.status, row.closed_at = QuestionnaireStatus.CLOSED, timezone.now()
        row.save(update_fields=["status", "closed_at"])
        record_event(row, RecordAction.CLOSE, actor=actor,
                     data={"responses": row.responses.count()})
    return row


def record_distribution(questionnaire: Questionnaire, *, actor: User, unit: Unit,
                        distributed_on: dt.date, mode: str, copies: int,
                        note: str = "") -> Distribution:
    """问卷发放: `copies` handed out (paper) or sent (online) by `unit` on a day."""
    _require_right(actor, questionnaire.unit)
    _require_right(actor, unit)
    if questionnaire.status == QuestionnaireStatus.DRAFT:
        raise TransitionNotAllowed("问卷发布后才能登记发放")
    if mode not in DistributionMode.values:
        raise InvalidInput("请选择发放方式", "mode")
    if not 1 <= copies <= COPIES_MAX:
        raise InvalidInput(f"发放份数应在1到{COPIES_MAX}之间", "copies")
    if distributed_on > timezone.localdate():
        raise InvalidInput("发放日期不能晚于今天", "distributed_on")
    note = optional_text(note, "note", "说明", NOTE_MAX)
    with transaction.atomic():
        distribution = Distribution.objects.create(questionnaire=questionnaire, unit=unit,
                                                   distributed_on=distributed_on, mode=mode,
                                                   copies=copies, note=note, created_by=actor)
        record_event(questionnaire, RecordAction.DISTRIBUTE, actor=actor, note=note,
                     data={"copies": copies, "mode": mode, "unit": unit.code,
                           "distributed_on": distributed_on.isoformat()})
    return distribution


def device_digest(device: str) -> str:
    """A keyed digest of a device id: the same phone gives the same digest, and the stored
    digest tells nothing about the cookie."""
    key = f"banshi.survey.device:{settings.SECRET_KEY}".encode()
    return hmac.new(key, device.encode(), hashlib.sha256).hexdigest()


class AnswersInvalid(InvalidInput):
    """Some answers cannot be accepted; `errors` maps question id → message."""

    def __init__(self, errors: dict[int, str]):
        super().__init__("问卷有未完成或不正确的回答，请检查", "answers")
        self.errors = errors


def submit_response(questionnaire: Questionnaire, *,
                    values_for: Callable[[Question], Sequence[str]],
                    source: str = ResponseSource.ONLINE, unit: Unit | None = None,
                    device: str | None = None, actor: User | None = None) -> Response:
    """One returned questionnaire. Online (no actor): only while published, once per device
    when the questionnaire says so. Paper (staff): also after it closed, for a unit the actor
    may record for. `unit` is who handed it out (the questionnaire's unit when None)."""
    unit = unit or questionnaire.unit
    if source == ResponseSource.ONLINE:
        if questionnaire.status != QuestionnaireStatus.PUBLISHED:
            raise TransitionNotAllowed("问卷未发布或已结束")
    else:
        _require_right(actor, questionnaire.unit)
        _require_right(actor, unit)
        if questionnaire.status == QuestionnaireStatus.DRAFT:
            raise TransitionNotAllowed("问卷发布后才能录入答卷")
    answers, errors = survey_answers.check_all(questionnaire.questions.all(), values_for)
    if errors:
        raise AnswersInvalid(errors)
    digest = device_digest(device) if device and source == ResponseSource.ONLINE else ""
    with transaction.atomic():
        row = _locked(questionnaire)
        if digest and row.one_per_device and row.responses.filter(device_hash=digest).exists():
            raise TransitionNotAllowed(ONE_PER_DEVICE, "device")
        response = Response.objects.create(questionnaire=row, unit=unit, source=source,
                                           answers=answers, device_hash=digest,
                                           entered_by=actor)
        online = source == ResponseSource.ONLINE
        record_event(row, RecordAction.SUBMIT_RESPONSE if online else RecordAction.ENTER_RESPONSE,
                     actor=None if online else actor, label=ONLINE_LABEL if online else None,
                     data={"response": response.pk, "unit": unit.code})
        return response


def add_imported(questionnaire: Questionnaire, rows: Sequence[dict[str, object]], *,
                 actor: User, unit: Unit) -> int:
    """Responses already checked by the import (answers dicts), in one transaction."""
    _require_right(actor, questionnaire.unit)
    _require_right(actor, unit)
    if questionnaire.status == QuestionnaireStatus.DRAFT:
        raise TransitionNotAllowed("问卷发布后才能导入答卷")
    with transaction.atomic():
        created = Response.objects.bulk_create(
            Response(questionnaire=questionnaire, unit=unit, source=ResponseSource.IMPORT,
                     answers=answers, entered_by=actor) for answers in rows)
        record_event(questionnaire, RecordAction.IMPORT_RESPONSES, actor=actor,
                     data={"responses": len(created), "unit": unit.code})
    return len(created)


def answer_to_appeal(response: Response, question: Question, *, actor: User, title: str,
                     region: Region | None = None) -> Appeal:
    """Turn a text answer into an appeal (channel 调查问卷, source the response), once."""
    _require_right(actor, response.questionnaire.unit)
    if question.questionnaire_id != response.questionnaire_id or \
            question.kind != QuestionKind.TEXT:
        raise InvalidInput("只有填空题的回答可以转为诉求", "question")
    content = str(response.answers.get(str(question.pk)) or "")
    if not content:
        raise InvalidInput("这道题没有回答", "question")
    try:
        with transaction.atomic():
            Response.objects.select_for_update().get(pk=response.pk)
            if AnswerAppeal.objects.filter(response=response, question=question).exists():
                raise TransitionNotAllowed("这条意见已经转为诉求")
            appeal, _ = appeal_actions.submit_appeal(
                title=title, content=content, channel=Channel.SURVEY, region=region,
                actor=actor, collected_at=response.submitted_at, source=response)
            AnswerAppeal.objects.create(response=response, question=question, appeal=appeal,
                                        created_by=actor)
            record_event(response.questionnaire, RecordAction.ANSWER_TO_APPEAL, actor=actor,
                         data={"response": response.pk, "question": question.pk,
                               "appeals": [appeal.number]})
    except IntegrityError:
        raise TransitionNotAllowed("这条意见已经转为诉求") from None
    return appeal

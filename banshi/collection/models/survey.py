import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from banshi.org.models import Unit

from ..choices import DistributionMode, QuestionKind, QuestionnaireStatus, ResponseSource
from .base import Record


def public_token() -> str:
    return secrets.token_urlsafe(12)


class Questionnaire(Record):
    """A 调查问卷: designed by a unit, published as an H5 form (link and QR code, no login),
    handed out on paper and online (Distribution), answered (Response)."""

    DATE_FIELD = "published_at"

    title = models.CharField("问卷标题", max_length=200)
    intro = models.TextField("说明", blank=True)
    status = models.CharField("状态", max_length=16, choices=QuestionnaireStatus.choices,
                              default=QuestionnaireStatus.DRAFT, db_index=True)
    one_per_device = models.BooleanField("每台设备限答一次", default=True)
    token = models.CharField(max_length=32, unique=True, default=public_token, editable=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "调查问卷"

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One question: single or multiple choice (`options`), a rating (1..`scale`) or text."""

    questionnaire = models.ForeignKey(Questionnaire, models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    kind = models.CharField("题型", max_length=16, choices=QuestionKind.choices)
    text = models.CharField("题目", max_length=500)
    required = models.BooleanField("必答", default=True)
    options = models.JSONField("选项", default=list, blank=True)
    scale = models.PositiveSmallIntegerField("评分上限", default=5)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "问卷题目"

    def __str__(self) -> str:
        return self.text


class Distribution(models.Model):
    """问卷发放: how many copies a unit handed out on a day, on paper or online."""

    questionnaire = models.ForeignKey(Questionnaire, models.CASCADE,
                                      related_name="distributions")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="发放单位")
    distributed_on = models.DateField("发放日期", db_index=True)
    mode = models.CharField("方式", max_length=16, choices=DistributionMode.choices)
    copies = models.PositiveIntegerField("发放份数")
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")

    class Meta:
        ordering = ["-distributed_on", "-id"]
        verbose_name = verbose_name_plural = "问卷发放"

    def __str__(self) -> str:
        return f"{self.unit} {self.distributed_on} {self.copies}"


class Response(models.Model):
    """One returned questionnaire (回收): filled online, entered from paper or imported.
    `answers` maps question id → the answer (choice index, list of indexes, rating, text)."""

    questionnaire = models.ForeignKey(Questionnaire, models.CASCADE, related_name="responses")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="回收单位")
    source = models.CharField("来源", max_length=16, choices=ResponseSource.choices)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    answers = models.JSONField("答案", default=dict)
    # a keyed digest of the device cookie (one response per device), never the cookie itself
    device_hash = models.CharField(max_length=64, blank=True, db_index=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = verbose_name_plural = "问卷答卷"

    def __str__(self) -> str:
        return f"{self.questionnaire_id} #{self.pk}"


class AnswerAppeal(models.Model):
    """A text answer turned into an appeal (一键转为诉求): the appeal's source is the Response;
    this row says which question's answer it came from, so an answer is turned only once."""

    response = models.ForeignKey(Response, models.CASCADE, related_name="answer_appeals")
    question = models.ForeignKey(Question, models.CASCADE, related_name="+")
    appeal = models.OneToOneField("appeals.Appeal", models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"],
                                               name="survey_answer_appeal_once")]
        verbose_name = verbose_name_plural = "问卷意见转诉求"

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id} → {self.appeal_id}"

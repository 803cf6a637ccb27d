import secrets

from django.db import models
from django.utils import timezone

from banshi.collection.models.base import Record
from banshi.org.models import Unit

from ..choices import SpeakerKind, StudyKind


def signin_token() -> str:
    return secrets.token_urlsafe(12)


class Speaker(models.Model):
    """Someone who gives lectures: a Party secretary (百名书记讲党史), an expert of the
    lecture team (宣讲团), a veteran, an old Party member, a model worker, a teacher."""

    name = models.CharField("姓名", max_length=50)
    kind = models.CharField("类型", max_length=16, choices=SpeakerKind.choices)
    title = models.CharField("身份/职务", max_length=200, blank=True)
    unit = models.ForeignKey(Unit, models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name="所在单位")
    bio = models.TextField("简介", blank=True)
    is_active = models.BooleanField("在册", default=True)

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = verbose_name_plural = "宣讲人"

    def __str__(self) -> str:
        return self.name


class Venue(models.Model):
    """A red education venue (红色教育基地) units visit."""

    name = models.CharField("名称", max_length=100, unique=True)
    address = models.CharField("地址", max_length=200, blank=True)
    description = models.TextField("简介", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "红色教育基地"

    def __str__(self) -> str:
        return self.name


class StudyActivity(Record):
    """A study activity or lecture organised by `unit`: 中心组学习, 三会一课, 主题党日,
    专题党课, 宣讲, 红色基地参观 (with `venue`), 开学第一课 … `person_times` is the audience
    (人次); the optional sign-in list is filled on phones by QR code."""

    DATE_FIELD = "held_on"

    kind = models.CharField("类型", max_length=20, choices=StudyKind.choices)
    title = models.CharField("主题", max_length=200)
    held_on = models.DateField("日期", db_index=True)
    place = models.CharField("地点", max_length=200, blank=True)
    venue = models.ForeignKey(Venue, models.PROTECT, null=True, blank=True,
                              related_name="visits", verbose_name="红色教育基地")
    speaker = models.ForeignKey(Speaker, models.PROTECT, null=True, blank=True,
                                related_name="lectures", verbose_name="主讲人")
    is_special = models.BooleanField("专题学习", default=False,
                                     help_text="中心组专题学习(研讨)等专题安排")
    person_times = models.PositiveIntegerField("参加人次", default=0)
    summary = models.TextField("内容摘要", blank=True)
    signin_token = models.CharField(max_length=32, unique=True, default=signin_token,
                                    editable=False)
    signin_open = models.BooleanField("开放扫码签到", default=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "学习活动"

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class StudySignIn(models.Model):
    """One person signed in to a study activity (by QR on a phone, or entered by staff)."""

    activity = models.ForeignKey(StudyActivity, models.CASCADE, related_name="signins")
    name = models.CharField("姓名", max_length=50)
    organisation = models.CharField("单位/支部", max_length=100, blank=True)
    signed_in_at = models.DateTimeField("签到时间", default=timezone.now)
    device = models.CharField(max_length=64, blank=True, editable=False,
                              help_text="签到设备的加盐摘要(防重复签到)，不存原始地址")

    class Meta:
        ordering = ["signed_in_at", "id"]
        verbose_name = verbose_name_plural = "签到"

    def __str__(self) -> str:
        return self.name


class StudyFile(models.Model):
    """A photo or material kept with a study activity."""

    activity = models.ForeignKey(StudyActivity, models.CASCADE, related_name="files")
    file = models.FileField(upload_to="campaign/study/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "学习活动附件"

    def __str__(self) -> str:
        return self.name

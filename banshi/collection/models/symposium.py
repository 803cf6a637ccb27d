import secrets

from django.db import models

from banshi.org.models import Region

from ..choices import SymposiumKind
from .base import Record


def signin_token() -> str:
    return secrets.token_urlsafe(12)


class Symposium(Record):
    """A 座谈会 or consultation (征求意见座谈会, 一楼一议协商会, 物业联席会) held by a unit;
    the appeals raised there carry it as their source (Appeal.source)."""

    DATE_FIELD = "held_on"

    code = models.CharField("编号", max_length=32, unique=True)
    kind = models.CharField("类型", max_length=20, choices=SymposiumKind.choices,
                            default=SymposiumKind.SOLICITATION)
    held_on = models.DateField("召开日期", db_index=True)
    place = models.CharField("地点", max_length=200, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="所在社区")
    topic = models.CharField("主题", max_length=200)
    participants = models.PositiveIntegerField("参会人数", default=0)
    minutes = models.TextField("会议纪要", blank=True)
    # the sign-in page's unguessable address (the QR code on the printed sign-in sheet)
    signin_token = models.CharField(max_length=32, unique=True, default=signin_token,
                                    editable=False)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "座谈会"

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


class SymposiumParticipant(models.Model):
    """One person at a symposium (the optional list), entered by staff or signed in by QR."""

    symposium = models.ForeignKey(Symposium, models.CASCADE, related_name="attendees")
    name = models.CharField("姓名", max_length=100)
    role = models.CharField("身份", max_length=100, blank=True,
                            help_text="如：居民代表、楼栋长、物业、人大代表")
    organisation = models.CharField("单位/小区", max_length=200, blank=True)
    signed_in_at = models.DateTimeField("签到时间", null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "参会人员"

    def __str__(self) -> str:
        return self.name


class SymposiumAttachment(models.Model):
    """A file kept with a symposium (minutes scan, photos, sign-in sheet)."""

    symposium = models.ForeignKey(Symposium, models.CASCADE, related_name="files")
    file = models.FileField(upload_to="collection/symposiums/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "座谈会附件"

    def __str__(self) -> str:
        return self.name

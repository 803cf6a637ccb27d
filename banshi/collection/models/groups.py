from django.conf import settings
from django.db import models

from banshi.org.models import Region

from ..choices import GroupKind
from .base import Record


class OnlineGroup(Record):
    """A WeChat group, QQ group or online platform (心通桥 …) a unit watches for appeals."""

    DATE_FIELD = "created_at"

    kind = models.CharField("类型", max_length=16, choices=GroupKind.choices)
    name = models.CharField("群名称/平台", max_length=200)
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="所在社区")
    members = models.PositiveIntegerField("成员数", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        ordering = ["unit__path", "kind", "name"]
        verbose_name = verbose_name_plural = "网络群组与平台"

    def __str__(self) -> str:
        return self.name


class GroupMessage(models.Model):
    """A message pasted from a group, kept word for word with the sender's alias and time;
    the appeal entered from it carries it as its source."""

    group = models.ForeignKey(OnlineGroup, models.PROTECT, related_name="messages")
    sender_alias = models.CharField("发送人昵称", max_length=100)
    sent_at = models.DateTimeField("发送时间", db_index=True)
    text = models.TextField("原文")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = verbose_name_plural = "群消息"

    def __str__(self) -> str:
        return f"{self.group_id} {self.sender_alias}"

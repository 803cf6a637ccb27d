from django.db import models

from banshi.collection.models.base import Record

from ..choices import MeetingKind


class Meeting(Record):
    """A campaign meeting (动员大会, 推进会, 协调会, 周例会, 月度会议, 专题学习) held by
    `unit`; its decisions may each become a task."""

    DATE_FIELD = "held_on"

    kind = models.CharField("类型", max_length=20, choices=MeetingKind.choices)
    title = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("召开日期", db_index=True)
    place = models.CharField("地点", max_length=200, blank=True)
    chair = models.CharField("主持人", max_length=100, blank=True)
    attendees = models.TextField("参会人员", blank=True, help_text="姓名或单位，逗号或换行分隔")
    attendee_count = models.PositiveIntegerField("参会人数", default=0)
    minutes = models.TextField("会议纪要", blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "会议"

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class Decision(models.Model):
    """One decision of a meeting (议定事项). `task` is set when it was made a task."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="decisions")
    text = models.TextField("议定事项")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "议定事项"

    def __str__(self) -> str:
        return self.text[:40]

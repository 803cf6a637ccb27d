from django.conf import settings
from django.db import models

from banshi.collection.models.base import Record
from banshi.org.models import Unit

from ..choices import RectificationStatus, VisitRating
from .campaign import Campaign


class GuidanceGroup(Record):
    """A roving guidance group (巡回指导组) and the units it covers. `unit` keeps the record
    (the district office); members with an account (role 巡回指导组) record its visits."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="guidance_groups",
                                 verbose_name="活动")
    name = models.CharField("名称", max_length=100)
    order = models.PositiveIntegerField("排序", default=0)
    covered_units = models.ManyToManyField(Unit, blank=True, related_name="guidance_groups",
                                           verbose_name="督导单位")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "巡回指导组"

    def __str__(self) -> str:
        return self.name


class GuidanceMember(models.Model):
    group = models.ForeignKey(GuidanceGroup, models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("职务", max_length=50, blank=True, help_text="组长、副组长、成员")
    title = models.CharField("本职", max_length=100, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                             related_name="guidance_memberships", verbose_name="账号")

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "指导组成员"

    def __str__(self) -> str:
        return self.name


class GuidanceVisit(Record):
    """A group's supervision visit to one unit (`unit`: the visited unit, so its staff see
    it): findings and a rating; findings become rectification items."""

    DATE_FIELD = "visited_on"

    group = models.ForeignKey(GuidanceGroup, models.PROTECT, related_name="visits",
                              verbose_name="指导组")
    visited_on = models.DateField("督导日期", db_index=True)
    findings = models.TextField("发现问题", blank=True)
    highlights = models.TextField("工作亮点", blank=True)
    rating = models.CharField("评价", max_length=10, choices=VisitRating.choices,
                              default=VisitRating.GOOD)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = verbose_name_plural = "督导记录"

    def __str__(self) -> str:
        return f"{self.group} · {self.unit} · {self.visited_on:%Y-%m-%d}"


class Rectification(Record):
    """A rectification item (整改事项) from a visit's findings, owed by `unit`."""

    DATE_FIELD = "due_on"

    visit = models.ForeignKey(GuidanceVisit, models.CASCADE, related_name="rectifications",
                              verbose_name="督导记录")
    item = models.TextField("整改事项")
    due_on = models.DateField("整改时限")
    status = models.CharField("状态", max_length=8, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN)
    done_on = models.DateField("完成日期", null=True, blank=True)
    result = models.TextField("整改情况", blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = verbose_name_plural = "整改事项"

    def __str__(self) -> str:
        return self.item[:40]

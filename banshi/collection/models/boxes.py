from django.db import models

from banshi.org.models import Region

from ..choices import BoxKind, BoxStatus
from .base import Record


class OpinionBox(Record):
    """A 意见箱 or 征求意见台 in the registry; its printed QR label opens the H5 form with its
    community and channel filled in (appeals sent through it carry it as their source)."""

    DATE_FIELD = "installed_on"

    code = models.CharField("编号", max_length=32, unique=True)
    kind = models.CharField("类型", max_length=8, choices=BoxKind.choices, default=BoxKind.BOX)
    place = models.CharField("设置地点", max_length=200)
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="所在社区")
    installed_on = models.DateField("设置日期", db_index=True)
    status = models.CharField("状态", max_length=16, choices=BoxStatus.choices,
                              default=BoxStatus.ACTIVE, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "意见箱(征求意见台)"

    def __str__(self) -> str:
        return f"{self.code} {self.place}"


class BoxOpening(models.Model):
    """开箱: a box opened on a day by named staff, how many slips were in it; the appeals
    transcribed from the slips carry the opening as their source."""

    box = models.ForeignKey(OpinionBox, models.CASCADE, related_name="openings")
    opened_on = models.DateField("开箱日期", db_index=True)
    opened_by = models.CharField("开箱人", max_length=200)
    slips = models.PositiveIntegerField("意见条数", default=0)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = verbose_name_plural = "开箱记录"

    def __str__(self) -> str:
        return f"{self.box.code} {self.opened_on}"

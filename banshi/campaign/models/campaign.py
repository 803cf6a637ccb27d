import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Case, When

from ..choices import CampaignStatus


class CampaignQuerySet(models.QuerySet):
    def current(self) -> "Campaign | None":
        """The campaign running now: the latest started one not finished, else the latest."""
        return (self.alias(finished=Case(When(status=CampaignStatus.FINISHED, then=1),
                                         default=0))
                .order_by("finished", "-started_on").first())


class Campaign(models.Model):
    """The campaign (党史学习教育 / 我为群众办实事实践活动). Its start — the mobilisation
    meeting's day — is where every "截至目前" figure is counted from."""

    name = models.CharField("名称", max_length=200)
    started_on = models.DateField("启动日期",
                                  help_text="动员大会召开之日；各项“截至目前”统计由此日起算")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    goals = models.TextField("目标要求", blank=True,
                             help_text="每行一条，如：学史明理、学史增信、学史崇德、学史力行")
    status = models.CharField("状态", max_length=16, choices=CampaignStatus.choices,
                              default=CampaignStatus.RUNNING)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        verbose_name = verbose_name_plural = "活动"

    def __str__(self) -> str:
        return self.name

    @property
    def goal_list(self) -> list[str]:
        return [line.strip() for line in self.goals.replace("、", "\n").splitlines()
                if line.strip()]


def campaign_start() -> dt.date:
    """The current campaign's start; the BANSHI_CAMPAIGN_START setting before one exists."""
    campaign = Campaign.objects.current()
    return campaign.started_on if campaign else settings.BANSHI_CAMPAIGN_START

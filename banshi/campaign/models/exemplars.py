from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from banshi.collection.models.base import Record

from ..choices import NominationStatus, ObjectionStatus, RoundStage, StoryStatus


class Selection(Record):
    """An exemplar selection ("党史学习之星" or any other), run in rounds."""

    name = models.CharField("评选名称", max_length=100)
    description = models.TextField("评选说明", blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "评选活动"

    def __str__(self) -> str:
        return self.name


class SelectionRound(models.Model):
    """One round of a selection with its rules: who may be nominated (eligibility), how many
    each unit may nominate (quota), how panel scores and public votes weigh, and the 公示
    period. It moves through RoundStage one step at a time."""

    selection = models.ForeignKey(Selection, models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField("轮次", default=1)
    stage = models.CharField("阶段", max_length=12, choices=RoundStage.choices,
                             default=RoundStage.NOMINATING)
    # eligibility
    eligible_unit_kinds = models.JSONField("可推荐单位类型", default=list, blank=True,
                                           help_text="UnitKind 的值；空为所有单位")
    require_party_member = models.BooleanField("须为党员", default=True)
    min_party_years = models.PositiveIntegerField("最低党龄(年)", default=0)
    eligibility = models.TextField("推荐条件(说明)", blank=True)
    quota_per_unit = models.PositiveIntegerField("每单位推荐名额", default=1)
    places = models.PositiveIntegerField("评选名额", default=10)
    # scoring
    panel_weight = models.DecimalField("评审分权重", max_digits=4, decimal_places=2,
                                       default=Decimal("0.70"))
    vote_weight = models.DecimalField("群众投票权重", max_digits=4, decimal_places=2,
                                      default=Decimal("0.30"))
    public_vote = models.BooleanField("开放群众投票", default=True)
    votes_per_person = models.PositiveIntegerField("每人可投票数", default=1)
    # dates
    nominations_close_on = models.DateField("推荐截止", null=True, blank=True)
    voting_opens_on = models.DateField("投票开始", null=True, blank=True)
    voting_closes_on = models.DateField("投票截止", null=True, blank=True)
    publicity_starts_on = models.DateField("公示开始", null=True, blank=True)
    publicity_ends_on = models.DateField("公示结束", null=True, blank=True)
    published_on = models.DateField("结果发布日期", null=True, blank=True)

    class Meta:
        ordering = ["selection", "number"]
        constraints = [models.UniqueConstraint(fields=["selection", "number"],
                                               name="campaign_round_once")]
        verbose_name = verbose_name_plural = "评选轮次"

    def __str__(self) -> str:
        return f"{self.selection}(第{self.number}轮)"


class Nomination(Record):
    """A unit's nominee (`unit`: the nominating unit) with deeds and photo."""

    DATE_FIELD = "created_at"

    round = models.ForeignKey(SelectionRound, models.CASCADE, related_name="nominations",
                              verbose_name="评选轮次")
    nominee = models.CharField("被推荐人", max_length=50)
    nominee_title = models.CharField("单位及职务", max_length=200, blank=True)
    party_member = models.BooleanField("党员", default=True)
    party_years = models.PositiveIntegerField("党龄(年)", default=0)
    deeds = models.TextField("主要事迹")
    photo = models.ImageField("照片", upload_to="campaign/nominees/%Y/%m/", blank=True)
    status = models.CharField("状态", max_length=16, choices=NominationStatus.choices,
                              default=NominationStatus.PENDING)
    reject_reason = models.TextField("未通过原因", blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name="审核人")
    final_score = models.DecimalField("综合得分", max_digits=6, decimal_places=2, null=True,
                                      blank=True)
    rank = models.PositiveIntegerField("名次", null=True, blank=True)

    class Meta:
        ordering = ["round", "rank", "id"]
        verbose_name = verbose_name_plural = "推荐人选"

    def __str__(self) -> str:
        return self.nominee


class PanelScore(models.Model):
    """One judge's score (0–100) for one nominee."""

    nomination = models.ForeignKey(Nomination, models.CASCADE, related_name="scores")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                              verbose_name="评委")
    score = models.DecimalField("评分", max_digits=5, decimal_places=2)
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nomination", "judge"],
                                               name="campaign_score_once")]
        verbose_name = verbose_name_plural = "评委评分"

    def __str__(self) -> str:
        return f"{self.nomination} {self.score}"


class Vote(models.Model):
    """One public vote. `voter` is a salted hash of the voter's phone (never the number);
    the round's votes_per_person caps a voter's votes and one voter votes for a nominee
    once (the constraint)."""

    round = models.ForeignKey(SelectionRound, models.CASCADE, related_name="votes")
    nomination = models.ForeignKey(Nomination, models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64, db_index=True)
    device = models.CharField(max_length=64, blank=True)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nomination", "voter"],
                                               name="campaign_vote_once")]
        verbose_name = verbose_name_plural = "群众投票"

    def __str__(self) -> str:
        return f"{self.nomination} {self.cast_at:%Y-%m-%d %H:%M}"


class Objection(models.Model):
    """An objection raised during the 公示 period against a nominee, and its handling."""

    nomination = models.ForeignKey(Nomination, models.CASCADE, related_name="objections")
    text = models.TextField("异议内容")
    contact = models.CharField("联系方式", max_length=50, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    status = models.CharField("处理状态", max_length=10, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.OPEN)
    response = models.TextField("处理意见", blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name="处理人")

    class Meta:
        ordering = ["raised_at", "id"]
        verbose_name = verbose_name_plural = "公示异议"

    def __str__(self) -> str:
        return self.text[:40]


class GoodPractice(Record):
    """A unit's good practice (好做法好经验): written by the unit, reviewed by the office,
    published on the public page."""

    DATE_FIELD = "published_on"

    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    photo = models.ImageField("配图", upload_to="campaign/practices/%Y/%m/", blank=True)
    status = models.CharField("状态", max_length=10, choices=StoryStatus.choices,
                              default=StoryStatus.DRAFT)
    review_note = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name="审核人")
    published_on = models.DateField("发布日期", null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = verbose_name_plural = "好做法好经验"

    def __str__(self) -> str:
        return self.title

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from banshi.org.models import Region, Unit

from .appeal import Category


class TriageModelVersion(models.Model):
    """A trained classifier kept on disk; the active one suggests categories.

    A new version becomes active only when its held-out score is at least the active one's.
    """

    version = models.CharField("版本", max_length=64, unique=True)
    path = models.CharField("目录", max_length=500)
    created_at = models.DateTimeField("训练时间", default=timezone.now)
    n_train = models.PositiveIntegerField("训练样本数", default=0)
    macro_f1 = models.FloatField("留出集宏F1", null=True, blank=True)
    accuracy = models.FloatField("留出集准确率", null=True, blank=True)
    scores = models.JSONField("评估明细", default=dict, blank=True)
    data_source = models.CharField("训练数据", max_length=200, blank=True)
    is_active = models.BooleanField("当前使用", default=False, db_index=True)
    activated_at = models.DateTimeField("启用时间", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "分类模型版本"
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True),
                                    name="one_active_triage_model"),
        ]

    def __str__(self) -> str:
        return self.version


class RoutingRule(models.Model):
    """The editable routing table: appeals of a category (in a region) go to a unit.

    A rule applies to the suggested category (banshi.appeals.learning.suggest); with
    `keywords` it also applies to an appeal whose title or content names one of them, whatever
    category the model chose (e.g. 健身器材 → 区体育局 when the model only knows 教育文体).
    """

    category = models.ForeignKey(Category, models.CASCADE, related_name="routing_rules",
                                 verbose_name="分类")
    region = models.ForeignKey(
        Region, models.CASCADE, null=True, blank=True, related_name="routing_rules",
        verbose_name="区域(空=全区)",
    )
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="routing_rules",
                             verbose_name="承办单位")
    note = models.CharField("说明", max_length=200, blank=True)
    keywords = models.CharField(
        "关键词", max_length=200, blank=True,
        help_text="空格分隔；诉求标题或内容含其中任一词时，也建议此单位")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category__code", "region__code"]
        verbose_name = verbose_name_plural = "派单规则"
        constraints = [
            models.UniqueConstraint(fields=["category", "region"], name="unique_routing_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.category} → {self.unit}"

    def keyword_list(self) -> list[str]:
        return [word for word in self.keywords.split() if word]


class AutoDispatchRule(models.Model):
    """Per first-level category: dispatch automatically above this confidence (off by default)."""

    category = models.OneToOneField(Category, models.CASCADE, related_name="auto_dispatch",
                                    limit_choices_to={"level": 1}, verbose_name="一级分类")
    enabled = models.BooleanField("启用", default=False)
    threshold = models.FloatField(
        "置信度阈值", default=0.95, validators=[MinValueValidator(0.5), MaxValueValidator(1.0)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "自动派单设置"

    def __str__(self) -> str:
        return f"{self.category} ≥ {self.threshold:.2f}" + ("" if self.enabled else " (关闭)")

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from banshi.org.choices import Role
from banshi.org.models import Region, Unit

from ..choices import ProblemAction, ProblemSource, ProblemStatus
from .appeal import Category, EventQuerySet, SupervisionOrder


class ProblemQuerySet(models.QuerySet["Problem"]):
    def led_by(self, user) -> "ProblemQuerySet":
        """The problems `user` 包联: assigned to them, or owned by a unit they 包联 (or one of
        its sub-units)."""
        pk = getattr(user, "pk", None)
        if pk is None:  # not a signed-in account: no 包联 (and no "leaders IS NULL" match)
            return self.none()
        scope = Q(leaders__pk=pk)
        for path in Unit.objects.led_by(user).values_list("path", flat=True):
            scope |= Q(owner_unit__path__startswith=path)
        return self.filter(pk__in=Problem.objects.filter(scope).values("pk"))


class Problem(models.Model):
    """A shared problem (共性问题) behind many appeals, fixed once for all of them.

    The nightly detector proposes candidates (status candidate, with `candidate_appeals`);
    the dispatcher confirms, edits or rejects them. Confirmed problems own their linked
    appeals (`Appeal.problem`); resolving a problem answers every one of them.
    """

    code = models.CharField("编号", max_length=32, unique=True)
    title = models.CharField("问题", max_length=200)
    description = models.TextField("描述", blank=True)
    category = models.ForeignKey(
        Category, models.PROTECT, null=True, blank=True, related_name="problems",
        verbose_name="分类",
    )
    places = models.JSONField("地点/人群", default=list, blank=True)
    regions = models.ManyToManyField(Region, blank=True, related_name="problems",
                                     verbose_name="涉及社区")
    owner_unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="problems",
        verbose_name="牵头单位",
    )
    plan = models.TextField("整改方案", blank=True)
    status = models.CharField("状态", max_length=16, choices=ProblemStatus.choices,
                              default=ProblemStatus.CANDIDATE, db_index=True)
    source = models.CharField("来源", max_length=16, choices=ProblemSource.choices,
                              default=ProblemSource.MANUAL)
    heat = models.FloatField("热度指数", default=0, db_index=True)
    heat_components = models.JSONField("热度构成", default=dict, blank=True)
    period_start = models.DateTimeField("起始时间", null=True, blank=True)
    period_end = models.DateTimeField("截止时间", null=True, blank=True)
    candidate_appeals = models.ManyToManyField(
        "appeals.Appeal", blank=True, related_name="candidate_problems",
        verbose_name="候选诉求",
    )
    signature = models.CharField("聚类签名", max_length=64, blank=True, db_index=True)
    reply = models.TextField("统一答复", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    resolved_at = models.DateTimeField("解决时间", null=True, blank=True)
    # 包联: the district leaders who answer for this problem (banshi.org.LeaderAssignment
    # holds their units); changed only through banshi.appeals.actions.assign_leader.
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_problems",
        limit_choices_to={"staff__role": Role.LEADER}, verbose_name="包联领导")

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-heat", "-created_at"]
        verbose_name = verbose_name_plural = "共性问题"

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def progress(self) -> int:
        """The rectification's progress: the mean of its milestones' (0 without any).
        Uses prefetched milestones when the caller prefetched them."""
        steps = list(self.milestones.all())
        return round(sum(m.progress for m in steps) / len(steps)) if steps else 0

    def open_supervisions(self) -> "models.QuerySet[ProblemSupervision]":
        return self.supervisions.filter(answered_at__isnull=True)

    def overdue_milestones(self) -> list["Milestone"]:
        today = timezone.localdate()
        return [m for m in self.milestones.all()
                if m.due_date and m.due_date < today and m.progress < 100]


class Milestone(models.Model):
    """A step of a problem's rectification plan with its progress."""

    problem = models.ForeignKey(Problem, models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=200)
    due_date = models.DateField("计划完成", null=True, blank=True)
    progress = models.PositiveSmallIntegerField("进度%", default=0)
    note = models.TextField("说明", blank=True)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = verbose_name_plural = "整改节点"

    def __str__(self) -> str:
        return f"{self.title} {self.progress}%"


class ProblemEvent(models.Model):
    """Append-only record of what happened to a problem (who, when, what). Never edited or
    deleted: the model, its queryset and the database's triggers all refuse it."""

    problem = models.ForeignKey(Problem, models.PROTECT, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=16, choices=ProblemAction.choices)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "共性问题事件"

    def __str__(self) -> str:
        return f"{self.problem_id} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("problem events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("problem events are append-only")


class ProblemSupervision(SupervisionOrder):
    """A leader's 督办 on a shared problem, with its own due date, until its owner unit
    answers (the problem's counterpart of `Supervision`)."""

    problem = models.ForeignKey(Problem, models.CASCADE, related_name="supervisions")

    class Meta(SupervisionOrder.Meta):
        verbose_name = verbose_name_plural = "共性问题督办"

    def __str__(self) -> str:
        return f"{self.problem_id} 督办 {self.due_date}"

from django.conf import settings
from django.db import models
from django.utils import timezone

from banshi.appeals.models import Aspect
from banshi.collection.models.base import Record
from banshi.org.models import Unit

from ..choices import ActionKind, AssignmentStatus, MatterStatus
from .meetings import Decision
from .organisation import OrgMember


class Task(Record):
    """A work task (工作任务) issued by `unit` to one or more units with a deadline; from a
    meeting's decision or on its own. Each receiving unit reports on its own assignment."""

    DATE_FIELD = "issued_on"

    title = models.CharField("任务", max_length=200)
    description = models.TextField("任务要求", blank=True)
    kind = models.CharField("性质", max_length=16, choices=ActionKind.choices,
                            default=ActionKind.REQUIRED)
    issued_on = models.DateField("下达日期", db_index=True)
    due_on = models.DateField("完成时限", db_index=True)
    owner = models.ForeignKey(OrgMember, models.SET_NULL, null=True, blank=True,
                              related_name="tasks", verbose_name="牵头负责人")
    decision = models.OneToOneField(Decision, models.SET_NULL, null=True, blank=True,
                                    related_name="task", verbose_name="来源议定事项")

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = verbose_name_plural = "工作任务"

    def __str__(self) -> str:
        return self.title


class AssignmentQuerySet(models.QuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(status=AssignmentStatus.OPEN, task__due_on__lt=today)


class TaskAssignment(models.Model):
    """A task as one receiving unit holds it."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="campaign_tasks",
                             verbose_name="承办单位")
    status = models.CharField("状态", max_length=8, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.OPEN)
    completed_on = models.DateField("完成日期", null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["task__due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"],
                                               name="campaign_assignment_once")]
        verbose_name = verbose_name_plural = "任务分解"

    def __str__(self) -> str:
        return f"{self.task} · {self.unit}"

    @property
    def is_overdue(self) -> bool:
        return (self.status == AssignmentStatus.OPEN
                and self.task.due_on < timezone.localdate())


class TaskReport(models.Model):
    """A progress report on an assignment (进展报告)."""

    assignment = models.ForeignKey(TaskAssignment, models.CASCADE, related_name="reports")
    text = models.TextField("进展情况")
    reported_at = models.DateTimeField("报告时间", default=timezone.now)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name="报告人")

    class Meta:
        ordering = ["reported_at", "id"]
        verbose_name = verbose_name_plural = "任务进展"

    def __str__(self) -> str:
        return self.text[:40]


class PracticalMatter(Record):
    """One practical matter a unit commits to (办实事清单的一项): "清理违规户外广告50余处"
    is title 清理沿街违规户外广告, target 50, unit_label 处, done as progress comes in;
    销号 (closed) when done."""

    DATE_FIELD = "committed_on"

    title = models.CharField("实事项目", max_length=200)
    measure = models.TextField("措施", blank=True)
    kind = models.CharField("性质", max_length=16, choices=ActionKind.choices,
                            default=ActionKind.OPTIONAL)
    aspect = models.ForeignKey(Aspect, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="办实事方向")
    target_count = models.PositiveIntegerField("目标数量", default=1)
    done_count = models.PositiveIntegerField("完成数量", default=0)
    count_unit = models.CharField("计量单位", max_length=10, default="件",
                                  help_text="如：处、件、户、条、个")
    committed_on = models.DateField("列入清单日期", db_index=True)
    due_on = models.DateField("计划完成时间", null=True, blank=True)
    evidence = models.TextField("佐证材料说明", blank=True)
    status = models.CharField("状态", max_length=8, choices=MatterStatus.choices,
                              default=MatterStatus.OPEN)
    closed_on = models.DateField("销号日期", null=True, blank=True)

    class Meta:
        ordering = ["unit__path", "committed_on", "id"]
        verbose_name = verbose_name_plural = "办实事清单"

    def __str__(self) -> str:
        return self.title


class MatterProgress(models.Model):
    """Progress on a practical matter: how many more are done, with a note and evidence."""

    matter = models.ForeignKey(PracticalMatter, models.CASCADE, related_name="progress")
    added = models.PositiveIntegerField("本次完成数量", default=0)
    note = models.TextField("进展说明", blank=True)
    on = models.DateField("日期")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name="报告人")
    file = models.FileField("佐证材料", upload_to="campaign/matters/%Y/%m/", blank=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = verbose_name_plural = "实事进展"

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} +{self.added}"

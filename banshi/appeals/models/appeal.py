import datetime as dt
import hashlib
import hmac
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from banshi.org import permissions
from banshi.org.choices import UnitKind, UnitLevel
from banshi.org.models import Region, Unit

from ..choices import (
    HANDLING_STATES,
    Action,
    Channel,
    ExtensionStatus,
    PhotoKind,
    Rating,
    Solved,
    State,
    TriageSource,
    Urgency,
)


class Category(models.Model):
    """A node of the 3-level taxonomy (一级/二级/三级分类)."""

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("层级")
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级"
    )
    path_name = models.CharField("完整名称", max_length=255, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "诉求分类"

    def __str__(self) -> str:
        return self.path_name or self.name

    def save(self, *args, **kwargs):
        prefix = f"{self.parent.path_name}/" if self.parent_id else ""
        self.path_name = prefix + self.name
        super().save(*args, **kwargs)

    def lineage(self) -> list["Category"]:
        """[level 1, level 2, level 3] ancestors up to and including self."""
        chain: list[Category] = []
        node: Category | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def root(self) -> "Category":
        return self.lineage()[0]


class Aspect(models.Model):
    """One of the campaign's 办实事方向."""

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    description = models.TextField("说明", blank=True)
    # The report names four aspects; the demo's others wait for the district's wording.
    confirmed = models.BooleanField(
        "已确认", default=True, help_text="未确认(待确认)的方向在台账统计中标注“待确认”。")

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "办实事方向"

    def __str__(self) -> str:
        return self.name


class DeadlinePolicy(models.Model):
    """Response hours and handling working days for a first-level category and urgency.

    A row without a category is the default for its urgency.
    """

    category = models.ForeignKey(
        Category, models.CASCADE, null=True, blank=True, related_name="deadline_policies",
        limit_choices_to={"level": 1}, verbose_name="一级分类",
    )
    urgency = models.CharField("紧急程度", max_length=16, choices=Urgency.choices)
    response_hours = models.PositiveIntegerField("响应时限(小时)")
    handling_days = models.PositiveIntegerField("办理时限(工作日)")

    class Meta:
        verbose_name = verbose_name_plural = "办理时限"
        constraints = [
            models.UniqueConstraint(fields=["category", "urgency"], name="unique_policy"),
            models.UniqueConstraint(
                fields=["urgency"], condition=Q(category__isnull=True), name="unique_default_policy"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category or '默认'} {self.get_urgency_display()}"


class DailyCounter(models.Model):
    """The last tracking-number sequence used on a day."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class AppealQuerySet(models.QuerySet["Appeal"]):
    def visible_to(self, user: permissions.Person) -> "AppealQuerySet":
        """Appeals `user` may see: all for district roles; the unit's subtree for unit staff."""
        if permissions.sees_everything(user):
            return self.all()
        unit = permissions.unit_of(user)
        if unit is None:
            return self.none()
        scope = Q(unit__path__startswith=unit.path) | Q(collector_unit=unit)
        if unit.kind == UnitKind.COMMUNITY and unit.region_id:
            scope |= Q(region_id=unit.region_id)
        return self.filter(scope)

    def led_by(self, user: permissions.Person) -> "AppealQuerySet":
        """Cases of a leader's 包联: held by, or delegated down by, a unit they 包联 or one of
        its sub-units; not yet at any unit but located in a street they 包联; or linked to a
        problem they 包联 (banshi.org.LeaderAssignment, Problem.leaders)."""
        pk = getattr(user, "pk", None)
        if pk is None:  # not a signed-in account: no 包联
            return self.none()
        on_led_problems = self.model.objects.filter(problem__leaders__pk=pk)
        scope = Q(pk__in=on_led_problems.values("pk"))  # a subquery: no row per leader
        for unit in Unit.objects.led_by(user).only("path", "kind", "region"):
            scope |= Q(unit__path__startswith=unit.path)
            scope |= Q(delegated_by__path__startswith=unit.path)
            if unit.kind == UnitKind.STREET and unit.region_id:
                located = Q(region_id=unit.region_id) | Q(region__parent_id=unit.region_id)
                scope |= Q(unit__isnull=True) & located
        return self.filter(scope)

    def overdue_candidates(self, now: dt.datetime) -> "AppealQuerySet":
        late_response = Q(state=State.DISPATCHED, response_due_at__lt=now)
        late_handling = Q(state__in=HANDLING_STATES, handling_due_at__lt=now)
        return self.filter(is_overdue=False).filter(
            late_response | late_handling | late_delegation(now))


# States in which a community holds a case its street 转派'd to it (not once it answered).
DELEGATION_STATES = (State.DISPATCHED, State.IN_PROGRESS)


def late_delegation(now: dt.datetime) -> Q:
    """A case 转派'd to a sub-unit still holding it after its `delegation_due` (the end of
    that day, local time)."""
    return Q(delegated_by__isnull=False, state__in=DELEGATION_STATES,
             delegation_due__lt=timezone.localtime(now).date())


def level_of(unit: Unit | None) -> str:
    """办理层级 of a case held by `unit`: with no unit it is at the district (the dispatcher
    holds it, or invalidated it)."""
    return unit.level if unit is not None else UnitLevel.DISTRICT


def hash_query_code(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


class Appeal(models.Model):
    """One resident's request, complaint or suggestion (诉求), from any channel."""

    number = models.CharField("编号", max_length=32, unique=True)
    query_code_hash = models.CharField(max_length=64, editable=False)
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices, db_index=True)
    title = models.CharField("标题", max_length=200)
    content = models.TextField("内容")
    contact_name = models.CharField("诉求人", max_length=100, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    address = models.CharField("地址", max_length=255, blank=True)
    # A resident's device (or, without one, their network) as a keyed hash: counts distinct
    # residents of anonymous appeals; never the raw address (web.clients.submitter_key).
    submitter_key = models.CharField("提交来源(摘要)", max_length=32, blank=True, editable=False)
    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="appeals",
        verbose_name="所在社区",
    )
    collected_at = models.DateTimeField("收到时间", default=timezone.now, db_index=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="录入人",
    )
    collector_unit = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="collected_appeals",
        verbose_name="收集单位",
    )
    external_id = models.CharField("外部编号", max_length=64, blank=True, db_index=True)
    # 来源: the collection record the appeal came from (a symposium, a questionnaire's
    # answer, an opinion box or its opening, a household visit, a liaison's contact, a group
    # message — banshi.collection), kept as a generic link so appeals import nothing of it.
    source_type = models.ForeignKey(ContentType, models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="来源类型")
    source_id = models.PositiveBigIntegerField("来源记录", null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    category = models.ForeignKey(
        Category, models.PROTECT, null=True, blank=True, related_name="appeals",
        verbose_name="分类",
    )
    aspect = models.ForeignKey(
        Aspect, models.PROTECT, null=True, blank=True, related_name="appeals",
        verbose_name="办实事方向",
    )
    urgency = models.CharField(
        "紧急程度", max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="appeals",
        verbose_name="承办单位",
    )
    state = models.CharField(
        "状态", max_length=16, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    # 转派: the unit that delegated the case down to `unit` (one of its sub-units), which the
    # community returns it to and which reviews its answer; the community's due date.
    delegated_by = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="delegated_appeals",
        verbose_name="转派单位",
    )
    delegation_due = models.DateField("转派办理期限", null=True, blank=True)
    # 办理层级: the level of the unit holding the case; once answered, of the unit that
    # answered it (kept by save(), so every action that moves the case keeps it).
    level = models.CharField("办理层级", max_length=16, choices=UnitLevel.choices,
                             default=UnitLevel.DISTRICT, db_index=True)
    dispatched_at = models.DateTimeField("派单时间", null=True, blank=True)
    response_due_at = models.DateTimeField("响应期限", null=True, blank=True, db_index=True)
    handling_due_at = models.DateTimeField("办理期限", null=True, blank=True, db_index=True)
    deadline_estimated = models.BooleanField(
        "期限按工作日估算", default=False,
        help_text="办理期限所在年份的法定节假日安排尚未录入，按周一至周五计算")
    accepted_at = models.DateTimeField("接单时间", null=True, blank=True)
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    is_overdue = models.BooleanField("是否超期", default=False, db_index=True)
    reply = models.TextField("答复", blank=True)
    rating = models.CharField("评价", max_length=24, choices=Rating.choices, blank=True)
    rating_comment = models.TextField("评价意见", blank=True)
    # 问题是否解决: the resident's own answer with the rating (blank on older feedback).
    solved = models.CharField("问题是否解决", max_length=16, choices=Solved.choices, blank=True)
    # 电话回访: the dispatcher's last call-back answers (no state change; each is an event).
    # The metrics use the resident's own answers and fall back on these (banshi.reports).
    callback_solved = models.CharField("回访：问题是否解决", max_length=16,
                                       choices=Solved.choices, blank=True)
    callback_rating = models.CharField("回访：满意度", max_length=24, choices=Rating.choices,
                                       blank=True)
    callback_at = models.DateTimeField("回访时间", null=True, blank=True)
    reopen_count = models.PositiveIntegerField("重办次数", default=0)
    merged_into = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="merged_appeals",
        verbose_name="合并至",
    )
    problem = models.ForeignKey(
        "appeals.Problem", models.PROTECT, null=True, blank=True, related_name="appeals",
        verbose_name="共性问题",
    )
    likes = models.PositiveIntegerField("点赞数", default=0)
    # Triage: what the model suggested (top-3 per level, units with reasons), by which
    # version, and whether the category in use was set by a person or automatically.
    suggestion = models.JSONField("智能建议", default=dict, blank=True)
    suggested_category = models.ForeignKey(
        Category, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="建议分类",
    )
    suggestion_confidence = models.FloatField("建议置信度", null=True, blank=True)
    suggestion_model = models.CharField("模型版本", max_length=64, blank=True)
    triage_source = models.CharField(
        "分类来源", max_length=8, choices=TriageSource.choices, blank=True
    )

    objects = AppealQuerySet.as_manager()

    class Meta:
        ordering = ["-collected_at", "-id"]
        verbose_name = verbose_name_plural = "诉求"
        indexes = [models.Index(fields=["unit", "state"], name="appeal_unit_state"),
                   models.Index(fields=["source_type", "source_id"], name="appeal_source")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.level = level_of(self.unit if self.unit_id else None)
        fields = kwargs.get("update_fields")
        if fields is not None and "unit" in fields:
            kwargs["update_fields"] = {*fields, "level"}
        super().save(*args, **kwargs)

    def check_query_code(self, code: str) -> bool:
        return bool(code) and hmac.compare_digest(self.query_code_hash, hash_query_code(code))

    @property
    def street(self) -> Region | None:
        return self.region.street if self.region_id else None

    def category_levels(self) -> list[Category | None]:
        chain = self.category.lineage() if self.category_id else []
        return (chain + [None, None, None])[:3]

    def open_supervisions(self) -> "models.QuerySet[Supervision]":
        return self.supervisions.filter(answered_at__isnull=True)

    def pending_extension(self) -> "ExtensionRequest | None":
        """The unit's extension request awaiting the dispatcher's decision, if any."""
        return self.extension_requests.filter(status=ExtensionStatus.PENDING).first()

    def last_dispatch(self) -> "AppealEvent | None":
        """The event that last put the appeal in `dispatched` (a dispatch or an escalation)."""
        return (self.events.filter(to_state=State.DISPATCHED,
                                   action__in=[Action.DISPATCH, Action.ESCALATE])
                .order_by("-at", "-id").first())

    def is_auto_dispatched(self) -> bool:
        """Dispatched by the platform itself (not yet accepted, not dispatched again since)."""
        event = self.last_dispatch() if self.state == State.DISPATCHED else None
        return (event is not None and event.action == Action.DISPATCH
                and event.actor_id is None and bool(event.data.get("auto")))


_Event = TypeVar("_Event", bound=models.Model)


class EventQuerySet(models.QuerySet[_Event]):
    """The event logs' queryset: no bulk update or delete. The database refuses them too
    (triggers of migration appeals.0004_append_only_events), also for the base manager."""

    def update(self, **kwargs):
        raise TypeError("events are append-only")

    def delete(self):
        raise TypeError("events are append-only")


class AppealEvent(models.Model):
    """One change in an appeal's life. Written by actions only; never edited or deleted (the
    model, its queryset and the database's triggers all refuse it)."""

    appeal = models.ForeignKey(Appeal, models.PROTECT, related_name="events")
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="操作人",
    )
    actor_label = models.CharField("操作方", max_length=100, blank=True)
    action = models.CharField("动作", max_length=24, choices=Action.choices)
    from_state = models.CharField("原状态", max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=16, choices=State.choices)
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="涉及单位"
    )
    note = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "诉求事件"

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.action} {self.from_state}→{self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("appeal events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("appeal events are append-only")


class ExtensionRequest(models.Model):
    """A unit's request for more handling days, decided by the dispatcher."""

    appeal = models.ForeignKey(Appeal, models.CASCADE, related_name="extension_requests")
    days = models.PositiveIntegerField("延期工作日")
    reason = models.TextField("理由")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = verbose_name_plural = "延期申请"

    def __str__(self) -> str:
        return f"{self.appeal_id} +{self.days} ({self.status})"


class SupervisionOrder(models.Model):
    """A 督办 order: a leader's instruction with its own due date, open until answered (on
    an appeal: `Supervision`; on a shared problem: `ProblemSupervision`)."""

    instruction = models.TextField("督办要求")
    due_date = models.DateField("督办期限")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField("反馈", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["due_date", "id"]


class Supervision(SupervisionOrder):
    """A leader's 督办 instruction on an appeal, with its own due date, until answered."""

    appeal = models.ForeignKey(Appeal, models.CASCADE, related_name="supervisions")

    class Meta(SupervisionOrder.Meta):
        verbose_name = verbose_name_plural = "督办"

    def __str__(self) -> str:
        return f"{self.appeal_id} 督办 {self.due_date}"


def photo_path(instance: "Attachment", filename: str) -> str:
    return f"appeals/{timezone.localdate():%Y/%m}/{instance.sha256}.{instance.extension}"


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def for_resident(self) -> "AttachmentQuerySet":
        """Photos the appeal's resident may see: their own, public progress notes' and those
        of answers that reached them (not of an answer awaiting or refused 审核)."""
        return self.filter(public=True)


class Attachment(models.Model):
    """A photo, checked by content: sent with an appeal by its resident, or by the handling
    unit with its answer (答复) or a progress note (办理进展). Staff who may open the appeal
    see every one; the resident only those marked `public`, through a signed link."""

    appeal = models.ForeignKey(Appeal, models.CASCADE, related_name="attachments")
    kind = models.CharField("来源", max_length=16, choices=PhotoKind.choices,
                            default=PhotoKind.RESIDENT)
    # The event the photo came with (the submission, the answer, the progress note).
    event = models.ForeignKey(AppealEvent, models.PROTECT, null=True, blank=True,
                              related_name="attachments", verbose_name="所属记录")
    public = models.BooleanField(
        "群众可见", default=True,
        help_text="群众凭编号和查询码可以看到(自己上传的、公开的办理进展、已送达的答复)")
    file = models.FileField(upload_to=photo_path)
    content_type = models.CharField(max_length=40)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.file.name

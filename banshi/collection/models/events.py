"""The collection records' own log: every change a collection action makes to a record
(a symposium, questionnaire, box, visit, liaison or group — for a part such as a box opening
or a pairing, the record that owns it) is one RecordEvent. Append-only: the model, its
queryset and the database's triggers (migration collection.0003_record_events) all refuse
changing or deleting one. `data` holds counts, appeal numbers and changed field names, never
a resident's or household's name, phone or address."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from banshi.org.models import Unit

from ..choices import RecordAction


class RecordEventQuerySet(models.QuerySet):
    """No bulk update or delete (the database refuses them too, also for the base manager)."""

    def update(self, **kwargs):
        raise TypeError("record events are append-only")

    def delete(self):
        raise TypeError("record events are append-only")

    def of(self, record: models.Model) -> "RecordEventQuerySet":
        """The events of one record, newest first."""
        return self.filter(content_type=ContentType.objects.get_for_model(record),
                           object_id=record.pk).order_by("-at", "-id")


class RecordEvent(models.Model):
    """One change to a collection record. Written by the collection actions only
    (collection.actions.common.record_event); never edited or deleted."""

    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="所属单位")
    action = models.CharField("动作", max_length=24, choices=RecordAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="操作人",
    )
    actor_label = models.CharField("操作方", max_length=100, blank=True)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = RecordEventQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "记录操作日志"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"],
                                name="collection_event_record")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("record events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("record events are append-only")

    @property
    def actor_display(self) -> str:
        """Who did it: the account's name, or the label of an action without one."""
        if self.actor_id is None:
            return self.actor_label
        name = self.actor.get_full_name() or self.actor.get_username()
        return f"{name}({self.actor_label})" if self.actor_label else name

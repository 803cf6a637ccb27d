"""What every collection record shares: the unit it belongs to, and who may see it."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from banshi.org import permissions
from banshi.org.models import Unit


class RecordQuerySet(models.QuerySet):
    def visible_to(self, user: permissions.Person) -> "RecordQuerySet":
        """Records `user` may see, as with appeals: all for district roles; a unit's own and
        its sub-units' for unit staff (a street sees its communities'); none otherwise."""
        if permissions.sees_everything(user):
            return self.all()
        unit = permissions.unit_of(user)
        if unit is None:
            return self.none()
        return self.filter(unit__path__startswith=unit.path)

    def within(self, unit: Unit | None) -> "RecordQuerySet":
        """Records of `unit` and its sub-units (all when None)."""
        return self if unit is None else self.filter(unit__path__startswith=unit.path)


class Record(models.Model):
    """A collection record: it belongs to a unit (the organiser, the responsible unit) and
    is counted by its date. Subclasses name the date field in `DATE_FIELD`."""

    DATE_FIELD = "created_at"

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="所属单位")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name="录入人")
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

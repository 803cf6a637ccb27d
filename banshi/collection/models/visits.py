from django.db import models

from banshi.org.models import Region

from .base import Record


class HouseholdVisit(Record):
    """入户走访: a household visited by a unit's workers on a day; the people met count as
    person-times (人次). The household's name and address are personal data: masked
    outside the unit, never logged."""

    DATE_FIELD = "visited_on"

    visited_on = models.DateField("走访日期", db_index=True)
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="所在社区")
    visitors = models.CharField("走访人员", max_length=200)
    household_name = models.CharField("户主/联系人", max_length=100, blank=True)
    address = models.CharField("住址", max_length=255)
    people_met = models.PositiveIntegerField("走访人次", default=1)
    notes = models.TextField("走访记录", blank=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = verbose_name_plural = "入户走访"

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.visitors}"

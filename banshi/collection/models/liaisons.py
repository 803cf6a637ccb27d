from django.db import models

from banshi.org.models import Region

from .base import Record


class Liaison(Record):
    """联络员: a party member of a unit who keeps in touch with the households paired with
    them (LiaisonPairing)."""

    DATE_FIELD = "appointed_on"

    name = models.CharField("姓名", max_length=100)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    branch = models.CharField("所在党支部", max_length=200, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="所在社区")
    appointed_on = models.DateField("结对日期", db_index=True)
    is_active = models.BooleanField("在岗", default=True)

    class Meta:
        ordering = ["unit__path", "name", "id"]
        verbose_name = verbose_name_plural = "联络员"

    def __str__(self) -> str:
        return self.name


class LiaisonPairing(models.Model):
    """One household paired with a liaison (结对户); personal data like an appeal's."""

    liaison = models.ForeignKey(Liaison, models.CASCADE, related_name="pairings")
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="所在社区")
    household_name = models.CharField("户主", max_length=100, blank=True)
    address = models.CharField("住址", max_length=255)
    paired_on = models.DateField("结对日期", db_index=True)

    class Meta:
        ordering = ["liaison_id", "id"]
        verbose_name = verbose_name_plural = "结对户"

    def __str__(self) -> str:
        return f"{self.liaison_id} → {self.pk}"


class LiaisonContact(models.Model):
    """A contact logged against a pairing: what was raised, and whether it was solved
    through the liaison (the report's "解决问题40余个"); an appeal raised there carries the
    contact as its source."""

    pairing = models.ForeignKey(LiaisonPairing, models.CASCADE, related_name="contacts")
    contacted_on = models.DateField("联系日期", db_index=True)
    note = models.TextField("联系内容")
    solved = models.BooleanField("已解决问题", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contacted_on", "-id"]
        verbose_name = verbose_name_plural = "联系记录"

    def __str__(self) -> str:
        return f"{self.pairing_id} {self.contacted_on}"

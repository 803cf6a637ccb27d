from django.conf import settings
from django.db import models

from banshi.collection.models.base import Record
from banshi.org.models import Unit

from ..choices import GroupKind
from .campaign import Campaign


class OrgGroup(Record):
    """A group of the campaign's organisation: the leadership group, its office and working
    groups ("一办五组"), the office's temporary Party branch and its committee. A tree by
    `parent`; `unit` is the unit that keeps the record (the district office)."""

    DATE_FIELD = "formed_on"

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="groups",
                                 verbose_name="活动")
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name="上级")
    kind = models.CharField("类型", max_length=20, choices=GroupKind.choices)
    name = models.CharField("名称", max_length=100)
    duties = models.TextField("职责", blank=True)
    rules = models.TextField("工作规则/制度", blank=True)
    formed_on = models.DateField("成立日期", null=True, blank=True)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "组织机构"

    def __str__(self) -> str:
        return self.name


class OrgMember(models.Model):
    """A person in a group, with their role there and their home unit (抽调: seconded from
    it to work in the office). `user` links an account when the person has one."""

    group = models.ForeignKey(OrgGroup, models.CASCADE, related_name="members",
                              verbose_name="所在组")
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("职务", max_length=50, blank=True,
                            help_text="如：组长、副组长、办公室主任、支部书记、组织委员、成员")
    title = models.CharField("本职", max_length=100, blank=True,
                             help_text="原单位职务，如：区委常委、组织部副部长")
    home_unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="原单位")
    seconded = models.BooleanField("抽调集中办公", default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                             related_name="campaign_memberships", verbose_name="账号")
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "组织成员"

    def __str__(self) -> str:
        return f"{self.name}({self.role})" if self.role else self.name

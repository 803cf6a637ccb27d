import hashlib
import secrets

from django.conf import settings
from django.db import models

from .choices import RegionLevel, Role, UnitKind, UnitLevel


class Region(models.Model):
    """An administrative area: the district, a street (乡镇) or a community (村)."""

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级"
    )
    neighbours = models.ManyToManyField("self", blank=True, verbose_name="相邻社区")

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return self.name

    @property
    def street(self) -> "Region | None":
        if self.level == RegionLevel.STREET:
            return self
        if self.level == RegionLevel.COMMUNITY:
            return self.parent
        return None


class UnitQuerySet(models.QuerySet):
    def subtree(self, unit: "Unit") -> "UnitQuerySet":
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    """A unit that handles appeals: the district office, a 局委, a street office or a community.

    `path` is the chain of codes from the root ("district/linshanzhai/linshanzhai-01/"),
    so a unit's sub-units are one indexed prefix query away.
    """

    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级"
    )
    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="units", verbose_name="辖区"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    is_active = models.BooleanField("启用", default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = verbose_name_plural = "承办单位"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent_id else "") + self.code + "/"
        super().save(*args, **kwargs)

    @property
    def level(self) -> str:
        if self.kind == UnitKind.COMMUNITY:
            return UnitLevel.COMMUNITY
        if self.kind == UnitKind.DISTRICT:
            return UnitLevel.DISTRICT
        return UnitLevel.STREET

    @property
    def level_label(self) -> str:
        return UnitLevel(self.level).label


class Staff(models.Model):
    """What a user account is in the district: its role and, for unit staff, its unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="staff", verbose_name="账号"
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="staff", verbose_name="所属单位"
    )

    class Meta:
        verbose_name = verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def issue(self, user) -> str:
        key = secrets.token_urlsafe(32)
        self.create(user=user, key_hash=_digest(key))
        return key

    def user_for(self, key: str):
        token = self.select_related("user").filter(key_hash=_digest(key)).first()
        if token is None or not token.user.is_active:
            return None
        return token.user


class ApiToken(models.Model):
    """A bearer token for the REST API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"token of {self.user_id}"

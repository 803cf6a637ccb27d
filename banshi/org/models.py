import hashlib
import secrets
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

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

    def led_by(self, user) -> "UnitQuerySet":
        """The units `user` 包联 (a street's communities are covered through its path)."""
        pk = getattr(user, "pk", None)
        return self.none() if pk is None else self.filter(leader_assignments__leader_id=pk)


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
    review_delegated_answers = models.BooleanField(
        "审核转派答复", default=True,
        help_text="转派给下级单位(社区)的诉求，其答复须经本单位审核后才送达群众")

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

    def is_above(self, other: "Unit") -> bool:
        """`other` is one of this unit's sub-units (at any depth below it)."""
        return other.pk != self.pk and other.path.startswith(self.path)

    def sub_units(self) -> "UnitQuerySet":
        """Active units below this one, which it may 转派 a case to."""
        return Unit.objects.subtree(self).exclude(pk=self.pk).filter(is_active=True)


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


class LeaderAssignment(models.Model):
    """包联: the streets and departments a district leader answers for (one row per leader).

    A unit's assignment covers its sub-units (a street's communities). The shared problems a
    leader answers for are `Problem.leaders` in the appeals part, which depends on this one.
    Changed only through `banshi.appeals.actions.assign_leader`, which writes a
    LeaderAssignmentChange for every change.
    """

    leader = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="leader_assignment",
        limit_choices_to={"staff__role": Role.LEADER}, verbose_name="区级领导")
    units = models.ManyToManyField(
        Unit, blank=True, related_name="leader_assignments", verbose_name="包联单位",
        limit_choices_to={"kind__in": [UnitKind.STREET, UnitKind.DEPARTMENT]},
        help_text="街道和部门；街道的包联含其下属社区")
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name="更新人")

    class Meta:
        verbose_name = verbose_name_plural = "领导包联"

    def __str__(self) -> str:
        return f"{self.leader.get_username()} 包联"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("the log is append-only")

    def delete(self):
        raise TypeError("the log is append-only")


class LeaderAssignmentChange(models.Model):
    """Append-only log of 包联 changes: who changed whose assignment, when, and the unit and
    problem codes added and removed (`data`)."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                               verbose_name="区级领导")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                              verbose_name="操作人")
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "包联变更记录"

    def __str__(self) -> str:
        return f"{self.leader_id} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("the 包联 log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("the 包联 log is append-only")


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _password_stamp(user) -> str:
    """A keyed digest of the user's password hash: it changes whenever the password does,
    however it was changed (like Django's session auth hash)."""
    return salted_hmac("banshi.org.ApiToken", user.password, algorithm="sha256").hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def live(self) -> "ApiTokenQuerySet":
        return self.filter(expires_at__gt=timezone.now())

    def grant(self, user) -> tuple[str, "ApiToken"]:
        """A new token for `user`: the plain key (shown once) and its stored row.

        Also drops the user's expired tokens and all but the newest
        BANSHI_TOKEN_MAX_PER_USER, so repeated logins never pile up rows.
        """
        key = secrets.token_urlsafe(32)
        now = timezone.now()
        with transaction.atomic():
            token = self.create(user=user, key_hash=_digest(key), prefix=key[:PREFIX_LENGTH],
                                password_stamp=_password_stamp(user), created_at=now,
                                expires_at=now + settings.BANSHI_TOKEN_TTL)
            mine = self.filter(user=user)
            newest = mine.live().order_by("-created_at", "-pk")[
                :settings.BANSHI_TOKEN_MAX_PER_USER].values_list("pk", flat=True)
            mine.exclude(pk__in=list(newest)).delete()
        return key, token

    def issue(self, user) -> str:
        """A new token for `user` (see grant); only its digest is kept."""
        return self.grant(user)[0]

    def presented(self, key: str) -> "ApiToken | None":
        """The live token behind `key`, if its user is active and has the password the token
        was issued under; records its use."""
        token = self.live().select_related("user").filter(key_hash=_digest(key)).first()
        if token is None or not token.user.is_active:
            return None
        if not constant_time_compare(token.password_stamp, _password_stamp(token.user)):
            return None
        token.touch()
        return token

    def user_for(self, key: str):
        token = self.presented(key)
        return token.user if token is not None else None

    def revoke_all(self, user) -> int:
        count, _ = self.filter(user=user).delete()
        return count

    def purge_expired(self) -> int:
        count, _ = self.filter(expires_at__lte=timezone.now()).delete()
        return count


PREFIX_LENGTH = 8
LAST_USED_GRANULARITY = timedelta(minutes=1)


class ApiToken(models.Model):
    """A bearer token for the REST API.

    Only the SHA-256 digest of the key is stored (the key is shown once, when issued) with
    its first characters to tell tokens apart. A token works until `expires_at`
    (BANSHI_TOKEN_TTL after issue) or until it is revoked: by its holder
    (DELETE /api/v1/auth/token) or in /admin/. It works only while the user is active and
    keeps the password the token was issued under (`password_stamp`, checked on every use);
    saving a user whose password changed or who was deactivated also deletes the user's
    tokens (banshi.org.signals), so a reactivated account gets none back.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE,
                             related_name="api_tokens", verbose_name="账号")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("令牌前缀", max_length=PREFIX_LENGTH)
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    expires_at = models.DateTimeField("过期时间", db_index=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    password_stamp = models.CharField(max_length=64, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @property
    def is_live(self) -> bool:
        return self.expires_at > timezone.now()

    def touch(self) -> None:
        """Record a use, writing at most once a minute per token."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USED_GRANULARITY:
            type(self).objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


class LoginFailure(AccessAttempt):
    """Failed logins counted by the lockout (banshi.org.lockout), for the admin to see and
    clear; deleting an account's rows unlocks it."""

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "登录失败记录"

from django.db import models


class RegionLevel(models.TextChoices):
    DISTRICT = "district", "区"
    STREET = "street", "街道(乡镇)"
    COMMUNITY = "community", "社区(村)"


class UnitKind(models.TextChoices):
    DISTRICT = "district", "区级"
    DEPARTMENT = "department", "局委"
    STREET = "street", "街道"
    COMMUNITY = "community", "社区(村)"


class UnitLevel(models.TextChoices):
    """The three levels appeals are handled at (村(社区)、街道(局委)、区)."""

    COMMUNITY = "community", "社区"
    STREET = "street", "街道·局委"
    DISTRICT = "district", "区"


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    DISPATCHER = "dispatcher", "区派单员"
    LEADER = "leader", "区级领导"
    UNIT = "unit", "承办单位人员"
    INSPECTOR = "inspector", "巡回指导组"


SEE_ALL_ROLES = {Role.ADMIN, Role.DISPATCHER, Role.LEADER, Role.INSPECTOR}

"""What the collection actions share: the recording right and field checks."""

import datetime as dt

from banshi.appeals.actions.base import optional_text, require_text
from banshi.appeals.errors import InvalidInput, NotPermitted
from banshi.appeals.validators import date_problem
from banshi.org.choices import RegionLevel
from banshi.org.models import Region, Unit
from banshi.org.permissions import Person

from .. import permissions

__all__ = ["check_recording", "community", "day", "optional_text", "require_text"]


def check_recording(actor: Person, unit: Unit | None) -> Unit:
    """`unit` when `actor` may record for it (403 otherwise; 422 when no unit is named)."""
    if unit is None:
        raise InvalidInput("请选择所属单位", "unit_code")
    if not permissions.may_record_for(actor, unit):
        raise NotPermitted(f"无权为“{unit.name}”录入", "unit_code")
    return unit


def community(region: Region | None, field: str = "region_code") -> Region | None:
    if region is not None and region.level != RegionLevel.COMMUNITY:
        raise InvalidInput("请选择社区(村)", field)
    return region


def day(value: dt.date | None, field: str, label: str) -> dt.date:
    if value is None:
        raise InvalidInput(f"{label}不能为空", field)
    if problem := date_problem(value):
        raise InvalidInput(f"{label}{problem}", field)
    return value

"""What the collection actions share: the recording right and field checks."""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from banshi.appeals import clock
from banshi.appeals.actions.base import optional_text, require_text
from banshi.appeals.errors import InvalidInput, NotPermitted
from banshi.appeals.validators import date_problem
from banshi.org.choices import RegionLevel
from banshi.org.models import Region, Unit
from banshi.org.permissions import Person

from .. import permissions
from ..models import RecordEvent

__all__ = ["changed_fields", "check_recording", "community", "day", "optional_text",
           "record_event", "require_text"]


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


def record_event(record: models.Model, action: str, *, actor, note: str = "",
                 data: Mapping[str, Any] | None = None, label: str | None = None,
                 defer: bool = False) -> RecordEvent:
    """Append one event to `record`'s log (inside the caller's transaction). `actor` is the
    account (None for the public sign-in and H5 questionnaire: `label` says who then, e.g.
    "群众(扫码签到)"). `data`: counts, appeal numbers, changed field names — never a
    resident's or household's name, phone or address. `defer`: the event unsaved, for a
    bulk_create by the caller (an import touching many records)."""
    event = RecordEvent(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk,
        unit_id=record.unit_id,  # type: ignore[attr-defined]
        action=action, actor=actor, actor_label=label or "", at=clock.now(), note=note,
        data=dict(data or {}))
    if not defer:
        event.save()
    return event


def changed_fields(record: models.Model, values: Mapping[str, Any]) -> list[str]:
    """The names of the fields `values` would change on `record` (before it is changed)."""
    return sorted(name for name, value in values.items() if getattr(record, name) != value)


def appeal_numbers(appeals: Iterable[Any]) -> list[str]:
    """The numbers (codes) of appeals, for an event's data."""
    return [appeal.number for appeal in appeals]

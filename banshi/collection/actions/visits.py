"""Household visits (入户走访): one visit, the appeals raised at it, a day's visits at once.
The household's name and address are personal data: never logged, never in a message."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from banshi.appeals import limits
from banshi.appeals.choices import Channel
from banshi.appeals.errors import ActionError, InvalidInput, NotPermitted
from banshi.org.choices import RegionLevel
from banshi.org.models import Region, Unit

from ..choices import RecordAction
from ..models import HouseholdVisit
from ..permissions import may_record_for
from .appeal_rows import RowsReport, raise_appeals
from .common import appeal_numbers, record_event

PEOPLE_MAX = 100  # people met in one household visit


def _check_visit(*, actor, unit: Unit | None, visited_on, region: Region | None,
                 visitors: str, address: str, people_met: int) -> None:
    if not may_record_for(actor, unit):
        raise NotPermitted("不能为该单位登记走访", "unit")
    if not isinstance(visited_on, dt.date) or visited_on > timezone.localdate():
        raise InvalidInput("走访日期不能晚于今天", "visited_on")
    if region is not None and region.level != RegionLevel.COMMUNITY:
        raise InvalidInput("请选择社区(村)", "region")
    if not visitors.strip():
        raise InvalidInput("请填写走访人员", "visitors")
    if not address.strip():
        raise InvalidInput("请填写住址", "address")
    if len(address) > limits.ADDRESS_MAX:
        raise InvalidInput(f"住址不能超过{limits.ADDRESS_MAX}字", "address")
    if not 1 <= people_met <= PEOPLE_MAX:
        raise InvalidInput(f"走访人次应在1至{PEOPLE_MAX}之间", "people_met")


@transaction.atomic
def record_visit(*, actor, unit: Unit | None, visited_on: dt.date, region: Region | None,
                 visitors: str, household_name: str = "", address: str, people_met: int = 1,
                 notes: str = "") -> HouseholdVisit:
    """One household visit."""
    _check_visit(actor=actor, unit=unit, visited_on=visited_on, region=region,
                 visitors=visitors, address=address, people_met=people_met)
    if len(household_name) > 100:
        raise InvalidInput("户主/联系人不能超过100字", "household_name")
    assert unit is not None  # may_record_for refused None
    visit = HouseholdVisit.objects.create(
        unit=unit, created_by=actor, visited_on=visited_on, region=region,
        visitors=visitors.strip()[:200], household_name=household_name.strip(),
        address=address.strip(), people_met=people_met, notes=notes.strip())
    record_event(visit, RecordAction.CREATE, actor=actor, data={"people_met": people_met})
    return visit


def raise_from_visit(visit: HouseholdVisit, rows, *, actor) -> RowsReport:
    """Appeals raised at a visit (channel household_visit, source the visit), one per row."""
    if not may_record_for(actor, visit.unit):
        raise NotPermitted("不能为该走访录入诉求")
    noon = timezone.make_aware(dt.datetime.combine(visit.visited_on, dt.time(12, 0)))
    report = raise_appeals(rows, source=visit, channel=Channel.HOUSEHOLD_VISIT, actor=actor,
                           collected_at=min(noon, timezone.now()))
    if report.done:
        record_event(visit, RecordAction.RAISE_APPEALS, actor=actor,
                     data={"appeals": appeal_numbers(report.done.values()),
                           "refused_rows": sorted({n for n, _f, _m in report.errors})})
    return report


@dataclass
class DayReport:
    """A day's visits entered at once: the visits made and the rows refused
    (row number, field, message)."""

    visits: list[HouseholdVisit] = field(default_factory=list)
    errors: list[tuple[int, str | None, str]] = field(default_factory=list)


def record_day(*, actor, unit: Unit | None, visited_on: dt.date, visitors: str,
               rows: list[tuple[int, dict[str, Any]]]) -> DayReport:
    """A day's visits by the same visitors: one visit per row (region, household_name,
    address, people_met, notes), each in its own transaction; bad rows named, good kept."""
    report = DayReport()
    for number, row in rows:
        try:
            visit = record_visit(actor=actor, unit=unit, visited_on=visited_on,
                                 visitors=visitors, region=row.get("region"),
                                 household_name=row.get("household_name") or "",
                                 address=row.get("address") or "",
                                 people_met=row.get("people_met") or 1,
                                 notes=row.get("notes") or "")
        except ActionError as exc:
            report.errors.append((number, exc.field, exc.message))
        else:
            report.visits.append(visit)
    return report

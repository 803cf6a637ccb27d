"""Opinion boxes and desks (意见箱, 征求意见台): the registry, openings (开箱) and the
appeals transcribed from an opening's slips."""

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from banshi.appeals.choices import Channel
from banshi.appeals.errors import InvalidInput, NotPermitted
from banshi.org.choices import RegionLevel
from banshi.org.models import Region, Unit

from ..choices import BoxKind, BoxStatus, RecordAction
from ..models import BoxOpening, OpinionBox
from ..permissions import may_record_for
from .appeal_rows import RowsReport, raise_appeals
from .common import appeal_numbers, changed_fields, record_event

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,31}$")
BOX_FIELDS = ("code", "kind", "place", "region", "unit", "installed_on", "status")


def _check_box_fields(fields: dict[str, Any], *, actor, box: OpinionBox | None) -> None:
    unit: Unit | None = fields.get("unit")
    if not may_record_for(actor, unit):
        raise NotPermitted("不能为该单位登记意见箱", "unit")
    code = str(fields.get("code") or "")
    if not CODE_RE.match(code):
        raise InvalidInput("编号只能由字母、数字和“-”组成，2至32位", "code")
    taken = OpinionBox.objects.filter(code__iexact=code)
    if box is not None:
        taken = taken.exclude(pk=box.pk)
    if taken.exists():
        raise InvalidInput("该编号已被使用", "code")
    if fields.get("kind") not in BoxKind.values:
        raise InvalidInput("请选择类型", "kind")
    if fields.get("status") not in BoxStatus.values:
        raise InvalidInput("请选择状态", "status")
    region: Region | None = fields.get("region")
    if region is not None and region.level != RegionLevel.COMMUNITY:
        raise InvalidInput("请选择社区(村)", "region")
    if not str(fields.get("place") or "").strip():
        raise InvalidInput("请填写设置地点", "place")
    installed = fields.get("installed_on")
    if not isinstance(installed, dt.date) or installed > timezone.localdate():
        raise InvalidInput("设置日期不能晚于今天", "installed_on")


@transaction.atomic
def register_box(*, actor, **fields) -> OpinionBox:
    """A new box or desk in the registry (fields: BOX_FIELDS)."""
    _check_box_fields(fields, actor=actor, box=None)
    data = {key: fields[key] for key in BOX_FIELDS}
    data["place"] = data["place"].strip()
    box = OpinionBox.objects.create(created_by=actor, **data)
    record_event(box, RecordAction.CREATE, actor=actor)
    return box


@transaction.atomic
def update_box(box: OpinionBox, *, actor, **fields) -> OpinionBox:
    """Change a box's registry entry; its unit and the new unit must both be the actor's."""
    if not may_record_for(actor, box.unit):
        raise NotPermitted("不能修改该意见箱")
    _check_box_fields(fields, actor=actor, box=box)
    changed = changed_fields(box, {key: fields[key] for key in BOX_FIELDS}
                             | {"place": str(fields["place"]).strip()})
    for key in BOX_FIELDS:
        setattr(box, key, fields[key])
    box.place = box.place.strip()
    box.save()
    record_event(box, RecordAction.UPDATE, actor=actor, data={"fields": changed})
    return box


@transaction.atomic
def record_opening(box: OpinionBox, *, actor, opened_on: dt.date, opened_by: str,
                   slips: int, note: str = "") -> BoxOpening:
    """开箱: who opened the box on which day, and how many slips were in it."""
    if not may_record_for(actor, box.unit):
        raise NotPermitted("不能为该意见箱登记开箱")
    if opened_on > timezone.localdate():
        raise InvalidInput("开箱日期不能晚于今天", "opened_on")
    if opened_on < box.installed_on:
        raise InvalidInput("开箱日期不能早于设置日期", "opened_on")
    if not opened_by.strip():
        raise InvalidInput("请填写开箱人", "opened_by")
    if slips < 0:
        raise InvalidInput("意见条数不能为负数", "slips")
    opening = BoxOpening.objects.create(box=box, opened_on=opened_on,
                                        opened_by=opened_by.strip(), slips=slips,
                                        note=note.strip())
    record_event(box, RecordAction.OPEN_BOX, actor=actor,
                 data={"opening": opening.pk, "opened_on": opened_on.isoformat(),
                       "slips": slips})
    return opening


def transcribe_slips(opening: BoxOpening, rows, *, actor) -> RowsReport:
    """The slips of an opening entered as appeals (channel opinion_box, source the opening),
    one per row; bad rows named, good rows kept."""
    if not may_record_for(actor, opening.box.unit):
        raise NotPermitted("不能为该意见箱录入诉求")
    noon = timezone.make_aware(dt.datetime.combine(opening.opened_on, dt.time(12, 0)))
    collected = min(noon, timezone.now())
    report = raise_appeals(rows, source=opening, channel=Channel.OPINION_BOX, actor=actor,
                           collected_at=collected)
    if report.done:
        record_event(opening.box, RecordAction.RAISE_APPEALS, actor=actor,
                     data={"opening": opening.pk, "appeals": appeal_numbers(report.done.values()),
                           "refused_rows": sorted({n for n, _f, _m in report.errors})})
    return report


def box_for_resident(code: str) -> OpinionBox | None:
    """The box whose QR label a resident scanned, if it is in use; None otherwise (the
    plain form: an unknown or retired box is no error for a resident)."""
    code = (code or "").strip()
    if not CODE_RE.match(code):
        return None
    return (OpinionBox.objects.filter(code__iexact=code, status=BoxStatus.ACTIVE)
            .select_related("region").first())

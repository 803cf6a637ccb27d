"""Practical-matter lists (办实事清单): a unit commits to a matter with a target count, adds
progress (how many more done, with an optional evidence file), 销号 (closes) it when done —
done ≥ target, or with a note saying why earlier — and reopens it. Recorded by those who may
record for the matter's unit (`permissions.may_record_for`)."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F

from banshi.appeals import clock
from banshi.appeals.errors import InvalidInput, TransitionNotAllowed
from banshi.appeals.models import Aspect
from banshi.org.models import Unit

from ...collection.choices import RecordAction
from ..choices import ActionKind, MatterStatus
from ..models import MatterProgress, PracticalMatter
from .common import changed_fields, check_recording, day, optional_text, record_event, require_text

TITLE_MAX = 200
MEASURE_MAX = 5_000
EVIDENCE_MAX = 5_000
NOTE_MAX = 2_000
COUNT_UNIT_MAX = 10
COUNT_MAX = 1_000_000
FILE_TYPES = {"pdf", "jpg", "jpeg", "png", "docx", "xlsx"}
FILE_BYTES_MAX = 10 * 1024 * 1024


def _count(value: int, field: str, label: str, low: int = 0) -> int:
    if not low <= value <= COUNT_MAX:
        raise InvalidInput(f"{label}须在{low}至{COUNT_MAX}之间", field)
    return value


def _fields(*, title: str, measure: str, kind: str, aspect: Aspect | None, target_count: int,
            count_unit: str, committed_on: dt.date | None, due_on: dt.date | None,
            evidence: str) -> dict[str, Any]:
    if kind not in ActionKind.values:
        raise InvalidInput(f"未知的性质：{kind}", "kind")
    committed = day(committed_on, "committed_on", "列入清单日期")
    due = day(due_on, "due_on", "计划完成时间") if due_on else None
    if due is not None and due < committed:
        raise InvalidInput("计划完成时间不能早于列入清单日期", "due_on")
    return {
        "title": require_text(title, "title", "实事项目", TITLE_MAX),
        "measure": optional_text(measure, "measure", "措施", MEASURE_MAX),
        "kind": kind, "aspect": aspect,
        "target_count": _count(target_count, "target_count", "目标数量", 1),
        "count_unit": require_text(count_unit, "count_unit", "计量单位", COUNT_UNIT_MAX),
        "committed_on": committed, "due_on": due,
        "evidence": optional_text(evidence, "evidence", "佐证材料说明", EVIDENCE_MAX),
    }


def create_matter(*, actor: User, unit: Unit | None, title: str, target_count: int = 1,
                  count_unit: str = "件", committed_on: dt.date | None = None,
                  measure: str = "", kind: str = ActionKind.OPTIONAL,
                  aspect: Aspect | None = None, due_on: dt.date | None = None,
                  evidence: str = "") -> PracticalMatter:
    """Put a matter on `unit`'s list (the actor must be allowed to record for it)."""
    unit = check_recording(actor, unit)
    values = _fields(title=title, measure=measure, kind=kind, aspect=aspect,
                     target_count=target_count, count_unit=count_unit,
                     committed_on=committed_on or clock.now().date(), due_on=due_on,
                     evidence=evidence)
    with transaction.atomic():
        matter = PracticalMatter.objects.create(unit=unit, created_by=actor, **values)
        record_event(matter, RecordAction.CREATE, actor=actor)
    return matter


def update_matter(matter: PracticalMatter, *, actor: User, unit: Unit | None, title: str,
                  target_count: int, count_unit: str, committed_on: dt.date | None,
                  measure: str = "", kind: str = ActionKind.OPTIONAL,
                  aspect: Aspect | None = None, due_on: dt.date | None = None,
                  evidence: str = "") -> PracticalMatter:
    check_recording(actor, matter.unit)
    values = _fields(title=title, measure=measure, kind=kind, aspect=aspect,
                     target_count=target_count, count_unit=count_unit,
                     committed_on=committed_on, due_on=due_on, evidence=evidence)
    values["unit"] = check_recording(actor, unit)
    with transaction.atomic():
        changed = changed_fields(matter, values)
        PracticalMatter.objects.filter(pk=matter.pk).update(**values)
        matter.refresh_from_db()
        record_event(matter, RecordAction.UPDATE, actor=actor, data={"fields": changed})
    return matter


def _file(name: str, data: bytes) -> tuple[str, bytes]:
    name = require_text(name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1], "file", "文件名", 200)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FILE_TYPES:
        raise InvalidInput("只能上传PDF、Word、Excel或JPG/PNG图片", "file")
    if not data:
        raise InvalidInput("文件是空的", "file")
    if len(data) > FILE_BYTES_MAX:
        raise InvalidInput(f"文件不能超过{FILE_BYTES_MAX // 1024 // 1024}MB", "file")
    return extension, data


def add_progress(matter: PracticalMatter, *, actor: User, added: int, note: str = "",
                 on: dt.date | None = None,
                 file: tuple[str, bytes] | None = None) -> MatterProgress:
    """Record progress: `added` more done (0 for a note only), with an optional file."""
    check_recording(actor, matter.unit)
    if matter.status == MatterStatus.CLOSED:
        raise TransitionNotAllowed("已销号的实事不能再报进展，请先重新打开", "status")
    added = _count(added, "added", "本次完成数量")
    text = optional_text(note, "note", "进展说明", NOTE_MAX)
    if not added and not text and file is None:
        raise InvalidInput("请填写本次完成数量或进展说明", "added")
    when = day(on or clock.now().date(), "on", "日期")
    upload = _file(*file) if file is not None else None
    with transaction.atomic():
        progress = MatterProgress(matter=matter, added=added, note=text, on=when,
                                  reported_by=actor)
        if upload is not None:
            progress.file.save(f"matter-{matter.pk}.{upload[0]}", ContentFile(upload[1]),
                               save=False)
        progress.save()
        PracticalMatter.objects.filter(pk=matter.pk).update(done_count=F("done_count") + added)
        matter.refresh_from_db()
        record_event(matter, RecordAction.REPORT_PROGRESS, actor=actor,
                     data={"added": added, "done": matter.done_count,
                           "file": upload is not None})
    return progress


def close_matter(matter: PracticalMatter, *, actor: User, note: str = "",
                 on: dt.date | None = None) -> PracticalMatter:
    """销号: when done ≥ target, or earlier with a note saying why."""
    check_recording(actor, matter.unit)
    if matter.status == MatterStatus.CLOSED:
        raise TransitionNotAllowed("该实事已销号", "status")
    text = optional_text(note, "note", "销号说明", NOTE_MAX)
    if matter.done_count < matter.target_count and not text:
        raise InvalidInput(f"完成数量({matter.done_count})未达目标({matter.target_count})，"
                           "销号须填写说明", "note")
    closed_on = day(on or clock.now().date(), "closed_on", "销号日期")
    with transaction.atomic():
        PracticalMatter.objects.filter(pk=matter.pk).update(status=MatterStatus.CLOSED,
                                                            closed_on=closed_on)
        matter.refresh_from_db()
        record_event(matter, RecordAction.CLOSE_OFF, actor=actor, note=text,
                     data={"done": matter.done_count, "target": matter.target_count})
    return matter


def reopen_matter(matter: PracticalMatter, *, actor: User, reason: str) -> PracticalMatter:
    check_recording(actor, matter.unit)
    if matter.status != MatterStatus.CLOSED:
        raise TransitionNotAllowed("该实事尚未销号", "status")
    why = require_text(reason, "reason", "重新打开原因", NOTE_MAX)
    with transaction.atomic():
        PracticalMatter.objects.filter(pk=matter.pk).update(status=MatterStatus.OPEN,
                                                            closed_on=None)
        matter.refresh_from_db()
        record_event(matter, RecordAction.REOPEN, actor=actor, note=why)
    return matter

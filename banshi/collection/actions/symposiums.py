"""Symposiums (座谈会) and consultations: record one, change it, its participants and files,
the sign-in by QR code, and the appeals raised there (several at once, one per row)."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from banshi.appeals import clock
from banshi.appeals.actions.intake import submit_appeal
from banshi.appeals.choices import Channel
from banshi.appeals.errors import ActionError, InvalidInput
from banshi.appeals.models import Appeal
from banshi.org.models import Region, Unit

from ..choices import RecordAction, SymposiumKind
from ..models import Symposium, SymposiumAttachment, SymposiumParticipant
from .common import (
    appeal_numbers,
    changed_fields,
    check_recording,
    community,
    day,
    optional_text,
    record_event,
    require_text,
)

TOPIC_MAX = 200
PLACE_MAX = 200
MINUTES_MAX = 20_000
PERSON_MAX = 100
ORGANISATION_MAX = 200
PARTICIPANTS_MAX = 100_000
# What may be attached: minutes (PDF, Word), photos, the scanned sign-in sheet, a roster.
ATTACHMENT_TYPES = {
    "pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ATTACHMENT_BYTES_MAX = 10 * 1024 * 1024
SIGN_IN_LABEL = "群众(扫码签到)"  # who signs in on the sheet's QR code: no account


def _fields(*, kind: str, held_on: dt.date | None, topic: str, place: str,
            region: Region | None, participants: int, minutes: str) -> dict:
    if kind not in SymposiumKind.values:
        raise InvalidInput(f"未知的座谈会类型：{kind}", "kind")
    if not 0 <= participants <= PARTICIPANTS_MAX:
        raise InvalidInput(f"参会人数须在0至{PARTICIPANTS_MAX}之间", "participants")
    return {
        "kind": kind, "held_on": day(held_on, "held_on", "召开日期"),
        "topic": require_text(topic, "topic", "主题", TOPIC_MAX),
        "place": optional_text(place, "place", "地点", PLACE_MAX),
        "region": community(region), "participants": participants,
        "minutes": optional_text(minutes, "minutes", "会议纪要", MINUTES_MAX),
    }


def _next_code(held_on: dt.date) -> str:
    """ZT + the day + a 3-digit sequence of that day's symposiums: ZT20260305001."""
    prefix = f"ZT{held_on:%Y%m%d}"
    last = (Symposium.objects.select_for_update().filter(code__startswith=prefix)
            .aggregate(n=Max("code"))["n"])
    return f"{prefix}{int(last[len(prefix):]) + 1 if last else 1:03d}"


def create_symposium(*, actor: User, unit: Unit | None, kind: str = SymposiumKind.SOLICITATION,
                     held_on: dt.date | None, topic: str, place: str = "",
                     region: Region | None = None, participants: int = 0,
                     minutes: str = "") -> Symposium:
    """Record a symposium held by `unit` (the actor must be allowed to record for it)."""
    unit = check_recording(actor, unit)
    values = _fields(kind=kind, held_on=held_on, topic=topic, place=place, region=region,
                     participants=participants, minutes=minutes)
    with transaction.atomic():
        symposium = Symposium.objects.create(unit=unit, code=_next_code(values["held_on"]),
                                             created_by=actor, **values)
        record_event(symposium, RecordAction.CREATE, actor=actor)
        return symposium


def update_symposium(symposium: Symposium, *, actor: User, unit: Unit | None, kind: str,
                     held_on: dt.date | None, topic: str, place: str = "",
                     region: Region | None = None, participants: int = 0,
                     minutes: str = "") -> Symposium:
    """Change a symposium's fields (the actor may record for its unit and for the new one)."""
    check_recording(actor, symposium.unit)
    values = _fields(kind=kind, held_on=held_on, topic=topic, place=place, region=region,
                     participants=participants, minutes=minutes)
    values["unit"] = check_recording(actor, unit)
    with transaction.atomic():
        changed = changed_fields(symposium, values)
        Symposium.objects.filter(pk=symposium.pk).update(**values)
        symposium.refresh_from_db()
        record_event(symposium, RecordAction.UPDATE, actor=actor, data={"fields": changed})
    return symposium


def _person(name: str, role: str, organisation: str) -> dict:
    return {"name": require_text(name, "name", "姓名", PERSON_MAX),
            "role": optional_text(role, "role", "身份", PERSON_MAX),
            "organisation": optional_text(organisation, "organisation", "单位/小区",
                                          ORGANISATION_MAX)}


def add_participant(symposium: Symposium, *, actor: User, name: str, role: str = "",
                    organisation: str = "") -> SymposiumParticipant:
    """Staff add one person to the attendee list."""
    check_recording(actor, symposium.unit)
    with transaction.atomic():
        participant = SymposiumParticipant.objects.create(symposium=symposium,
                                                          **_person(name, role, organisation))
        record_event(symposium, RecordAction.ADD_PARTICIPANT, actor=actor,
                     data={"participants": symposium.attendees.count()})
    return participant


def remove_participant(participant: SymposiumParticipant, *, actor: User) -> None:
    symposium = participant.symposium
    check_recording(actor, symposium.unit)
    with transaction.atomic():
        participant.delete()
        record_event(symposium, RecordAction.REMOVE_PARTICIPANT, actor=actor,
                     data={"participants": symposium.attendees.count()})


def sign_in(symposium: Symposium, *, name: str, role: str = "",
            organisation: str = "") -> SymposiumParticipant:
    """A participant signs in on their phone (the sign-in sheet's QR code; no account)."""
    person = _person(name, role, organisation)
    with transaction.atomic():
        participant = SymposiumParticipant.objects.create(
            symposium=symposium, signed_in_at=timezone.now(), **person)
        record_event(symposium, RecordAction.SIGN_IN, actor=None, label=SIGN_IN_LABEL,
                     data={"participants": symposium.attendees.count()})
    return participant


def attach_file(symposium: Symposium, *, actor: User, name: str,
                data: bytes) -> SymposiumAttachment:
    """Keep a file with the symposium: PDF, Word, Excel or a photo, at most 10 MB."""
    check_recording(actor, symposium.unit)
    name = require_text(name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1], "file", "文件名", 200)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise InvalidInput("只能上传PDF、Word、Excel或JPG/PNG图片", "file")
    if not data:
        raise InvalidInput("文件是空的", "file")
    if len(data) > ATTACHMENT_BYTES_MAX:
        raise InvalidInput(f"文件不能超过{ATTACHMENT_BYTES_MAX // 1024 // 1024}MB", "file")
    attachment = SymposiumAttachment(symposium=symposium, name=name, size=len(data),
                                     content_type=ATTACHMENT_TYPES[extension])
    with transaction.atomic():
        attachment.file.save(f"{symposium.code}.{extension}", ContentFile(data), save=True)
        record_event(symposium, RecordAction.ATTACH, actor=actor, note=name,
                     data={"size": len(data)})
    return attachment


@dataclass
class AppealRow:
    """One row of the "appeals raised here" form, numbered from 1 as the page shows it."""

    number: int
    title: str
    content: str
    contact_name: str = ""
    contact_phone: str = ""
    address: str = ""
    region: Region | None = None


@dataclass
class RaisedAppeals:
    appeals: list[Appeal] = field(default_factory=list)
    errors: dict[int, ActionError] = field(default_factory=dict)  # row number → refusal


def raise_appeals(symposium: Symposium, *, actor: User, rows: list[AppealRow],
                  channel: str = Channel.SYMPOSIUM, source=None) -> RaisedAppeals:
    """Enter the appeals raised at a symposium (or from any record: `source`), each row on
    its own: a refused row is reported by its number and field, the good rows are kept."""
    check_recording(actor, symposium.unit)
    collected_at = timezone.make_aware(dt.datetime.combine(symposium.held_on, dt.time(12)))
    result = RaisedAppeals()
    for row in rows:
        try:
            appeal, _code = submit_appeal(
                title=row.title, content=row.content, channel=channel, region=row.region,
                contact_name=row.contact_name, contact_phone=row.contact_phone,
                address=row.address, actor=actor, source=source or symposium,
                collected_at=min(collected_at, clock.now()))
        except ActionError as exc:
            result.errors[row.number] = exc
        else:
            result.appeals.append(appeal)
    if result.appeals:
        record_event(symposium, RecordAction.RAISE_APPEALS, actor=actor,
                     data={"appeals": appeal_numbers(result.appeals),
                           "refused_rows": sorted(result.errors)})
    return result

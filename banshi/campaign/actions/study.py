"""Study activities and lectures (学习活动与宣讲): record one, change it, keep its photos and
materials, the QR sign-in on a phone and its closing; the speakers (宣讲人) and the red
education venues (红色教育基地) they are linked to.

Person-times (参加人次): what staff enter, but never fewer than those who signed in — the
stored `person_times` is max(entered figure, sign-ins), raised by each sign-in, so the
statistics (which sum `person_times`) always count every signed-in participant.
"""

import datetime as dt
import hashlib
import hmac
import io
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from PIL import Image, UnidentifiedImageError

from banshi.appeals import clock
from banshi.appeals.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from banshi.collection.actions.symposiums import ATTACHMENT_BYTES_MAX, ATTACHMENT_TYPES
from banshi.collection.choices import RecordAction
from banshi.collection.models import RecordEvent
from banshi.org.models import Unit

from .. import permissions
from ..choices import SpeakerKind, StudyKind
from ..models import Speaker, StudyActivity, StudyFile, StudySignIn, Venue
from .common import changed_fields, check_recording, day, optional_text, record_event, require_text

TITLE_MAX = 200
PLACE_MAX = 200
SUMMARY_MAX = 20_000
PERSON_TIMES_MAX = 100_000
NAME_MAX = 50
ORGANISATION_MAX = 100
SPEAKER_TITLE_MAX = 200
BIO_MAX = 5_000
VENUE_NAME_MAX = 100
ADDRESS_MAX = 200
DESCRIPTION_MAX = 5_000
# Photos and materials: the symposiums' attachment rule (PDF, Word, Excel, JPG/PNG, 10 MB).
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}  # Pillow's format → content type
SIGN_IN_LABEL = "参加人员(扫码签到)"  # who signs in by the QR code: no account
ALREADY_SIGNED_IN = "本设备已为本次活动签到，请勿重复签到"
SIGN_IN_CLOSED = "本次活动的扫码签到已关闭"
NO_DEVICE = "无法识别签到设备，请重新扫码打开签到页面后再签到"


# ---------- activities ----------


def _speaker(speaker: Speaker | None, current: int | None) -> Speaker | None:
    """A speaker no longer active (不在册) may stay on the activities they spoke at, but is
    not chosen for another."""
    if speaker is not None and not speaker.is_active and speaker.pk != current:
        raise InvalidInput(f"主讲人“{speaker.name}”已不在册", "speaker")
    return speaker


def _activity_fields(*, kind: str, held_on: dt.date | None, title: str, place: str,
                     venue: Venue | None, speaker: Speaker | None, is_special: bool,
                     person_times: int, summary: str,
                     current_speaker: int | None = None) -> dict[str, Any]:
    if kind not in StudyKind.values:
        raise InvalidInput(f"未知的活动类型：{kind}", "kind")
    if not 0 <= person_times <= PERSON_TIMES_MAX:
        raise InvalidInput(f"参加人次须在0至{PERSON_TIMES_MAX}之间", "person_times")
    if kind == StudyKind.VENUE_VISIT and venue is None:
        raise InvalidInput("红色基地参观须选择红色教育基地", "venue")
    held_on = day(held_on, "held_on", "活动日期")
    if held_on > clock.localdate():
        raise InvalidInput("活动日期不能晚于今天", "held_on")
    return {
        "kind": kind, "held_on": held_on,
        "title": require_text(title, "title", "主题", TITLE_MAX),
        "place": optional_text(place, "place", "地点", PLACE_MAX),
        "venue": venue, "speaker": _speaker(speaker, current_speaker),
        "is_special": bool(is_special), "person_times": person_times,
        "summary": optional_text(summary, "summary", "内容摘要", SUMMARY_MAX),
    }


def create_activity(*, actor: User, unit: Unit | None, kind: str, held_on: dt.date | None,
                    title: str, place: str = "", venue: Venue | None = None,
                    speaker: Speaker | None = None, is_special: bool = False,
                    person_times: int = 0, summary: str = "") -> StudyActivity:
    """Record a study activity or lecture organised by `unit` (the actor records for it)."""
    unit = check_recording(actor, unit)
    values = _activity_fields(kind=kind, held_on=held_on, title=title, place=place, venue=venue,
                              speaker=speaker, is_special=is_special,
                              person_times=person_times, summary=summary)
    with transaction.atomic():
        activity = StudyActivity.objects.create(unit=unit, created_by=actor, **values)
        record_event(activity, RecordAction.CREATE, actor=actor,
                     data={"person_times": activity.person_times})
    return activity


def update_activity(activity: StudyActivity, *, actor: User, unit: Unit | None, kind: str,
                    held_on: dt.date | None, title: str, place: str = "",
                    venue: Venue | None = None, speaker: Speaker | None = None,
                    is_special: bool = False, person_times: int = 0,
                    summary: str = "") -> StudyActivity:
    """Change an activity (the actor records for its unit and the new one). The person-times
    kept are never fewer than the sign-ins."""
    check_recording(actor, activity.unit)
    values = _activity_fields(kind=kind, held_on=held_on, title=title, place=place, venue=venue,
                              speaker=speaker, is_special=is_special,
                              person_times=person_times, summary=summary,
                              current_speaker=activity.speaker_id)
    values["unit"] = check_recording(actor, unit)
    with transaction.atomic():
        row: StudyActivity = StudyActivity.objects.select_for_update().get(pk=activity.pk)
        values["person_times"] = max(values["person_times"], row.signins.count())
        changed = changed_fields(row, values)
        StudyActivity.objects.filter(pk=row.pk).update(**values)
        row.refresh_from_db()
        record_event(row, RecordAction.UPDATE, actor=actor,
                     data={"fields": changed, "person_times": row.person_times})
    return row


def set_signin_open(activity: StudyActivity, *, actor: User, is_open: bool) -> StudyActivity:
    """Staff close (or open again) the activity's QR sign-in."""
    check_recording(actor, activity.unit)
    if activity.signin_open == is_open:
        raise TransitionNotAllowed("扫码签到已开放" if is_open else "扫码签到已关闭",
                                   "signin_open")
    with transaction.atomic():
        StudyActivity.objects.filter(pk=activity.pk).update(signin_open=is_open)
        activity.signin_open = is_open
        record_event(activity, RecordAction.REOPEN if is_open else RecordAction.CLOSE,
                     actor=actor, note="开放扫码签到" if is_open else "关闭扫码签到",
                     data={"signins": activity.signins.count()})
    return activity


def device_digest(activity: StudyActivity, device: str) -> str:
    """A keyed digest of a phone's device id for this activity: the same phone signing in
    twice gives the same digest; the digest tells nothing of the cookie, and differs from
    one activity to the next (no phone can be followed across activities)."""
    key = f"banshi.campaign.signin:{settings.SECRET_KEY}".encode()
    return hmac.new(key, f"{activity.signin_token}:{device}".encode(),
                    hashlib.sha256).hexdigest()


def signed_in_on(activity: StudyActivity, device: str | None) -> bool:
    """Whether this device has signed in to the activity already."""
    return bool(device) and activity.signins.filter(
        device=device_digest(activity, device or "")).exists()


def sign_in(activity: StudyActivity, *, name: str, organisation: str = "",
            device: str | None) -> StudySignIn:
    """A participant signs in on their phone (the activity's QR code; no account): once per
    device, only while staff keep the sign-in open. Raises the person-times to the sign-ins
    when they pass it."""
    values = {"name": require_text(name, "name", "姓名", NAME_MAX),
              "organisation": optional_text(organisation, "organisation", "单位/支部",
                                            ORGANISATION_MAX)}
    if not device:
        raise InvalidInput(NO_DEVICE, "device")
    digest = device_digest(activity, device)
    with transaction.atomic():
        row: StudyActivity = StudyActivity.objects.select_for_update().get(pk=activity.pk)
        if not row.signin_open:
            raise TransitionNotAllowed(SIGN_IN_CLOSED, "signin")
        if row.signins.filter(device=digest).exists():
            raise TransitionNotAllowed(ALREADY_SIGNED_IN, "device")
        signin = StudySignIn.objects.create(activity=row, device=digest, **values)
        record_event(row, RecordAction.SIGN_IN, actor=None, label=SIGN_IN_LABEL,
                     data={"signins": _raise_person_times(row)})
    return signin


def _raise_person_times(activity: StudyActivity) -> int:
    """Raise the stored person-times to the sign-ins when these pass it; the sign-ins."""
    count = activity.signins.count()
    StudyActivity.objects.filter(pk=activity.pk, person_times__lt=count).update(
        person_times=count)
    return count


def add_signin(activity: StudyActivity, *, actor: User, name: str,
               organisation: str = "") -> StudySignIn:
    """Staff add someone who came without a phone to the sign-in list."""
    check_recording(actor, activity.unit)
    values = {"name": require_text(name, "name", "姓名", NAME_MAX),
              "organisation": optional_text(organisation, "organisation", "单位/支部",
                                            ORGANISATION_MAX)}
    with transaction.atomic():
        row: StudyActivity = StudyActivity.objects.select_for_update().get(pk=activity.pk)
        signin = StudySignIn.objects.create(activity=row, **values)
        record_event(row, RecordAction.ADD_PARTICIPANT, actor=actor,
                     data={"signins": _raise_person_times(row)})
    return signin


def remove_signin(signin: StudySignIn, *, actor: User) -> None:
    """Staff strike a sign-in off the list (a wrong or mischievous entry). The person-times
    kept are not lowered: staff correct them on the activity when they must."""
    activity = signin.activity
    check_recording(actor, activity.unit)
    with transaction.atomic():
        signin.delete()
        record_event(activity, RecordAction.REMOVE_PARTICIPANT, actor=actor,
                     data={"signins": activity.signins.count()})


def _image_type(data: bytes) -> str:
    """The content type of a JPEG or PNG photo judged by its bytes; InvalidInput otherwise."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput("照片不是有效的JPG/PNG图片", "file") from exc
    if kind not in PHOTO_FORMATS:
        raise InvalidInput("照片只能是JPG或PNG图片", "file")
    return PHOTO_FORMATS[kind]


def attach_file(activity: StudyActivity, *, actor: User, name: str, data: bytes) -> StudyFile:
    """Keep a photo or material with the activity: PDF, Word, Excel or JPG/PNG, 10 MB."""
    check_recording(actor, activity.unit)
    name = require_text(name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1], "file", "文件名", 200)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise InvalidInput("只能上传PDF、Word、Excel或JPG/PNG图片", "file")
    if not data:
        raise InvalidInput("文件是空的", "file")
    if len(data) > ATTACHMENT_BYTES_MAX:
        raise InvalidInput(f"文件不能超过{ATTACHMENT_BYTES_MAX // 1024 // 1024}MB", "file")
    content_type = ATTACHMENT_TYPES[extension]
    if content_type in IMAGE_TYPES:  # shown in the page: judged by its bytes, not its name
        content_type = _image_type(data)
    stored = StudyFile(activity=activity, name=name, size=len(data), content_type=content_type)
    with transaction.atomic():
        stored.file.save(f"study-{activity.pk}.{extension}", ContentFile(data), save=True)
        record_event(activity, RecordAction.ATTACH, actor=actor, note=name,
                     data={"size": len(data)})
    return stored


# ---------- speakers and venues (district-wide records) ----------


def _district_event(record: models.Model, action: str, *, actor: User, unit: Unit | None,
                    data: dict[str, Any]) -> None:
    """Log a change to a speaker or venue: under its unit, else the district's root unit."""
    unit = unit or Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if unit is None:
        return
    RecordEvent.objects.create(content_type=ContentType.objects.get_for_model(record),
                               object_id=record.pk, unit=unit, action=action, actor=actor,
                               at=clock.now(), data=data)


def _speaker_fields(*, name: str, kind: str, title: str, unit: Unit | None, bio: str,
                    is_active: bool) -> dict[str, Any]:
    if kind not in SpeakerKind.values:
        raise InvalidInput(f"未知的宣讲人类型：{kind}", "kind")
    return {"name": require_text(name, "name", "姓名", NAME_MAX), "kind": kind,
            "title": optional_text(title, "title", "身份/职务", SPEAKER_TITLE_MAX),
            "unit": unit, "bio": optional_text(bio, "bio", "简介", BIO_MAX),
            "is_active": bool(is_active)}


def _check_speaker_right(actor: User, unit: Unit | None) -> None:
    if not permissions.may_manage_speaker(actor, unit):
        if unit is None:
            raise InvalidInput("请选择宣讲人所在单位", "unit_code")
        raise NotPermitted(f"无权为“{unit.name}”登记宣讲人", "unit_code")


def create_speaker(*, actor: User, name: str, kind: str, title: str = "",
                   unit: Unit | None = None, bio: str = "", is_active: bool = True) -> Speaker:
    """Add a speaker: the office for any unit (or none), unit staff for a unit in scope."""
    _check_speaker_right(actor, unit)
    values = _speaker_fields(name=name, kind=kind, title=title, unit=unit, bio=bio,
                             is_active=is_active)
    with transaction.atomic():
        speaker = Speaker.objects.create(**values)
        _district_event(speaker, RecordAction.CREATE, actor=actor, unit=unit, data={})
    return speaker


def update_speaker(speaker: Speaker, *, actor: User, name: str, kind: str, title: str = "",
                   unit: Unit | None = None, bio: str = "", is_active: bool = True) -> Speaker:
    """Change a speaker (the actor manages its present unit and the new one)."""
    if not permissions.may_manage_speaker(actor, speaker.unit):
        raise NotPermitted("无权修改该宣讲人", "unit_code")
    _check_speaker_right(actor, unit)
    values = _speaker_fields(name=name, kind=kind, title=title, unit=unit, bio=bio,
                             is_active=is_active)
    with transaction.atomic():
        changed = changed_fields(speaker, values)
        Speaker.objects.filter(pk=speaker.pk).update(**values)
        speaker.refresh_from_db()
        _district_event(speaker, RecordAction.UPDATE, actor=actor, unit=speaker.unit,
                        data={"fields": changed})
    return speaker


def _venue_fields(venue: Venue | None, *, name: str, address: str,
                  description: str) -> dict[str, Any]:
    name = require_text(name, "name", "名称", VENUE_NAME_MAX)
    taken = Venue.objects.filter(name=name)
    if venue is not None:
        taken = taken.exclude(pk=venue.pk)
    if taken.exists():
        raise InvalidInput(f"红色教育基地“{name}”已登记", "name")
    return {"name": name, "address": optional_text(address, "address", "地址", ADDRESS_MAX),
            "description": optional_text(description, "description", "简介",
                                         DESCRIPTION_MAX)}


def create_venue(*, actor: User, name: str, address: str = "",
                 description: str = "") -> Venue:
    """Add a red education venue (the campaign office)."""
    if not permissions.may_manage_venues(actor):
        raise NotPermitted("只有活动办公室可以登记红色教育基地")
    values = _venue_fields(None, name=name, address=address, description=description)
    with transaction.atomic():
        venue = Venue.objects.create(**values)
        _district_event(venue, RecordAction.CREATE, actor=actor, unit=None, data={})
    return venue


def update_venue(venue: Venue, *, actor: User, name: str, address: str = "",
                 description: str = "") -> Venue:
    if not permissions.may_manage_venues(actor):
        raise NotPermitted("只有活动办公室可以修改红色教育基地")
    values = _venue_fields(venue, name=name, address=address, description=description)
    with transaction.atomic():
        changed = changed_fields(venue, values)
        Venue.objects.filter(pk=venue.pk).update(**values)
        venue.refresh_from_db()
        _district_event(venue, RecordAction.UPDATE, actor=actor, unit=None,
                        data={"fields": changed})
    return venue

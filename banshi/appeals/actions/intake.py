"""Taking appeals in: the resident's H5 form, a worker's offline entry, imports."""

import datetime as dt
import hashlib
import io
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from banshi.org import permissions
from banshi.org.choices import RegionLevel
from banshi.org.models import Region

from .. import clock, limits, validators
from ..choices import Action, Channel, State
from ..models import Appeal, Aspect, Attachment, Category, DailyCounter, hash_query_code
from .base import InvalidInput, NotPermitted, record, require_text
from .chain import route_new_appeal

PHOTO_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"),
               "WEBP": ("image/webp", "webp")}
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


def next_number(day: dt.date) -> str:
    """`ZY20261125-0001`: sequential per local day, never the database id."""
    counter, _ = DailyCounter.objects.select_for_update().get_or_create(day=day)
    DailyCounter.objects.filter(day=day).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"{settings.BANSHI_NUMBER_PREFIX}{day:%Y%m%d}-{counter.last:04d}"


def new_query_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def sniff_photo(data: bytes, name: str = "") -> tuple[str, str]:
    """(content type, extension) of an image judged by its bytes; InvalidInput otherwise."""
    label = f"照片“{name}”" if name else "照片"
    if len(data) > settings.BANSHI_MAX_PHOTO_BYTES:
        limit = settings.BANSHI_MAX_PHOTO_BYTES // (1024 * 1024)
        raise InvalidInput(f"{label}超过{limit}MB", "photos")
    if data[4:8] == b"ftyp" and data[8:12] in HEIC_BRANDS:
        return "image/heic", "heic"
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(f"{label}不是有效的图片(支持jpg/png/heic/webp)", "photos") from exc
    if kind not in PHOTO_TYPES:
        raise InvalidInput(f"{label}格式不支持(支持jpg/png/heic/webp)", "photos")
    return PHOTO_TYPES[kind]


def check_photos(photos: list[tuple[str, bytes]]) -> list[tuple[bytes, str, str]]:
    if len(photos) > settings.BANSHI_MAX_PHOTOS:
        raise InvalidInput(f"最多上传{settings.BANSHI_MAX_PHOTOS}张照片", "photos")
    return [(data, *sniff_photo(data, name)) for name, data in photos]


def _clean_contact(value: str | None, field: str, label: str, max_length: int) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        raise InvalidInput(f"{label}不能超过{max_length}个字符", field)
    if problem := validators.text_problem(text):
        raise InvalidInput(f"{label}{problem}", field)
    return text


def _clean_phone(value: str | None) -> str:
    phone = _clean_contact(value, "contact_phone", "电话", limits.PHONE_MAX)
    try:
        return validators.normalise_phone(phone)
    except ValueError as exc:
        raise InvalidInput(str(exc), "contact_phone") from exc


def _clean_collected_at(value: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """Naive times are local (BANSHI_TIME_ZONE); years outside limits' range are refused."""
    if value is None:
        return now
    try:
        value = validators.local_moment(value, timezone.get_current_timezone())
    except ValueError as exc:
        raise InvalidInput(f"收集时间{exc}", "collected_at") from exc
    if value > now + dt.timedelta(minutes=5):
        raise InvalidInput("收集日期不能晚于今天", "collected_at")
    return value


def submit_appeal(*, title: str, content: str, channel: str = Channel.ONLINE_FORM,
                  region: Region | None = None, contact_name: str = "",
                  contact_phone: str = "", address: str = "",
                  collected_at: dt.datetime | None = None,
                  photos: list[tuple[str, bytes]] | None = None, actor: User | None = None,
                  external_id: str = "", category: Category | None = None,
                  aspect: Aspect | None = None, label: str | None = None,
                  likes: int = 0, route: bool = True) -> tuple[Appeal, str]:
    """Create an appeal in state `submitted`; return it with its 6-digit query code.

    `actor` is None for a resident; staff entering offline appeals pass themselves.
    `label` overrides the event's actor label (e.g. "批量导入" for an import without a user).
    With `route` (not for imports of past ledgers) the district's routing mode applies: in
    `street_first` the appeal goes at once to its community's street (chain.route_new_appeal).
    """
    title = require_text(title, "title", "标题", limits.TITLE_MAX)
    content = require_text(content, "content", "内容", limits.CONTENT_MAX)
    if channel not in Channel.values:
        raise InvalidInput(f"未知的渠道：{channel}", "channel")
    if actor is not None and not permissions.can_enter_offline(actor):
        raise NotPermitted("当前账号不能录入诉求")
    if region is not None and region.level != RegionLevel.COMMUNITY:
        raise InvalidInput("请选择社区(村)", "region_code")
    now = clock.now()
    collected_at = _clean_collected_at(collected_at, now)
    contact = {"contact_name": _clean_contact(contact_name, "contact_name", "姓名",
                                              limits.NAME_MAX),
               "contact_phone": _clean_phone(contact_phone),
               "address": _clean_contact(address, "address", "地址", limits.ADDRESS_MAX)}
    checked = check_photos(photos or [])
    code = new_query_code()
    with transaction.atomic():
        appeal = Appeal.objects.create(
            number=next_number(timezone.localdate(now)),
            query_code_hash=hash_query_code(code),
            channel=channel,
            title=title,
            content=content,
            **contact,
            region=region,
            collected_at=collected_at,
            created_by=actor,
            collector_unit=permissions.unit_of(actor),
            external_id=external_id,
            category=category,
            aspect=aspect,
            likes=max(0, likes),
        )
        if clock.replaying():  # 录入时间 follows a historical load's replayed clock
            Appeal.objects.filter(pk=appeal.pk).update(created_at=now)
            appeal.created_at = now
        for data, content_type, extension in checked:
            attachment = Attachment(appeal=appeal, content_type=content_type, extension=extension,
                                    size=len(data), sha256=hashlib.sha256(data).hexdigest())
            attachment.file.save(f"photo.{extension}", ContentFile(data), save=True)
        note = f"渠道：{appeal.get_channel_display()}"
        record(appeal, Action.SUBMIT, actor=actor, from_state="", note=note, label=label)
        if route:
            appeal = route_new_appeal(appeal)
        transaction.on_commit(lambda: _triage_later(appeal.pk))
    assert appeal.state in {State.SUBMITTED, State.DISPATCHED}
    return appeal, code


def _triage_later(appeal_id: int) -> None:
    """Queue the model's suggestion (and a possible automatic dispatch) for the worker."""
    from ..tasks import triage_appeal  # tasks imports the actions

    triage_appeal(appeal_id)

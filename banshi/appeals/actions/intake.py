"""Taking appeals in: the resident's H5 form, a worker's offline entry, imports."""

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from banshi.org import permissions
from banshi.org.choices import RegionLevel
from banshi.org.models import Region

from .. import clock, limits, validators
from ..choices import Action, Channel, PhotoKind, State
from ..models import Appeal, Aspect, Category, DailyCounter, hash_query_code
from ..photos import check_photos, photo_transaction, save_photos
from .base import InvalidInput, NotPermitted, record, require_text
from .chain import route_new_appeal


def next_number(day: dt.date) -> str:
    """`ZY20261125-0001`: sequential per local day, never the database id."""
    counter, _ = DailyCounter.objects.select_for_update().get_or_create(day=day)
    DailyCounter.objects.filter(day=day).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"{settings.BANSHI_NUMBER_PREFIX}{day:%Y%m%d}-{counter.last:04d}"


def new_query_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


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
                  likes: int = 0, route: bool = True,
                  source: Model | None = None, submitter_key: str = "") -> tuple[Appeal, str]:
    """Create an appeal in state `submitted`; return it with its 6-digit query code.

    `actor` is None for a resident; staff entering offline appeals pass themselves.
    `label` overrides the event's actor label (e.g. "批量导入" for an import without a user).
    With `route` (not for imports of past ledgers) the district's routing mode applies: in
    `street_first` the appeal goes at once to its community's street (chain.route_new_appeal).
    `source` is the collection record it came from (a symposium, a box's opening, a visit …):
    the appeal keeps a link to it (Appeal.source) and the submit event names it.
    `submitter_key` is the resident's device as a keyed hash (web.clients.submitter_key).
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
    with photo_transaction():
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
            submitter_key=submitter_key[:32],
            source_type=ContentType.objects.get_for_model(source) if source else None,
            source_id=source.pk if source else None,
        )
        if clock.replaying():  # 录入时间 follows a historical load's replayed clock
            Appeal.objects.filter(pk=appeal.pk).update(created_at=now)
            appeal.created_at = now
        note = f"渠道：{appeal.get_channel_display()}"
        if source is not None:
            note += f"；来源：{source._meta.verbose_name}"
        event = record(appeal, Action.SUBMIT, actor=actor, from_state="", note=note,
                       label=label, data=_source_data(source))
        # the resident's own photos: they see them again when tracking
        save_photos(appeal, checked, kind=PhotoKind.RESIDENT, event=event, public=True)
        if route:
            appeal = route_new_appeal(appeal)
        transaction.on_commit(lambda: _triage_later(appeal.pk))
    assert appeal.state in {State.SUBMITTED, State.DISPATCHED}
    return appeal, code


def _source_data(source: Model | None) -> dict[str, Any]:
    if source is None:
        return {}
    return {"source": {"model": source._meta.label_lower, "id": source.pk}}


def _triage_later(appeal_id: int) -> None:
    """Queue the model's suggestion (and a possible automatic dispatch) for the worker."""
    from ..tasks import triage_appeal  # tasks imports the actions

    triage_appeal(appeal_id)

"""Online groups and platforms (微信群, QQ群, 心通桥 …): the registry, and a message pasted
from a group becoming an appeal that keeps the original text, alias and time."""

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from banshi.appeals import clock, validators
from banshi.appeals.actions.intake import submit_appeal
from banshi.appeals.choices import Channel
from banshi.appeals.errors import InvalidInput
from banshi.appeals.limits import CONTENT_MAX, TITLE_MAX
from banshi.appeals.models import Appeal
from banshi.org.models import Region, Unit

from ..choices import GroupKind, RecordAction
from ..models import GroupMessage, OnlineGroup
from .common import (
    changed_fields,
    check_recording,
    community,
    optional_text,
    record_event,
    require_text,
)

NAME_MAX = 200
ALIAS_MAX = 100
MEMBERS_MAX = 1_000_000
TITLE_FROM_TEXT = 30  # a pasted message's default title: its first characters
# the appeal's channel for each kind of group
CHANNELS = {GroupKind.WECHAT_GROUP: Channel.WECHAT_GROUP, GroupKind.QQ_GROUP: Channel.QQ_GROUP,
            GroupKind.PLATFORM: Channel.PLATFORM}


def _fields(*, kind: str, name: str, region: Region | None, members: int,
            is_active: bool) -> dict:
    if kind not in GroupKind.values:
        raise InvalidInput(f"未知的群组类型：{kind}", "kind")
    if not 0 <= members <= MEMBERS_MAX:
        raise InvalidInput(f"成员数须在0至{MEMBERS_MAX}之间", "members")
    return {"kind": kind, "name": require_text(name, "name", "群名称", NAME_MAX),
            "region": community(region), "members": members, "is_active": is_active}


def create_group(*, actor: User, unit: Unit | None, kind: str, name: str,
                 region: Region | None = None, members: int = 0,
                 is_active: bool = True) -> OnlineGroup:
    unit = check_recording(actor, unit)
    values = _fields(kind=kind, name=name, region=region, members=members, is_active=is_active)
    with transaction.atomic():
        group = OnlineGroup.objects.create(unit=unit, created_by=actor, **values)
        record_event(group, RecordAction.CREATE, actor=actor)
    return group


def update_group(group: OnlineGroup, *, actor: User, unit: Unit | None, kind: str, name: str,
                 region: Region | None = None, members: int = 0,
                 is_active: bool = True) -> OnlineGroup:
    check_recording(actor, group.unit)
    values = _fields(kind=kind, name=name, region=region, members=members, is_active=is_active)
    values["unit"] = check_recording(actor, unit)
    with transaction.atomic():
        changed = changed_fields(group, values)
        OnlineGroup.objects.filter(pk=group.pk).update(**values)
        group.refresh_from_db()
        record_event(group, RecordAction.UPDATE, actor=actor, data={"fields": changed})
    return group


def default_title(text: str) -> str:
    """The first characters of a message, on one line."""
    line = " ".join((text or "").split())
    return line if len(line) <= TITLE_FROM_TEXT else line[:TITLE_FROM_TEXT] + "…"


def _sent_at(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        raise InvalidInput("发送时间不能为空", "sent_at")
    try:
        value = validators.local_moment(value, timezone.get_current_timezone())
    except ValueError as exc:
        raise InvalidInput(f"发送时间{exc}", "sent_at") from exc
    if value > clock.now() + dt.timedelta(minutes=5):
        raise InvalidInput("发送时间不能晚于现在", "sent_at")
    return value


def paste_message(group: OnlineGroup, *, actor: User, sender_alias: str,
                  sent_at: dt.datetime | None, text: str, title: str = "",
                  region: Region | None = None) -> tuple[GroupMessage, Appeal]:
    """Keep a message pasted from `group` word for word and enter it as an appeal (channel
    from the group's kind, title by default its first words, content the text) whose
    source is the message. Both or neither."""
    check_recording(actor, group.unit)
    alias = require_text(sender_alias, "sender_alias", "发送人昵称", ALIAS_MAX)
    moment = _sent_at(sent_at)
    text = require_text(text, "text", "原文", CONTENT_MAX)
    title = optional_text(title, "title", "标题", TITLE_MAX) or default_title(text)
    with transaction.atomic():
        message = GroupMessage.objects.create(group=group, created_by=actor, sender_alias=alias,
                                              sent_at=moment, text=text)
        appeal, _code = submit_appeal(
            title=title, content=text, channel=CHANNELS[GroupKind(group.kind)],
            region=community(region or group.region), actor=actor, source=message,
            collected_at=moment)
        record_event(group, RecordAction.PASTE_MESSAGE, actor=actor,
                     data={"message": message.pk, "appeals": [appeal.number]})
    return message, appeal

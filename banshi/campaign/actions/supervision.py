"""Supervision (巡回督导): guidance groups with their members and covered units, the groups'
visits to units, and the rectification items (整改事项) their findings become.

Groups, members and coverage are the office's (`may_manage_guidance`); a unit is covered by
one group of a campaign only. A visit is recorded by a member of its group (an account with
the 巡回指导组 role) or the office, to a unit the group covers; its items are owed by the
visited unit, whose staff report the result and mark them 已整改; the group or the office may
reopen an item found not done. Every change is logged (RecordEvent)."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from banshi.appeals.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from banshi.collection.choices import RecordAction
from banshi.org.choices import Role, UnitKind
from banshi.org.models import Unit
from banshi.org.permissions import role_of

from .. import permissions
from ..choices import RectificationStatus, VisitRating
from ..models import Campaign, GuidanceGroup, GuidanceMember, GuidanceVisit, Rectification
from .common import day, optional_text, record_event, require_text

GROUP_NAME_MAX = 100
MEMBER_NAME_MAX = 50
TITLE_MAX = 100
FINDINGS_MAX = 10_000
ITEM_MAX = 2_000
RESULT_MAX = 5_000
ITEMS_MAX = 30
ORDER_MAX = 10_000
MEMBER_ROLES = ("组长", "副组长", "成员")


@dataclass(frozen=True)
class ItemIn:
    """One rectification item given with a visit: what must be put right, and by when."""

    item: str
    due_on: dt.date | None


def office_unit() -> Unit:
    """The unit that keeps the groups' records: the district office (the root unit)."""
    unit: Unit | None = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("path").first()
    if unit is None:
        raise InvalidInput("尚未设置区级单位", "unit_code")
    return unit


def _check_office(actor: User) -> None:
    if not permissions.may_manage_guidance(actor):
        raise NotPermitted("只有活动办公室可以管理巡回指导组")


def _group_fields(name: str, order: int) -> dict[str, object]:
    if not 0 <= order <= ORDER_MAX:
        raise InvalidInput(f"排序须在0至{ORDER_MAX}之间", "order")
    return {"name": require_text(name, "name", "名称", GROUP_NAME_MAX), "order": order}


def _check_name_free(campaign: Campaign, name: str, group: GuidanceGroup | None) -> None:
    taken = GuidanceGroup.objects.filter(campaign=campaign, name=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        raise InvalidInput(f"已有名为“{name}”的指导组", "name")


def create_group(campaign: Campaign, *, actor: User, name: str, order: int = 0,
                 units: Iterable[Unit] = ()) -> GuidanceGroup:
    """A new guidance group of `campaign` (the office), covering `units`."""
    _check_office(actor)
    values = _group_fields(name, order)
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        _check_name_free(campaign, str(values["name"]), None)
        group = GuidanceGroup.objects.create(campaign=campaign, unit=office_unit(),
                                             created_by=actor, **values)
        record_event(group, RecordAction.CREATE, actor=actor)
        units = list(units)
        if units:
            _cover(group, actor, units)
    return group


def update_group(group: GuidanceGroup, *, actor: User, name: str,
                 order: int = 0) -> GuidanceGroup:
    """Rename or reorder a group (the office)."""
    _check_office(actor)
    values = _group_fields(name, order)
    with transaction.atomic():
        _check_name_free(group.campaign, str(values["name"]), group)
        changed = [key for key, value in values.items() if getattr(group, key) != value]
        GuidanceGroup.objects.filter(pk=group.pk).update(**values)
        group.refresh_from_db()
        record_event(group, RecordAction.UPDATE, actor=actor, data={"fields": sorted(changed)})
    return group


def _coverable(units: Sequence[Unit]) -> list[Unit]:
    for unit in units:
        if unit.kind == UnitKind.DISTRICT or not unit.is_active:
            raise InvalidInput(f"“{unit.name}”不能作为督导单位", "units")
    return list(units)


def _cover(group: GuidanceGroup, actor: User, units: Sequence[Unit]) -> list[Unit]:
    """Add `units` to the group's coverage, refusing one another group already covers."""
    units = _coverable(units)
    taken = (GuidanceGroup.covered_units.through.objects
             .filter(guidancegroup__campaign_id=group.campaign_id,
                     unit_id__in=[u.pk for u in units])
             .exclude(guidancegroup_id=group.pk)
             .select_related("unit", "guidancegroup").order_by("unit__path").first())
    if taken is not None:
        raise InvalidInput(f"“{taken.unit.name}”已由“{taken.guidancegroup.name}”督导，"
                           "一个单位只能由一个指导组督导", "units")
    have = set(group.covered_units.values_list("pk", flat=True))
    added = [unit for unit in units if unit.pk not in have]
    group.covered_units.add(*added)
    return added


def set_covered_units(group: GuidanceGroup, *, actor: User,
                      units: Iterable[Unit]) -> GuidanceGroup:
    """Make the group cover exactly `units` (the office). A unit another group of the campaign
    covers is refused, naming it; a unit the group has visited cannot be dropped."""
    _check_office(actor)
    units = _coverable(list(dict.fromkeys(units)))
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=group.campaign_id).first()
        keep = {unit.pk for unit in units}
        dropped = list(group.covered_units.exclude(pk__in=keep).order_by("path"))
        visited = group.visits.filter(unit__in=dropped).select_related("unit").first()
        if visited is not None:
            raise InvalidInput(f"“{visited.unit.name}”已有本组督导记录，不能移出督导范围",
                               "units")
        added = _cover(group, actor, units)
        group.covered_units.remove(*dropped)
        if added or dropped:
            record_event(group, RecordAction.UPDATE, actor=actor, data={
                "covered_added": [u.code for u in added],
                "covered_removed": [u.code for u in dropped]})
    return group


def _member_fields(name: str, role: str, title: str, user: User | None,
                   group: GuidanceGroup) -> dict[str, object]:
    if role not in MEMBER_ROLES:
        raise InvalidInput(f"职务须为{'、'.join(MEMBER_ROLES)}之一", "role")
    if user is not None:
        if role_of(user) != Role.INSPECTOR:
            raise InvalidInput("关联账号须为“巡回指导组”角色的账号", "username")
        if group.members.filter(user=user).exists():
            raise InvalidInput("该账号已是本组成员", "username")
    return {"name": require_text(name, "name", "姓名", MEMBER_NAME_MAX), "role": role,
            "title": optional_text(title, "title", "本职", TITLE_MAX), "user": user}


def add_member(group: GuidanceGroup, *, actor: User, name: str, role: str = "成员",
               title: str = "", user: User | None = None) -> GuidanceMember:
    """Add a member (组长, 副组长 or 成员), with the inspector account that records the group's
    visits if there is one (the office)."""
    _check_office(actor)
    values = _member_fields(name, role, title, user, group)
    with transaction.atomic():
        member = GuidanceMember.objects.create(group=group, **values)
        record_event(group, RecordAction.ADD_MEMBER, actor=actor, note=f"{role} {member.name}",
                     data={"role": role, "members": group.members.count()})
    return member


def remove_member(member: GuidanceMember, *, actor: User) -> None:
    _check_office(actor)
    group = member.group
    with transaction.atomic():
        role, name = member.role, member.name
        member.delete()
        record_event(group, RecordAction.REMOVE_MEMBER, actor=actor, note=f"{role} {name}",
                     data={"role": role, "members": group.members.count()})


def _visit_day(campaign: Campaign, value: dt.date | None) -> dt.date:
    visited_on = day(value, "visited_on", "督导日期")
    if visited_on < campaign.started_on:
        raise InvalidInput(f"督导日期不能早于活动启动日期{campaign.started_on:%Y-%m-%d}",
                           "visited_on")
    if visited_on > timezone.localdate():
        raise InvalidInput("督导日期不能晚于今天", "visited_on")
    return visited_on


def _items(items: Sequence[ItemIn], visited_on: dt.date) -> list[tuple[str, dt.date]]:
    if len(items) > ITEMS_MAX:
        raise InvalidInput(f"一次最多录入{ITEMS_MAX}项整改事项", "rectifications")
    return [(require_text(entry.item, "item", "整改事项", ITEM_MAX),
             _due(entry.due_on, visited_on)) for entry in items]


def _due(value: dt.date | None, visited_on: dt.date) -> dt.date:
    due_on = day(value, "due_on", "整改时限")
    if due_on < visited_on:
        raise InvalidInput("整改时限不能早于督导日期", "due_on")
    return due_on


def record_visit(group: GuidanceGroup, *, actor: User, unit: Unit | None,
                 visited_on: dt.date | None, findings: str = "", highlights: str = "",
                 rating: str = VisitRating.GOOD,
                 items: Sequence[ItemIn] = ()) -> GuidanceVisit:
    """The group's visit to `unit` (one it covers), with its findings, highlights, rating and
    the rectification items the findings become (owed by `unit`)."""
    if not permissions.may_record_visit(actor, group):
        raise NotPermitted(f"无权为“{group.name}”录入督导记录", "group_id")
    if unit is None:
        raise InvalidInput("请选择被督导单位", "unit_code")
    if not group.covered_units.filter(pk=unit.pk).exists():
        raise InvalidInput(f"“{unit.name}”不在“{group.name}”的督导范围内", "unit_code")
    if rating not in VisitRating.values:
        raise InvalidInput(f"未知的评价：{rating}", "rating")
    visited_on = _visit_day(group.campaign, visited_on)
    values = {"findings": optional_text(findings, "findings", "发现问题", FINDINGS_MAX),
              "highlights": optional_text(highlights, "highlights", "工作亮点", FINDINGS_MAX)}
    checked = _items(items, visited_on)
    with transaction.atomic():
        visit = GuidanceVisit.objects.create(group=group, unit=unit, visited_on=visited_on,
                                             rating=rating, created_by=actor, **values)
        record_event(visit, RecordAction.CREATE, actor=actor,
                     data={"group": group.pk, "rectifications": len(checked)})
        record_event(group, RecordAction.ADD_VISIT, actor=actor,
                     note=f"{visited_on:%Y-%m-%d} {unit.name}",
                     data={"visit": visit.pk, "unit": unit.code})
        for text, due_on in checked:
            _create_item(visit, actor, text, due_on)
    return visit


def _create_item(visit: GuidanceVisit, actor: User, text: str,
                 due_on: dt.date) -> Rectification:
    item = Rectification.objects.create(visit=visit, unit=visit.unit, item=text, due_on=due_on,
                                        created_by=actor)
    record_event(item, RecordAction.CREATE, actor=actor, data={"visit": visit.pk})
    return item


def add_rectification(visit: GuidanceVisit, *, actor: User, item: str,
                      due_on: dt.date | None) -> Rectification:
    """One more rectification item from the visit's findings (the group or the office)."""
    if not permissions.may_record_visit(actor, visit.group):
        raise NotPermitted(f"无权为“{visit.group.name}”录入整改事项", "group_id")
    [(text, due)] = _items([ItemIn(item, due_on)], visit.visited_on)
    with transaction.atomic():
        created = _create_item(visit, actor, text, due)
        record_event(visit, RecordAction.UPDATE, actor=actor,
                     data={"rectifications": visit.rectifications.count()})
    return created


def complete_rectification(item: Rectification, *, actor: User, result: str,
                           done_on: dt.date | None = None) -> Rectification:
    """The unit reports what it did and marks the item 已整改."""
    if not permissions.may_rectify(actor, item):
        raise NotPermitted(f"无权为“{item.unit.name}”报告整改情况", "item_id")
    if item.status == RectificationStatus.DONE:
        raise TransitionNotAllowed("该事项已整改", "item_id")
    result = require_text(result, "result", "整改情况", RESULT_MAX)
    done_on = day(done_on or timezone.localdate(), "done_on", "完成日期")
    if done_on > timezone.localdate():
        raise InvalidInput("完成日期不能晚于今天", "done_on")
    if done_on < item.visit.visited_on:
        raise InvalidInput("完成日期不能早于督导日期", "done_on")
    with transaction.atomic():
        updated = Rectification.objects.filter(pk=item.pk, status=RectificationStatus.OPEN) \
            .update(status=RectificationStatus.DONE, done_on=done_on, result=result)
        if not updated:
            raise TransitionNotAllowed("该事项已整改", "item_id")
        item.refresh_from_db()
        record_event(item, RecordAction.RECTIFY, actor=actor, note=result[:200],
                     data={"done_on": done_on.isoformat(), "late": done_on > item.due_on})
    return item


def reopen_rectification(item: Rectification, *, actor: User, reason: str,
                         due_on: dt.date | None = None) -> Rectification:
    """The group or the office finds an item not put right: back to 整改中, with the reason
    and, if given, a new deadline."""
    if not permissions.may_reopen_rectification(actor, item):
        raise NotPermitted(f"无权重新打开“{item.visit.group.name}”的整改事项", "item_id")
    if item.status != RectificationStatus.DONE:
        raise TransitionNotAllowed("该事项仍在整改中", "item_id")
    reason = require_text(reason, "reason", "重新打开的原因", RESULT_MAX)
    new_due = _due(due_on, item.visit.visited_on) if due_on is not None else item.due_on
    with transaction.atomic():
        Rectification.objects.filter(pk=item.pk).update(
            status=RectificationStatus.OPEN, done_on=None, due_on=new_due)
        item.refresh_from_db()
        record_event(item, RecordAction.REOPEN, actor=actor, note=reason[:200],
                     data={"due_on": new_due.isoformat()})
    return item

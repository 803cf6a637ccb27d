"""The campaign's organisation (一办五组 and the temporary Party branch): add, change and
remove groups and their members. Only the campaign office (`permissions.is_office`) edits;
every change is logged on the group (RecordEvent), members' changes as the group's."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from banshi.appeals.errors import InvalidInput, NotPermitted
from banshi.org.choices import UnitKind
from banshi.org.models import Unit
from banshi.org.permissions import Person

from ...collection.choices import RecordAction
from .. import permissions
from ..choices import GroupKind
from ..models import Campaign, OrgGroup, OrgMember
from .common import changed_fields, day, optional_text, record_event, require_text

NAME_MAX = 100
DUTIES_MAX = 5_000
RULES_MAX = 20_000
PERSON_MAX = 50
ROLE_MAX = 50
TITLE_MAX = 100
ORDER_MAX = 10_000


def check_office(actor: Person) -> None:
    if not permissions.is_office(actor):
        raise NotPermitted("只有活动办公室可以编辑组织机构")


def office_unit() -> Unit:
    """The unit that keeps the organisation's records: the district's top unit (专班)."""
    unit: Unit | None = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("path").first()
    if unit is None:
        raise InvalidInput("尚未建立区级单位", "unit")
    return unit


def current_campaign() -> Campaign:
    campaign = Campaign.objects.current()
    if campaign is None:
        raise InvalidInput("尚未建立活动", "campaign")
    return campaign


def _order(order: int) -> int:
    if not 0 <= order <= ORDER_MAX:
        raise InvalidInput(f"排序须在0至{ORDER_MAX}之间", "order")
    return order


def _group_fields(*, kind: str, name: str, duties: str, rules: str,
                  formed_on: dt.date | None, order: int) -> dict[str, Any]:
    if kind not in GroupKind.values:
        raise InvalidInput(f"未知的组类型：{kind}", "kind")
    return {
        "kind": kind, "name": require_text(name, "name", "名称", NAME_MAX),
        "duties": optional_text(duties, "duties", "职责", DUTIES_MAX),
        "rules": optional_text(rules, "rules", "工作规则/制度", RULES_MAX),
        "formed_on": day(formed_on, "formed_on", "成立日期") if formed_on else None,
        "order": _order(order),
    }


def _check_parent(group: OrgGroup | None, parent: OrgGroup | None,
                  campaign: Campaign) -> OrgGroup | None:
    """`parent` when it is in the campaign and not `group` itself or below it."""
    if parent is None:
        return None
    if parent.campaign_id != campaign.pk:
        raise InvalidInput("上级组不属于本活动", "parent")
    node: OrgGroup | None = parent
    while node is not None and group is not None:
        if node.pk == group.pk:
            raise InvalidInput("上级组不能是本组或其下级组", "parent")
        node = node.parent
    return parent


def add_group(*, actor: User, parent: OrgGroup | None, kind: str, name: str, duties: str = "",
              rules: str = "", formed_on: dt.date | None = None, order: int = 0,
              campaign: Campaign | None = None) -> OrgGroup:
    """Add a group to the campaign's organisation (under `parent`, or at the top)."""
    check_office(actor)
    campaign = campaign or current_campaign()
    values = _group_fields(kind=kind, name=name, duties=duties, rules=rules,
                           formed_on=formed_on, order=order)
    values["parent"] = _check_parent(None, parent, campaign)
    with transaction.atomic():
        group = OrgGroup.objects.create(campaign=campaign, unit=office_unit(), created_by=actor,
                                        **values)
        record_event(group, RecordAction.CREATE, actor=actor)
    return group


def update_group(group: OrgGroup, *, actor: User, parent: OrgGroup | None, kind: str,
                 name: str, duties: str = "", rules: str = "",
                 formed_on: dt.date | None = None, order: int = 0) -> OrgGroup:
    check_office(actor)
    values = _group_fields(kind=kind, name=name, duties=duties, rules=rules,
                           formed_on=formed_on, order=order)
    values["parent"] = _check_parent(group, parent, group.campaign)
    with transaction.atomic():
        changed = changed_fields(group, values)
        OrgGroup.objects.filter(pk=group.pk).update(**values)
        group.refresh_from_db()
        record_event(group, RecordAction.UPDATE, actor=actor, data={"fields": changed})
    return group


def remove_group(group: OrgGroup, *, actor: User) -> None:
    """Remove a group with its members; one with groups under it is refused."""
    check_office(actor)
    if group.children.exists():
        raise InvalidInput("请先删除或移走其下级组", "group")
    with transaction.atomic():
        record_event(group, RecordAction.DELETE, actor=actor, note=group.name,
                     data={"members": group.members.count()})
        group.delete()


def _member_fields(*, name: str, role: str, title: str, home_unit: Unit | None,
                   seconded: bool, order: int) -> dict[str, Any]:
    if seconded and home_unit is None:
        raise InvalidInput("抽调人员须填写原单位", "home_unit")
    return {
        "name": require_text(name, "name", "姓名", PERSON_MAX),
        "role": optional_text(role, "role", "职务", ROLE_MAX),
        "title": optional_text(title, "title", "本职", TITLE_MAX),
        "home_unit": home_unit, "seconded": bool(seconded), "order": _order(order),
    }


def add_member(group: OrgGroup, *, actor: User, name: str, role: str = "", title: str = "",
               home_unit: Unit | None = None, seconded: bool = False,
               user: User | None = None, order: int = 0) -> OrgMember:
    check_office(actor)
    values = _member_fields(name=name, role=role, title=title, home_unit=home_unit,
                            seconded=seconded, order=order)
    with transaction.atomic():
        member = OrgMember.objects.create(group=group, user=user, **values)
        record_event(group, RecordAction.ADD_MEMBER, actor=actor, note=member.name,
                     data={"member": member.pk, "members": group.members.count()})
    return member


def update_member(member: OrgMember, *, actor: User, group: OrgGroup, name: str,
                  role: str = "", title: str = "", home_unit: Unit | None = None,
                  seconded: bool = False, order: int = 0) -> OrgMember:
    """Change a member's fields; `group` moves them to another group of the campaign."""
    check_office(actor)
    values = _member_fields(name=name, role=role, title=title, home_unit=home_unit,
                            seconded=seconded, order=order)
    if group.campaign_id != member.group.campaign_id:
        raise InvalidInput("所在组不属于本活动", "group")
    values["group"] = group
    with transaction.atomic():
        changed = changed_fields(member, values)
        OrgMember.objects.filter(pk=member.pk).update(**values)
        member.refresh_from_db()
        record_event(member.group, RecordAction.UPDATE, actor=actor, note=member.name,
                     data={"member": member.pk, "fields": changed})
    return member


def remove_member(member: OrgMember, *, actor: User) -> None:
    check_office(actor)
    group = member.group
    with transaction.atomic():
        name = member.name
        member.delete()
        record_event(group, RecordAction.REMOVE_MEMBER, actor=actor, note=name,
                     data={"members": group.members.count()})


def seconded_staff(campaign: Campaign | None) -> QuerySet[OrgMember]:
    """The campaign's seconded members, one row per person (a person in two groups — a
    working group and the Party branch's committee — counts once: same name, same unit)."""
    if campaign is None:
        return OrgMember.objects.none()
    rows = (OrgMember.objects.filter(group__campaign=campaign, seconded=True)
            .order_by("id").values_list("pk", "name", "home_unit_id"))
    first: dict[tuple[str, int | None], int] = {}
    for pk, name, home_unit in rows:
        first.setdefault((name, home_unit), pk)
    return OrgMember.objects.filter(pk__in=first.values()).select_related("home_unit", "group")

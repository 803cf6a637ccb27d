"""Who may see and record the campaign's own work — the one place these rules are written.

Seeing: every staff role opens the campaign pages. What belongs to the whole district — the
organisation, the guidance groups and their coverage, speakers, venues, selections and
published good practices — every staff member sees. A unit's records (meetings, study
activities, practical matters, visits to it, rectifications, nominations) are scoped as
collection records are: district roles all; unit staff their unit's and its sub-units'. A task
is seen by its issuing unit's scope and by the units it is assigned to.

Recording: the dispatcher and admins (the campaign office) record for any unit; unit staff for
their own unit and the units below it (collection's `may_record_for`). The organisation,
guidance groups, selections' rules and stages, reviews and 公示 objections are the office's.
A guidance group's visits are recorded by its members (role 巡回指导组 with an account in the
group) and by the office. Panel scores are given by leaders and the office. Deny by default.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db.models import QuerySet

from banshi.collection.permissions import may_record_for, units_for_recording
from banshi.org.choices import Role
from banshi.org.models import Unit
from banshi.org.permissions import Person, is_dispatcher, role_of, sees_everything, unit_of

if TYPE_CHECKING:
    from .models import Campaign, GuidanceGroup, Rectification

__all__ = [
    "groups_for_visits", "is_office", "may_handle_assignment", "may_issue_task",
    "may_manage_guidance", "may_manage_speaker", "may_manage_venues", "may_record_for",
    "may_record_visit", "may_rectify", "may_reopen_rectification", "may_score",
    "may_see_campaign", "units_for_recording",
]


def may_see_campaign(user: Person) -> bool:
    """Open the campaign pages at all (each list is then scoped)."""
    return sees_everything(user) or (role_of(user) == Role.UNIT and unit_of(user) is not None)


def is_office(user: Person) -> bool:
    """The campaign office (领导小组办公室): the dispatcher and admins."""
    return is_dispatcher(user)


def may_issue_task(user: Person, issuer: Unit | None, assignees: Iterable[Unit]) -> bool:
    """Issue a task from `issuer` to `assignees`: the office to any unit; unit staff from their
    own unit to it or units below it."""
    if issuer is None or not may_record_for(user, issuer):
        return False
    return is_office(user) or all(unit.path.startswith(issuer.path) for unit in assignees)


def may_handle_assignment(user: Person, unit: Unit) -> bool:
    """Report progress on or complete a task assigned to `unit`."""
    return may_record_for(user, unit)


def may_record_visit(user: Person, group: "GuidanceGroup") -> bool:
    """Record a supervision visit (and its rectification items) for guidance `group`."""
    if is_office(user):
        return True
    if not isinstance(user, User) or role_of(user) != Role.INSPECTOR:
        return False
    return group.members.filter(user_id=user.pk).exists()


def may_score(user: Person) -> bool:
    """Give a panel score to a nominee (评委): leaders and the office."""
    return is_office(user) or role_of(user) == Role.LEADER


# --- supervision (巡回督导): guidance groups, visits, rectification items ---------------------


def may_manage_guidance(user: Person) -> bool:
    """Create and change guidance groups, their members and covered units: the office."""
    return is_office(user)


def groups_for_visits(user: Person, campaign: "Campaign") -> "QuerySet[GuidanceGroup]":
    """The guidance groups of `campaign` whose visits `user` may record (for form pickers)."""
    from .models import GuidanceGroup

    groups = GuidanceGroup.objects.filter(campaign=campaign)
    if is_office(user):
        return groups
    if role_of(user) != Role.INSPECTOR:
        return groups.none()
    return groups.filter(members__user_id=getattr(user, "pk", None)).distinct()


def may_rectify(user: Person, item: "Rectification") -> bool:
    """Report the result of rectification `item` and mark it 已整改: the office and the staff
    of the unit that owes it (or of a unit above it)."""
    return may_record_for(user, item.unit)


def may_reopen_rectification(user: Person, item: "Rectification") -> bool:
    """Reopen a rectification item found not done: its visit's guidance group and the office."""
    return may_record_visit(user, item.visit.group)


# ---------- study and lectures (speakers, venues) ----------


def may_manage_speaker(user: Person, unit: Unit | None) -> bool:
    """Add or change a speaker belonging to `unit`: the office for any (or none); unit staff
    for their own unit and the units below it."""
    if is_office(user):
        return True
    return unit is not None and may_record_for(user, unit)


def may_manage_venues(user: Person) -> bool:
    """Add or change a red education venue: the campaign office."""
    return is_office(user)

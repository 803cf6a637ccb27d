"""Who may do what with appeals and problems — the one place these rules are written.

Deny by default: a user without a Staff row has no rights; a predicate that does not say yes
says no. Each right is a `Right`: a test of (user, subject) and the message shown when it
refuses. The transition table (`banshi.appeals.transitions`) names one right per action.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from banshi.org.choices import Role
from banshi.org.permissions import (
    can_supervise,
    is_dispatcher,
    role_of,
    sees_everything,
    unit_of,
)


def is_handling_unit(user, appeal) -> bool:
    """The user acts for the unit holding the appeal (an admin may act for any unit)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    unit = unit_of(user)
    return (role == Role.UNIT and unit is not None and appeal.unit_id is not None
            and appeal.unit_id == unit.pk)


def may_see_personal(user, appeal) -> bool:
    """Names, phones and addresses unmasked: the dispatcher, admins and the handling unit."""
    return is_dispatcher(user) or is_handling_unit(user, appeal)


def may_manage_problems(user) -> bool:
    """Create, confirm, edit, reject problems and link appeals: the dispatcher and admins."""
    return is_dispatcher(user)


def may_rectify(user, problem) -> bool:
    """Report progress on a problem and resolve it: its owner unit, the dispatcher, admins."""
    if is_dispatcher(user):
        return True
    unit = unit_of(user)
    return (role_of(user) == Role.UNIT and unit is not None
            and problem.owner_unit_id == unit.pk)


def may_see_triage(user) -> bool:
    """The model's suggestions and automatic-dispatch notes: district roles."""
    return sees_everything(user)


@dataclass(frozen=True)
class Right:
    """A named right: `test(user, subject)` and the message shown when it refuses."""

    test: Callable[[Any, Any], bool]
    denied: str

    def __call__(self, user, subject=None) -> bool:
        return bool(self.test(user, subject))


DISPATCHER = Right(lambda user, _subject: is_dispatcher(user), "只有区派单员可以执行该操作")
HANDLING_UNIT = Right(is_handling_unit, "只有承办单位可以办理该诉求")
SUPERVISOR = Right(lambda user, _subject: can_supervise(user), "只有区级领导和派单员可以督办")
PROBLEM_MANAGER = Right(lambda user, _subject: may_manage_problems(user),
                        "只有区派单员可以执行该操作")
RECTIFIER = Right(may_rectify, "只有牵头单位和区派单员可以执行该操作")
# What the platform does by itself (automatic dispatch): no person may.
SYSTEM = Right(lambda user, _subject: user is None, "该操作只能由系统执行")

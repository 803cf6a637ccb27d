"""Who may do what with appeals and problems — the one place these rules are written.

Deny by default: a user without a Staff row has no rights; a predicate that does not say yes
says no. Each right is a `Right`: a test of (user, subject) and the message shown when it
refuses. The transition table (`banshi.appeals.transitions`) names one right per action.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from banshi.org.choices import Role
from banshi.org.permissions import (
    Person,
    is_dispatcher,
    role_of,
    sees_everything,
    unit_of,
)

from .models import Appeal, Problem

# What a right is about (an appeal, a problem); a right taking any object ignores it.
SubjectT = TypeVar("SubjectT", contravariant=True)


def _acts_for(user: Person, unit_id: int | None) -> bool:
    """The user is staff of the unit `unit_id` (an admin may act for any unit)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    unit = unit_of(user)
    return role == Role.UNIT and unit is not None and unit_id is not None and unit_id == unit.pk


def is_handling_unit(user: Person, appeal: Appeal | None) -> bool:
    """The user acts for the unit holding the appeal (an admin may act for any unit)."""
    return _acts_for(user, appeal.unit_id if appeal is not None else None)


def is_delegating_unit(user: Person, appeal: Appeal | None) -> bool:
    """The user acts for the unit that 转派'd the appeal down and reviews its answer (an
    admin may act for any unit)."""
    return _acts_for(user, appeal.delegated_by_id if appeal is not None else None)


def may_see_personal(user: Person, appeal: Appeal) -> bool:
    """Names, phones and addresses unmasked: the dispatcher, admins, the handling unit and
    the unit that delegated the case to it."""
    return (is_dispatcher(user) or is_handling_unit(user, appeal)
            or is_delegating_unit(user, appeal))


def may_search_by_phone(user: Person) -> bool:
    """Find appeals by the caller's phone: only the roles that see personal data on every
    appeal (the dispatcher, admins). Anyone else could learn from which rows match whose
    phone a case they see masked belongs to, so their search never matches a phone."""
    return is_dispatcher(user)


def may_manage_problems(user: Person) -> bool:
    """Create, confirm, edit, reject problems and link appeals: the dispatcher and admins."""
    return is_dispatcher(user)


def may_rectify(user: Person, problem: Problem | None) -> bool:
    """Report progress on a problem and resolve it: its owner unit, the dispatcher, admins."""
    return is_dispatcher(user) or _acts_for(
        user, problem.owner_unit_id if problem is not None else None)


# 包联 and 督办. A leader 督办s only within their 包联 (banshi.org.LeaderAssignment and
# Problem.leaders): a case held by, or 转派'd down by, a unit they 包联 or one of its
# sub-units (a street's communities), or a case linked to a problem they 包联; a problem they
# 包联 or whose owner unit they 包联. The dispatcher and admins may 督办 any case or problem.
# The scopes are the querysets' `led_by`, the one statement of what a leader's 包联 covers.

def is_leader(user: Person) -> bool:
    return role_of(user) == Role.LEADER


def may_supervise(user: Person, appeal: Appeal | None) -> bool:
    """督办 a case: the dispatcher and admins any; a leader those of their 包联."""
    if is_dispatcher(user):
        return True
    if not is_leader(user):
        return False
    return appeal is None or Appeal.objects.led_by(user).filter(pk=appeal.pk).exists()


def may_supervise_problem(user: Person, problem: Problem | None) -> bool:
    """督办 a shared problem: the dispatcher and admins any; a leader those of their 包联."""
    if is_dispatcher(user):
        return True
    if not is_leader(user):
        return False
    return problem is None or Problem.objects.led_by(user).filter(pk=problem.pk).exists()


def may_assign_leaders(user: Person) -> bool:
    """Set leaders' 包联 (units and problems): the dispatcher and admins."""
    return is_dispatcher(user)


def may_see_triage(user: Person) -> bool:
    """The model's suggestions and automatic-dispatch notes: district roles."""
    return sees_everything(user)


@dataclass(frozen=True)
class Right(Generic[SubjectT]):
    """A named right: `test(user, subject)` and the message shown when it refuses. The
    subject is None when the right is asked of no object yet (may this user create one?)."""

    test: Callable[[Person, SubjectT | None], bool]
    denied: str
    # Said instead of `denied` to a user who holds the role but not for this subject.
    denied_here: str = ""
    holds_role: Callable[[Person], bool] | None = None

    def __call__(self, user: Person, subject: SubjectT | None = None) -> bool:
        return bool(self.test(user, subject))

    def refusal(self, user: Person) -> str:
        """Why `user` is refused: outside their scope, or without the role at all."""
        if self.denied_here and self.holds_role is not None and self.holds_role(user):
            return self.denied_here
        return self.denied


DISPATCHER: Right[object] = Right(lambda user, _subject: is_dispatcher(user),
                                  "只有区派单员可以执行该操作")
HANDLING_UNIT = Right(is_handling_unit, "只有承办单位可以办理该诉求")
DELEGATING_UNIT = Right(is_delegating_unit, "只有转派该诉求的单位可以审核答复")
SUPERVISOR = Right(may_supervise, "只有区级领导和派单员可以督办",
                   "只能督办包联单位的诉求", is_leader)
PROBLEM_SUPERVISOR = Right(may_supervise_problem, "只有区级领导和派单员可以督办",
                           "只能督办包联的共性问题", is_leader)
PROBLEM_MANAGER: Right[object] = Right(lambda user, _subject: may_manage_problems(user),
                                       "只有区派单员可以执行该操作")
RECTIFIER = Right(may_rectify, "只有牵头单位和区派单员可以执行该操作")
# What the platform does by itself (automatic dispatch): no person may.
SYSTEM: Right[object] = Right(lambda user, _subject: user is None, "该操作只能由系统执行")

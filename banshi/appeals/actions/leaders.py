"""包联: which streets, departments and shared problems a district leader answers for.

The units are banshi.org's `LeaderAssignment` (one row per leader), the problems
`Problem.leaders`; both change here only, and every change appends one
`LeaderAssignmentChange` (who changed whose 包联, the codes added and removed) and, for each
problem added or removed, a ProblemEvent on that problem's timeline.
"""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from banshi.org.choices import Role, UnitKind
from banshi.org.models import LeaderAssignment, LeaderAssignmentChange, Unit
from banshi.org.permissions import role_of

from ..choices import ProblemAction, ProblemStatus
from ..limits import NOTE_MAX
from ..models import Problem
from ..permissions import may_assign_leaders
from .base import InvalidInput, NotPermitted, actor_label, optional_text, record_problem

# A leader 包联s streets and departments; a street's assignment covers its communities.
ASSIGNABLE_KINDS = (UnitKind.STREET, UnitKind.DEPARTMENT)


def _check_units(units: list[Unit], before: set[int]) -> None:
    for unit in units:
        if unit.kind not in ASSIGNABLE_KINDS:
            raise InvalidInput(f"“{unit.name}”不是街道或部门，不能包联(街道的包联已含其社区)",
                               "units")
        if not unit.is_active and unit.pk not in before:
            raise InvalidInput(f"“{unit.name}”已停用", "units")


def _check_problems(problems: list[Problem], before: set[int]) -> None:
    for problem in problems:
        if problem.status == ProblemStatus.REJECTED and problem.pk not in before:
            raise InvalidInput(f"共性问题{problem.code}已驳回，不能包联", "problems")


def assign_leader(leader: User, *, actor: User, units: Iterable[Unit],
                  problems: Iterable[Problem], note: str = "") -> LeaderAssignment:
    """Set `leader`'s 包联 to exactly `units` and `problems` (the dispatcher or an admin)."""
    if not may_assign_leaders(actor):
        raise NotPermitted("只有区派单员可以设置领导包联")
    if role_of(leader) != Role.LEADER:
        raise InvalidInput("只能为区级领导设置包联", "leader")
    note = optional_text(note, "note", "说明", NOTE_MAX)
    wanted_units, wanted_problems = list(set(units)), list(set(problems))
    with transaction.atomic():
        assignment, _ = LeaderAssignment.objects.get_or_create(leader=leader)
        assignment = LeaderAssignment.objects.select_for_update().get(pk=assignment.pk)
        units_before = set(assignment.units.values_list("pk", flat=True))
        problems_before = set(leader.led_problems.values_list("pk", flat=True))
        _check_units(wanted_units, units_before)
        _check_problems(wanted_problems, problems_before)
        unit_ids, problem_ids = {u.pk for u in wanted_units}, {p.pk for p in wanted_problems}
        if unit_ids == units_before and problem_ids == problems_before:
            return assignment
        assignment.units.set(wanted_units)
        leader.led_problems.set(wanted_problems)
        assignment.updated_at, assignment.updated_by = timezone.now(), actor
        assignment.save(update_fields=["updated_at", "updated_by"])
        data = _changes(units_before, unit_ids, problems_before, problem_ids)
        LeaderAssignmentChange.objects.create(leader=leader, actor=actor, note=note, data=data)
        _record_on_problems(leader, actor, problems_before, problem_ids)
    return assignment


def _codes(model: type[Unit] | type[Problem], ids: set[int]) -> list[str]:
    return sorted(model.objects.filter(pk__in=ids).values_list("code", flat=True))


def _changes(units_before: set[int], units_after: set[int], problems_before: set[int],
             problems_after: set[int]) -> dict[str, list[str]]:
    return {
        "units_added": _codes(Unit, units_after - units_before),
        "units_removed": _codes(Unit, units_before - units_after),
        "problems_added": _codes(Problem, problems_after - problems_before),
        "problems_removed": _codes(Problem, problems_before - problems_after),
        "units": _codes(Unit, units_after),
        "problems": _codes(Problem, problems_after),
    }


def _record_on_problems(leader: User, actor: User, before: set[int], after: set[int]) -> None:
    name = actor_label(leader)
    for added, ids in ((True, after - before), (False, before - after)):
        for problem in Problem.objects.filter(pk__in=ids).order_by("pk"):
            note = f"{'确定' if added else '取消'}包联领导：{name}"
            record_problem(problem, ProblemAction.ASSIGN_LEADER, actor=actor, note=note,
                           data={"leader": leader.get_username(), "added": added})

"""The transition tables: for each action, the states it may start from, the right it needs
and any condition of the moment (a guard). Actions check them; the pages' offered actions,
the template tags and the API read them. Nothing else lists an action's allowed states.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from banshi.org.permissions import Person

from . import permissions
from .choices import HANDLING_STATES, OPEN_STATES, ProblemStatus, State
from .errors import NotPermitted, TransitionNotAllowed
from .models import Appeal, Problem
from .permissions import Right

SubjectT = TypeVar("SubjectT", contravariant=True)
T = TypeVar("T")


@dataclass(frozen=True)
class Transition(Generic[SubjectT]):
    """One action: the states it starts from, the right it needs, and a guard that says why
    it cannot be taken now (a Chinese sentence), or None."""

    verb: str  # 不能{verb}
    states: frozenset[str]
    right: Right[SubjectT]
    guard: Callable[[SubjectT], str | None] | None = None

    def blocked(self, subject: SubjectT) -> str | None:
        return self.guard(subject) if self.guard else None


class Table(dict[str, Transition[T]]):
    """Transitions of one kind of object, read from its `field` (state or status)."""

    def __init__(self, kind: str, field: str, label: Callable[[T], str],
                 rows: dict[str, Transition[T]]) -> None:
        super().__init__(rows)
        self.kind, self.field, self.label = kind, field, label

    def state_refusal(self, name: str, subject: T) -> str | None:
        """Why `subject` cannot take `name` in its current state (or a guard), or None."""
        transition = self[name]
        if getattr(subject, self.field) not in transition.states:
            shown = getattr(subject, f"get_{self.field}_display")()
            return f"{self.kind}{self.label(subject)}当前状态为“{shown}”，不能{transition.verb}"
        return transition.blocked(subject)

    def allowed(self, name: str, user: Person, subject: T) -> bool:
        """Whether `user` may take action `name` on `subject` now (for pages and the API)."""
        return self[name].right(user, subject) and self.state_refusal(name, subject) is None

    def offered(self, user: Person, subject: T) -> list[str]:
        return [name for name in self if self.allowed(name, user, subject)]

    def check(self, name: str, actor: Person, subject: T) -> None:
        """Raise NotPermitted or TransitionNotAllowed unless `actor` may take `name` now."""
        self.check_right(name, actor, subject)
        self.check_state(name, subject)

    def check_right(self, name: str, actor: Person, subject: T | None = None) -> None:
        """NotPermitted unless `actor` has the right `name` needs (before reading input)."""
        right = self[name].right
        if not right(actor, subject):
            raise NotPermitted(right.refusal(actor))

    def check_state(self, name: str, subject: T) -> None:
        """The state and guard only: for callers whose right was proven otherwise (a resident
        with the query code)."""
        refusal = self.state_refusal(name, subject)
        if refusal:
            raise TransitionNotAllowed(refusal)


def _has_pending_extension(appeal: Appeal) -> str | None:
    return "已有待审批的延期申请" if appeal.pending_extension() else None


def _no_pending_extension(appeal: Appeal) -> str | None:
    return None if appeal.pending_extension() else "没有待审批的延期申请"


def _no_parent(appeal: Appeal) -> str | None:
    unit = appeal.unit
    if unit is not None and unit.parent_id is None:
        return f"“{unit.name}”已是最高层级，不能再上报"
    return None


def _no_unit(appeal: Appeal) -> str | None:
    return None if appeal.unit_id else "该诉求没有承办单位，不能重新办理"


def _no_sub_units(appeal: Appeal) -> str | None:
    unit = appeal.unit
    if unit is not None and not unit.sub_units().exists():
        return f"“{unit.name}”没有下级单位，不能转派"
    return None


def _not_delegated(appeal: Appeal) -> str | None:
    return None if appeal.delegated_by_id else "该诉求不是转派办理的，无需审核"


def _no_open_supervision(appeal: Appeal) -> str | None:
    return None if appeal.open_supervisions().exists() else "没有待反馈的督办"


def _not_auto_dispatched(appeal: Appeal) -> str | None:
    return None if appeal.is_auto_dispatched() else "该诉求不是自动派单的，不能撤销自动派单"


ALL_STATES = frozenset(State.values)
# States from which an appeal may be (re)dispatched or merged: no unit is working on it yet.
UNWORKED = frozenset({State.SUBMITTED, State.RETURNED, State.DISPATCHED})
HANDLING = frozenset(HANDLING_STATES)
# States in which the unit holding the case works on it (not while its answer awaits 审核).
WORKING = frozenset({State.DISPATCHED, State.IN_PROGRESS})
OPEN = frozenset(OPEN_STATES)

D, H = permissions.DISPATCHER, permissions.HANDLING_UNIT

APPEAL: Table[Appeal] = Table("诉求", "state", lambda appeal: appeal.number, {
    "dispatch": Transition("派单", UNWORKED, D),
    "auto_dispatch": Transition("自动派单", frozenset({State.SUBMITTED}), permissions.SYSTEM),
    "route_to_street": Transition("街道先行派单", frozenset({State.SUBMITTED}),
                                  permissions.SYSTEM),
    "accept": Transition("接单", frozenset({State.DISPATCHED}), H),
    "return": Transition("退单", WORKING, H),
    "extend": Transition("申请延期", WORKING, H, _has_pending_extension),
    "decide_extension": Transition("审批延期", HANDLING, D, _no_pending_extension),
    "escalate": Transition("上报", WORKING, H, _no_parent),
    "delegate": Transition("转派", frozenset({State.IN_PROGRESS}), H, _no_sub_units),
    "resolve": Transition("答复", frozenset({State.IN_PROGRESS}), H),
    # 办理进展: after 接单 and before 答复 (not while the answer awaits 审核); no state change.
    "progress": Transition("记录办理进展", frozenset({State.IN_PROGRESS}), H),
    "review": Transition("审核", frozenset({State.PENDING_REVIEW}), permissions.DELEGATING_UNIT,
                         _not_delegated),
    "feedback": Transition("评价", frozenset({State.RESOLVED}), D),
    # 电话回访: after the answer, whether or not the resident rated; no state change.
    "call_back": Transition("电话回访", frozenset({State.RESOLVED, State.CLOSED}), D),
    "reopen": Transition("重新办理", frozenset({State.RESOLVED, State.CLOSED}), D, _no_unit),
    "supervise": Transition("督办", OPEN | {State.RESOLVED}, permissions.SUPERVISOR),
    "answer_supervision": Transition("反馈督办", ALL_STATES, H, _no_open_supervision),
    "invalidate": Transition("作废", frozenset({State.SUBMITTED, State.RETURNED}), D),
    "merge": Transition("合并", UNWORKED, D),
    "link_problem": Transition("并入共性问题", OPEN, permissions.PROBLEM_MANAGER),
    "undo_auto_dispatch": Transition("撤销自动派单", frozenset({State.DISPATCHED}), D,
                                     _not_auto_dispatched),
})


def _no_milestones(problem: Problem) -> str | None:
    return None if problem.milestones.exists() else "还没有整改节点"


def _no_open_problem_supervision(problem: Problem) -> str | None:
    return None if problem.open_supervisions().exists() else "没有待反馈的督办"


M, R = permissions.PROBLEM_MANAGER, permissions.RECTIFIER
CANDIDATE = frozenset({ProblemStatus.CANDIDATE})
UNDER_WAY = frozenset({ProblemStatus.OPEN})

PROBLEM: Table[Problem] = Table("共性问题", "status", lambda problem: problem.code, {
    "confirm": Transition("确认", CANDIDATE, M),
    "reject": Transition("驳回", CANDIDATE, M),
    "edit": Transition("修改", CANDIDATE | UNDER_WAY, M),
    "link": Transition("关联诉求", UNDER_WAY, M),
    "milestone": Transition("添加整改节点", UNDER_WAY, R),
    "progress": Transition("更新整改进度", UNDER_WAY, R, _no_milestones),
    "resolve": Transition("答复", UNDER_WAY, R),
    "supervise": Transition("督办", UNDER_WAY, permissions.PROBLEM_SUPERVISOR),
    "answer_supervision": Transition("反馈督办", UNDER_WAY, R, _no_open_problem_supervision),
})

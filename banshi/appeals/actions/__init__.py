"""Every change to an appeal or a problem goes through one of these functions.

The appeal's workflow lives here (intake, workflow, supervision, calendar); the problem workflow in
banshi.appeals.problems; what the classifier does to an appeal in banshi.appeals.learning.
This package gathers them so callers import actions from one place. Those two subpackages
build on this one (its base and workflow), so their actions are looked up when first asked
for rather than imported here: importing either one first never meets a half-made module.
"""

from importlib import import_module
from typing import Any

from ..errors import ActionError, InvalidInput, NotPermitted, TransitionNotAllowed
from ..photos import check_photos, sniff_photo
from .calendar import handling_clock, recompute_deadlines
from .chain import delegate, review
from .intake import submit_appeal
from .leaders import assign_leader
from .progress import add_progress
from .supervision import (
    answer_supervision,
    decide_extension,
    mark_overdue,
    request_extension,
    supervise,
)
from .workflow import (
    accept,
    call_back,
    dispatch,
    escalate,
    invalidate,
    merge,
    record_feedback,
    reopen,
    resolve,
    return_,
)

_ELSEWHERE = {
    "banshi.appeals.learning.triage": [
        "maybe_auto_dispatch", "record_suggestion", "undo_auto_dispatch"],
    "banshi.appeals.problems.actions": [
        "add_milestone", "answer_problem_supervision", "confirm_candidate", "create_problem",
        "edit_problem", "link_appeal", "merge_into_problem", "reject_candidate",
        "resolve_problem", "supervise_problem", "update_milestone"],
    "banshi.appeals.problems.candidates": ["record_candidates"],
}
_HOME = {name: module for module, names in _ELSEWHERE.items() for name in names}


def __getattr__(name: str) -> Any:
    # Any: mypy cannot follow a name looked up at run time (the functions themselves are
    # checked strictly in their own modules).
    if name in _HOME:
        return getattr(import_module(_HOME[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ActionError", "InvalidInput", "NotPermitted", "TransitionNotAllowed",
    "accept", "add_progress", "answer_supervision", "assign_leader", "call_back",
    "check_photos",
    "decide_extension", "delegate",
    "dispatch", "escalate", "handling_clock", "invalidate", "mark_overdue", "merge",
    "record_feedback", "recompute_deadlines", "reopen", "request_extension", "resolve",
    "return_", "review", "sniff_photo", "submit_appeal", "supervise", *_HOME,
]

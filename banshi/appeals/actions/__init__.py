"""Every change to an appeal or a problem goes through one of these functions.

The appeal's workflow lives here (intake, workflow, supervision); the problem workflow in
banshi.appeals.problems; what the classifier does to an appeal in banshi.appeals.learning.
This package gathers them so callers import actions from one place.
"""

from ..errors import ActionError, InvalidInput, NotPermitted, TransitionNotAllowed
from ..learning.triage import maybe_auto_dispatch, record_suggestion, undo_auto_dispatch
from ..problems.actions import (
    add_milestone,
    confirm_candidate,
    create_problem,
    edit_problem,
    link_appeal,
    merge_into_problem,
    reject_candidate,
    resolve_problem,
    update_milestone,
)
from ..problems.candidates import record_candidates
from .intake import check_photos, sniff_photo, submit_appeal
from .supervision import (
    answer_supervision,
    decide_extension,
    mark_overdue,
    request_extension,
    supervise,
)
from .workflow import (
    accept,
    dispatch,
    escalate,
    invalidate,
    merge,
    record_feedback,
    reopen,
    resolve,
    return_,
)

__all__ = [
    "ActionError", "InvalidInput", "NotPermitted", "TransitionNotAllowed",
    "accept", "answer_supervision", "check_photos", "decide_extension", "dispatch", "escalate",
    "invalidate", "mark_overdue", "maybe_auto_dispatch", "merge", "record_feedback",
    "record_suggestion", "reopen", "request_extension", "resolve", "return_", "sniff_photo",
    "submit_appeal", "supervise", "undo_auto_dispatch",
    # 共性问题
    "add_milestone", "confirm_candidate", "create_problem", "edit_problem", "link_appeal",
    "merge_into_problem", "record_candidates", "reject_candidate", "resolve_problem",
    "update_milestone",
]

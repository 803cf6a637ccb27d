"""Every change to an appeal goes through one of these functions."""

from .base import ActionError, InvalidInput, NotPermitted, TransitionNotAllowed
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
    "invalidate", "mark_overdue", "merge", "record_feedback", "reopen", "request_extension",
    "resolve", "return_", "sniff_photo", "submit_appeal", "supervise",
]

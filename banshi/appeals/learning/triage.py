"""Triage on an appeal: store the model's suggestion, dispatch automatically, undo that.

Automatic dispatch is off by default. An admin enables it per first-level category with a
confidence threshold (AutoDispatchRule). An automatic dispatch writes the same dispatch
event as a person's, with no actor, the label "系统(自动派单)" and the model's numbers in its
data; the dispatcher can undo it while no unit has accepted the case yet.
"""

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from banshi.org.models import Unit

from .. import clock
from ..actions.base import TransitionNotAllowed, locked, record
from ..actions.workflow import _dispatch
from ..choices import Action, ExtensionStatus, State, TriageSource
from ..models import Appeal, AutoDispatchRule, Category
from ..transitions import APPEAL
from .suggest import suggested_chain

AUTO_LABEL = "系统(自动派单)"


def record_suggestion(appeal: Appeal, suggestion: dict[str, Any]) -> Appeal:
    """Keep what the model suggested on the appeal (no state change, no event).

    `suggested_category` is the deepest suggested category that agrees with the first-level
    one; `suggestion_confidence` is the first-level probability (the one thresholds use).
    `suggestion` is the model's JSON (banshi.appeals.learning.suggest), stored as it is.
    """
    chain = suggested_chain(suggestion)
    top = (suggestion.get("categories") or [{}])[0]
    with transaction.atomic():
        appeal = locked(appeal)
        appeal.suggestion = suggestion
        appeal.suggested_category = chain[-1] if chain else None
        appeal.suggestion_confidence = top.get("p")
        appeal.suggestion_model = suggestion.get("model", "")
        appeal.save(update_fields=["suggestion", "suggested_category",
                                   "suggestion_confidence", "suggestion_model"])
    return appeal


def auto_dispatch_rule(appeal: Appeal) -> AutoDispatchRule | None:
    """The enabled rule for the appeal's suggested first-level category, if any."""
    if appeal.suggested_category is None:
        return None
    root = appeal.suggested_category.root
    return AutoDispatchRule.objects.filter(category=root, enabled=True).first()


def _suggested_unit(appeal: Appeal) -> Unit | None:
    units = appeal.suggestion.get("units") or []
    if not units:
        return None
    return Unit.objects.filter(code=units[0]["code"], is_active=True).first()


def maybe_auto_dispatch(appeal: Appeal) -> Appeal | None:
    """Dispatch to the top suggested unit when the category's rule allows; else None.

    Only a submitted appeal that was never auto-dispatched and undone is considered.
    """
    rule = auto_dispatch_rule(appeal)
    confidence = appeal.suggestion_confidence
    if rule is None or confidence is None or confidence < rule.threshold:
        return None
    unit = _suggested_unit(appeal)
    if unit is None or APPEAL.state_refusal("auto_dispatch", appeal):
        return None
    if appeal.events.filter(action=Action.UNDO_DISPATCH).exists():
        return None
    data = {"auto": True, "model": appeal.suggestion_model, "confidence": confidence,
            "threshold": rule.threshold,
            "previous_category": appeal.category.code if appeal.category else None,
            "previous_source": appeal.triage_source}
    try:
        return _dispatch(appeal, unit=unit, actor=None, label=AUTO_LABEL,
                         category=appeal.suggested_category, data=data,
                         source=TriageSource.AUTO, transition="auto_dispatch",
                         note=f"自动派单，分类置信度 {confidence:.0%} ≥ 阈值 {rule.threshold:.0%}")
    except TransitionNotAllowed:
        return None  # a person got there first


def undo_auto_dispatch(appeal: Appeal, *, actor: User, note: str = "") -> Appeal:
    """撤销自动派单: back to 待派单 with no unit and no deadlines, as before the dispatch."""
    with transaction.atomic():
        appeal = locked(appeal)
        APPEAL.check("undo_auto_dispatch", actor, appeal)
        event, unit = appeal.last_dispatch(), appeal.unit
        assert event is not None and unit is not None, "the guard found the automatic dispatch"
        data = event.data
        previous = data.get("previous_category")
        appeal.category = Category.objects.filter(code=previous).first() if previous else None
        appeal.triage_source = data.get("previous_source", "")
        appeal.state = State.SUBMITTED
        appeal.unit = None
        appeal.dispatched_at = appeal.response_due_at = appeal.handling_due_at = None
        appeal.deadline_estimated = False
        appeal.accepted_at = None
        appeal.is_overdue = False
        appeal.save()
        appeal.extension_requests.filter(status=ExtensionStatus.PENDING).update(
            status=ExtensionStatus.REJECTED, decided_at=clock.now())
        text = f"撤销派至{unit.name}的自动派单" + (f"：{note.strip()}" if note.strip() else "")
        record(appeal, Action.UNDO_DISPATCH, actor=actor, from_state=State.DISPATCHED,
               unit=unit, note=text, data={"model": data.get("model")})
    return appeal

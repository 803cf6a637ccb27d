"""What every action shares: errors, locking, text checks and the event rows."""

import datetime as dt
from collections.abc import Mapping
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import models, transaction

from banshi.org import permissions
from banshi.org.models import Unit

from .. import clock
from ..errors import ActionError, InvalidInput, NotPermitted, TransitionNotAllowed
from ..limits import REPLY_MAX
from ..models import Appeal, AppealEvent, Problem, ProblemEvent
from ..validators import text_problem

__all__ = ["ActionError", "InvalidInput", "NotPermitted", "TransitionNotAllowed",
           "actor_label", "locked", "optional_text", "record", "record_problem",
           "require_text"]


ModelT = TypeVar("ModelT", bound=models.Model)
EventT = TypeVar("EventT", AppealEvent, ProblemEvent)
# An event's `data`: JSON-serialisable values by name.
EventData = Mapping[str, object]


def locked(obj: ModelT) -> ModelT:
    """Re-read `obj` (an appeal, a problem, …) under a row lock; call inside
    transaction.atomic()."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def require_text(value: str | None, field: str, label: str, max_length: int = REPLY_MAX) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{label}不能为空", field)
    return optional_text(text, field, label, max_length)


def optional_text(value: str | None, field: str, label: str, max_length: int) -> str:
    text = (value or "").strip()
    if problem := text_problem(text):
        raise InvalidInput(f"{label}{problem}", field)
    if len(text) > max_length:
        raise InvalidInput(f"{label}不能超过{max_length}个字符(现为{len(text)}个)", field)
    return text


def actor_label(actor: User | None) -> str:
    if actor is None:
        return "群众"
    unit = permissions.unit_of(actor)
    name = actor.get_full_name() or actor.get_username()
    return f"{unit.name} {name}" if unit else name


def _append(model: type[EventT], *, actor: User | None, label: str | None,
            **fields: object) -> EventT:
    """One append-only event row, in the transaction of the change it records."""
    assert transaction.get_connection().in_atomic_block, "actions run inside a transaction"
    return model.objects.create(
        actor=actor, actor_label=label if label is not None else actor_label(actor), **fields)


def record(appeal: Appeal, action: str, *, actor: User | None, from_state: str, note: str = "",
           unit: Unit | None = None, data: EventData | None = None,
           label: str | None = None) -> AppealEvent:
    """The event row for a change already applied to `appeal`."""
    return _append(AppealEvent, actor=actor, label=label, appeal=appeal, action=action,
                   from_state=from_state, to_state=appeal.state, unit=unit, note=note,
                   data=data or {}, at=clock.now())


def record_problem(problem: Problem, action: str, *, actor: User | None, note: str = "",
                   data: EventData | None = None, label: str | None = None,
                   at: dt.datetime | None = None) -> ProblemEvent:
    """The event row for a change already applied to `problem`."""
    return _append(ProblemEvent, actor=actor, label=label, problem=problem, action=action,
                   note=note, data=data or {}, at=at or clock.now())

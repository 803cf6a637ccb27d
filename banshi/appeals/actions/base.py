"""What every action shares: errors, locking and the event row."""

from django.db import transaction

from banshi.org import permissions
from banshi.org.choices import Role

from ..limits import REPLY_MAX
from ..models import Appeal, AppealEvent
from ..validators import text_problem


class ActionError(Exception):
    """An action refused; `message` is shown to the user as is."""

    status = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ActionError):
    status = 422


class NotPermitted(ActionError):
    status = 403


class TransitionNotAllowed(ActionError):
    status = 409


def locked(appeal: Appeal) -> Appeal:
    """Re-read the appeal under a row lock; call inside transaction.atomic()."""
    return Appeal.objects.select_for_update().get(pk=appeal.pk)


def require_state(appeal: Appeal, allowed, verb: str) -> None:
    if appeal.state not in allowed:
        raise TransitionNotAllowed(
            f"诉求{appeal.number}当前状态为“{appeal.get_state_display()}”，不能{verb}"
        )


def require_text(value: str | None, field: str, label: str, max_length: int = REPLY_MAX) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{label}不能为空", field)
    if problem := text_problem(text):
        raise InvalidInput(f"{label}{problem}", field)
    if len(text) > max_length:
        raise InvalidInput(f"{label}不能超过{max_length}个字符(现为{len(text)}个)", field)
    return text


def actor_label(actor) -> str:
    if actor is None:
        return "群众"
    unit = permissions.unit_of(actor)
    name = actor.get_full_name() or actor.get_username()
    return f"{unit.name} {name}" if unit else name


def require_handler(actor, appeal: Appeal) -> None:
    """Only staff of the unit holding the appeal (or an admin) act for that unit."""
    role = permissions.role_of(actor)
    if role == Role.ADMIN:
        return
    if role == Role.UNIT and appeal.unit_id and permissions.unit_of(actor) == appeal.unit:
        return
    raise NotPermitted("只有承办单位可以办理该诉求")


def require_dispatcher(actor) -> None:
    if not permissions.is_dispatcher(actor):
        raise NotPermitted("只有区派单员可以执行该操作")


def record(appeal: Appeal, action: str, *, actor, from_state: str, note: str = "",
           unit=None, data: dict | None = None, label: str | None = None) -> AppealEvent:
    """Write the event row for a change already applied to `appeal` (same transaction)."""
    assert transaction.get_connection().in_atomic_block, "actions run inside a transaction"
    return AppealEvent.objects.create(
        appeal=appeal,
        actor=actor,
        actor_label=label if label is not None else actor_label(actor),
        action=action,
        from_state=from_state,
        to_state=appeal.state,
        unit=unit,
        note=note,
        data=data or {},
    )

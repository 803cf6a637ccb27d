"""Small template helpers for Banshi's pages (labels, badges, the staff menu)."""

from django import template
from django.conf import settings
from django.utils import timezone

from banshi.appeals.choices import HANDLING_STATES, State
from banshi.appeals.photos import resident_url
from banshi.org import permissions
from banshi.org.choices import Role

register = template.Library()

# What a resident reads for a state: internal hand-offs look like ordinary progress.
RESIDENT_STATES: dict[str, str] = {
    State.SUBMITTED: "已受理", State.RETURNED: "处理中", State.DISPATCHED: "已派单",
    State.IN_PROGRESS: "办理中", State.RESOLVED: "已答复", State.CLOSED: "已办结",
    State.MERGED: "已合并办理", State.INVALID: "不予受理",
}


@register.simple_tag
def district_name() -> str:
    return settings.BANSHI_DISTRICT_NAME


@register.filter
def resident_state(state: str) -> str:
    return RESIDENT_STATES.get(state, "处理中")


@register.filter
def state_label(state: str) -> str:
    return State(state).label if state in State.values else state


@register.filter
def state_class(state: str) -> str:
    return f"badge badge-{state}"


@register.filter
def late(appeal) -> bool:
    """Overdue by the sweeper's flag, or past the handling deadline right now."""
    if appeal.is_overdue:
        return True
    due = appeal.handling_due_at
    return appeal.state in HANDLING_STATES and due is not None and due < timezone.now()


@register.filter
def past(day) -> bool:
    return day is not None and day < timezone.localdate()


@register.simple_tag(takes_context=True)
def staff_menu(context) -> dict:
    """Which menu entries the current user gets."""
    user = context["request"].user
    role = permissions.role_of(user)
    return {
        "role": Role(role).label if role else "",
        "unit": permissions.unit_of(user),
        "can_enter": permissions.can_enter_offline(user),
        "can_import": permissions.is_dispatcher(user),
        "sees_leaders": permissions.is_dispatcher(user) or role == Role.LEADER,
        "is_admin": role == Role.ADMIN,
    }


@register.filter
def resident_photo_url(attachment) -> str:
    """The resident's signed, short-lived link to a photo they may see (see appeals.photos)."""
    return resident_url(attachment)

"""What the organisation, meetings, tasks and practical-matter pages share: running an action
on a form and showing its refusal (the page gates are in gates.py)."""

from collections.abc import Callable
from typing import Any

from banshi.appeals.errors import ActionError

from ...forms import apply_action_error


def run(form, action: Callable[..., Any], *args, **kwargs) -> Any:
    """`action(*args, **kwargs)`, or None with its refusal shown on `form`."""
    try:
        return action(*args, **kwargs)
    except ActionError as exc:
        apply_action_error(form, exc, above=True)
        form.refusal_status = exc.status
        return None


def status_of(form) -> int:
    return getattr(form, "refusal_status", 422)

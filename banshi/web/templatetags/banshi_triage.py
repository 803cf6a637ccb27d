"""The case page's triage box (suggestions, automatic dispatch, similar appeals) and the
percent filter the triage queue uses."""

from django import template

from banshi.appeals import duplicates
from banshi.appeals.choices import OPEN_STATES
from banshi.appeals.duplicates import similar_appeals
from banshi.appeals.learning.suggest import confidence_text, min_examples, usable_units
from banshi.appeals.models import Appeal
from banshi.appeals.permissions import may_see_triage
from banshi.appeals.transitions import APPEAL

register = template.Library()


@register.filter
def pct(value) -> str:
    """0.873 → "87%"; empty for a missing value."""
    try:
        return f"{float(value):.0%}"
    except (TypeError, ValueError):
        return ""


@register.filter
def confidence(value) -> str:
    """A suggestion's confidence: "87%", never above 99% nor 0% (see learning.suggest)."""
    return confidence_text(value)


@register.simple_tag(takes_context=True)
def triage_box(context, appeal: Appeal) -> dict:
    """What the current user may see of triage on `appeal`, and which buttons they get.

    Suggestions and the automatic-dispatch note are for district roles; similar appeals are
    shown to anyone on the case page, among the appeals they may see.
    """
    user = context["request"].user
    district = may_see_triage(user)
    auto = district and appeal.is_auto_dispatched()
    similar = []
    if appeal.state in OPEN_STATES:
        similar = similar_appeals(appeal, within=Appeal.objects.visible_to(user))
    return {
        "suggestion": appeal.suggestion if district else {},
        "units": usable_units(appeal) if district else [],
        "min_examples": (appeal.suggestion or {}).get("min_examples") or min_examples(),
        "auto_event": appeal.last_dispatch() if auto else None,
        "similar": similar,
        "window_days": duplicates.WINDOW_DAYS,
        "can_merge": APPEAL.allowed("merge", user, appeal),
        "can_link": APPEAL.allowed("link_problem", user, appeal),
    }

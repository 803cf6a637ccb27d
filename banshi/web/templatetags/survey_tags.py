"""Template helpers of the questionnaire pages."""

from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.9123 → "91.2%"; None (nothing to divide by) → "—"."""
    return "—" if value is None else f"{value * 100:.1f}%"


@register.simple_tag
def turned_appeal(turned: dict, response, question):
    """The appeal a text answer was turned into, or None."""
    return turned.get((response.pk, question.pk))

"""The statutory-calendar banner: open deadlines counted over a year whose holiday notice is
not entered yet are estimates (Monday–Friday), and staff are told so."""

from django import template
from django.utils import timezone

from banshi.appeals.choices import HANDLING_STATES
from banshi.appeals.deadlines import unknown_years
from banshi.appeals.models import Appeal
from banshi.org import permissions
from banshi.org.choices import Role

register = template.Library()


def estimated_years(user) -> dict[int, int]:
    """{year without a notice: open cases of `user`'s whose deadline is counted over it}."""
    spans = (Appeal.objects.visible_to(user)
             .filter(state__in=HANDLING_STATES, deadline_estimated=True,
                     handling_due_at__isnull=False, dispatched_at__isnull=False)
             .values_list("dispatched_at", "handling_due_at"))
    per_case = [set(range(timezone.localtime(start).year, timezone.localtime(due).year + 1))
                for start, due in spans]
    missing = set(unknown_years(set().union(*per_case)))
    return {year: sum(year in years for years in per_case) for year in sorted(missing)}


@register.inclusion_tag("web/staff/_calendar_banner.html", takes_context=True)
def calendar_banner(context) -> dict:
    user = context["request"].user
    return {"years": estimated_years(user),
            "is_admin": permissions.role_of(user) == Role.ADMIN or user.is_superuser}

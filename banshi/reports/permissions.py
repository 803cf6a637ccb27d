"""Who may see the reports — the one place these rules are written.

The handling figures are scoped like the ledger: district roles (admin, dispatcher, leader,
inspection group) see every appeal, unit staff their unit's subtree. The 红黑榜 compares
every street and department, so it is for the district roles; a unit's own page (trend and
rank history) is for the district roles and for staff of that unit or a unit above it.
"""

from banshi.org.choices import Role
from banshi.org.permissions import Person, role_of, sees_everything, unit_of


def may_see_reports(user: Person) -> bool:
    """Open the handling figures at all (then scoped by Appeal.objects.visible_to)."""
    return sees_everything(user) or (role_of(user) == Role.UNIT and unit_of(user) is not None)


def may_see_ranking(user: Person) -> bool:
    """The 红黑榜 of every street and department."""
    return sees_everything(user)

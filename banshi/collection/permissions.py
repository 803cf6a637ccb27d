"""Who may see and record collection records — the one place these rules are written.

The same scope as appeals: district roles see every record; unit staff see their unit's and
its sub-units' (a street its communities'). Recording is for the dispatcher and admins (any
unit) and for unit staff (their own unit or one below it); leaders and inspection groups
read. Deny by default: a user without a Staff row may do nothing.
"""

from banshi.org.choices import Role
from banshi.org.models import Unit
from banshi.org.permissions import Person, is_dispatcher, role_of, sees_everything, unit_of


def may_see_collection(user: Person) -> bool:
    """Open the collection pages at all (each list is then scoped by `visible_to`)."""
    return sees_everything(user) or (role_of(user) == Role.UNIT and unit_of(user) is not None)


def may_record_for(user: Person, unit: Unit | None) -> bool:
    """Create or change a record belonging to `unit`."""
    if unit is None:
        return False
    if is_dispatcher(user):
        return True
    own = unit_of(user)
    return (role_of(user) == Role.UNIT and own is not None
            and unit.path.startswith(own.path))


def units_for_recording(user: Person):
    """The units `user` may record for (for form pickers)."""
    if is_dispatcher(user):
        return Unit.objects.filter(is_active=True)
    own = unit_of(user)
    if role_of(user) != Role.UNIT or own is None:
        return Unit.objects.none()
    return Unit.objects.subtree(own).filter(is_active=True)


def may_see_personal(user: Person, unit: Unit | None) -> bool:
    """Households' names and addresses (visits, pairings) unmasked: the dispatcher, admins
    and the staff of the record's unit or of a unit above it."""
    return may_record_for(user, unit)

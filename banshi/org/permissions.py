"""Who may do what. Deny by default: a user without a Staff row has no rights."""

from django.contrib.auth.models import AnonymousUser, User

from .choices import SEE_ALL_ROLES, Role
from .models import Unit

# Whom a rule asks about: a signed-in account, a visitor who is not signed in (request.user),
# or None — a resident known only by a query code, or the platform itself.
Person = User | AnonymousUser | None


def role_of(user: Person) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.ADMIN
    staff = getattr(user, "staff", None)
    return staff.role if staff else None


def unit_of(user: Person) -> Unit | None:
    if not getattr(user, "is_authenticated", False):
        return None
    staff = getattr(user, "staff", None)
    return staff.unit if staff else None


def is_dispatcher(user: Person) -> bool:
    return role_of(user) in {Role.ADMIN, Role.DISPATCHER}


def sees_everything(user: Person) -> bool:
    return role_of(user) in SEE_ALL_ROLES


def can_enter_offline(user: Person) -> bool:
    return role_of(user) in {Role.ADMIN, Role.DISPATCHER, Role.UNIT}


def is_staff_member(user: Person) -> bool:
    return role_of(user) is not None

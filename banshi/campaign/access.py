"""One access function for campaign records: 404 alike for missing and forbidden."""

from typing import TypeVar

from django.db.models import Model, Q
from django.http import Http404

from banshi.org import permissions as org
from banshi.org.permissions import Person

from .models import GuidanceGroup, OrgGroup, Selection, Speaker, Task, TaskAssignment, Venue
from .permissions import may_see_campaign

ModelT = TypeVar("ModelT", bound=Model)

# What belongs to the whole district: every staff member sees it.
DISTRICT_WIDE: tuple[type[Model], ...] = (OrgGroup, GuidanceGroup, Selection, Speaker, Venue)


def access_record(user: Person, model: type[ModelT], **lookup) -> ModelT:
    """The record of `model` matching `lookup` that `user` may see, else Http404. Unit-scoped
    records go through their `visible_to`; district-wide ones (organisation, guidance groups,
    speakers, venues, selections) through `may_see_campaign`."""
    if not may_see_campaign(user):
        raise Http404(f"{model._meta.verbose_name}不存在")
    if issubclass(model, DISTRICT_WIDE):
        found = model._default_manager.filter(**lookup).first()
    elif model is Task:
        found = visible_tasks(user).filter(**lookup).first()
    else:
        found = model.objects.visible_to(user).filter(**lookup).first()  # type: ignore[attr-defined]
    if found is None:
        raise Http404(f"{model._meta.verbose_name}不存在")
    return found


def visible_tasks(user: Person):
    """Tasks issued within the user's scope or assigned to a unit within it."""
    if org.sees_everything(user):
        return Task.objects.all()
    unit = org.unit_of(user)
    if unit is None or not may_see_campaign(user):
        return Task.objects.none()
    return Task.objects.filter(Q(unit__path__startswith=unit.path)
                               | Q(assignments__unit__path__startswith=unit.path)).distinct()


# ---------- org area: task assignments ----------

def visible_assignments(user: Person):
    """Assignments of the tasks `user` sees; unit staff see their own units' parts and, for
    tasks their unit issued, every part (not the other units' parts of a district task)."""
    rows = TaskAssignment.objects.filter(task__in=visible_tasks(user))
    if org.sees_everything(user):
        return rows
    unit = org.unit_of(user)
    if unit is None:
        return rows.none()
    return rows.filter(Q(unit__path__startswith=unit.path)
                       | Q(task__unit__path__startswith=unit.path))

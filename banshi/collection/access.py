"""One access function for collection records: 404 alike for missing and forbidden."""

from typing import TypeVar

from django.db.models import Model
from django.http import Http404

from banshi.org.permissions import Person

from .models import Record

RecordT = TypeVar("RecordT", bound=Record)


def access_record(user: Person, model: type[RecordT], **lookup) -> RecordT:
    """The record of `model` matching `lookup` that `user` may see, else Http404."""
    found = model.objects.visible_to(user).filter(**lookup).select_related("unit").first()
    if found is None:
        raise Http404(f"{model._meta.verbose_name}不存在")
    return found


def owner_of(record: Model):
    """The unit a record or one of its parts belongs to (a box's opening: the box's unit)."""
    for name in ("unit", "box", "questionnaire", "symposium", "liaison", "group", "pairing"):
        target = getattr(record, name, None)
        if target is None:
            continue
        return target if name == "unit" else owner_of(target)
    return None

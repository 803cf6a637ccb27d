"""What the five ledgers share: the period as a date range and the records of a scope."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from banshi.org.models import Unit


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the local time zone."""
    def midnight(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return midnight(start), midnight(end + dt.timedelta(days=1))


def records(model, user, start: dt.date, end: dt.date, unit: Unit | None) -> QuerySet:
    """Campaign records `user` may see, dated (their DATE_FIELD) in the period, of `unit`
    and its sub-units when given."""
    date = model.DATE_FIELD
    return (model.objects.visible_to(user).within(unit)
            .filter(**{f"{date}__gte": start, f"{date}__lte": end}))


def local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def lines(items) -> str:
    return "\n".join(str(item) for item in items if item)

"""Background work run by `banshi worker` (huey)."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .actions import mark_overdue


@db_periodic_task(crontab(minute=f"*/{settings.BANSHI_SWEEP_MINUTES}"))
def sweep_overdue() -> int:
    return mark_overdue()

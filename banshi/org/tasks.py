"""Background work of the org part, run by `banshi worker` (huey)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .models import ApiToken

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="17"))
def purge_expired_tokens() -> int:
    """Hourly: delete API tokens past their expiry."""
    count = ApiToken.objects.purge_expired()
    if count:
        log.info("purged %d expired API tokens", count)
    return count

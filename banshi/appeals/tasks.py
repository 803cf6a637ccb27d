"""Background work run by `banshi worker` (huey)."""

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .actions import mark_overdue
from .learning.suggest import suggest
from .learning.triage import maybe_auto_dispatch, record_suggestion
from .models import Appeal

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute=f"*/{settings.BANSHI_SWEEP_MINUTES}"))
def sweep_overdue() -> int:
    return mark_overdue()


@db_task()
def triage_appeal(appeal_id: int) -> str | None:
    """Suggest a category and unit for a new appeal, and dispatch it when a rule allows.

    Does nothing when no model is active. Returns the model version used.
    """
    appeal = Appeal.objects.filter(pk=appeal_id).first()
    suggestion = suggest(appeal) if appeal is not None else None
    if appeal is None or suggestion is None:
        return None
    appeal = record_suggestion(appeal, suggestion)
    maybe_auto_dispatch(appeal)
    return suggestion["model"]


@db_periodic_task(crontab(day_of_week="0", hour="3", minute="0"))
def retrain_triage() -> str | None:
    """Weekly: train a new version on the ledger; it is activated only if not worse."""
    from .learning.training import TrainingError, train_and_register

    try:
        outcome = train_and_register()
    except TrainingError as exc:
        log.info("triage retraining skipped: %s", exc)
        return None
    log.info("triage model %s: %s", outcome.version.version, outcome.version.note)
    return outcome.version.version


@db_periodic_task(crontab(hour="2", minute="30"))
def detect_problems_nightly() -> dict:
    """Nightly: cluster the recent appeals (detection.WINDOW_DAYS) into candidate shared
    problems (共性问题) for the dispatcher to confirm or reject; re-running updates rather
    than duplicates."""
    from .learning.detection import detect_and_record

    result = detect_and_record()
    summary = {"created": len(result.created), "updated": len(result.updated),
               "skipped": result.skipped}
    log.info("problem detection: %s", summary)
    return summary

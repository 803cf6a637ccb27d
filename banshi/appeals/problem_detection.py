"""The nightly shared-problem run: the ledger's recent appeals through the detector
(banshi.triage.problems) into candidate problems.

Appeals become the detector's messages exactly as `banshi detect-problems` reads the ledger
(its `from_ledger`: appeal number as id, a keyed hash of the resident, local time, likes;
invalid appeals left out; the district's region names known to the place extractor), so the
command and the nightly task always see the same thing.
"""

import datetime as dt

from django.utils import timezone

from banshi.triage.places import PlaceExtractor
from banshi.triage.problems import Message, detect_problems

from .actions.problems import Recorded, record_candidates
from .management.commands.detect_problems import Command as DetectCommand

WINDOW_DAYS = 90


def ledger_input(days: int = WINDOW_DAYS) -> tuple[list[Message], PlaceExtractor]:
    """(messages, place extractor) for the appeals of the last `days` days."""
    return DetectCommand().from_ledger(days)


def detect_and_record(now: dt.datetime | None = None, days: int = WINDOW_DAYS) -> Recorded:
    """Cluster the last `days` of appeals and store the clusters as candidate problems
    (idempotent: see actions.problems.record_candidates)."""
    now = now or timezone.now()
    messages, extractor = ledger_input(days)
    clusters = detect_problems(messages, extractor=extractor, now=timezone.localtime(now))
    return record_candidates(clusters, now=now)

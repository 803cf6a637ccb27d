"""Shared problems from the ledger: its recent appeals through the detector
(banshi.triage.problems) into candidate problems.

Appeals become the detector's messages in one way (`ledger_messages`: appeal number as id, a
keyed hash of the resident, local time, likes; invalid appeals left out; the district's region
names known to the place extractor), used by `banshi detect-problems` and the nightly task
alike, so both always see the same thing.
"""

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

from banshi.org.choices import RegionLevel
from banshi.org.models import Region
from banshi.triage.places import PlaceExtractor
from banshi.triage.problems import Message, detect_problems

from ..choices import State
from ..models import Appeal
from ..problems.candidates import Recorded, record_candidates

# A year: a group's policy question asked month after month is one problem, not twelve.
WINDOW_DAYS = 365


def detect_and_record(now: dt.datetime | None = None, days: int = WINDOW_DAYS) -> Recorded:
    """Cluster the last `days` of appeals and store the clusters as candidate problems
    (idempotent: see problems.candidates.record_candidates)."""
    now = now or timezone.now()
    messages, extractor = ledger_messages(days)
    clusters = detect_problems(messages, extractor=extractor, now=timezone.localtime(now))
    return record_candidates(clusters, now=now)


def ledger_messages(days: int = WINDOW_DAYS) -> tuple[list[Message], PlaceExtractor]:
    """The appeals collected in the last `days` days as messages, and a place extractor
    that knows the district's regions. Invalid appeals are left out; merged ones stay (each
    is a resident who raised the issue)."""
    since = timezone.now() - dt.timedelta(days=days)
    appeals = (Appeal.objects.filter(collected_at__gte=since).exclude(state=State.INVALID)
               .only("number", "title", "content", "collected_at", "likes", "contact_phone",
                     "contact_name", "submitter_key").order_by("collected_at", "id"))
    messages = [Message(id=a.number, user=resident(a), title=a.title, content=a.content,
                        at=timezone.localtime(a.collected_at), likes=a.likes)
                for a in appeals.iterator(chunk_size=2000)]
    return messages, ledger_extractor()


def resident(appeal: Appeal) -> str:
    """Who wrote it, as a keyed hash (the same person → the same hash; never reversible):
    the phone; without one, the device it came from (Appeal.submitter_key, already a hash);
    then the name; an appeal with none of them counts as a resident of its own."""
    if not appeal.contact_phone.strip() and appeal.submitter_key:
        return f"device:{appeal.submitter_key}"
    who = (appeal.contact_phone or appeal.contact_name or "").strip()
    if not who:
        return f"appeal:{appeal.number}"
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, who.encode(), hashlib.sha256).hexdigest()[:16]


def ledger_extractor() -> PlaceExtractor:
    """Place extraction that knows the district's own streets and communities by name."""
    regions = list(Region.objects.values_list("name", "level"))
    return PlaceExtractor(
        user_words=[name for name, level in regions if level != RegionLevel.DISTRICT],
        admin_words=[name for name, level in regions if level == RegionLevel.DISTRICT])

"""Duplicates at intake: which recent appeals nearby say the same thing as this one.

Candidates are appeals from the appeal's own community and its neighbours, collected within
`days` of it (before or after; for a new appeal that is "the last 90 days"), from any
channel. Neighbours are the communities configured on `Region.neighbours`; a community
without configured neighbours counts every community of its own street as a neighbour.
An appeal without a community is compared with the other appeals without one.

Invalid appeals are left out, and so are appeals merged into another appeal: they follow
that appeal, which is itself a candidate. Appeals merged into a problem stay in: they lead to
the problem, which the new appeal can join.
"""

import datetime as dt
from dataclasses import dataclass

from banshi.org.models import Region
from banshi.triage.similar import SimilarityIndex
from banshi.triage.text import join_title_content

from .choices import ProblemStatus, State
from .models import Appeal, Problem

MAX_CANDIDATES = 5000
MIN_SCORE = 0.35


@dataclass(frozen=True)
class SimilarAppeal:
    appeal: Appeal
    score: float

    @property
    def problem(self) -> Problem | None:
        return self.appeal.problem

    @property
    def mergeable(self) -> bool:
        """Another appeal may be merged into this one (merge refuses merged targets)."""
        return self.appeal.state != State.MERGED

    @property
    def in_open_problem(self) -> bool:
        return self.problem is not None and self.problem.status == ProblemStatus.OPEN


def nearby_regions(region: Region | None) -> list[int | None]:
    """Ids of the community and its neighbours (or its street's communities); [None] if none."""
    if region is None:
        return [None]
    ids = set(region.neighbours.values_list("pk", flat=True))
    if not ids and region.parent_id:
        ids = set(Region.objects.filter(parent_id=region.parent_id, level=region.level)
                  .values_list("pk", flat=True))
    return [*sorted(ids | {region.pk})]


# How far apart two appeals may be collected and still be shown as possible duplicates.
WINDOW_DAYS = 90


def candidates(appeal: Appeal, *, days: int = WINDOW_DAYS):
    """Recent appeals in the same or a neighbouring community, newest first."""
    window = dt.timedelta(days=days)
    regions = nearby_regions(appeal.region)
    rows = Appeal.objects.exclude(pk=appeal.pk).exclude(state=State.INVALID).exclude(
        state=State.MERGED, problem__isnull=True
    ).filter(collected_at__gte=appeal.collected_at - window,
             collected_at__lte=appeal.collected_at + window)
    rows = rows.filter(region__isnull=True) if regions == [None] else rows.filter(
        region_id__in=regions)
    return rows.order_by("-collected_at", "-id")


def similar_appeals(appeal: Appeal, *, days: int = WINDOW_DAYS, k: int = 5,
                    min_score: float = MIN_SCORE, within=None) -> list[SimilarAppeal]:
    """Up to `k` appeals that resemble `appeal`, best first, with their scores.

    `within` narrows the candidates to a queryset (e.g. what the user may see).
    """
    rows = candidates(appeal, days=days)
    if within is not None:
        rows = rows.filter(pk__in=within.values("pk"))
    texts = list(rows.values_list("pk", "title", "content")[:MAX_CANDIDATES])
    if not texts:
        return []
    index = SimilarityIndex([(pk, join_title_content(t, c)) for pk, t, c in texts])
    hits = index.query(join_title_content(appeal.title, appeal.content), k=k,
                       min_score=min_score)
    found = Appeal.objects.select_related("problem", "region", "unit").in_bulk(
        [pk for pk, _ in hits])
    return [SimilarAppeal(found[pk], score) for pk, score in hits]

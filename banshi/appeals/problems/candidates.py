"""The detector's output as candidate problems (待确认的共性问题).

`record_candidates` stores each cluster of the nightly run (or `banshi detect-problems
--record`) as a candidate, or updates the open candidate it repeats; the dispatcher then
confirms or rejects it (banshi.appeals.problems.actions).
"""

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from django.db import transaction
from django.utils import timezone

from ..actions.base import record_problem
from ..choices import ProblemAction, ProblemSource, ProblemStatus, State
from ..limits import TITLE_MAX
from ..models import Appeal, Problem
from .actions import MAX_PLACE_LENGTH, MAX_PLACES, SYSTEM, insert

if TYPE_CHECKING:  # the detector (numpy, scipy, jieba) is imported only where it runs
    from banshi.triage.problems import Cluster

# A detected cluster: the detector's Cluster, or its JSON shape (Cluster.as_dict()).
ClusterData: TypeAlias = "Cluster | dict[str, Any]"

# A detected cluster "is" an earlier problem when this share of its appeals belongs to it.
OVERLAP = 0.5
MIN_CLUSTER = 2


@dataclass
class Recorded:
    """What one detection run did to the candidate list."""

    created: list[Problem] = field(default_factory=list)
    updated: list[Problem] = field(default_factory=list)
    skipped: int = 0


_REQUIRED = object()


def _part(cluster: ClusterData, name: str, default: Any = _REQUIRED) -> Any:
    """One part of a cluster (Any: the JSON shape says nothing of its values' types);
    `default` where an older detector's cluster may lack it."""
    if default is _REQUIRED:
        return cluster[name] if isinstance(cluster, dict) else getattr(cluster, name)
    return cluster.get(name, default) if isinstance(cluster, dict) else getattr(
        cluster, name, default)


def signature_of(numbers: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(numbers)).encode()).hexdigest()


def _members_of(problem_ids: set[int]) -> dict[int, set[int]]:
    """{problem id: its candidate and linked appeal ids}."""
    members: dict[int, set[int]] = {pk: set() for pk in problem_ids}
    through = Problem.candidate_appeals.through.objects.filter(problem_id__in=problem_ids)
    for problem_id, appeal_id in through.values_list("problem_id", "appeal_id"):
        members[problem_id].add(appeal_id)
    linked = Appeal.objects.filter(problem_id__in=problem_ids)
    for problem_id, appeal_id in linked.values_list("problem_id", "pk"):
        members[problem_id].add(appeal_id)
    return members


def _match(ids: set[int], claimed: set[int]) -> tuple[Problem | None, bool]:
    """(the open candidate these appeals update, whether an earlier decision blocks them).

    A cluster sharing ≥ OVERLAP of its appeals with a rejected problem is never proposed
    again; nor is one that is already an open or resolved problem."""
    through = Problem.candidate_appeals.through.objects.filter(appeal_id__in=ids)
    problem_ids = set(through.values_list("problem_id", flat=True)) | set(
        Appeal.objects.filter(pk__in=ids, problem__isnull=False)
        .values_list("problem_id", flat=True))
    best, best_share = None, 0.0
    problems = Problem.objects.select_for_update().filter(pk__in=problem_ids).order_by("pk")
    members = _members_of(problem_ids)
    for problem in problems:
        share = len(ids & members[problem.pk]) / len(ids)
        if share < OVERLAP:
            continue
        if problem.status != ProblemStatus.CANDIDATE:
            return None, True
        if problem.pk not in claimed and share > best_share:
            best, best_share = problem, share
    return best, False


T = TypeVar("T", bound=Hashable)


def _most_common(values: Iterable[T | None]) -> T | None:
    counted = Counter(v for v in values if v is not None)
    return counted.most_common(1)[0][0] if counted else None


def _json_safe(components: Mapping[str, object] | None) -> dict[str, float | str]:
    result: dict[str, float | str] = {}
    for key, value in dict(components or {}).items():
        result[str(key)] = float(value) if isinstance(value, int | float) else str(value)
    return result


def _new_candidate(cluster: ClusterData, appeals: list[Appeal], now: dt.datetime) -> Problem:
    title = (str(_part(cluster, "title") or "").strip() or appeals[0].title)[:TITLE_MAX]
    place = _part(cluster, "place")
    names = list(place) if isinstance(place, list | tuple) else [place]
    names.append(_part(cluster, "group", ""))  # 地点/人群: a group's problem names it
    places = list(dict.fromkeys(str(p).strip()[:MAX_PLACE_LENGTH] for p in names if p))
    problem = insert(Problem(
        title=title, places=places[:MAX_PLACES], status=ProblemStatus.CANDIDATE,
        source=ProblemSource.DETECTED, created_at=now,
        category=_most_common(a.category for a in appeals),
        owner_unit=_most_common(a.unit for a in appeals),
    ), timezone.localdate(now))
    return problem


def _record_one(cluster: ClusterData, now: dt.datetime, claimed: set[int],
                result: Recorded) -> None:
    numbers = [str(n) for n in _part(cluster, "message_ids")]
    appeals = list(Appeal.objects.filter(number__in=numbers).exclude(state=State.INVALID)
                   .select_related("category", "unit").order_by("collected_at", "id"))
    if len(appeals) < MIN_CLUSTER:
        result.skipped += 1
        return
    ids = {a.pk for a in appeals}
    problem, blocked = _match(ids, claimed)
    if blocked:
        result.skipped += 1
        return
    created = problem is None
    if problem is None:
        problem = _new_candidate(cluster, appeals, now)
        before: set[int] = set()
    else:
        before = set(problem.candidate_appeals.values_list("pk", flat=True))
    claimed.add(problem.pk)
    problem.candidate_appeals.add(*ids)
    problem.regions.add(*{a.region_id for a in appeals if a.region_id})
    everyone = list(problem.candidate_appeals.order_by("collected_at", "id"))
    problem.heat = float(_part(cluster, "heat"))
    problem.heat_components = _json_safe(_part(cluster, "components"))
    problem.period_start, problem.period_end = everyone[0].collected_at, everyone[-1].collected_at
    problem.signature = signature_of(a.number for a in everyone)
    problem.save()
    added = [a.number for a in appeals if a.pk not in before]
    if created:
        record_problem(problem, ProblemAction.DETECT, actor=None, label=SYSTEM, at=now,
               note=f"自动发现：诉求{len(appeals)}件，热度{problem.heat:.1f}",
               data={"appeals": added, "rank": _part(cluster, "rank")})
        result.created.append(problem)
    else:
        if added:
            record_problem(problem, ProblemAction.DETECT, actor=None, label=SYSTEM, at=now,
                   note=f"再次发现，新增诉求{len(added)}件", data={"appeals": added})
        result.updated.append(problem)


def record_candidates(clusters: Iterable[ClusterData], *,
                      now: dt.datetime | None = None) -> Recorded:
    """Store the detector's clusters (message ids = appeal numbers) as candidate problems.

    Idempotent: a cluster that shares ≥ 50% of its appeals with an open candidate updates
    it (heat, period, members added) instead of proposing it twice; one that overlaps a
    rejected problem (or one already confirmed) that much is not proposed again."""
    now = now or timezone.now()
    result = Recorded()
    with transaction.atomic():
        claimed: set[int] = set()
        for cluster in clusters:
            _record_one(cluster, now, claimed, result)
    return result



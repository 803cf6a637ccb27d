"""Shared problems (共性问题): appeals about one issue, one place and one period, by heat.

A hot problem is many residents raising the same specific issue about one place (a
compound, a road, a school, a company…) or one group of people in one period. Precision
comes first: a cluster must never lump unrelated appeals together.

Clustering (`detect_problems`):
1. Every appeal is read once (`problem_corpus.analyse`): the places and groups its title
   and body name (`places.PlaceExtractor`, keys linked across the corpus by aliases and
   a gazetteer of names seen at least twice) and its issue vector (TF-IDF of the
   characters and character bigrams of its other words, title words counting twice).
2. Two appeals are linked when they are at most `window_days` apart and
   - share a place key and their issue vectors are similar: cosine ≥ `title_similarity`
     when both titles name that place, ≥ `place_similarity` when one title names it and
     the other title names no other place (a company or a group of people does not count
     as one), ≥ `content_similarity` otherwise (only the bodies name it, or a title is
     about another place); `broad_margin` more when the
     shared key is only an area (街道, 镇) or a group of people; or
   - one of them names no place and their texts are near-duplicates (cosine ≥
     `duplicate_similarity`, at most `duplicate_window_days` apart).
   Two titles naming one development (a site) and both about its housing as delivered
   (HOUSING: 质量, 开裂, 渗水, 交房, 面积缩水 …) need only `housing_similarity`: each
   resident names another defect, and together they are one problem for the developer.
   A group of people on its own (人才, 退役军人: `places.is_group`) links appeals up to
   `group_window_days` apart, since a policy question may be asked for a year, but only
   appeals whose titles name no place or company (those belong to that place: 拖欠农民工
   工资 at two companies are two problems); the group's bar carries `broad_margin`, so the
   subject must match as well as the group.
   Candidates come from blocking, never from all pairs: appeals are grouped by place key
   and compared within a sliding time window; near-duplicates are looked for through the
   `top_terms` heaviest grams of each appeal (cosine computed only for appeals sharing
   `min_shared_terms` of them).
3. Linked appeals form connected components, each cut down to its *dominant* place (the
   key most of its appeals name, titles counting twice): an appeal without it stays only
   if it names no specific place of its own and is close to the centroid (cosine ≥
   `stray_similarity`); the others are clustered again among themselves.
4. Each cluster then takes in the appeals that name its place within `window_days` of
   its period and are close to its (fixed) centroid (≥ `attach_similarity`, or
   `attach_content_similarity` when only the body names the place; a group's window and
   margin as above), bigger clusters first. Clusters smaller than `min_size` are dropped.
   A cluster whose dominant key is a group of people is described by it (`Cluster.group`,
   "A市人才/高级技师") and has no place.

Heat index (every component is returned in `Cluster.components`; the weights w and the scale
are HEAT_WEIGHTS, and `heat_formula_zh` writes the formula out with them for the staff pages):

    heat = scale × (w₁·ln(1 + residents) + w₂·ln(1 + appeals)
                    + w₃·ln(1 + max(0, likes − dislikes))
                    + w₄·max(concentration, persistence) + w₅·growth)

- residents: distinct users (a resident writing five times counts once; the five appeals
  still count in `appeals`); a user is a phone, or a device when no phone was given;
- appeals: the cluster's appeals, a flood (one user's near-identical texts within
  FLOOD_MINUTES, `flood_representatives`) counting as one; `flooded` says how many were
  folded, so the candidate can say so;
- likes/dislikes: the message board's 点赞数/反对数 summed over the cluster (0 where the
  channel has none);
- concentration: the share of the cluster's appeals in its busiest `burst_days` window
  (1.0 when they all came within that many days, → 0 for a trickle over months);
- persistence: how long residents have kept raising it, span / PERSISTENCE_DAYS capped at 1:
  a problem asked about for a year is as pressing as one that burst in a week, so lasting
  is never what ranks a problem below a shorter one of half its size;
- growth: (recent − before) / (recent + before), the appeals in the last `burst_days`
  before the reference time against the `burst_days` before that (−1 … 1; 0 when neither
  has any). The reference time is `now`, by default the newest appeal in the input.

Logarithms keep one heavily liked message or one prolific writer from outweighing many
residents; residents weigh most because the same issue from many people is the signal.

Deterministic: no randomness is used (`seed` is accepted for interface symmetry with the
other triage steps); ties are broken by time and message id. Scale: blocking keeps the
work near-linear; see bench/bench_problems.py and BENCHMARKS.md.
"""

import logging
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from scipy.sparse import csgraph, csr_matrix

from .places import PlaceExtractor, is_group
from .problem_corpus import (
    BROAD_KINDS,
    Corpus,
    analyse,
    centroid,
    cluster_title,
    day,
    display,
    dominant_key,
    group_display,
    issue_keywords,
    specific_keys,
)
from .text import normalise

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Message:
    """One appeal or message-board message as the detector sees it."""

    id: str
    user: str
    title: str
    content: str
    at: datetime
    likes: int = 0
    dislikes: int = 0


@dataclass(frozen=True, slots=True)
class HeatWeights:
    """The numbers of the heat index: its scale and the weight of each part."""

    scale: float = 10.0
    residents: float = 2.0
    appeals: float = 1.0
    likes: float = 0.3
    concentration: float = 1.0
    growth: float = 0.5


HEAT_WEIGHTS = HeatWeights()
PERSISTENCE_DAYS = 365.0  # a problem raised over this long is as pressing as a burst
FLOOD_MINUTES = 10.0  # one source's near-identical texts this close together are one flood
FLOOD_SIMILARITY = 0.8
_NOT_LETTER = re.compile(r"[\W\d_]+")
# Each weighted part of the heat index and how the staff pages write it, in formula order.
HEAT_TERMS = (("residents", "ln(1+涉及群众)"), ("appeals", "ln(1+诉求件数)"),
              ("likes", "ln(1+点赞−反对)"), ("concentration", "max(时间集中度,持续度)"),
              ("growth", "增长趋势"))


def heat_formula_zh(weights: HeatWeights | None = None) -> str:
    """The heat index in Chinese with the weights `heat_components` uses (HEAT_WEIGHTS):
    "热度 = 10 ×(2×ln(1+涉及群众) + ln(1+诉求件数) + 0.3×ln(1+点赞−反对) + …)"."""
    weights = weights or HEAT_WEIGHTS
    text = ""
    for name, label in HEAT_TERMS:
        weight = getattr(weights, name)
        if not weight:
            continue
        sign = " − " if weight < 0 else " + " if text else ""
        text += sign + (label if abs(weight) == 1 else f"{abs(weight):g}×{label}")
    return f"热度 = {weights.scale:g} ×({text})"


@dataclass(slots=True)
class Cluster:
    """A candidate shared problem: its appeals (hottest first) and its heat."""

    rank: int
    heat: float
    title: str
    place: str
    start: datetime
    end: datetime
    count: int
    message_ids: list[str]
    components: dict[str, float] = field(default_factory=dict)
    keywords: list[str] = field(default_factory=list)
    group: str = ""  # the group of people it is about when no place defines it (人才)

    @property
    def where(self) -> str:
        """地点/人群: the place, else the group of people."""
        return self.place or self.group

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `banshi detect-problems --json`."""
        return {"rank": self.rank, "heat": self.heat, "title": self.title,
                "place": self.place, "group": self.group,
                "start": self.start.date().isoformat(),
                "end": self.end.date().isoformat(), "count": self.count,
                "message_ids": list(self.message_ids)}


@dataclass(frozen=True, slots=True)
class Settings:
    """Thresholds of the detector; the defaults are tuned on the 2020 泰迪杯 message board."""

    window_days: float = 30.0
    title_similarity: float = 0.18
    place_similarity: float = 0.25
    content_similarity: float = 0.4
    broad_margin: float = 0.1
    duplicate_similarity: float = 0.7
    duplicate_window_days: float = 180.0
    stray_similarity: float = 0.45
    attach_similarity: float = 0.18
    attach_content_similarity: float = 0.35
    min_size: int = 2
    top_terms: int = 8
    min_shared_terms: int = 3
    burst_days: float = 30.0
    group_window_days: float = 365.0
    housing_similarity: float = 0.05


def detect_problems(messages: Sequence[Message], *, top: int | None = None, seed: int = 0,
                    settings: Settings | None = None, extractor: PlaceExtractor | None = None,
                    now: datetime | None = None, workers: int = 2) -> list[Cluster]:
    """Clusters of appeals about one issue, place and period, hottest first, ranked from 1.

    `workers` processes share the text analysis of large inputs (forked, from
    `problem_corpus.PARALLEL_FROM` messages on, and only in a single-threaded process);
    the result does not depend on it.
    """
    del seed  # deterministic without it
    settings = settings or Settings()
    if not messages:
        return []
    clock = _Clock()
    corpus = analyse(messages, extractor or PlaceExtractor(), workers)
    clock.lap("analyse")
    pairs = np.vstack([_place_pairs(corpus, settings), _duplicate_pairs(corpus, settings)])
    clock.lap("pairs")
    graph = _graph(len(messages), pairs)
    groups = _refine(corpus, graph, _components(graph), settings)
    groups = _attach(corpus, groups, settings)
    clock.lap("clusters")
    reference = day(now) if now is not None else float(corpus.days.max())
    ranked = sorted((_score(corpus, members, reference, settings) for members in groups),
                    key=lambda score: score.order)
    clusters = [_describe(corpus, score, rank)
                for rank, score in enumerate(ranked[:top] if top else ranked, start=1)]
    clock.lap("describe")
    return clusters


class _Clock:
    """Logs how long each stage took (logger banshi.triage.problems, level DEBUG)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        log.debug("%s: %.1f s", stage, now - self.last)
        self.last = now


# --- candidate pairs --------------------------------------------------------------------

CHUNK = 1024  # rows per block product
SMALL_BLOCK = 48  # blocks up to this size are compared pair by pair, all at once


def _place_pairs(corpus: Corpus, settings: Settings) -> np.ndarray:
    """(i, j) with i < j: a shared place key, similar issue, within the window.

    The bar is `title_similarity` when both titles name the shared place;
    `place_similarity` when one title names it and the other names no other place;
    `content_similarity` otherwise (only the bodies name it, or a title is about another
    place); plus `broad_margin` for areas and groups of people.
    """
    blocks: dict[str, list[int]] = {}
    for index, keys in enumerate(corpus.keys):
        for key in keys:
            blocks.setdefault(key, []).append(index)
    small: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    found = []
    housing = np.array([bool(HOUSING.search(m.title)) for m in corpus.messages], dtype=bool)
    for key in sorted(blocks):
        members = np.array(blocks[key], dtype=np.int64)
        window = settings.window_days
        if is_group(key):  # a group of people and a subject: no place, and lasting
            members = members[[not _title_names_place(corpus, m) for m in members]]
            window = settings.group_window_days
        if len(members) < 2:
            continue
        margin = settings.broad_margin if corpus.kinds.get(key) in BROAD_KINDS else 0.0
        titled = np.array([key in corpus.title_keys[m] for m in members], dtype=np.int8)
        if corpus.kinds.get(key) == "site":  # 2: the title is about the development's housing
            titled += titled * housing[members]
        elsewhere = np.array([_names_a_place(corpus, m) for m in members]) & (titled == 0)
        if len(members) <= SMALL_BLOCK:
            small.append(_window_pairs(corpus.days, members, titled, elsewhere, settings,
                                       margin, window))
        else:
            found.append(_similar_within(corpus.issue, corpus.days, members, titled,
                                         elsewhere, settings, margin, window))
    if small:
        first, second, bars = (np.concatenate(parts) for parts in zip(*small, strict=True))
        sims = _row_cosines(corpus.issue, first, second)
        hit = sims >= bars
        found.append(np.column_stack([first[hit], second[hit]]))
    pairs = np.vstack(found) if found else np.empty((0, 2), dtype=np.int64)
    return np.sort(pairs, axis=1)


def _names_a_place(corpus: Corpus, m: int) -> bool:
    """The title names a place (a company or a group of people does not count: a title
    about the developer or the residents may still be about the compound)."""
    return any(corpus.kinds.get(k) not in NON_PLACES for k in corpus.title_keys[m])


NON_PLACES = frozenset({"org", "crowd"})


def _title_names_place(corpus: Corpus, m: int) -> bool:
    """The title names a place or an organisation: then its group of people ("拖欠农民工
    工资" at one company) is that place's, and the group alone never links it."""
    return any(corpus.kinds.get(k) not in BROAD_KINDS for k in corpus.title_keys[m])


# A title about a development's housing as delivered: its defects are one problem for the
# developer and the housing authority, whichever defect each resident writes about.
HOUSING = re.compile(r"质量|开裂|裂缝|渗水|漏水|空鼓|交房|交付|收房|缩水|烂尾")


def _bars(titled_a: np.ndarray, elsewhere_a: np.ndarray, titled_b: np.ndarray,
          elsewhere_b: np.ndarray, settings: Settings, margin: float) -> np.ndarray:
    """The cosine two appeals sharing a key must reach. `titled`: 0 the title does not name
    the key, 1 it does, 2 it names a development and is about its housing (HOUSING)."""
    named_a, named_b = titled_a > 0, titled_b > 0
    lower = (named_a & ~elsewhere_b) | (named_b & ~elsewhere_a)
    bars = np.where(lower, settings.place_similarity, settings.content_similarity)
    bars = np.where(named_a & named_b, settings.title_similarity, bars) + margin
    housing = (titled_a == 2) & (titled_b == 2)
    return np.where(housing, np.minimum(bars, settings.housing_similarity), bars)


def _window_pairs(days: np.ndarray, members: np.ndarray, titled: np.ndarray,
                  elsewhere: np.ndarray, settings: Settings, margin: float,
                  window: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs of a small block within the window, with their bars (no cosine yet)."""
    a, b = np.triu_indices(len(members), k=1)
    close = np.abs(days[members[a]] - days[members[b]]) <= window
    a, b = a[close], b[close]
    bars = _bars(titled[a], elsewhere[a], titled[b], elsewhere[b], settings, margin)
    return members[a], members[b], bars


def _similar_within(matrix: csr_matrix, days: np.ndarray, members: np.ndarray,
                    titled: np.ndarray, elsewhere: np.ndarray, settings: Settings,
                    margin: float, window: float) -> np.ndarray:
    """Pairs of a large block within the window whose issue cosine reaches their bar."""
    order = np.argsort(days[members], kind="stable")
    members, titled, elsewhere = members[order], titled[order], elsewhere[order]
    times = days[members]
    found = []
    for low in range(0, len(members), CHUNK):
        high = min(low + CHUNK, len(members))
        reach = int(np.searchsorted(times, times[high - 1] + window, side="right"))
        block = (matrix[members[low:high]] @ matrix[members[low:reach]].T).toarray()
        bar = _bars(titled[low:high][:, None], elsewhere[low:high][:, None],
                    titled[low:reach][None, :], elsewhere[low:reach][None, :], settings,
                    margin)
        rows = np.arange(low, high)[:, None]
        cols = np.arange(low, reach)[None, :]
        close = (times[low:reach][None, :] - times[low:high][:, None]) <= window
        hit = np.nonzero((cols > rows) & close & (block >= bar))
        found.append(np.column_stack([members[hit[0] + low], members[hit[1] + low]]))
    return np.vstack(found)


def _duplicate_pairs(corpus: Corpus, settings: Settings) -> np.ndarray:
    """Near-duplicate texts within the duplicate window, one of them naming no place.

    Appeals that both name places are linked by the place rule or not at all; a
    near-duplicate without a place is the same complaint by someone who left it out.
    Candidates share `min_shared_terms` of their `top_terms` heaviest grams.
    """
    issue = corpus.issue
    placeless = np.array([i for i in range(issue.shape[0]) if not specific_keys(corpus, i)],
                         dtype=np.int64)
    marks = _top_terms(issue, settings.top_terms)
    found = []
    for low in range(0, len(placeless), 4 * CHUNK):
        left = placeless[low:low + 4 * CHUNK]
        shared = (marks[left] @ marks.T).tocoo()
        rows, cols = left[shared.row], shared.col.astype(np.int64)
        keep = (shared.data >= settings.min_shared_terms) & (rows != cols)
        rows, cols = rows[keep], cols[keep]
        close = np.abs(corpus.days[rows] - corpus.days[cols]) <= settings.duplicate_window_days
        rows, cols = rows[close], cols[close]
        hit = _row_cosines(issue, rows, cols) >= settings.duplicate_similarity
        found.append(np.column_stack([rows[hit], cols[hit]]))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.sort(np.vstack(found), axis=1), axis=0)


def _top_terms(matrix: csr_matrix, k: int) -> csr_matrix:
    """A binary matrix keeping each row's `k` heaviest terms (ties: lower column)."""
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    rows, cols = [], []
    for row in range(matrix.shape[0]):
        start, end = indptr[row], indptr[row + 1]
        if end - start > k:
            chosen = np.lexsort((indices[start:end], -data[start:end]))[:k] + start
        else:
            chosen = np.arange(start, end)
        rows.append(np.full(len(chosen), row, dtype=np.int32))
        cols.append(indices[chosen])
    row_index = np.concatenate(rows) if rows else np.empty(0, dtype=np.int32)
    col_index = np.concatenate(cols) if cols else np.empty(0, dtype=np.int32)
    ones = np.ones(len(row_index), dtype=np.float32)
    return csr_matrix((ones, (row_index, col_index)), shape=matrix.shape)


def _row_cosines(matrix: csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Cosine of row pairs of an l2-normalised matrix, in batches."""
    result = np.empty(len(rows), dtype=np.float32)
    for low in range(0, len(rows), 50_000):
        high = min(low + 50_000, len(rows))
        product = matrix[rows[low:high]].multiply(matrix[cols[low:high]])
        result[low:high] = np.asarray(product.sum(axis=1)).ravel()
    return result


# --- clusters ---------------------------------------------------------------------------

def _graph(n: int, pairs: np.ndarray) -> csr_matrix:
    """The symmetric adjacency matrix of the links."""
    a, b = pairs[:, 0], pairs[:, 1]
    ones = np.ones(2 * len(a), dtype=np.int8)
    graph = csr_matrix((ones, (np.concatenate([a, b]), np.concatenate([b, a]))), shape=(n, n))
    graph.sum_duplicates()
    return graph


def _components(graph: csr_matrix, subset: np.ndarray | None = None) -> list[list[int]]:
    """Connected components with ≥ 2 members (of `subset` when given), as index lists."""
    nodes = np.arange(graph.shape[0]) if subset is None else np.sort(subset)
    sub = graph if subset is None else graph[nodes][:, nodes]
    count, labels = csgraph.connected_components(sub, directed=False)
    sizes = np.bincount(labels, minlength=count)
    order = np.argsort(labels, kind="stable")
    groups, start = [], 0
    for label in range(count):
        size = int(sizes[label])
        if size >= 2:
            groups.append(nodes[order[start:start + size]].tolist())
        start += size
    return groups


def _refine(corpus: Corpus, graph: csr_matrix, groups: list[list[int]],
            settings: Settings) -> list[list[int]]:
    """Keep each component to its dominant place; re-cluster the appeals that stray.

    An appeal without the dominant place stays only if it names no specific place of its
    own and its text is close to the core's centroid (near-duplicates of the core).
    """
    done: list[list[int]] = []
    queue = list(groups)
    while queue:
        members = queue.pop()
        if len(members) < settings.min_size:
            continue
        key = dominant_key(corpus, members)
        if key is None:
            done.append(members)
            continue
        core = [m for m in members if key in corpus.keys[m]]
        others = [m for m in members if key not in corpus.keys[m]]
        kept = []
        if others:
            close = corpus.issue[others] @ centroid(corpus.issue, core)
            kept = [m for m, sim in zip(others, close, strict=True)
                    if sim >= settings.stray_similarity and not specific_keys(corpus, m)]
        strays = np.array(sorted(set(others) - set(kept)), dtype=np.int64)
        if len(strays) >= 2:
            queue.extend(_components(graph, strays))
        final = sorted(core + kept)
        if len(final) >= settings.min_size:
            done.append(final)
    return done


def _holders(corpus: Corpus, keys: set[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each key, the appeals naming it and their days, in time order."""
    lists: dict[str, list[int]] = {key: [] for key in keys}
    for index, named in enumerate(corpus.keys):
        for key in named & keys:
            lists[key].append(index)
    result = {}
    for key, members in lists.items():
        held = np.array(members, dtype=np.int64)
        held = held[np.argsort(corpus.days[held], kind="stable")]
        result[key] = (held, corpus.days[held])
    return result


def _attach(corpus: Corpus, groups: list[list[int]], settings: Settings) -> list[list[int]]:
    """Bring in appeals naming a cluster's place, in its period, close to its centroid.

    Pairwise similarity misses appeals that say the same thing in other words; against the
    centroid they stand out. Bigger clusters go first and may take appeals from smaller
    ones about the same place; the centroid is fixed, so nothing chains.
    """
    groups = sorted(groups, key=lambda g: (-len(g), g[0]))
    owner = np.full(len(corpus.messages), -1, dtype=np.int64)
    for number, members in enumerate(groups):
        owner[members] = number
    keys = [dominant_key(corpus, members) for members in groups]
    group_keys = np.array(keys, dtype=object)
    holders = _holders(corpus, {key for key in keys if key is not None})
    for number, (members, key) in enumerate(zip(groups, keys, strict=True)):
        if key is None:
            continue
        held, held_days = holders[key]
        days = corpus.days[members]
        group = is_group(key)
        window = settings.group_window_days if group else settings.window_days
        low = np.searchsorted(held_days, days.min() - window, side="left")
        high = np.searchsorted(held_days, days.max() + window, side="right")
        near = held[low:high]
        owners = owner[near]
        free = (owners < 0) | ((owners > number) & (group_keys[np.maximum(owners, 0)] == key))
        candidates = [m for m in near[free].tolist()
                      if not (group and _title_names_place(corpus, m))]
        if not candidates:
            continue
        sims = corpus.issue[candidates] @ centroid(corpus.issue, members)
        margin = settings.broad_margin if group else 0.0
        for m, sim in zip(candidates, sims, strict=True):
            titled = key in corpus.title_keys[m]
            if sim >= margin + (settings.attach_similarity if titled else
                                settings.attach_content_similarity):
                owner[m] = number
    result: dict[int, list[int]] = {}
    for index in np.nonzero(owner >= 0)[0].tolist():
        result.setdefault(int(owner[index]), []).append(index)
    return [members for members in result.values() if len(members) >= settings.min_size]


@dataclass(slots=True)
class _Score:
    """A cluster's heat and order, before it is described (only the returned ones are)."""

    members: list[int]  # hottest first: most likes, then earliest, then id
    components: dict[str, float]
    order: tuple[float, datetime, str]  # hottest, earliest, lowest id first


def _score(corpus: Corpus, members: list[int], reference: float, settings: Settings) -> _Score:
    messages = [corpus.messages[m] for m in members]
    days = corpus.days[members]
    components = heat_components(messages, days, reference, settings.burst_days)
    hottest = sorted(range(len(members)), key=lambda i: (-messages[i].likes, days[i],
                                                          messages[i].id))
    start = messages[int(np.argmin(days))].at
    order = (-components["heat"], start, messages[hottest[0]].id)
    return _Score([members[i] for i in hottest], components, order)


def _describe(corpus: Corpus, score: _Score, rank: int) -> Cluster:
    members = score.members
    messages = [corpus.messages[m] for m in members]
    days = corpus.days[members]
    key = dominant_key(corpus, members)
    group = (group_display(corpus, members, key)
             if key is not None and corpus.kinds.get(key) == "crowd" else "")
    place = display(corpus, members, key) if key and not group else ""
    return Cluster(
        rank=rank, heat=score.components["heat"], group=group,
        title=cluster_title(corpus, sorted(members), key, place), place=place,
        start=messages[int(np.argmin(days))].at, end=messages[int(np.argmax(days))].at,
        count=len(members), message_ids=[m.id for m in messages],
        components=score.components,
        keywords=issue_keywords(corpus.issue, corpus.vocabulary, members),
    )


def heat_components(messages: Sequence[Message], days: np.ndarray, reference: float,
                    burst_days: float) -> dict[str, float]:
    """The heat index and each of its parts (see the module docstring)."""
    flooded = len(messages) - len(set(flood_representatives(messages)))
    appeals = len(messages) - flooded  # a flood weighs as one appeal
    residents = len({m.user for m in messages}) or appeals
    likes = sum(max(0, m.likes) for m in messages)
    dislikes = sum(max(0, m.dislikes) for m in messages)
    ordered = np.sort(days)
    ends = np.searchsorted(ordered, ordered + burst_days, side="right")
    concentration = float((ends - np.arange(len(ordered))).max()) / len(ordered)
    span = float(ordered[-1] - ordered[0])
    persistence = min(1.0, span / PERSISTENCE_DAYS)
    recent = int(((days > reference - burst_days) & (days <= reference)).sum())
    before = int(((days > reference - 2 * burst_days) & (days <= reference - burst_days)).sum())
    growth = (recent - before) / (recent + before) if recent + before else 0.0
    parts = {"residents": math.log1p(residents), "appeals": math.log1p(appeals),
             "likes": math.log1p(max(0, likes - dislikes)),
             "concentration": max(concentration, persistence),
             "growth": growth}
    weights = HEAT_WEIGHTS
    heat = weights.scale * sum(getattr(weights, name) * parts[name] for name, _ in HEAT_TERMS)
    return {"heat": round(heat, 2), "appeals": appeals, "residents": residents,
            "likes": likes, "dislikes": dislikes, "concentration": round(concentration, 3),
            "persistence": round(persistence, 3),
            "growth": round(growth, 3), "span_days": round(span, 1),
            "flooded": flooded}


def flood_representatives(messages: Sequence[Message],
                          minutes: float = FLOOD_MINUTES) -> list[int]:
    """For each message, the index of the first message of its flood (itself when none).

    A flood is one source — the same `user` (a phone, or a device when no phone was given)
    — sending near-identical texts within `minutes` of one another ("测试限流1",
    "测试限流2" … in a minute): they weigh as one appeal in the heat index. Near-identical:
    the same text once digits, spaces and punctuation are taken out, or character bigrams
    overlapping by at least FLOOD_SIMILARITY (Jaccard).
    """
    out = list(range(len(messages)))
    by_user: dict[str, list[int]] = {}
    for i, message in enumerate(messages):
        by_user.setdefault(message.user, []).append(i)
    for members in by_user.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: (messages[i].at, messages[i].id))
        grams = {i: _flood_grams(messages[i]) for i in members}
        for position, i in enumerate(members):
            for j in reversed(members[:position]):
                gap = (messages[i].at - messages[j].at).total_seconds() / 60
                if gap > minutes:
                    break
                if _near_identical(grams[i], grams[j]):
                    out[i] = out[j]
                    break
    return out


def _flood_grams(message: Message) -> frozenset[str]:
    text = _NOT_LETTER.sub("", normalise(f"{message.title} {message.content}"))
    return frozenset({text[k:k + 2] for k in range(max(1, len(text) - 1))})


def _near_identical(a: frozenset[str], b: frozenset[str]) -> bool:
    if a == b:
        return True
    union = len(a | b)
    return bool(union) and len(a & b) / union >= FLOOD_SIMILARITY



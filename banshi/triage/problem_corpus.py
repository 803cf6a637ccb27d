"""What the problem detector knows about each appeal: places, keys, issue vectors.

`analyse()` reads every appeal once (title and body normalised, places and issue words
found by `places.PlaceExtractor`, spread over forked worker processes for large inputs),
resolves place keys across the corpus (aliases, names found again by a `Gazetteer`), and
builds the issue vectors: TF-IDF of the characters and character bigrams of the issue
words (place names left out), title words counting twice. The helpers below describe a
group of appeals: its dominant place and how to write it, its most central title, its
heaviest issue words.
"""

import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_all_start_methods, get_context
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.preprocessing import normalize

from .places import Gazetteer, Place, PlaceExtractor, aliases, display_case
from .text import normalise

if TYPE_CHECKING:
    from .problems import Message

log = logging.getLogger("banshi.triage.problems")
MAX_DF = 0.3  # grams in more of the documents carry no signal
MAX_CONTENT = 500  # characters of a body analysed; places and the issue are stated early
BODY_WORDS = 100  # words of the body in the issue vector (the title's count twice)
SCAN_CONTENT = 600  # characters of the body searched for known place names
BROAD_KINDS = frozenset({"area", "crowd"})


@dataclass(slots=True)
class Corpus:
    """Per-message analysis: place keys, vectors and times (arrays aligned with messages)."""

    messages: Sequence["Message"]
    days: np.ndarray
    places: list[list[Place]]
    keys: list[frozenset[str]]  # every place key named, with its aliases
    title_keys: list[frozenset[str]]  # those named in the title
    kinds: dict[str, str]
    issue: csr_matrix  # l2-normalised TF-IDF of character unigrams and bigrams of words
    vocabulary: np.ndarray


# --- analysis ---------------------------------------------------------------------------

def day(at: datetime) -> float:
    """Days on the wall clock (naive or aware alike), as a float."""
    return at.toordinal() + (at.hour * 3600 + at.minute * 60 + at.second) / 86400


def analyse(messages: Sequence["Message"], extractor: PlaceExtractor, workers: int) -> Corpus:
    """Places, keys and vectors of every message (text work spread over `workers`)."""
    started = time.perf_counter()
    _SHARED.update(messages=messages, extractor=extractor)
    read = _parallel(_read_texts, len(messages), workers)
    log.debug("  read texts: %.1f s", time.perf_counter() - started)
    places = [[Place(*p) for p in title + body] for title, body, *_ in read]
    kinds = place_kinds(places)
    alias = aliases(kinds)
    _SHARED.update(read=read, gazetteer=Gazetteer.from_mentions(places))
    found = _parallel(_find_known, len(read), workers)
    _SHARED.clear()
    log.debug("  known names: %.1f s", time.perf_counter() - started)
    title_keys, keys = [], []
    for (title, body, *_), (in_title_text, in_body_text) in zip(read, found, strict=True):
        in_title = {k for p in title for k in alias[p[1]]} | in_title_text
        title_keys.append(frozenset(in_title))
        keys.append(frozenset(in_title | {k for p in body for k in alias[p[1]]} | in_body_text))
    issue, vocabulary = _vectors((_words(r[2]) for r in read), (_words(r[3]) for r in read))
    days = np.array([day(m.at) for m in messages], dtype=np.float64)
    log.debug("  vectors: %.1f s", time.perf_counter() - started)
    return Corpus(messages, days, places, keys, title_keys, kinds, issue, vocabulary)


# What forked worker processes inherit (never pickled): inputs and shared read-only state.
_SHARED: dict[str, object] = {}
PARALLEL_FROM = 20_000  # messages; below this one process is faster than forking
_SEPARATOR = "\x1f"  # joins a message's words so they travel between processes as one str


T = TypeVar("T")
Fields = tuple[str, str, str, str]  # a place: name, key, kind, prefix


def _parallel(function: Callable[[int], T], count: int, workers: int) -> list[T]:
    """`function(index)` for every index in order, in `workers` forked processes if worth it.

    The workers read their inputs from `_SHARED`, inherited when they are forked, so only
    index ranges and compact results cross between processes. A process running other
    threads (a threaded task worker, a web server) works alone: forking it is not safe.
    """
    if (workers <= 1 or count < PARALLEL_FROM or "fork" not in get_all_start_methods()
            or threading.active_count() > 1):  # forking a threaded process is not safe
        return [function(index) for index in range(count)]
    size = -(-count // (workers * 8))
    ranges = [(low, min(low + size, count), function) for low in range(0, count, size)]
    with get_context("fork").Pool(workers) as pool:
        return [item for part in pool.map(_run_range, ranges) for item in part]


def _run_range(job: tuple[int, int, Callable[[int], Any]]) -> list[Any]:
    low, high, function = job
    return [function(index) for index in range(low, high)]


def _read_texts(index: int) -> tuple[list[Fields], list[Fields], str, str, str, str]:
    """(title places, body places, title words, body words, title, start of body): places
    as (name, key, kind, prefix), words joined by `_SEPARATOR`, texts for the gazetteer."""
    message = _SHARED["messages"][index]  # type: ignore[index]
    extractor: PlaceExtractor = _SHARED["extractor"]  # type: ignore[assignment]
    title_text = normalise(message.title)
    body_text = normalise(message.content[:MAX_CONTENT])
    title = extractor.analyse(title_text, normalised=True)
    body = extractor.analyse(body_text, normalised=True)
    return ([_fields(p) for p in title.places], [_fields(p) for p in body.places],
            _SEPARATOR.join(title.words), _SEPARATOR.join(body.words[:BODY_WORDS]),
            title_text, body_text[:SCAN_CONTENT])


def _words(joined: str) -> list[str]:
    return joined.split(_SEPARATOR) if joined else []


def _fields(place: Place) -> Fields:
    return place.name, place.key, place.kind, place.prefix


def _find_known(index: int) -> tuple[set[str], set[str]]:
    gazetteer: Gazetteer = _SHARED["gazetteer"]  # type: ignore[assignment]
    *_, title_text, body_text = _SHARED["read"][index]  # type: ignore[index]
    return gazetteer.find(title_text), gazetteer.find(body_text)


def place_kinds(places: list[list[Place]]) -> dict[str, str]:
    """Each key's kind; a key seen as both a site and an area counts as the narrower."""
    order = {"site": 0, "institution": 1, "org": 2, "road": 3, "crowd": 4, "area": 5}
    kinds: dict[str, str] = {}
    for mentioned in places:
        for place in mentioned:
            known = kinds.get(place.key)
            if known is None or order[place.kind] < order[known]:
                kinds[place.key] = place.kind
    return kinds


def _vectors(titles: Iterable[list[str]], bodies: Iterable[list[str]],
             ) -> tuple[csr_matrix, np.ndarray]:
    """Issue vectors: TF-IDF of the characters and character bigrams of the words.

    Grams are robust to how rjieba cut a word ("油烟直排" meets "油烟"). Title words count
    twice. Built as (document × word counts) @ (word × gram counts), so each distinct
    word is taken apart once; sublinear tf, smooth idf, grams in more than `MAX_DF` of the
    documents dropped (from 50 documents on), rows l2-normalised.
    """
    words: dict[str, int] = {}
    title_ids = _word_ids(titles, words)
    body_ids = _word_ids(bodies, words)
    counts = _counts(*title_ids, len(words), 2.0) + _counts(*body_ids, len(words), 1.0)
    grams: dict[str, int] = {}
    rows, cols = [], []
    for word, row in words.items():
        for gram in _grams(word):
            rows.append(row)
            cols.append(grams.setdefault(gram, len(grams)))
    spelling = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                          shape=(len(words), len(grams)))
    matrix = (counts @ spelling).tocsr()
    matrix.sum_duplicates()
    n = matrix.shape[0]
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    if n >= 50:
        idf[df > MAX_DF * n] = 0
    matrix.data = (1 + np.log(matrix.data)) * idf[matrix.indices]
    matrix.eliminate_zeros()
    vocabulary = np.array(list(grams), dtype=object)
    return normalize(matrix, copy=False).astype(np.float32), vocabulary


def _word_ids(documents: Iterable[list[str]],
              words: dict[str, int]) -> tuple[list[int], list[int]]:
    """(indptr, word ids) of the documents, growing the word index."""
    indptr, indices = [0], []
    for document in documents:
        indices.extend([words.setdefault(word, len(words)) for word in document])
        indptr.append(len(indices))
    return indptr, indices


def _counts(indptr: list[int], indices: list[int], width: int, weight: float) -> csr_matrix:
    data = np.full(len(indices), weight, dtype=np.float32)
    matrix = csr_matrix((data, np.array(indices, dtype=np.int32), np.array(indptr)),
                        shape=(len(indptr) - 1, width))
    matrix.sum_duplicates()
    return matrix


def _grams(word: str) -> list[str]:
    return [*word, *(word[i:i + 2] for i in range(len(word) - 1))]


def specific_keys(corpus: Corpus, m: int) -> set[str]:
    """The specific places an appeal is about: its title's, else its body's."""
    for keys in (corpus.title_keys[m], corpus.keys[m]):
        specific = {k for k in keys if corpus.kinds.get(k) not in BROAD_KINDS}
        if specific:
            return specific
    return set()


def centroid(matrix: csr_matrix, members: list[int]) -> np.ndarray:
    centroid = np.asarray(matrix[members].mean(axis=0)).ravel()
    return centroid / (np.linalg.norm(centroid) or 1.0)


def dominant_key(corpus: Corpus, members: list[int]) -> str | None:
    """The place key most members name (titles count twice; areas and groups less)."""
    counts: Counter[str] = Counter()
    for m in members:
        counts.update(corpus.keys[m])
        counts.update(corpus.title_keys[m])
    if not counts:
        return None

    def weight(item: tuple[str, int]) -> tuple[float, int, str]:
        key, count = item
        broad = corpus.kinds.get(key) in BROAD_KINDS
        return (count * (0.6 if broad else 1.0), len(key), key)

    return max(counts.items(), key=weight)[0]


def display(corpus: Corpus, members: list[int], key: str) -> str:
    """How the dominant place is best written: its usual full name after its fullest prefix.

    Names containing the key count ("月亮岛路" for 月亮岛), those in titles twice.
    """
    names: Counter[str] = Counter()
    prefixes: Counter[str] = Counter()
    for m in members:
        titled = key in corpus.title_keys[m]
        for place in corpus.places[m]:
            if key in place.key and place.kind != "crowd":
                names[place.name] += 2 if titled else 1
                if place.prefix:
                    prefixes[place.prefix] += 1
    if not names:
        return key
    name = max(names.items(), key=lambda item: (item[1], len(item[0]), item[0]))[0]
    prefix = max(prefixes.items(), key=lambda item: (item[1], item[0]))[0] if prefixes else ""
    longer = [p for p in prefixes if p != prefix and p.endswith(prefix)]
    if longer:
        prefix = max(longer, key=lambda p: (prefixes[p], p))
    return display_case(prefix + name)


def group_display(corpus: Corpus, members: list[int], key: str) -> str:
    """How a group of people is best written: its two commonest forms after its commonest
    prefix ("A市人才/高级技师"); titles count twice."""
    forms: Counter[str] = Counter()
    prefixes: Counter[str] = Counter()
    for m in members:
        titled = key in corpus.title_keys[m]
        for place in corpus.places[m]:
            if place.key == key and place.kind == "crowd":
                forms[place.name] += 2 if titled else 1
                if place.prefix:
                    prefixes[place.prefix] += 1
    if not forms:
        return key
    written = sorted(forms, key=lambda name: (-forms[name], name))[:2]
    prefix = max(prefixes.items(), key=lambda item: (item[1], item[0]))[0] if prefixes else ""
    return display_case(prefix + "/".join(written))


# --- describing a cluster ---------------------------------------------------------------

_LEAD = re.compile(r"^(关于|投诉|反映|举报|建议|咨询|请问|请求|恳请|强烈要求|要求|希望|再次|"
                   r"坚决反对|强烈反对|紧急|求助|请|我要|我们)+")
_TAIL = re.compile(r"(的问题|问题|的投诉|的建议|的情况|情况|的反映|一事|事宜|"
                   r"[?？!！。.,，~～…]+)+$")
_ADMIN_PREFIX = re.compile(r"^(?:[\u4e00-\u9fff]{2}省|[A-Z]\d{0,2}[市区县])+")
MAX_TITLE = 40
MAX_MEDOID = 2000


def clean_title(title: str) -> str:
    """A message title as a problem description: no "投诉/关于…" lead-in, no "的问题？"."""
    text = normalise(title)
    cleaned = _TAIL.sub("", _LEAD.sub("", text)).strip()
    return cleaned or text


def cluster_title(corpus: Corpus, members: list[int], key: str | None, place: str) -> str:
    """The most central title (among those naming the place), cleaned; place in front if
    the title lacks it."""
    sample = members[:MAX_MEDOID]
    naming = [m for m in sample if key and key in corpus.title_keys[m]] or sample
    vectors = corpus.issue[naming]
    centrality = np.asarray((vectors @ corpus.issue[sample].T).sum(axis=1)).ravel()
    best = min(range(len(naming)), key=lambda i: (
        -round(float(centrality[i]), 6), len(corpus.messages[naming[i]].title),
        corpus.messages[naming[i]].id))
    title = display_case(clean_title(corpus.messages[naming[best]].title))
    if key and key not in title.lower() and place:
        title = place + " " + title
    elif place and not _ADMIN_PREFIX.match(title) and (prefix := _ADMIN_PREFIX.match(place)):
        title = prefix.group() + title  # 魅力之城小区… → A5区魅力之城小区…
    return title[:MAX_TITLE]


def issue_keywords(matrix: csr_matrix, vocabulary: np.ndarray, members: list[int],
                   count: int = 5) -> list[str]:
    """The heaviest issue bigrams of the cluster ("搅拌", "噪音")."""
    rows = matrix[members]
    columns, inverse = np.unique(rows.indices, return_inverse=True)
    weights = np.bincount(inverse, weights=rows.data, minlength=len(columns))
    best = [i for i in np.lexsort((columns, -weights)) if len(vocabulary[columns[i]]) > 1]
    return [str(vocabulary[columns[i]]) for i in best[:count]]

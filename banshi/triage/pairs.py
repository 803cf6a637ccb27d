"""One message seen twice: title rows and body rows of the same message, and identical texts.

A labelled export may carry a message as two rows, one with only its title and one with only
its body (the message board's file does: about 4,500 of its 7,072 title rows have their body
among its 5,124 body rows). Cross-validation that puts the two rows in different folds rewards
remembering the message from its other half, which an unseen appeal never offers, and
overstates the score (BENCHMARKS.md: 0.934 plain against 0.9075 with each pair kept
together). `message_groups` gives every row a group so that a fold holds a message whole;
`title_body_pairs` gives the surest pairs, from which evaluation builds title+body documents
like those the ledger stores.

A title belongs to a body when most of the title's distinct character bigrams occur in the
body (residents repeat their title's words in the text). For grouping the rule is generous
(half the bigrams; a wrong group only makes the folds a little less random); for documents
it is strict (60% and each the other's best match).
"""

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from .text import normalise

GROUP_CONTAINMENT = 0.5
PAIR_CONTAINMENT = 0.6
MIN_BIGRAMS = 3  # a title of fewer distinct bigrams matches too much to tell


Match = tuple[int, int, float]  # (title row, body row, share of the title's bigrams in the body)


def message_groups(titles: Sequence[str], contents: Sequence[str],
                   matches: list[Match] | None = None) -> list[int]:
    """A group id per row (0, 1, 2 … in order of first row): a title-only row and the
    body-only row that contains it, and rows with the same normalised text, share one.
    `matches` is `title_matches(titles, contents)` when the caller has it already."""
    n = len(titles)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first: dict[str, int] = {}
    for i, (title, content) in enumerate(zip(titles, contents, strict=True)):
        key = f"{normalise(title)}\x00{normalise(content)}"
        union(first.setdefault(key, i), i)
    for t, b, _ in title_matches(titles, contents) if matches is None else matches:
        union(t, b)
    ids: dict[int, int] = {}
    return [ids.setdefault(find(i), len(ids)) for i in range(n)]


def title_body_pairs(titles: Sequence[str], contents: Sequence[str],
                     matches: list[Match] | None = None) -> list[tuple[int, int]]:
    """(title row, body row) pairs that are surely one message: the body holds at least 60%
    of the title's bigrams and each is the other's best match. `matches` as in
    `message_groups`."""
    if matches is None:
        matches = title_matches(titles, contents)
    matches = [m for m in matches if m[2] >= PAIR_CONTAINMENT]
    best_for_body: dict[int, tuple[float, int]] = {}
    for t, b, score in matches:
        if score > best_for_body.get(b, (-1.0, -1))[0]:
            best_for_body[b] = (score, t)
    return sorted((t, b) for t, b, _ in matches if best_for_body[b][1] == t)


def title_matches(titles: Sequence[str], contents: Sequence[str]) -> list[Match]:
    """Each title-only row's best body-only row, when it holds at least GROUP_CONTAINMENT of
    the title's bigrams (a title's best body does not depend on the threshold, so the
    stricter pairs are a filter of these)."""
    title_rows = [i for i, (t, c) in enumerate(zip(titles, contents, strict=True))
                  if t and not c]
    body_rows = [i for i, (t, c) in enumerate(zip(titles, contents, strict=True))
                 if c and not t]
    if not title_rows or not body_rows:
        return []
    vectoriser = CountVectorizer(analyzer="char", ngram_range=(2, 2), binary=True,
                                 lowercase=False, dtype=np.float32)
    vectoriser.fit([normalise(titles[i]) for i in title_rows])
    title_x = vectoriser.transform([normalise(titles[i]) for i in title_rows])
    body_x = vectoriser.transform([normalise(contents[i]) for i in body_rows])
    overlap = sp.csr_matrix(title_x @ body_x.T)
    sizes = np.asarray(title_x.sum(axis=1)).ravel()
    out = []
    for r in range(overlap.shape[0]):
        start, end = overlap.indptr[r], overlap.indptr[r + 1]
        if start == end or sizes[r] < MIN_BIGRAMS:
            continue
        shares = overlap.data[start:end] / sizes[r]
        j = int(shares.argmax())
        if shares[j] >= GROUP_CONTAINMENT:
            out.append((title_rows[r], body_rows[int(overlap.indices[start + j])],
                        float(shares[j])))
    return out

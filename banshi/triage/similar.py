"""A small similarity index for catching duplicates at intake.

Documents are compared by the cosine of their character-bigram TF-IDF vectors (sublinear
term frequency, smoothed IDF learned from the indexed documents). Character
n-grams need no segmentation and survive the typos, variant spellings and mixed scripts of
residents' messages; bigrams separated paraphrased duplicates from unrelated appeals better
than bigrams with trigrams or unigrams on our fixtures. The bigrams are computed with numpy on
the code points, so indexing a few thousand candidates takes a fraction of a second.

A query's n-grams that no indexed document has still count in the query's norm (with the
largest IDF), so a long message sharing one word with a short one does not look alike.

The IDF is computed as if the index held at least `MIN_DOCS` documents. Candidates are often
few (one community, 90 days), and with raw IDF over a handful of documents every shared word
looks common: the same complaint reported twice would score lower than reported once.

Deterministic: equal scores keep the order in which documents were given.
"""

import math
import re
from collections.abc import Hashable, Sequence

import numpy as np
from scipy import sparse

from .text import normalise

# Letters, digits and CJK only: punctuation and spaces make n-grams that mean nothing.
_NOT_WORD = re.compile(r"[\W_]+")
_SHIFT = np.uint64(21)  # a code point fits in 21 bits
MIN_DOCS = 100


def _grams(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(unique bigram ids, counts) of `text`; a one-character text is its own unigram."""
    compact = _NOT_WORD.sub("", normalise(text))
    codes = np.frombuffer(compact.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < 2:
        return np.unique(codes, return_counts=True)  # ids < 2**21: never a bigram's id
    return np.unique((codes[:-1] << _SHIFT) | codes[1:], return_counts=True)


class SimilarityIndex:
    """Index (id, text) pairs once; ask which of them a new text resembles."""

    def __init__(self, docs: Sequence[tuple[Hashable, str]]):
        self.ids = [doc_id for doc_id, _ in docs]
        grams = [_grams(text) for _, text in docs]
        n = len(grams)
        all_ids = np.concatenate([g for g, _ in grams]) if n else np.zeros(0, np.uint64)
        self.vocabulary, columns = np.unique(all_ids, return_inverse=True)
        df = np.bincount(columns, minlength=len(self.vocabulary))
        size = max(n, MIN_DOCS)
        self.idf = np.log((1 + size) / (1 + df)) + 1.0
        self.unseen_idf = math.log(1 + size) + 1.0
        counts = np.concatenate([c for _, c in grams]) if n else np.zeros(0)
        rows = np.repeat(np.arange(n), [len(g) for g, _ in grams])
        weights = (1.0 + np.log(counts.astype(float))) * self.idf[columns]
        matrix = sparse.csr_matrix((weights, (rows, columns)),
                                   shape=(n, len(self.vocabulary)))
        norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
        norms[norms == 0] = 1.0
        self.matrix = sparse.diags(1.0 / norms) @ matrix

    def __len__(self) -> int:
        return len(self.ids)

    def _query_vector(self, text: str) -> sparse.csr_matrix | None:
        grams, counts = _grams(text)
        if len(grams) == 0 or len(self.vocabulary) == 0:
            return None
        tf = 1.0 + np.log(counts.astype(float))
        position = np.searchsorted(self.vocabulary, grams)
        position[position >= len(self.vocabulary)] = 0
        known = self.vocabulary[position] == grams
        idf = np.where(known, self.idf[position], self.unseen_idf)
        norm = float(np.sqrt(((tf * idf) ** 2).sum()))
        values = (tf * idf / norm)[known]
        return sparse.csr_matrix((values, (np.zeros(known.sum(), int), position[known])),
                                 shape=(1, len(self.vocabulary)))

    def scores(self, text: str) -> np.ndarray:
        """Cosine similarity of `text` to every indexed document, in index order."""
        vector = self._query_vector(text)
        if vector is None:
            return np.zeros(len(self.ids))
        scores: np.ndarray = (self.matrix @ vector.T).toarray().ravel()
        return scores

    def query(self, text: str, k: int = 5, min_score: float = 0.35) -> list[tuple[Hashable, float]]:
        """The `k` most similar documents scoring at least `min_score`, best first."""
        scores = self.scores(text)
        order = np.argsort(-scores, kind="stable")[:k]
        return [(self.ids[i], round(float(scores[i]), 4)) for i in order
                if scores[i] >= min_score]

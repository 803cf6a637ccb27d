"""Character n-gram features, hashed and computed with numpy, many texts at a time.

A scikit-learn ``TfidfVectorizer(analyzer="char")`` builds one Python string per n-gram and
manages ~1,500 appeals a second; the classifier must do tens of thousands on one core. Here a
block of 256 texts becomes one array of code points; every 1..n-gram is hashed with integer
arithmetic into ``2**bits`` buckets, counted per text with one sort of int32 keys, weighted by
sublinear tf x idf and L2-normalised: the same features as the vectorizer (up to hash
collisions), from a handful of array operations on arrays small enough to stay in cache.

Each document starts with a boundary mark, so "the text begins with ..." is a feature too; an
n-gram never crosses from one document into the next, so a document's features do not depend on
the batch it is in.
"""

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

BOUNDARY = "\x02"
Arrays = tuple[np.ndarray, np.ndarray, np.ndarray]  # three parallel arrays (see each use)
# Odd 32-bit multipliers (from xxhash/murmur) mixing one code point into the rolling hash.
_MULT = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1, 0xD3A2646C | 1],
                 dtype=np.uint32)
_FINAL = np.uint32(0x2C1B3C6D)
_MARK = np.uint32(ord(BOUNDARY))
# Code points up to U+3000 that str.split() and the \\s class treat as white space, and the
# zero-width marks text.normalise removes too.
_SPACE = np.zeros(0x3001, dtype=bool)
_SPACE[[ord(c) for c in map(chr, range(0x3001)) if c.isspace()]] = True
_SPACE[[0x200B, 0x200C, 0x200D, 0x2060]] = True


def code_points(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """All texts as one uint32 array (each preceded by BOUNDARY) and each one's start offset.

    This is ``text.collapse_space(text.fold_width(...))`` done on integers: full-width ASCII
    to half-width, A-Z to a-z, every kind of space (\\n \\t U+3000 NBSP zero-width ...)
    to one " ", none at either end; so raw and normalised text give the same features.
    """
    joined = "".join(BOUNDARY + t.replace(BOUNDARY, " ") for t in texts)
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).copy()
    if not cps.size:
        return cps, np.zeros(1, dtype=np.int64)
    full = (cps >= 0xFF01) & (cps <= 0xFF5E)
    cps[full] -= 0xFEE0
    upper = (cps >= 0x41) & (cps <= 0x5A)
    cps[upper] += 0x20
    space = np.zeros(cps.size, dtype=bool)
    low = cps <= 0x3000
    space[low] = _SPACE[cps[low]]
    space |= cps == 0xFEFF
    cps[space] = 0x20
    mark = cps == _MARK
    # Drop a space after a space or a boundary mark, then one before a mark or the end.
    drop = space.copy()
    drop[1:] &= space[:-1] | mark[:-1]
    if drop.any():
        cps = cps[~drop]
    end = np.append(cps[1:] == _MARK, True) & (cps == 0x20)
    if end.any():
        cps = cps[~end]
    starts = np.append(np.flatnonzero(cps == _MARK), cps.size)
    return cps, starts


def ngram_counts(texts: Sequence[str], max_n: int = 2, bits: int = 22) -> sp.csr_matrix:
    """Counts of hashed 1..max_n character n-grams per text (int32 CSR, n x 2**bits)."""
    if (_BLOCK << bits) > _INVALID:
        raise ValueError(f"bits={bits} too large for blocks of {_BLOCK} texts")
    parts = []
    for block in _blocks(texts):
        rows, buckets, counts = _block_counts(block, max_n, bits)
        parts.append((counts, buckets, _indptr(rows, len(block))))
    return _stack(parts, (len(texts), 1 << bits))


def _blocks(texts: Sequence[str]) -> list[Sequence[str]]:
    return [texts[i:i + _BLOCK] for i in range(0, len(texts), _BLOCK)]


def _indptr(rows: np.ndarray, n: int) -> np.ndarray:
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return indptr


def _stack(parts: list[Arrays], shape: tuple[int, int]) -> sp.csr_matrix:
    """One CSR matrix from per-block (data, indices, indptr)."""
    if not parts:
        return sp.csr_matrix(shape, dtype=np.float32)
    offsets = np.cumsum([0] + [len(p[0]) for p in parts[:-1]])
    indptr = np.concatenate([parts[0][2][:1]]
                            + [p[2][1:] + o for p, o in zip(parts, offsets, strict=True)])
    return sp.csr_matrix((np.concatenate([p[0] for p in parts]),
                          np.concatenate([p[1] for p in parts]), indptr), shape=shape)


def _block_counts(texts: Sequence[str], max_n: int, bits: int) -> Arrays:
    """(row, bucket, count) of each distinct n-gram, sorted, for at most _BLOCK texts.

    Blocks are small so that every array stays in the CPU cache and (row, bucket) fits an
    int32 key below the invalid mark.
    """
    cps, starts = code_points(texts)
    size = cps.size
    doc = np.repeat(np.arange(len(texts), dtype=np.int32), np.diff(starts))
    doc <<= bits
    keys = np.empty(size * max_n, dtype=np.int32)
    rolling = cps * _MULT[0]
    shift = np.uint32(32 - bits)
    for n in range(1, max_n + 1):
        if n > 1:
            rolling[n - 1:] = rolling[n - 2:-1] * _MULT[n - 1] + cps[n - 1:] * _MULT[0]
        part = keys[(n - 1) * size:n * size]
        np.bitwise_or(doc, (((rolling + np.uint32(n)) * _FINAL) >> shift).view(np.int32),
                      out=part)
        # An n-gram ending in a text's first n-1 positions would reach into the text before.
        for j in range(n - 1):
            part[np.minimum(starts[:-1] + j, size - 1)] = _INVALID
    keys.sort()
    keys = keys[:np.searchsorted(keys, _INVALID)]
    first = np.empty(keys.size, dtype=bool)
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    at = np.flatnonzero(first)
    counts = np.diff(np.append(at, keys.size)).astype(np.int32)
    unique = keys[at]
    return unique >> bits, unique & np.int32((1 << bits) - 1), counts


class CharTfidf:
    """Sublinear tf x idf over hashed 1..max_n character n-grams, rows L2-normalised.

    Only buckets that training texts used become features, numbered by falling document
    frequency: the rows of a weight matrix that every text reads (common n-grams) sit together,
    and "rare" is a tail of the numbering (`rare_from`). An n-gram no training text had is
    dropped, as a vectorizer drops words outside its vocabulary.
    """

    def __init__(self, max_n: int = 2, bits: int = 22):
        self.max_n, self.bits = max_n, bits
        self.buckets = np.zeros(0, dtype=np.int32)  # feature -> bucket
        self.df = np.zeros(0, dtype=np.int32)
        self.idf = np.zeros(0, dtype=np.float32)
        self.n_docs = 0
        self._remap: np.ndarray | None = None

    @property
    def n_features(self) -> int:
        return len(self.buckets)

    def rare_from(self, max_df: int) -> int:
        """The first feature seen in at most `max_df` training texts (df falls with the id)."""
        return int(np.searchsorted(-self.df, -max_df, side="left"))

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        counts = ngram_counts(texts, self.max_n, self.bits)
        df = np.bincount(counts.indices, minlength=1 << self.bits)
        used = np.flatnonzero(df)
        order = np.lexsort((used, -df[used]))
        self._set(used[order].astype(np.int32), df[used][order].astype(np.int32),
                  counts.shape[0])
        return self.weigh(counts)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Block by block (counting and weighing a block while it is in cache)."""
        parts = []
        for block in _blocks(texts):
            rows, buckets, counts = _block_counts(block, self.max_n, self.bits)
            parts.append(self._weigh(rows, buckets, counts, len(block)))
        return _stack(parts, (len(texts), self.n_features))

    def weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Count rows (from `ngram_counts`) to tf-idf rows of unit length over the features."""
        rows = np.repeat(np.arange(counts.shape[0], dtype=np.int32), np.diff(counts.indptr))
        return sp.csr_matrix(self._weigh(rows, counts.indices, counts.data, counts.shape[0]),
                             shape=(counts.shape[0], self.n_features))

    def _weigh(self, rows: np.ndarray, buckets: np.ndarray, counts: np.ndarray,
               n: int) -> Arrays:
        assert self._remap is not None, "fit or load the features first"
        feature = self._remap[buckets]
        keep = feature >= 0
        feature, rows = feature[keep], rows[keep]
        data = _TF[np.minimum(counts[keep], _TF.size - 1)] * self.idf[feature]
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=n)).astype(np.float32)
        norms[norms == 0] = 1.0
        data /= norms[rows]
        return data, feature, _indptr(rows, n)

    def _set(self, buckets: np.ndarray, df: np.ndarray, n_docs: int) -> None:
        self.buckets, self.df, self.n_docs = buckets, df, n_docs
        self.idf = (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)
        self._remap = np.full(1 << self.bits, -1, dtype=np.int32)
        self._remap[buckets] = np.arange(len(buckets), dtype=np.int32)

    def state(self) -> dict[str, np.ndarray]:
        return {"buckets": self.buckets, "df": self.df,
                "shape": np.array([self.max_n, self.bits, self.n_docs], dtype=np.int64)}

    @classmethod
    def from_state(cls, state: dict[str, np.ndarray]) -> "CharTfidf":
        max_n, bits, n_docs = (int(v) for v in state["shape"])
        self = cls(max_n=max_n, bits=bits)
        self._set(state["buckets"], state["df"], n_docs)
        return self


_INVALID = np.int32(np.iinfo(np.int32).max)
_BLOCK = 256
_TF = (1.0 + np.log(np.arange(1, 257, dtype=np.float64))).astype(np.float32)
_TF = np.concatenate([np.zeros(1, dtype=np.float32), _TF])  # _TF[c] = 1 + ln(c), c >= 1

"""Character n-gram features, hashed and computed with numpy over a whole batch at once.

A scikit-learn ``TfidfVectorizer(analyzer="char")`` builds one Python string per n-gram and
manages ~1,500 appeals a second; the classifier must do tens of thousands on one core. Here a
batch of texts becomes one array of code points; every 1..n-gram is hashed with integer
arithmetic into ``2**bits`` buckets, counted per document with one sort, weighted by
sublinear tf x idf and L2-normalised: the same features as the vectorizer (up to hash
collisions), built from a handful of vectorised array operations.

Each document starts with a boundary mark, so "the text begins with ..." is a feature too; an
n-gram never crosses from one document into the next, so a document's features do not depend on
the batch it is in.
"""

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

BOUNDARY = "\x02"
# Odd 32-bit multipliers (from xxhash/murmur) mixing one code point into the rolling hash.
_MULT = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1, 0xD3A2646C | 1],
                 dtype=np.uint32)
_FINAL = np.uint32(0x2C1B3C6D)
_CHUNK = 4096  # documents per block: bounds memory and keeps the sort in cache


def code_points(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """All texts as one uint32 array (each preceded by BOUNDARY) and each one's start offset.

    Folding here is the cheap part of ``text.normalise`` done on integers: full-width ASCII to
    half-width, A-Z to a-z and every kind of space to " ", so raw and normalised text agree.
    """
    joined = "".join(BOUNDARY + t.replace(BOUNDARY, " ") for t in texts)
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).copy()
    full = (cps >= 0xFF01) & (cps <= 0xFF5E)
    cps[full] -= 0xFEE0
    upper = (cps >= 0x41) & (cps <= 0x5A)
    cps[upper] += 0x20
    space = (cps == 0x09) | (cps == 0x0A) | (cps == 0x0D) | (cps == 0x3000) | (cps == 0xA0)
    cps[space] = 0x20
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    return cps, starts


def ngram_counts(texts: Sequence[str], max_n: int, bits: int, min_n: int = 1) -> sp.csr_matrix:
    """Counts of hashed min_n..max_n character n-grams per text (float32 CSR, n x 2**bits).
    """
    blocks = [_block_counts(texts[i:i + _CHUNK], min_n, max_n, bits)
              for i in range(0, len(texts), _CHUNK)]
    if not blocks:
        return sp.csr_matrix((0, 1 << bits), dtype=np.float32)
    return sp.vstack(blocks, format="csr") if len(blocks) > 1 else blocks[0]


def _block_counts(texts: Sequence[str], min_n: int, max_n: int, bits: int) -> sp.csr_matrix:
    cps, starts = code_points(texts)
    n_docs, size = len(texts), cps.size
    # Position p belongs to document doc[p]; an n-gram ending at p is valid when it starts at or
    # after that document's boundary mark.
    doc = np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(starts))
    offset = np.arange(size, dtype=np.int64) - starts[doc]
    keys = np.empty((size, max_n - min_n + 1), dtype=np.int64)
    rolling = cps * _MULT[0]
    shift = np.uint32(32 - bits)
    base = doc << bits
    for n in range(1, max_n + 1):
        if n > 1:
            rolling[n - 1:] = rolling[n - 2:-1] * _MULT[n - 1] + cps[n - 1:] * _MULT[0]
            rolling[: n - 1] = 0
        if n < min_n:
            continue
        bucket = ((rolling + np.uint32(n)) * _FINAL) >> shift
        keys[:, n - min_n] = np.where(offset >= n - 1, base | bucket.astype(np.int64), -1)
    flat = keys.ravel()
    flat = flat[flat >= 0]
    flat.sort()
    first = np.empty(flat.size, dtype=bool)
    first[:1] = True
    np.not_equal(flat[1:], flat[:-1], out=first[1:])
    at = np.flatnonzero(first)
    counts = np.diff(np.append(at, flat.size)).astype(np.float32)
    unique = flat[at]
    indptr = np.searchsorted(unique >> bits, np.arange(n_docs + 1), side="left")
    columns = (unique & ((1 << bits) - 1)).astype(np.int32)
    return sp.csr_matrix((counts, columns, indptr), shape=(n_docs, 1 << bits))

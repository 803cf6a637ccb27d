"""The category classifier: character n-grams, two linear models and a memory, calibrated.

Scores. Every text becomes sublinear tf-idf over hashed character 1- and 2-grams
(`features.CharTfidf`; no word segmentation needed, and 3-grams added nothing on the
message-board data but cost). Three scorers read those features:

- a linear SVM (one-vs-rest, squared hinge, C=2);
- an NB-SVM (Wang & Manning 2012): per class, features scaled by the class's log-count ratio
  before a binary SVM, which favours n-grams typical of that class;
- a memory of the training texts restricted to rare n-grams (seen in at most 3 of them): a
  text sharing several rare n-grams with a known appeal (a repeat, or the body of a message
  whose title was labelled) gets a vote for that appeal's label, weighted by the square of
  the similarity. It never fires on ordinary vocabulary, so it cannot swamp the models.

Both linear models fold into one weight matrix, so prediction is one sparse product plus the
memory's. The three are centred per text, divided by their spread on held-out texts and
added with fixed weights (`WEIGHTS`: chosen once on the message-board data, by plain 5-fold CV
and by a CV that keeps each message's title and body rows in one fold, picking weights good
on both; they are not re-tuned per training run).

Confidence. The combined scores pass through temperature scaling with per-class biases
(vector scaling, Guo et al. 2017) fitted by log-loss on scores the model gave to texts it had
not seen: a stratified 20% hold-out, or 5-fold out-of-fold scores when fewer than 2,500 texts
are given. The parts are then refitted on everything. `predict` is the arg-max of the
calibrated probabilities, so it always equals `top_k(..., 1)`.

Honest confidence for small models (`temper`). A calibration fitted on a few dozen texts, or
texts the model has all but memorised, still says 100%. What the district is shown is tempered
by the evidence: p' = (n·p + α) / (n + α·K), with n the number of training texts, K the number
of classes and α = 1 — the posterior mean of a Dirichlet(1, …, 1) prior updated as if the
calibrated p came from n observations (Laplace's rule of succession). A model trained on 71
appeals over 15 classes tops out at 72/86 ≈ 84%, one on 10,000 at 99.9%; nothing is ever 0%.
`meta["class_counts"]` keeps how many training texts each class had, so callers can hold back
classes with too few.

Title and body. A document joined by `text.join_title_content` (title, SEPARATOR, body) is
scored whole and as its title alone; the two calibrated distributions are pooled log-linearly,
p ∝ (p_whole · p_title^w)^(1/(1+w)) with w = TITLE_WEIGHT = 0.5. Most training rows are one
part alone, and in a long body the few words of its title weigh little. On the message
board's title+body documents under the honest protocol (`pairs`, BENCHMARKS.md) the whole
alone scored macro-F1 0.9265, whole × title 0.931, whole × title × body 0.932, whole ×
title^0.5 0.934 — w was chosen among those on the same folds, so its last digit is optimistic.

Determinism: given the texts, labels and seed, fit gives the same model (liblinear's
coordinate descent is seeded; the split is seeded).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.special import log_softmax
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.svm import LinearSVC

from .features import CharTfidf
from .text import SEPARATOR

FORMAT = 1
WEIGHTS = {"svm": 0.5, "nbsvm": 1.0, "memory": 0.5}
SVM_C = 2.0
BITS = 22
MAX_N = 2
NB_ALPHA = 1.0
BIAS_MIN = 200  # calibration texts needed before per-class biases are fitted
MEMORY_MAX_DF = 3
HOLD_OUT = 0.2
SMALL = 2500  # below this, calibrate on 5-fold out-of-fold scores instead of a hold-out
TEMPER_ALPHA = 1.0  # pseudo-count per class in `temper`
_CHUNK = 256
TITLE_WEIGHT = 0.5  # the title's weight when a title+body document is pooled
WEIGHTS_FILE, META_FILE = "weights.npz", "meta.json"
Meta = dict[str, Any]  # meta.json
# The three scorers' parameters: "svm" and "nbsvm" (weight, bias), "memory" (rows, labels,
# rare_from).
Parts = dict[str, Any]


class TriageModel:
    """A trained classifier: `predict`, calibrated `top_k`, `save`/`load`."""

    def __init__(self, vectoriser: CharTfidf, scorer: _Scorer, calibration: _Calibration,
                 labels: list[str], meta: Meta):
        self.vectoriser, self.scorer, self.calibration = vectoriser, scorer, calibration
        self.labels, self.meta = labels, meta

    @property
    def version(self) -> str:
        return str(self.meta["version"])

    # -- training ---------------------------------------------------------------------------

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], *, seed: int = 0,
            user_words: Iterable[str] = ()) -> TriageModel:
        """Train on `texts` (from `text.join_title_content`) and their labels.

        `user_words` (the district's place and unit names) are kept with the model for the
        tokenizer; the character n-grams see every name without a dictionary.
        """
        texts, y_names = _strings(texts), [str(label) for label in labels]
        if len(texts) != len(y_names):
            raise ValueError("texts and labels differ in length")
        classes = sorted(set(y_names))
        if len(classes) < 2:
            raise ValueError("training needs at least two classes")
        y = np.searchsorted(np.array(classes), np.array(y_names))
        started = dt.datetime.now(dt.UTC)
        scale, calibration, held = _calibrate(texts, y, len(classes), seed)
        vectoriser = CharTfidf(max_n=MAX_N, bits=BITS)
        parts = _fit_parts(vectoriser.fit_transform(texts), y, len(classes), seed,
                           vectoriser.rare_from(MEMORY_MAX_DF))
        meta = _meta(texts, y_names, classes, seed, held, user_words, started)
        return cls(vectoriser, _Scorer.assemble(parts, scale), calibration, classes, meta)

    # -- prediction -------------------------------------------------------------------------

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, one row per text, columns in `self.labels` order."""
        texts = _strings(texts)
        out = np.empty((len(texts), len(self.labels)), dtype=np.float64)
        for i in range(0, len(texts), _CHUNK):  # a block at a time, start to end, in cache
            out[i:i + _CHUNK] = self._block(texts[i:i + _CHUNK])
        return out

    def _block(self, texts: list[str]) -> np.ndarray:
        """A document of title and body (joined by text.SEPARATOR) is read whole and its title
        alone, and the two calibrated answers are pooled, the title as half a witness
        (see the module docstring)."""
        probs = self._calibrated(self.vectoriser.transform(texts))
        both = [k for k, text in enumerate(texts) if SEPARATOR in text]
        if both:
            heads = [texts[k].split(SEPARATOR, 1)[0] for k in both]
            pooled = (np.log(probs[both])
                      + TITLE_WEIGHT * np.log(self._calibrated(self.vectoriser.transform(heads))))
            probs[both] = np.exp(log_softmax(pooled / (1 + TITLE_WEIGHT), axis=1))
        return probs

    def _calibrated(self, features: sp.csr_matrix) -> np.ndarray:
        return self.calibration.probabilities(self.scorer.scores(features))

    def predict(self, texts: Sequence[str]) -> list[str]:
        labels = np.array(self.labels, dtype=object)
        predicted: list[str] = labels[self.probabilities(texts).argmax(axis=1)].tolist()
        return predicted

    def top_k(self, texts: Sequence[str], k: int = 3) -> list[list[tuple[str, float]]]:
        """The k most likely labels per text with calibrated probabilities, most likely first."""
        probs = self.probabilities(texts)
        k = max(1, min(k, len(self.labels)))
        order = np.argsort(-probs, axis=1, kind="stable")[:, :k]
        return [[(self.labels[j], float(row[j])) for j in idx]
                for row, idx in zip(probs, order, strict=True)]

    def tempered(self, texts: Sequence[str]) -> np.ndarray:
        """`probabilities` tempered by the training-set size (see the module docstring)."""
        return temper(self.probabilities(texts), int(self.meta.get("n_train", 0)))

    def class_counts(self) -> dict[str, int]:
        """Training texts per label; empty for a model saved before they were kept."""
        return {str(k): int(v) for k, v in self.meta.get("class_counts", {}).items()}

    # -- persistence ------------------------------------------------------------------------

    def save(self, directory: str | Path) -> Path:
        """Write weights.npz (plain arrays, no pickle) and meta.json into `directory`."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        arrays = {f"vec_{k}": v for k, v in self.vectoriser.state().items()}
        arrays |= {f"scorer_{k}": v for k, v in self.scorer.state().items()}
        arrays |= {f"cal_{k}": v for k, v in self.calibration.state().items()}
        path = directory / WEIGHTS_FILE
        with open(path, "wb") as handle:
            np.savez(handle, **arrays)  # type: ignore[arg-type]  # stub: **kwds as allow_pickle
        meta = self.meta | {"weights_sha256": _sha256(path)}
        (directory / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2),
                                           encoding="utf-8")
        self.meta = meta
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> TriageModel:
        """Read a model `save` wrote. Arrays only (allow_pickle=False): a file swapped in by
        someone else cannot run code; one that does not match meta.json's checksum is
        refused (ValueError)."""
        directory = Path(directory)
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"unknown triage model format: {meta.get('format')!r}")
        path = directory / WEIGHTS_FILE
        if _sha256(path) != meta.get("weights_sha256"):
            raise ValueError(f"{path} does not match its meta.json checksum")
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}

        def group(prefix: str) -> dict[str, np.ndarray]:
            return {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)}

        try:
            return cls(CharTfidf.from_state(group("vec_")),
                       _Scorer.from_state(group("scorer_")),
                       _Calibration.from_state(group("cal_")), list(meta["labels"]), meta)
        except (KeyError, IndexError, TypeError) as exc:
            raise ValueError(f"{directory} is not a complete triage model: {exc!r}") from exc


def temper(probabilities: np.ndarray, n_train: int,
           alpha: float = TEMPER_ALPHA) -> np.ndarray:
    """(n·p + α) / (n + α·K) per row: calibrated probabilities shrunk toward uniform by the
    evidence behind them, n training texts over K classes (see the module docstring)."""
    k = probabilities.shape[-1]
    n = max(0, n_train)
    tempered: np.ndarray = (n * probabilities + alpha) / (n + alpha * k)
    return tempered


class _Scorer:
    """Combined scores: one (features x classes) matrix for both linear models, plus the
    memory's votes. Built once per fit; read-only afterwards (safe to share between threads).
    """

    def __init__(self, weight: np.ndarray, bias: np.ndarray, memory: sp.csr_matrix,
                 memory_labels: np.ndarray, rare_from: int, memory_weight: float):
        self.weight, self.bias = np.ascontiguousarray(weight, dtype=np.float32), bias
        self.memory, self.memory_labels = memory, memory_labels.astype(np.int32)
        self.rare_from, self.memory_weight = rare_from, memory_weight
        self._memory_t = memory.T.tocsr()
        n = len(self.memory_labels)
        self._onehot = sp.csr_matrix((np.ones(n), (np.arange(n), self.memory_labels)),
                                     shape=(n, len(bias)))

    @classmethod
    def assemble(cls, parts: Parts, scale: dict[str, float]) -> _Scorer:
        """WEIGHTS[name] / scale[name] x each part, centred per class; the linear ones summed."""
        linear = [(WEIGHTS[n] / scale[n], *parts[n]) for n in ("svm", "nbsvm")]
        weight = sum(f * (w - w.mean(axis=1, keepdims=True)) for f, w, _ in linear)
        bias = sum(f * (b - b.mean()) for f, _, b in linear)
        memory, labels, rare_from = parts["memory"]
        return cls(weight, bias, memory, labels, rare_from,
                   WEIGHTS["memory"] / scale["memory"])

    def scores(self, X: sp.csr_matrix) -> np.ndarray:
        out: np.ndarray = np.asarray(X @ self.weight, dtype=np.float64) + self.bias
        if self.memory_weight:
            out += self.memory_weight * _centred(_votes(X, self))
        return out

    def state(self) -> dict[str, np.ndarray]:
        return {"weight": self.weight, "bias": self.bias, "mem_data": self.memory.data,
                "mem_indices": self.memory.indices, "mem_indptr": self.memory.indptr,
                "mem_labels": self.memory_labels,
                "mem": np.array([self.rare_from, self.memory_weight])}

    @classmethod
    def from_state(cls, s: dict[str, np.ndarray]) -> _Scorer:
        memory = sp.csr_matrix((s["mem_data"], s["mem_indices"], s["mem_indptr"]),
                               shape=(len(s["mem_labels"]), s["weight"].shape[0]))
        return cls(s["weight"], s["bias"], memory, s["mem_labels"], int(s["mem"][0]),
                   float(s["mem"][1]))


def _fit_parts(X: sp.csr_matrix, y: np.ndarray, n_classes: int, seed: int,
               rare_from: int) -> Parts:
    """The three scorers; `rare_from` is the first feature seen in <= MEMORY_MAX_DF texts."""
    return {"svm": _svm_weights(X, y, n_classes, seed),
            "nbsvm": _nbsvm_weights(X, y, n_classes, seed),
            "memory": (_tail(X, rare_from), y.astype(np.int32), rare_from)}


def _raw_scores(parts: Parts, X: sp.csr_matrix) -> dict[str, np.ndarray]:
    """Each scorer's scores on X, centred per text, before scaling and weighting."""
    out = {n: np.asarray(X @ parts[n][0], dtype=np.float64) + parts[n][1]
           for n in ("svm", "nbsvm")}
    memory, labels, rare_from = parts["memory"]
    out["memory"] = _votes(X, _Scorer(parts["svm"][0], parts["svm"][1], memory, labels,
                                      rare_from, 1.0))
    return {n: _centred(v) for n, v in out.items()}


def _votes(X: sp.csr_matrix, scorer: _Scorer) -> np.ndarray:
    """Per label, the sum over remembered texts of (similarity on rare n-grams)²."""
    similarity = _tail(X, scorer.rare_from) @ scorer._memory_t
    similarity.data **= 2
    votes: np.ndarray = (similarity @ scorer._onehot).toarray()
    return votes


def _centred(scores: np.ndarray) -> np.ndarray:
    centred: np.ndarray = scores - scores.mean(axis=1, keepdims=True)
    return centred


def _svm_weights(X: sp.csr_matrix, y: np.ndarray, n_classes: int,
                 seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest weights (features x classes); a class absent from y scores -1 (as a
    one-vs-rest model with no positive example would)."""
    model = LinearSVC(C=SVM_C, random_state=seed).fit(X, y)
    coef, intercept = model.coef_.T.astype(np.float32), model.intercept_.astype(np.float64)
    if len(model.classes_) == 2:  # liblinear gives one column for two classes: 1 vs 0
        coef = np.hstack([-coef / 2, coef / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    w = np.zeros((X.shape[1], n_classes), dtype=np.float32)
    b = np.full(n_classes, -1.0)
    w[:, model.classes_], b[model.classes_] = coef, intercept
    return w, b


def _nbsvm_weights(X: sp.csr_matrix, y: np.ndarray, n_classes: int,
                   seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Per class: w_c * r_c, with r_c the log-count ratio of binarised features."""
    binary = X.copy()
    binary.data[:] = 1.0
    total = np.asarray(binary.sum(axis=0)).ravel()
    w = np.zeros((X.shape[1], n_classes), dtype=np.float32)
    b = np.full(n_classes, -1.0)
    for c in np.unique(y):
        present = np.asarray(binary[y == c].sum(axis=0)).ravel()
        p, q = present + NB_ALPHA, total - present + NB_ALPHA
        r = np.log(p / p.sum()) - np.log(q / q.sum())
        model = LinearSVC(C=SVM_C, random_state=seed).fit(X @ sp.diags(r), y == c)
        w[:, c] = model.coef_[0] * r
        b[c] = model.intercept_[0]
    return w, b


def _tail(X: sp.csr_matrix, start: int) -> sp.csr_matrix:
    """X with only the columns from `start` on (others dropped from the rows)."""
    mask = X.indices >= start
    kept = np.zeros(len(mask) + 1, dtype=np.int64)
    np.cumsum(mask, out=kept[1:])
    return sp.csr_matrix((X.data[mask], X.indices[mask], kept[X.indptr]), shape=X.shape)


class _Calibration:
    """p = softmax(scores / T + b): temperature and per-class bias, fitted by log-loss."""

    def __init__(self, temperature: float = 1.0, bias: np.ndarray | None = None):
        self.temperature = temperature
        self.bias = bias

    def probabilities(self, scores: np.ndarray) -> np.ndarray:
        z = scores / self.temperature + (0.0 if self.bias is None else self.bias)
        probabilities: np.ndarray = np.exp(log_softmax(z, axis=1))
        return probabilities

    @classmethod
    def fit(cls, scores: np.ndarray, y: np.ndarray, with_bias: bool) -> _Calibration:
        n_classes = scores.shape[1]

        def loss(params: np.ndarray) -> float:
            t, b = np.exp(params[0]), (params[1:] if with_bias else 0.0)
            logp = log_softmax(scores / t + b, axis=1)
            penalty = 0.01 * np.sum(params[1:] ** 2) if with_bias else 0.0
            return float(-logp[np.arange(len(y)), y].mean() + penalty)

        start = np.zeros(1 + (n_classes if with_bias else 0))
        best = minimize(loss, start, method="L-BFGS-B").x
        bias = best[1:] - best[1:].mean() if with_bias else None
        return cls(float(np.exp(best[0])), bias)

    def state(self) -> dict[str, np.ndarray]:
        bias = self.bias if self.bias is not None else np.zeros(0)
        return {"temperature": np.array([self.temperature]), "bias": bias}

    @classmethod
    def from_state(cls, s: dict[str, np.ndarray]) -> _Calibration:
        return cls(float(s["temperature"][0]), s["bias"] if s["bias"].size else None)


def _splits(y: np.ndarray, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Train/test index pairs for calibration: a stratified hold-out, or k folds when small.

    Only classes with two examples or more are ever held out; the others always train.
    Empty when fewer than two classes (or too few texts) could be held out.
    """
    counts = np.bincount(y)
    holdable = np.flatnonzero(counts[y] >= 2)
    if len(np.unique(y[holdable])) < 2 or len(holdable) < 8:
        return []
    always = np.flatnonzero(counts[y] < 2)
    if len(y) >= SMALL:
        train, test = train_test_split(holdable, test_size=HOLD_OUT, stratify=y[holdable],
                                       random_state=seed)
        return [(np.concatenate([train, always]), test)]
    folds = StratifiedKFold(int(min(5, counts[counts >= 2].min())), shuffle=True,
                            random_state=seed)
    return [(np.concatenate([holdable[train], always]), holdable[test])
            for train, test in folds.split(holdable, y[holdable])]


def _calibrate(texts: list[str], y: np.ndarray, n_classes: int,
               seed: int) -> tuple[dict[str, float], _Calibration, dict[str, Any] | None]:
    """Scales and calibration from scores on unseen texts, and the held-out figures."""
    splits = _splits(y, seed)
    if not splits:
        return {n: 1.0 for n in WEIGHTS}, _Calibration(), None
    raw = {n: np.zeros((len(texts), n_classes)) for n in WEIGHTS}
    seen = np.zeros(len(texts), dtype=bool)
    for train, test in splits:
        vectoriser = CharTfidf(max_n=MAX_N, bits=BITS)
        parts = _fit_parts(vectoriser.fit_transform([texts[i] for i in train]), y[train],
                           n_classes, seed, vectoriser.rare_from(MEMORY_MAX_DF))
        for name, s in _raw_scores(parts, vectoriser.transform([texts[i] for i in test])).items():
            raw[name][test] = s
        seen[test] = True
    raw = {n: s[seen] for n, s in raw.items()}
    scale = {n: float(s.std()) or 1.0 for n, s in raw.items()}
    combined = cast(np.ndarray, sum(WEIGHTS[n] / scale[n] * raw[n] for n in WEIGHTS))
    calibration = _Calibration.fit(combined, y[seen], with_bias=seen.sum() >= BIAS_MIN)
    held = {"y": y[seen], "probs": calibration.probabilities(combined),
            "kind": "hold-out" if len(splits) == 1 else f"{len(splits)}-fold out-of-fold"}
    return scale, calibration, held


def _meta(texts: list[str], y_names: list[str], classes: list[str], seed: int,
          held: dict[str, Any] | None, user_words: Iterable[str], started: dt.datetime) -> Meta:
    import sklearn

    from .evaluate import calibration_report, metrics

    digest = hashlib.sha256(f"{FORMAT} {seed} {_settings()}\n".encode())
    for text, label in zip(texts, y_names, strict=True):
        digest.update(f"{label}\t{text}\n".encode())
    created = dt.datetime.now(dt.UTC)
    counts = Counter(y_names)
    scores: dict[str, Any] = {}
    if held is not None:
        names = np.array(classes, dtype=object)
        truth, predicted = names[held["y"]].tolist(), names[held["probs"].argmax(1)].tolist()
        scores = metrics(truth, predicted, sorted(set(truth))) | {
            "kind": held["kind"], "calibration": calibration_report(held["probs"], held["y"])}
    return {
        "format": FORMAT,
        "version": f"{created:%Y%m%d-%H%M%S}-{digest.hexdigest()[:8]}",
        "created": created.isoformat(timespec="seconds"),
        "labels": classes, "n_train": len(texts), "seed": seed,
        "class_counts": {label: counts[label] for label in classes},
        "scores": scores,
        "settings": _settings(),
        "user_words": sorted({w.strip() for w in user_words if w and w.strip()}),
        "training_seconds": round((created - started).total_seconds(), 1),
        "libraries": {"numpy": np.__version__, "scipy": _version("scipy"),
                      "scikit-learn": sklearn.__version__},
    }


def _settings() -> dict[str, Any]:
    return {"features": f"char 1-{MAX_N}-grams hashed to 2**{BITS}, sublinear tf-idf, L2",
            "weights": WEIGHTS, "svm_c": SVM_C, "nb_alpha": NB_ALPHA,
            "memory_max_df": MEMORY_MAX_DF,
            "calibration": "temperature + per-class bias (log-loss) on unseen-text scores",
            "documents": f"title+body: whole x title^{TITLE_WEIGHT}, log-linear pool"}


def _strings(texts: Iterable[object]) -> list[str]:
    return [t if isinstance(t, str) else "" if t is None else str(t) for t in texts]


def _version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

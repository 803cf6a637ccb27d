"""Scoring the classifier: metrics, calibration (reliability, ECE), cross-validation.

The JSON shape of `metrics` is the one `banshi triage-eval --json` prints:
{"macro_f1", "accuracy", "n", "per_class": {label: {"precision", "recall", "f1", "support"}}}.
"""

import time
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.metrics import accuracy_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

if TYPE_CHECKING:
    from .classify import TriageModel

Report = dict[str, Any]  # the JSON shapes described above


def metrics(truth: Sequence[str], predicted: Sequence[str],
            labels: Sequence[str] | None = None) -> Report:
    """Macro-F1 over `labels` (default: every label in truth or predictions), accuracy, n."""
    labels = sorted(set(truth) | set(predicted)) if labels is None else list(labels)
    p, r, f, s = precision_recall_fscore_support(truth, predicted, labels=labels,
                                                 zero_division=0)
    return {
        "macro_f1": round(float(np.mean(f)), 4) if len(labels) else 0.0,
        "accuracy": round(float(accuracy_score(truth, predicted)), 4) if len(truth) else 0.0,
        "n": len(truth),
        "per_class": {label: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                              "f1": round(float(f[i]), 4), "support": int(s[i])}
                      for i, label in enumerate(labels)},
    }


def calibration_report(probs: np.ndarray, y: np.ndarray, bins: int = 10) -> Report:
    """Reliability of the top probability: ECE and per-bin confidence vs accuracy."""
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == y
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    table, ece = [], 0.0
    for b in range(bins):
        inside = which == b
        if not inside.any():
            continue
        conf, acc = float(confidence[inside].mean()), float(correct[inside].mean())
        ece += inside.mean() * abs(conf - acc)
        table.append({"from": round(float(edges[b]), 2), "to": round(float(edges[b + 1]), 2),
                      "n": int(inside.sum()), "confidence": round(conf, 4),
                      "accuracy": round(acc, 4)})
    onehot = np.eye(probs.shape[1])[y]
    return {"ece": round(float(ece), 4),
            "brier": round(float(((probs - onehot) ** 2).sum(axis=1).mean()), 4),
            "reliability": table}


def evaluate_model(model: "TriageModel", texts: Sequence[str], labels: Sequence[str],
                   subsets: dict[str, list[int]] | None = None) -> Report:
    """A saved model on a labelled set: metrics, docs_per_s, calibration, per-subset F1."""
    texts, labels = list(texts), [str(v) for v in labels]
    started = time.perf_counter()
    probs = model.probabilities(texts)
    elapsed = time.perf_counter() - started
    predicted = np.array(model.labels, dtype=object)[probs.argmax(axis=1)].tolist()
    known = [model.labels.index(v) if v in model.labels else -1 for v in labels]
    result = metrics(labels, predicted, sorted(set(labels)))
    result["docs_per_s"] = round(len(texts) / elapsed) if elapsed > 0 else None
    seen = np.array(known) >= 0
    if seen.any():
        result["calibration"] = calibration_report(probs[seen], np.array(known)[seen])
    result["subsets"] = _subsets(labels, predicted, subsets)
    return result


@dataclass(frozen=True)
class Document:
    """A title+body document built from two rows of one message (`pairs.title_body_pairs`):
    scored in the fold that holds its rows, the closest a split file gets to an unseen
    appeal as the ledger stores it; `rows` are the two rows' indexes."""

    text: str
    label: str
    rows: tuple[int, ...]


def cross_validate(texts: Sequence[str], labels: Sequence[str], *, folds: int = 5,
                   seed: int = 0, groups: Sequence[Hashable] | None = None,
                   subsets: dict[str, list[int]] | None = None, n_jobs: int = 1,
                   documents: Sequence[Document] = (), model: str = "triage") -> Report:
    """Stratified k-fold CV (group-aware when `groups` is given: a group stays in one fold).

    Every fold trains a fresh TriageModel on the other folds. docs_per_s is the prediction
    throughput summed over the folds (texts predicted / time spent predicting). `documents`
    whose rows all fall in a fold's test part are scored by that fold's model (the report's
    "documents"). `model` is "triage" (classify.TriageModel) or "baseline"
    (baseline.BaselineModel). (Training on the training part's documents as well was tried:
    it changed the documents' macro-F1 by -0.001 to +0.001.)
    """
    texts, labels = list(texts), [str(v) for v in labels]
    y = np.array(labels, dtype=object)
    splits = fold_splits(labels, folds=folds, seed=seed, groups=groups)
    fold_of = np.empty(len(texts), dtype=np.int64)
    for k, (_, test) in enumerate(splits):
        fold_of[test] = k
    doc_fold = [_one_fold(fold_of, doc.rows) for doc in documents]
    work = []
    for k, (train, test) in enumerate(splits):
        scored = [d.text for d, f in zip(documents, doc_fold, strict=True) if f == k]
        work.append(([texts[i] for i in train], y[train].tolist(),
                     [texts[i] for i in test] + scored, seed, model))
    if n_jobs > 1:
        from joblib import Parallel, delayed

        outcomes = Parallel(n_jobs=n_jobs)(delayed(_fold)(*job) for job in work)
    else:
        outcomes = [_fold(*job) for job in work]
    classes = sorted(set(labels))
    probs = np.zeros((len(texts), len(classes)))
    doc_probs = np.zeros((len(documents), len(classes)))
    elapsed = 0.0
    for k, ((_, test), (fold_labels, fold_probs, seconds)) in enumerate(
            zip(splits, outcomes, strict=True)):
        columns = np.array([classes.index(label) for label in fold_labels], dtype=np.int64)
        probs[np.ix_(test, columns)] = fold_probs[:len(test)]
        mine = np.array([i for i, f in enumerate(doc_fold) if f == k], dtype=np.int64)
        doc_probs[np.ix_(mine, columns)] = fold_probs[len(test):]
        elapsed += seconds
    predicted = np.array(classes, dtype=object)[probs.argmax(axis=1)].tolist()
    result = metrics(labels, predicted, classes)
    result["docs_per_s"] = round(len(texts) / elapsed) if elapsed > 0 else None
    result["calibration"] = calibration_report(probs, np.searchsorted(classes, y))
    result["subsets"] = _subsets(labels, predicted, subsets)
    result["folds"] = folds
    result["cv"] = "group-aware stratified" if groups is not None else "stratified"
    scored_docs = [i for i, f in enumerate(doc_fold) if f is not None]
    if scored_docs:
        truth = [documents[i].label for i in scored_docs]
        guess = np.array(classes, dtype=object)[doc_probs[scored_docs].argmax(axis=1)]
        result["documents"] = metrics(truth, guess.tolist(), classes)
        result["documents"]["calibration"] = calibration_report(
            doc_probs[scored_docs], np.searchsorted(classes, np.array(truth, dtype=object)))
    return result


def fold_splits(labels: Sequence[str], *, folds: int = 5, seed: int = 0,
                groups: Sequence[Hashable] | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) index arrays of stratified k-fold, group-aware when `groups` is given."""
    y = np.array([str(v) for v in labels], dtype=object)
    if groups is None:
        return list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(y, y))
    return list(StratifiedGroupKFold(folds, shuffle=True, random_state=seed).split(y, y, groups))


def duplicate_groups(texts: Sequence[str]) -> list[int]:
    """A group id per text; identical texts share one (for group-aware CV)."""
    ids: dict[str, int] = {}
    return [ids.setdefault(text, len(ids)) for text in texts]


def _one_fold(fold_of: np.ndarray, rows: tuple[int, ...]) -> int | None:
    """The fold all of `rows` are tested in, or None when they are split (plain CV)."""
    found = {int(fold_of[r]) for r in rows}
    return found.pop() if len(found) == 1 else None


def _fold(train_texts: list[str], train_labels: list[str], test_texts: list[str],
          seed: int, kind: str) -> tuple[list[str], np.ndarray, float]:
    from .baseline import BaselineModel
    from .classify import TriageModel

    model: TriageModel | BaselineModel
    if kind == "baseline":
        model = BaselineModel.fit(train_texts, train_labels, seed=seed)
    else:
        model = TriageModel.fit(train_texts, train_labels, seed=seed)
    started = time.perf_counter()
    probs = model.probabilities(test_texts)
    return model.labels, probs, time.perf_counter() - started


def _subsets(labels: list[str], predicted: list[str],
             subsets: dict[str, list[int]] | None) -> dict[str, Report]:
    out: dict[str, Report] = {}
    for name, index in (subsets or {}).items():
        truth = [labels[i] for i in index]
        out[name] = metrics(truth, [predicted[i] for i in index], sorted(set(truth)))
        out[name].pop("per_class")
    return out

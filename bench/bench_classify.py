"""Benchmark the category classifier on one CPU core.

    .venv/bin/python bench/bench_classify.py [--data FILE] [--appeals FILE ...] [--cv] [--json]

Trains on the labelled file (default ../shared/datasets/messageboard/messages_labeled.csv),
then measures, pinned to one core with OMP/OPENBLAS/MKL threads set to 1:
- training time and model size (on disk, and the arrays in memory);
- batch throughput of `TriageModel.predict` on >= 20,000 real title+body appeals (the
  message-board exports with bodies, joined by `text.join_title_content` beforehand, as the
  ledger does), and end to end from raw title and body including that join;
- single-appeal latency of `top_k([text], 3)` (p50/p95/p99 over 2,000 calls);
- with --cv, the 5-fold CV scores and the reliability of the calibrated confidence (ECE).
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("BANSHI_SHARED_DIR") or ROOT.parent / "shared")
BOARD = SHARED / "datasets" / "messageboard"

from python_calamine import CalamineWorkbook  # noqa: E402

from banshi.triage.classify import TriageModel  # noqa: E402
from banshi.triage.datasets import read_labelled  # noqa: E402
from banshi.triage.evaluate import cross_validate  # noqa: E402
from banshi.triage.text import join_title_content  # noqa: E402


def appeals(paths: list[Path], at_least: int) -> list[tuple[str, str]]:
    """(title, body) of every message in the exports, repeated to at least `at_least`."""
    rows = []
    for path in paths:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        header = [str(c) for c in sheet[0]]
        t, c = header.index("留言主题"), header.index("留言详情")
        rows += [(str(r[t] or ""), str(r[c] or "")) for r in sheet[1:]]
    return (rows * (at_least // len(rows) + 1))[:max(at_least, len(rows))]


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=BOARD / "messages_labeled.csv")
    parser.add_argument("--appeals", type=Path, nargs="*",
                        default=[BOARD / "messages_with_replies.xlsx",
                                 BOARD / "messages_with_likes.xlsx"])
    parser.add_argument("--n", type=int, default=21000, help="appeals in the batch")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cv", action="store_true", help="also 5-fold CV and calibration")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cpu", type=int, help="the core to pin to (default: the last one)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[-1] if args.cpu is None else args.cpu})
    figures: dict = {"cpu_affinity": sorted(os.sched_getaffinity(0)),
                     "load_average": os.getloadavg()}

    dataset = read_labelled(args.data)
    texts = dataset.texts()
    started = time.perf_counter()
    model = TriageModel.fit(texts, dataset.labels, seed=0)
    figures["train_seconds"] = round(time.perf_counter() - started, 2)
    figures["n_train"] = len(texts)
    figures["held_out"] = {k: model.meta["scores"][k] for k in ("kind", "n", "macro_f1")}
    with tempfile.TemporaryDirectory() as tmp:
        model.save(tmp)
        figures["model_bytes_on_disk"] = sum(p.stat().st_size for p in Path(tmp).iterdir())
        loaded_at = time.perf_counter()
        model = TriageModel.load(tmp)
        figures["load_seconds"] = round(time.perf_counter() - loaded_at, 3)
    figures["model_bytes_in_memory"] = model_bytes(model)

    raw = appeals(args.appeals, args.n)
    batch = [join_title_content(t, c) for t, c in raw]
    figures["batch_docs"] = len(batch)
    figures["batch_mean_chars"] = round(statistics.mean(len(t) for t in batch), 1)
    model.predict(batch[:1000])  # warm up
    runs = timed(lambda: model.predict(batch), args.repeat)
    figures["batch_docs_per_s"] = {"median": round(len(batch) / statistics.median(runs)),
                                   "best": round(len(batch) / min(runs))}
    runs = timed(lambda: model.predict([join_title_content(t, c) for t, c in raw]), args.repeat)
    figures["end_to_end_docs_per_s"] = {"median": round(len(raw) / statistics.median(runs)),
                                        "best": round(len(raw) / min(runs))}
    short = texts[: args.n]
    runs = timed(lambda: model.predict(short), args.repeat)
    figures["labelled_file_docs_per_s"] = {
        "docs": len(short), "mean_chars": round(statistics.mean(len(t) for t in short), 1),
        "median": round(len(short) / statistics.median(runs))}

    single = [timed(lambda t=t: model.top_k([t], k=3), 1)[0] for t in batch[:2000]]
    single.sort()
    figures["single_top3_ms"] = {q: round(1000 * single[int(p * (len(single) - 1))], 3)
                                 for q, p in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))}
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    if args.cv:
        cv = cross_validate(texts, dataset.labels, folds=5, seed=0, subsets=dataset.subsets())
        figures["cv"] = {k: cv[k] for k in ("macro_f1", "accuracy", "n", "docs_per_s")}
        figures["cv"]["min_class_f1"] = min(r["f1"] for r in cv["per_class"].values())
        figures["cv"]["per_class"] = cv["per_class"]
        figures["cv"]["subsets"] = cv["subsets"]
        figures["calibration"] = cv["calibration"]
    print(json.dumps(figures, ensure_ascii=False, indent=None if args.json else 1))


def model_bytes(model: TriageModel) -> int:
    """Bytes of the numpy/scipy arrays a loaded model holds."""
    import numpy as np
    import scipy.sparse as sp

    seen, total = set(), 0
    for part in (model.vectoriser, model.scorer, model.calibration):
        for value in vars(part).values():
            arrays = ([value.data, value.indices, value.indptr] if sp.issparse(value)
                      else [value] if isinstance(value, np.ndarray) else [])
            for array in arrays:
                if id(array) not in seen:
                    seen.add(id(array))
                    total += array.nbytes
    return total


if __name__ == "__main__":
    main()

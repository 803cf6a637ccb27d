"""The classifier on messages it never saw, labelled by the department that answered them.

    .venv/bin/python bench/eval_replies.py [--data FILE] [--replies FILE] [--json]

Trains the project's classifier and the plain baseline (banshi/triage/baseline.py) on the
labelled file, then scores both on the messages of `messages_with_replies.xlsx` (title and
body joined as the ledger stores appeals) whose answer names departments of one category
(banshi/triage/replies.py says how, and why this understates the classifier), after dropping
every message whose title or body the labelled file holds.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("BANSHI_SHARED_DIR") or ROOT.parent / "shared")
BOARD = SHARED / "datasets" / "messageboard"

from python_calamine import CalamineWorkbook  # noqa: E402

from banshi.triage.baseline import BaselineModel  # noqa: E402
from banshi.triage.classify import TriageModel  # noqa: E402
from banshi.triage.datasets import read_labelled  # noqa: E402
from banshi.triage.evaluate import metrics  # noqa: E402
from banshi.triage.replies import labelled_by_answer, unseen  # noqa: E402
from banshi.triage.text import join_title_content  # noqa: E402


def read_replies(path: Path) -> list[tuple[str, str, str]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    header = [str(c).strip() for c in rows[0]]
    title, body, reply = (header.index(name) for name in ("留言主题", "留言详情", "答复意见"))
    return [(str(r[title] or ""), str(r[body] or ""), str(r[reply] or "")) for r in rows[1:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=BOARD / "messages_labeled.csv")
    parser.add_argument("--replies", type=Path, default=BOARD / "messages_with_replies.xlsx")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    dataset = read_labelled(args.data)
    rows = read_replies(args.replies)
    answered = labelled_by_answer(rows)
    items = unseen(answered, dataset.texts())
    texts = [join_title_content(item.title, item.body) for item in items]
    truth = [item.label for item in items]
    result = {"messages": len(rows), "labelled_by_answer": len(answered),
              "seen_in_training": len(answered) - len(items), "scored": len(items)}
    for name, kind in (("model", TriageModel), ("baseline", BaselineModel)):
        model = kind.fit(dataset.texts(), dataset.labels, seed=0)
        probabilities = model.probabilities(texts)
        predicted = [model.labels[i] for i in probabilities.argmax(axis=1)]
        result[name] = metrics(truth, predicted, sorted(set(dataset.labels)))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"{result['messages']} messages, {result['labelled_by_answer']} labelled by their "
          f"answer, {result['seen_in_training']} dropped as seen in training, "
          f"{result['scored']} scored")
    print(f"{'class':<14}{'support':>8}{'model F1':>10}{'baseline F1':>13}")
    for label, row in result["model"]["per_class"].items():
        base = result["baseline"]["per_class"][label]["f1"]
        print(f"{label:<14}{row['support']:>8}{row['f1']:>10.3f}{base:>13.3f}")
    for name in ("model", "baseline"):
        print(f"{name}: macro-F1 {result[name]['macro_f1']:.4f}, "
              f"accuracy {result[name]['accuracy']:.4f}")


if __name__ == "__main__":
    main()

"""What `banshi triage-train` and `banshi triage-eval` do, without Django.

The management commands are thin wrappers: they parse arguments, pick the default model
directory from the settings and print what these functions return.
"""

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .datasets import Labelled, read_labelled
from .evaluate import Document, Report, cross_validate, duplicate_groups, evaluate_model
from .pairs import Match, message_groups, title_body_pairs, title_matches
from .text import join_title_content

if TYPE_CHECKING:
    from .classify import TriageModel

SUBSET_NAMES = {"title_only": "仅标题 title only", "content_only": "仅正文 body only",
                "title_and_content": "标题+正文 title+body"}


def train_file(data: str | Path, *, seed: int = 0) -> tuple["TriageModel", int]:
    """A TriageModel trained on a labelled file, and the number of skipped rows."""
    from .classify import TriageModel

    dataset = read_labelled(data)
    if len(set(dataset.labels)) < 2:
        raise ValueError(f"{Path(data).name}：至少需要两个类别的标注数据")
    model = TriageModel.fit(dataset.texts(), dataset.labels, seed=seed)
    model.meta["data_source"] = Path(data).name
    return model, len(dataset.skipped)


def train_summary(model: "TriageModel", directory: Path, skipped: int) -> str:
    scores = model.meta.get("scores") or {}
    lines = [f"模型版本 version {model.version}",
             f"训练样本 n_train {model.meta['n_train']}（跳过 skipped {skipped} 行）",
             f"类别 labels {len(model.labels)}：{'、'.join(model.labels)}"]
    if scores:
        lines.append(f"留出评估 held-out ({scores['kind']}, n={scores['n']})："
                     f"宏F1 macro-F1 {scores['macro_f1']:.4f}，准确率 accuracy "
                     f"{scores['accuracy']:.4f}，ECE {scores['calibration']['ece']:.4f}")
    else:
        lines.append("留出评估 held-out：样本太少，未评估 (too few examples)")
    lines.append(f"已保存 saved to {directory}")
    return "\n".join(lines)


PROTOCOLS = ("messages", "duplicates", "plain")


def pair_documents(dataset: Labelled, matches: list[Match] | None = None) -> list[Document]:
    """The title+body documents of the file's surest title/body pairs with one label."""
    return [Document(join_title_content(dataset.titles[t], dataset.contents[b]),
                     dataset.labels[t], (t, b))
            for t, b in title_body_pairs(dataset.titles, dataset.contents, matches)
            if dataset.labels[t] == dataset.labels[b]]


def evaluate_file(data: str | Path, *, model_dir: str | Path | None = None, folds: int = 5,
                  seed: int = 0, protocol: str = "messages", jobs: int = 1,
                  baseline: bool = False) -> Report:
    """Cross-validation on the file, or a saved model scored on it.

    Protocols: "messages" (the default) keeps a message's title row and body row, and
    identical texts, in one fold and also scores the title+body documents of the pairs;
    "duplicates" keeps only identical texts together; "plain" is stratified k-fold.
    With `baseline`, the plain baseline (`baseline.py`) is cross-validated in the same folds
    too and its report is under "baseline".
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f"未知的评估方式：{protocol}（可选 {'、'.join(PROTOCOLS)}）")
    dataset = read_labelled(data)
    texts = dataset.texts()
    if model_dir is not None:
        from .classify import TriageModel

        model = TriageModel.load(model_dir)
        result = evaluate_model(model, texts, dataset.labels, dataset.subsets())
        result["model"] = model.version
    else:
        matches = title_matches(dataset.titles, dataset.contents)
        groups = (message_groups(dataset.titles, dataset.contents, matches)
                  if protocol == "messages"
                  else duplicate_groups(texts) if protocol == "duplicates" else None)
        documents = pair_documents(dataset, matches)
        result = cross_validate(texts, dataset.labels, folds=folds, seed=seed, groups=groups,
                                subsets=dataset.subsets(), n_jobs=jobs, documents=documents)
        if baseline:
            result["baseline"] = cross_validate(
                texts, dataset.labels, folds=folds, seed=seed, groups=groups,
                subsets=dataset.subsets(), n_jobs=jobs, documents=documents, model="baseline")
        result["protocol"] = protocol
    result["data"] = Path(data).name
    result["skipped_rows"] = len(dataset.skipped)
    return result


def as_json(result: Report) -> str:
    """One JSON object: the fields the issue names first, then the extras."""
    keys = ["macro_f1", "accuracy", "n", "per_class", "docs_per_s"]
    ordered = {k: result[k] for k in keys} | {
        k: v for k, v in result.items() if k not in keys and k != "calibration"}
    if "calibration" in result:
        ordered["ece"] = result["calibration"]["ece"]
    return json.dumps(ordered, ensure_ascii=False)


PROTOCOL_NAMES = {"messages": "同一留言的标题行与正文行、相同文本在同一折",
                  "duplicates": "相同文本在同一折", "plain": "普通分层"}


def as_table(result: Report) -> str:
    """The per-class table; under cross-validation the title+body documents lead, with the
    baseline's F1 beside each class when it ran."""
    if "model" in result:
        lines = [f"模型 {result['model']} 在 {result['data']} 上的评估 (saved model on file)", ""]
    else:
        protocol = result.get("protocol", "plain")
        lines = [f"{result['data']}：{result['folds']} 折交叉验证，"
                 f"{PROTOCOL_NAMES.get(protocol, protocol)} ({result['cv']}, {protocol})", ""]
    base = result.get("baseline") or {}
    if "documents" in result:
        docs = result["documents"]
        lines += [f"标题+正文文档 title+body documents（同一留言的标题行与正文行拼成，"
                  f"{docs['n']} 份，最接近未见过的诉求）：",
                  *_class_table(docs, (base.get("documents") or {}).get("per_class")),
                  f"置信度校准 calibration: ECE {docs['calibration']['ece']:.4f}", "",
                  "单行 rows（仅标题或仅正文）："]
    lines += _class_table(result, base.get("per_class"))
    lines.append(f"预测速度 {result['docs_per_s'] or 0:,} docs/s")
    for name, sub in result.get("subsets", {}).items():
        lines.append(f"  {SUBSET_NAMES.get(name, name)}: 宏F1 {sub['macro_f1']:.4f}，"
                     f"准确率 {sub['accuracy']:.4f} (n={sub['n']})")
    if "calibration" in result:
        cal = result["calibration"]
        lines.append(f"置信度校准 calibration: ECE {cal['ece']:.4f}, Brier {cal['brier']:.4f}")
    if result.get("skipped_rows"):
        lines.append(f"跳过无标签或无文本的行 skipped rows: {result['skipped_rows']}")
    return "\n".join(lines)


def _class_table(report: Report, baseline: dict[str, Report] | None = None) -> list[str]:
    width = max([_width(label) for label in report["per_class"]] + [10]) + 2
    names = ["精确率 P", "召回率 R", "F1", "样本数 n"] + (["基线 F1"] if baseline else [])
    rule = "-" * (width + 11 * len(names))
    lines = [_pad("类别 label", width) + "".join(_right(n, 11) for n in names), rule]
    for label, row in report["per_class"].items():
        line = (f"{_pad(label, width)}{row['precision']:>11.4f}{row['recall']:>11.4f}"
                f"{row['f1']:>11.4f}{row['support']:>11}")
        if baseline:
            line += f"{baseline.get(label, {}).get('f1', 0.0):>11.4f}"
        lines.append(line)
    total = (f"宏F1 macro-F1 {report['macro_f1']:.4f}   准确率 accuracy {report['accuracy']:.4f}"
             f"   样本 n {report['n']}")
    if baseline:
        macro = float(np.mean([row["f1"] for row in baseline.values()]))
        total += f"   基线宏F1 baseline {macro:.4f}"
    return [*lines, rule, total]


def _width(text: str) -> int:
    """Terminal columns: a CJK character is two wide."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _right(text: str, width: int) -> str:
    return " " * max(0, width - _width(text)) + text

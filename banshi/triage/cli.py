"""What `banshi triage-train` and `banshi triage-eval` do, without Django.

The management commands are thin wrappers: they parse arguments, pick the default model
directory from the settings and print what these functions return.
"""

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .datasets import read_labelled
from .evaluate import Report, cross_validate, duplicate_groups, evaluate_model

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


def evaluate_file(data: str | Path, *, model_dir: str | Path | None = None, folds: int = 5,
                  seed: int = 0, group_duplicates: bool = False, jobs: int = 1) -> Report:
    """Cross-validation on the file, or a saved model scored on it."""
    dataset = read_labelled(data)
    texts = dataset.texts()
    if model_dir is not None:
        from .classify import TriageModel

        model = TriageModel.load(model_dir)
        result = evaluate_model(model, texts, dataset.labels, dataset.subsets())
        result["model"] = model.version
    else:
        groups = duplicate_groups(texts) if group_duplicates else None
        result = cross_validate(texts, dataset.labels, folds=folds, seed=seed, groups=groups,
                                subsets=dataset.subsets(), n_jobs=jobs)
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


def as_table(result: Report) -> str:
    if "model" in result:
        head = f"模型 {result['model']} 在 {result['data']} 上的评估 (saved model on file)"
    else:
        kind = "按重复文本分组的" if result.get("cv", "").startswith("group") else ""
        head = (f"{result['data']}：{result['folds']} 折{kind}分层交叉验证 "
                f"({result['cv']} {result['folds']}-fold CV)")
    width = max([_width(label) for label in result["per_class"]] + [10]) + 2
    columns = "".join(_right(name, 11) for name in ("精确率 P", "召回率 R", "F1", "样本数 n"))
    lines = [head, "", _pad("类别 label", width) + columns, "-" * (width + 44)]
    for label, row in result["per_class"].items():
        lines.append(f"{_pad(label, width)}{row['precision']:>11.4f}{row['recall']:>11.4f}"
                     f"{row['f1']:>11.4f}{row['support']:>11}")
    lines += ["-" * (width + 44),
              f"宏F1 macro-F1 {result['macro_f1']:.4f}   准确率 accuracy {result['accuracy']:.4f}"
              f"   样本 n {result['n']}   预测速度 {result['docs_per_s'] or 0:,} docs/s"]
    for name, sub in result.get("subsets", {}).items():
        lines.append(f"  {SUBSET_NAMES.get(name, name)}: 宏F1 {sub['macro_f1']:.4f}，"
                     f"准确率 {sub['accuracy']:.4f} (n={sub['n']})")
    if "calibration" in result:
        cal = result["calibration"]
        lines.append(f"置信度校准 calibration: ECE {cal['ece']:.4f}, Brier {cal['brier']:.4f}")
    if result.get("skipped_rows"):
        lines.append(f"跳过无标签或无文本的行 skipped rows: {result['skipped_rows']}")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Terminal columns: a CJK character is two wide."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _right(text: str, width: int) -> str:
    return " " * max(0, width - _width(text)) + text

"""Learning from the ledger: training data, model versions, and which version is active.

Training data are the appeals whose category a person confirmed (the dispatcher's dispatch
or an explicit human triage), plus an optional seed file (csv/xlsx: title, content, label,
or the message-board columns 留言主题, 留言详情, 一级标签).

Held-out set. Every example has a fixed place: it is held out when the hash of its key (the
appeal number, or the text of a seed row) falls in the lowest fifth of the hash range. The
split is stratified in expectation (a class that would have no held-out example gives its
lowest-hash one), and it does not move as the ledger grows, so no version has trained on the
examples a later version is judged on. That keeps the comparison with the active version
fair; it is also why versions are not refitted on all data afterwards: the stored score is
the score of the saved model. The ledger's held-out part is the yardstick as soon as it has
`MIN_LEDGER_EVAL` examples of two classes or more (the district's own confirmed appeals are
what the model faces; a seed file from elsewhere may be labelled differently, and its rows
then all go to training); before that, the held-out part of everything, seed rows included.

Deeper models (level 2 and 3, labels are category path names) are trained when at least
`MIN_PER_CLASS` confirmed examples exist for two classes or more; only those classes are used.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from banshi.org.models import Region, Unit
from banshi.triage.text import join_title_content

from ..choices import Action, State, TriageSource
from ..models import Appeal, TriageModelVersion

log = logging.getLogger(__name__)

HELD_OUT = 0.2
MIN_PER_CLASS = 30
MIN_LEDGER_EVAL = 5
LEVELS = (1, 2, 3)


class TrainingError(Exception):
    """Not enough data to train, or a seed file that cannot be read."""


@dataclass(frozen=True)
class Example:
    key: str
    text: str
    labels: tuple  # (level-1 name, level-2 path, level-3 path), None where unknown
    source: str  # "ledger" or "seed"

    @property
    def held_out(self) -> bool:
        digest = hashlib.sha256(self.key.encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64 < HELD_OUT


@dataclass
class Outcome:
    """What train_and_register did: the new version and whether it became active."""

    version: TriageModelVersion
    activated: bool
    active_before: str | None
    active_score: float | None


def confirmed_appeals():
    """Appeals whose category a person set: triage_source human, or a person dispatched it."""
    by_person = Appeal.objects.filter(events__action=Action.DISPATCH,
                                      events__actor__isnull=False).values("pk")
    return (Appeal.objects.filter(category__isnull=False).exclude(state=State.INVALID)
            .exclude(triage_source=TriageSource.AUTO)
            .filter(Q(triage_source=TriageSource.HUMAN) | Q(pk__in=by_person))
            .select_related("category__parent__parent").order_by("pk"))


def ledger_training_data() -> list[Example]:
    """One example per confirmed appeal, labelled with its category path."""
    examples = []
    for appeal in confirmed_appeals().iterator(chunk_size=2000):
        chain = appeal.category.lineage()
        labels = (chain[0].name, *(c.path_name for c in chain[1:]))
        examples.append(Example(f"appeal:{appeal.number}",
                                join_title_content(appeal.title, appeal.content),
                                (labels + (None, None))[:3], "ledger"))
    return examples


def seed_training_data(path: str | Path) -> list[Example]:
    """Level-1 examples from a csv/xlsx seed file (banshi.triage.datasets reads it)."""
    from banshi.triage.datasets import DatasetError, read_labelled

    try:
        rows = read_labelled(path)
    except DatasetError as exc:
        raise TrainingError(exc.message) from exc
    examples = []
    for text, label in zip(rows.texts(), rows.labels, strict=True):
        if text:
            key = "seed:" + hashlib.sha256(f"{text}\n{label}".encode()).hexdigest()
            examples.append(Example(key, text, (label, None, None), "seed"))
    return examples


def split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """(train, held-out) by the fixed hash partition; see the module docstring."""
    held = [e for e in examples if e.held_out]
    pool = examples
    ledger_held = [e for e in held if e.source == "ledger"]
    if len(ledger_held) >= MIN_LEDGER_EVAL and len({e.labels[0] for e in ledger_held}) > 1:
        held, pool = ledger_held, [e for e in examples if e.source == "ledger"]
    covered = {e.labels[0] for e in held}
    by_class: dict[str, list[Example]] = {}
    for e in pool:
        by_class.setdefault(e.labels[0], []).append(e)
    for label, members in sorted(by_class.items()):
        if label not in covered and len(members) >= 2:
            held.append(min(members, key=lambda e: hashlib.sha256(e.key.encode()).digest()))
    keys = {e.key for e in held}
    return [e for e in examples if e.key not in keys], held


def evaluate(model, examples: list[Example], level: int = 1) -> dict:
    """Macro-F1 (over the classes in `examples`), accuracy and per-class scores at `level`."""
    from banshi.triage.evaluate import metrics

    truth = [e.labels[level - 1] for e in examples]
    predicted = [str(p) for p in model.predict([e.text for e in examples])]
    return metrics(truth, predicted, labels=sorted(set(truth)))


def level_data(examples: list[Example], level: int) -> list[Example]:
    """Examples of the classes with enough examples at `level` (all of them at level 1)."""
    labelled = [e for e in examples if e.labels[level - 1]]
    if level == 1:
        return labelled
    counts: dict[str, int] = {}
    for e in labelled:
        counts[e.labels[level - 1]] = counts.get(e.labels[level - 1], 0) + 1
    keep = {label for label, n in counts.items() if n >= MIN_PER_CLASS}
    return [e for e in labelled if e.labels[level - 1] in keep] if len(keep) > 1 else []


def user_words() -> list[str]:
    """The district's place and unit names, for the tokenizer's user dictionary."""
    names = set(Region.objects.values_list("name", flat=True))
    names |= set(Unit.objects.values_list("name", flat=True))
    return sorted(n for n in names if n)


def _fit_levels(train, held, seed: int, directory: Path, scores: dict) -> None:
    from banshi.triage.classify import TriageModel

    words = user_words()
    for level in LEVELS:
        data = level_data(train, level)
        if not data or len({e.labels[level - 1] for e in data}) < 2:
            if level == 1:
                raise TrainingError("训练数据不足：至少需要两个分类的人工确认诉求")
            continue
        model = TriageModel.fit([e.text for e in data], [e.labels[level - 1] for e in data],
                                seed=seed, user_words=words)
        model.save(directory if level == 1 else directory / f"level{level}")
        # Level 1 is judged on the whole held-out set (as the active version is); deeper
        # levels on the held-out examples of the classes they know.
        known = set(model.labels)
        test = held if level == 1 else [e for e in held if e.labels[level - 1] in known]
        scores[f"level{level}"] = (evaluate(model, test, level) if test else {"n": 0}) | {
            "n_train": len(data)}


def score_active(held: list[Example]) -> tuple[TriageModelVersion | None, float | None]:
    """The active version and its macro-F1 on `held` (None if it cannot be loaded)."""
    from banshi.triage.classify import TriageModel

    active = TriageModelVersion.objects.filter(is_active=True).first()
    if active is None:
        return None, None
    try:
        model = TriageModel.load(Path(active.path))
    except (OSError, ValueError) as exc:
        log.warning("active triage model %s cannot be loaded: %s", active.version, exc)
        return active, None
    return active, evaluate(model, held)["macro_f1"]


def new_version_name() -> str:
    return f"{timezone.localtime():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def _describe(examples: list[Example], seed_file) -> str:
    ledger = sum(e.source == "ledger" for e in examples)
    text = f"台账 {ledger} 条"
    if seed_file:
        text += f" + {Path(seed_file).name} {len(examples) - ledger} 条"
    return text[:200]


def train_and_register(seed_file=None, out_dir=None, seed: int = 0) -> Outcome:
    """Train a new version on the ledger (+ seed file), keep it, activate it if not worse.

    The version is saved in `out_dir`, by default DATA_DIR/models/triage/<version>.
    """
    examples = ledger_training_data()
    if seed_file:
        examples += seed_training_data(seed_file)
    if len({e.labels[0] for e in examples}) < 2:
        raise TrainingError(
            f"训练数据不足：至少需要两个分类的人工确认诉求(现有 {len(examples)} 条)")
    train, held = split(examples)
    if not held:
        raise TrainingError("训练数据不足：无法留出评估集")
    version = new_version_name()
    directory = (Path(out_dir) if out_dir
                 else Path(settings.DATA_DIR) / "models" / "triage" / version)
    scores: dict = {"held_out": "ledger" if all(e.source == "ledger" for e in held)
                    else "all", "seed": seed}
    _fit_levels(train, held, seed, directory, scores)
    new_score = scores["level1"]["macro_f1"]
    active, active_score = score_active(held)
    if active is not None:
        scores["active_on_held_out"] = {"version": active.version, "macro_f1": active_score}
    better = active is None or active_score is None or new_score >= active_score
    row = TriageModelVersion.objects.create(
        version=version, path=str(directory.resolve()), n_train=len(train),
        macro_f1=new_score, accuracy=scores["level1"]["accuracy"], scores=scores,
        data_source=_describe(examples, seed_file),
        note=_verdict(new_score, active, active_score, better, len(held)),
    )
    if better:
        activate(row, force=True)
    return Outcome(row, better, active.version if active else None, active_score)


def _verdict(new_score, active, active_score, better, n_held) -> str:
    mine = f"留出集({n_held} 条)宏F1 {new_score:.4f}"
    if active is None:
        return f"{mine}；此前无启用版本，已启用"
    if active_score is None:
        return f"{mine}；当前版本 {active.version} 无法加载，已启用"
    theirs = f"当前版本 {active.version} 在同一留出集上为 {active_score:.4f}"
    if better:
        return f"{mine} ≥ {theirs}，已启用"
    return f"{mine} < {theirs}，未启用(保留备查)"


class ActivationRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def activate(row: TriageModelVersion, *, force: bool = False) -> TriageModelVersion:
    """Make `row` the active version.

    Without `force` the same rule as training applies: both versions are scored on the
    ledger's current held-out set and `row` must not score lower.
    """
    if not Path(row.path).is_dir():
        raise ActivationRefused(f"版本 {row.version} 的模型目录不存在：{row.path}")
    if not force and not row.is_active:
        _check_not_worse(row)
    with transaction.atomic():
        TriageModelVersion.objects.select_for_update().filter(is_active=True).exclude(
            pk=row.pk).update(is_active=False)
        row.is_active = True
        row.activated_at = timezone.now()
        row.save(update_fields=["is_active", "activated_at"])
    return row


def _check_not_worse(row: TriageModelVersion) -> None:
    from banshi.triage.classify import TriageModel

    active = TriageModelVersion.objects.filter(is_active=True).first()
    if active is None:
        return
    _train, held = split(ledger_training_data())
    if held:
        mine = evaluate(TriageModel.load(Path(row.path)), held)["macro_f1"]
        _, theirs = score_active(held)
        basis = f"当前台账留出集({len(held)} 条)"
    else:
        mine, theirs, basis = row.macro_f1, active.macro_f1, "训练时记录的留出集"
    if theirs is not None and (mine is None or mine < theirs):
        raise ActivationRefused(
            f"版本 {row.version} 在{basis}上的宏F1 {mine or 0:.4f} 低于当前版本 "
            f"{active.version} 的 {theirs:.4f}，未启用；如确需启用请强制启用")

"""A second check of the classifier: messages it never saw, labelled by who answered them.

`messages_with_replies.xlsx` holds 2,816 messages of the same board with their title and
body and the government's answer, but no category. The answer names the department that
handled the message ("A市教育局", "A3区住房和城乡建设局" …); where it names departments of
exactly one of the seven first-level categories, that category is the message's label
(`answering_label`). The label is the department's, not a reader's: a 城管 answer to a
noise complaint counts as 城乡建设 although the labelled file files noise under 环境保护, so
this check understates the classifier; it is a check that nobody tuned on, not a headline.

Messages whose title or body the training file holds (the same board: some messages are in
both) are dropped before scoring (`unseen`).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from .text import normalise

# Departments by the first-level category whose appeals they handle (city and district).
# Not every department says the category: the board files 公交 and 地铁 under 城乡建设 (91
# and 33 of the labelled rows naming them) and 交警 under 政法, so a 公交 company's, a metro
# company's or the traffic police's answer gives no label.
DEPARTMENTS = {
    "城乡建设": r"住房和城乡建设|住建局|住建委|自然资源和规划|规划局|城市管理|城管|房产|不动产|"
                r"物业管理|征收",
    "环境保护": r"生态环境|环保局|环境保护局",
    "交通运输": r"交通运输局|交通局|道路运输|运管",
    "教育文体": r"教育局|体育局|文化旅游|文旅|文体",
    "劳动和社会保障": r"人力资源和社会保障|人社局|社会保险|社保|医疗保障局|医保局|退役军人事务",
    "卫生计生": r"卫生健康|卫健|卫生局|计生|疾控",
    "商贸旅游": r"商务局|市场监督|市场监管|工商",
}
_DEPARTMENT = {label: re.compile(pattern) for label, pattern in DEPARTMENTS.items()}
REPLY_HEAD = 400  # characters of the answer read: it names the answering department first
TITLE_SEEN = 0.8  # share of a title's bigrams in one training row: seen
BODY_SEEN = 0.5  # share of a body's bigrams in one training row: seen


def answering_label(reply: str) -> str | None:
    """The category of the departments the answer names, when they are of one category."""
    head = normalise(reply)[:REPLY_HEAD]
    found = [label for label, pattern in _DEPARTMENT.items() if pattern.search(head)]
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True, slots=True)
class Answered:
    """A message of the replies file with the label its answer gives."""

    title: str
    body: str
    label: str


def labelled_by_answer(rows: Sequence[tuple[str, str, str]]) -> list[Answered]:
    """(title, body, answer) rows → those whose answer gives one category."""
    result = []
    for title, body, reply in rows:
        label = answering_label(reply)
        if label and (title.strip() or body.strip()):
            result.append(Answered(title, body, label))
    return result


def unseen(items: Sequence[Answered], training: Sequence[str]) -> list[Answered]:
    """The items no training row holds: a title sharing ≥ TITLE_SEEN of its character
    bigrams with one training row, or a body ≥ BODY_SEEN, makes the item seen."""
    if not items:
        return []
    grams = CountVectorizer(analyzer="char", ngram_range=(2, 2), binary=True,
                            lowercase=False, dtype=np.float32)
    train = grams.fit_transform([normalise(t) for t in training])
    keep = np.ones(len(items), dtype=bool)
    for part, bar in (("title", TITLE_SEEN), ("body", BODY_SEEN)):
        texts = [normalise(getattr(item, part)) for item in items]
        matrix = grams.transform(texts)
        sizes = np.asarray(matrix.sum(axis=1)).ravel()
        for low in range(0, len(texts), 512):
            shared = (matrix[low:low + 512] @ train.T).max(axis=1).toarray().ravel()
            share = np.divide(shared, sizes[low:low + 512],
                              out=np.zeros_like(shared), where=sizes[low:low + 512] > 0)
            keep[low:low + 512] &= share < bar
    return [item for item, kept in zip(items, keep, strict=True) if kept]

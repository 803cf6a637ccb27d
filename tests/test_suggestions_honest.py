"""Suggestions that do not claim more than the model knows: classes with too few confirmed
examples are not suggested (and the case page says the rule), confidence is tempered by the
training-set size and never shown as 100% or 0%."""

import csv
from pathlib import Path

import numpy as np
import pytest
from django.http import HttpRequest
from django.urls import reverse

from banshi.appeals.learning import suggest
from banshi.appeals.learning.triage import record_suggestion
from banshi.triage.classify import TriageModel, temper

from .factories import PASSWORD, submitted

FIXTURE = Path(__file__).parent / "fixtures" / "triage_small.csv"


@pytest.fixture(scope="module")
def small_model() -> tuple[TriageModel, list[str]]:
    """A model trained on 60 texts (4 classes of 15): the size of a young district's ledger."""
    with open(FIXTURE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    texts = [f"{r['title']}。{r['content']}" for r in rows]
    return TriageModel.fit(texts, [r["label"] for r in rows], seed=0), texts


def test_a_small_model_never_says_99_percent(small_model):
    model, texts = small_model
    raw, tempered = model.probabilities(texts), model.tempered(texts)
    assert raw.max() > 0.99  # what the calibration alone says of texts it has learnt
    assert tempered.max() <= (60 + 1) / (60 + 4) < 0.99
    assert tempered.min() >= 1 / (60 + 4) > 0
    assert np.allclose(tempered.sum(axis=1), 1.0)
    assert (tempered.argmax(axis=1) == raw.argmax(axis=1)).all()  # the order is kept
    assert model.class_counts() == {"交通运输": 15, "劳动和社会保障": 15, "卫生计生": 15,
                                    "教育文体": 15}


def test_tempering_fades_as_the_evidence_grows():
    sure = np.array([[1.0, 0.0, 0.0]])
    assert temper(sure, 71)[0, 0] == pytest.approx(72 / 74)
    assert temper(sure, 10_000)[0, 0] > 0.999
    assert temper(sure, 0)[0] == pytest.approx([1 / 3] * 3)  # no evidence, no opinion


@pytest.mark.parametrize(("p", "shown"), [(1.0, "99%"), (0.9999, "99%"), (0.873, "87%"),
                                          (0.004, "<1%"), (0.0, "<1%"), (None, "")])
def test_confidence_is_never_shown_as_certain_or_impossible(p, shown):
    assert suggest.confidence_text(p) == shown


def test_only_classes_with_enough_confirmed_examples_are_suggested(small_model, settings):
    model, _ = small_model
    text = "12路公交车早高峰到站不停，站台等半小时也上不去车"
    settings.BANSHI_TRIAGE_MIN_EXAMPLES = 15
    assert suggest.ranked_labels(model, text)[0][0] == "交通运输"
    settings.BANSHI_TRIAGE_MIN_EXAMPLES = 16  # every class has 15: none is suggested
    assert suggest.ranked_labels(model, text) == []
    model.meta["class_counts"]["交通运输"] = 3
    settings.BANSHI_TRIAGE_MIN_EXAMPLES = 10
    labels = [label for label, _ in suggest.ranked_labels(model, text)]
    assert "交通运输" not in labels
    model.meta["class_counts"]["交通运输"] = 15
    assert all(p >= suggest.SHOWN_FLOOR for _, p in suggest.ranked_labels(model, text))


def test_the_case_page_states_the_rule_and_tempered_chips(client, d):
    appeal = submitted(d, title="百花路路灯不亮", content="百花路路灯一到晚上就不亮")
    record_suggestion(appeal, {
        "model": "v1", "n_train": 71, "min_examples": 10,
        "categories": [{"code": d.cat_city.code, "name": d.cat_city.name,
                        "path": d.cat_city.name, "p": 1.0},
                       {"code": d.cat_env.code, "name": d.cat_env.name,
                        "path": d.cat_env.name, "p": 0.0}],
        "units": []})
    assert client.login(request=HttpRequest(), username=d.dispatcher.username,
                        password=PASSWORD)
    html = client.get(reverse("web:case", args=[appeal.number])).content.decode()
    assert "分类建议仅在该类已有不少于10件已确认诉求时显示" in html
    assert "按模型的训练样本数（71件）折算" in html
    assert f"{d.cat_city.name} 99%" in html and f"{d.cat_env.name} &lt;1%" in html
    assert "100%" not in html and " 0%" not in html

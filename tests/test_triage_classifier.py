"""The category classifier: reading labelled files, training, calibrated top-k, save/load,
determinism, the triage-train / triage-eval commands, and the accuracy bar on the public
message-board data (skipped when ../shared is absent).

The small fixture is the project's own: tests/fixtures/triage_small.csv, 15 short appeals for
each of 4 first-level classes, some with only a title or only a body.
"""

import csv
import json
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from banshi.triage.classify import TriageModel
from banshi.triage.cli import evaluate_file
from banshi.triage.datasets import DatasetError, read_labelled
from banshi.triage.evaluate import cross_validate
from banshi.triage.text import join_title_content

from .datasets import messageboard

FIXTURE = Path(__file__).parent / "fixtures" / "triage_small.csv"
LABELS = ["交通运输", "劳动和社会保障", "卫生计生", "教育文体"]
# Appeals the model never saw, one or two per class.
UNSEEN = [
    (("公交站台没有遮雨棚", "下雨天在公交站等车全身淋湿，希望公交站台加装雨棚。"), "交通运输"),
    (("出租车司机绕路", "坐出租车从火车站到医院，司机故意绕路多收了二十元车费。"), "交通运输"),
    (("学校强制订购教辅", "孩子所在小学要求每个学生购买指定教辅资料。"), "教育文体"),
    (("幼儿园收费太高", "民办幼儿园一学期学费八千元，普通家庭负担不起。"), "教育文体"),
    (("医院看病排队太久", "去医院看门诊挂号、缴费、拿药每一步都要排长队。"), "卫生计生"),
    (("卫生院没有医生值班", "晚上孩子发烧去乡镇卫生院，没有医生值班。"), "卫生计生"),
    (("工厂拖欠工资", "在工厂上班三个月，老板一直拖欠工资不发。"), "劳动和社会保障"),
    (("社保断缴", "公司半年没有给员工交社保，医保卡也用不了。"), "劳动和社会保障"),
]


@pytest.fixture(scope="module")
def small():
    return read_labelled(FIXTURE)


@pytest.fixture(scope="module")
def model(small):
    return TriageModel.fit(small.texts(), small.labels, seed=0)


def unseen_texts():
    return [join_title_content(title, content) for (title, content), _ in UNSEEN]


# -- reading files ---------------------------------------------------------------------------


def test_fixture_reads_with_title_only_and_body_only_rows(small):
    assert len(small) == 60 and sorted(set(small.labels)) == LABELS
    kinds = small.subsets()
    assert {"title_only", "content_only", "title_and_content"} == set(kinds)
    assert all(small.titles[i] == "" for i in kinds["content_only"])
    assert all(small.contents[i] == "" for i in kinds["title_only"])


def message_board_rows():
    return [
        ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "一级标签"],
        [188006.0, "A00010", "公交车到站不停", "2019/4/25 9:32:09",
         "\n\t\t12路公交车\u3000到站不停。\n\t", "交通运输"],
        [188007, "A00011", "", "2019/4/26", "学校乱收补课费", "教育文体"],
        [188008, "A00012", "医院挂号难", "2019/4/27", None, "卫生计生"],
        [188009, "A00013", "", "2019/4/28", "", "卫生计生"],  # no text: skipped
        [188010, "A00014", "没有标签", "2019/4/29", "内容", ""],  # no label: skipped
    ]


def check_message_board(data):
    assert data.labels == ["交通运输", "教育文体", "卫生计生"]
    assert data.titles == ["公交车到站不停", "", "医院挂号难"]
    assert data.skipped == [5, 6]
    assert data.texts() == ["公交车到站不停\n12路公交车 到站不停。", "学校乱收补课费", "医院挂号难"]


def test_message_board_xlsx_is_read(tmp_path):
    book = Workbook()
    for row in message_board_rows():
        book.active.append(row)
    path = tmp_path / "labelled.xlsx"
    book.save(path)
    check_message_board(read_labelled(path))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_message_board_csv_is_read(tmp_path, encoding):
    path = tmp_path / "labelled.csv"
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(message_board_rows())
    check_message_board(read_labelled(path))


def test_title_content_label_columns_in_any_order(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("label,content,title\n交通运输,,出租车拒载\n", encoding="utf-8")
    data = read_labelled(path)
    assert (data.titles, data.contents, data.labels) == (["出租车拒载"], [""], ["交通运输"])


@pytest.mark.parametrize(("name", "content", "message"), [
    ("x.csv", "标题,类别\n路灯不亮,城乡建设\n", "缺少列"),
    ("x.csv", "", "文件为空"),
    ("x.json", "{}", "不支持的文件类型"),
    ("x.xlsx", "not a spreadsheet", "无法读取表格文件"),
])
def test_unreadable_files_are_refused_in_chinese(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_labelled(path)
    assert message in caught.value.message


# -- the model -------------------------------------------------------------------------------


def test_learns_the_fixture_and_reads_unseen_appeals(model, small):
    assert model.labels == LABELS
    assert model.predict(small.texts()) == small.labels
    predicted = model.predict(unseen_texts())
    right = sum(p == label for p, (_, label) in zip(predicted, UNSEEN, strict=True))
    assert right >= 7, list(zip(predicted, [label for _, label in UNSEEN], strict=True))


def test_top_k_is_sorted_calibrated_and_agrees_with_predict(model):
    texts = unseen_texts() + ["", "😀", "路灯" * 3000]
    ranked = model.top_k(texts, k=3)
    assert [r[0][0] for r in ranked] == model.predict(texts)
    for row in ranked:
        assert len(row) == 3
        probs = [p for _, p in row]
        assert probs == sorted(probs, reverse=True)
        assert all(0.0 <= p <= 1.0 for p in probs) and sum(probs) <= 1.0 + 1e-9
        assert len({label for label, _ in row}) == 3 and {label for label, _ in row} <= set(LABELS)
    full = model.probabilities(texts)
    assert np.allclose(full.sum(axis=1), 1.0)
    assert len(model.top_k(texts[:1], k=10)[0]) == len(LABELS)
    assert model.top_k([], k=3) == [] and model.predict([]) == []


def test_confidence_means_something(model, small):
    """Texts it was trained on are sure; an empty text is not."""
    sure = model.top_k(small.texts()[:5], k=1)
    assert all(p > 0.5 for [(_, p)] in sure)
    [[(_, p_empty)]] = model.top_k([""], k=1)
    assert p_empty < min(p for [(_, p)] in sure)


def test_a_text_scores_the_same_alone_and_in_a_batch(model):
    texts = unseen_texts() * 40  # more than one internal block
    batch = model.probabilities(texts)
    alone = np.vstack([model.probabilities([t]) for t in texts[:8]])
    assert np.array_equal(batch[:8], alone) and np.array_equal(batch[:8], batch[-8:])


def test_same_seed_same_model(small, model):
    again = TriageModel.fit(small.texts(), small.labels, seed=0)
    assert np.array_equal(again.probabilities(unseen_texts()), model.probabilities(unseen_texts()))
    assert again.version.split("-")[-1] == model.version.split("-")[-1]  # same data hash


def test_save_and_load_give_identical_predictions(model, tmp_path):
    model.save(tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["meta.json", "weights.npz"]
    loaded = TriageModel.load(tmp_path / "m")
    texts = unseen_texts() + [""]
    assert np.array_equal(loaded.probabilities(texts), model.probabilities(texts))
    assert loaded.top_k(texts) == model.top_k(texts)
    assert loaded.version == model.version and loaded.labels == model.labels
    meta = json.loads((tmp_path / "m" / "meta.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{8}", meta["version"])
    for key in ("created", "labels", "n_train", "seed", "scores", "libraries", "settings"):
        assert key in meta
    assert meta["n_train"] == 60 and meta["seed"] == 0
    assert set(meta["libraries"]) == {"numpy", "scipy", "scikit-learn"}
    assert 0.0 <= meta["scores"]["macro_f1"] <= 1.0 and "ece" in meta["scores"]["calibration"]


def test_load_refuses_changed_or_foreign_weights(model, tmp_path):
    directory = model.save(tmp_path / "m")
    weights = directory / "weights.npz"
    original = weights.read_bytes()
    weights.write_bytes(original[:-10] + b"0123456789")
    with pytest.raises(ValueError, match="checksum"):
        TriageModel.load(directory)
    # An archive holding a pickled object is refused even with a matching checksum.
    with open(weights, "wb") as handle:
        np.savez(handle, vec_buckets=np.array([object()], dtype=object))
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    import hashlib

    meta["weights_sha256"] = hashlib.sha256(weights.read_bytes()).hexdigest()
    (directory / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ValueError):
        TriageModel.load(directory)
    with pytest.raises(OSError):
        TriageModel.load(tmp_path / "missing")


def test_two_classes_and_tiny_classes_train():
    texts = ["公交车不停站", "出租车拒载", "地铁太挤", "学校乱收费", "幼儿园太贵"]
    labels = ["交通", "交通", "交通", "教育", "教育"]
    binary = TriageModel.fit(texts, labels)
    assert binary.predict(["公交车太挤"]) == ["交通"]
    assert np.allclose(binary.probabilities(texts).sum(axis=1), 1.0)
    single = TriageModel.fit(texts + ["医院挂号难"], labels + ["卫生"])  # one example of 卫生
    assert single.meta["scores"] == {}  # nothing to hold out: not calibrated, no score
    assert single.predict(["医院挂号难"]) == ["卫生"]


def test_a_class_with_one_example_trains_but_is_never_held_out(small):
    model = TriageModel.fit(small.texts() + ["路灯不亮"], small.labels + ["城乡建设"])
    assert "城乡建设" in model.labels and model.predict(["路灯不亮"]) == ["城乡建设"]
    assert model.meta["scores"]["kind"] == "5-fold out-of-fold"
    assert set(model.meta["scores"]["per_class"]) == set(LABELS)
    assert model.meta["scores"]["n"] == 60


@pytest.mark.parametrize(("texts", "labels"), [(["a", "b"], ["x", "x"]), (["a"], ["x", "y"])])
def test_bad_training_input_is_refused(texts, labels):
    with pytest.raises(ValueError):
        TriageModel.fit(texts, labels)


def test_triage_package_does_not_import_django():
    code = ("import sys, banshi.triage.classify, banshi.triage.cli, banshi.triage.evaluate; "
            "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cross_validation_api_on_the_fixture(small):
    result = cross_validate(small.texts(), small.labels, folds=3, subsets=small.subsets())
    assert result["n"] == 60 and set(result["per_class"]) == set(LABELS)
    assert result["macro_f1"] > 0.5 and result["docs_per_s"] > 0
    assert set(result["subsets"]) == {"title_only", "content_only", "title_and_content"}
    assert 0.0 <= result["calibration"]["ece"] <= 1.0


# -- the commands ----------------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_train_then_eval_round_trip_through_the_commands(tmp_path):
    printed = run("triage_train", "--data", str(FIXTURE), "--out", str(tmp_path / "m"))
    version = json.loads((tmp_path / "m" / "meta.json").read_text(encoding="utf-8"))["version"]
    assert version in printed and "宏F1" in printed
    result = json.loads(run("triage_eval", "--data", str(FIXTURE), "--model",
                            str(tmp_path / "m"), "--json"))
    assert {"macro_f1", "accuracy", "n", "per_class", "docs_per_s"} <= set(result)
    assert result["n"] == 60 and result["macro_f1"] == 1.0 and result["docs_per_s"] > 0
    for row in result["per_class"].values():
        assert set(row) == {"precision", "recall", "f1", "support"}
    table = run("triage_eval", "--data", str(FIXTURE), "--model", str(tmp_path / "m"))
    assert "宏F1 macro-F1" in table and "交通运输" in table


def test_train_saves_under_the_data_dir_by_default(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    printed = run("triage_train", "--data", str(FIXTURE))
    [directory] = (tmp_path / "models" / "triage").iterdir()
    assert directory.name in printed and (directory / "meta.json").is_file()


def test_eval_without_model_cross_validates(tmp_path):
    result = json.loads(run("triage_eval", "--data", str(FIXTURE), "--json", "--folds", "3"))
    assert result["cv"] == "group-aware stratified" and result["protocol"] == "messages"
    assert result["folds"] == 3 and result["n"] == 60 and result["macro_f1"] > 0.5
    for protocol, cv in (("plain", "stratified"), ("duplicates", "group-aware stratified")):
        other = json.loads(run("triage_eval", "--data", str(FIXTURE), "--json", "--folds", "3",
                               "--protocol", protocol))
        assert other["cv"] == cv and other["protocol"] == protocol


def test_commands_report_bad_input_in_chinese(tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        run("triage_train", "--data", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="不是模型目录"):
        run("triage_eval", "--data", str(FIXTURE), "--model", str(tmp_path))
    one_class = tmp_path / "one.csv"
    one_class.write_text("title,content,label\n路灯不亮,,城乡建设\n", encoding="utf-8")
    with pytest.raises(CommandError, match="两个类别"):
        run("triage_train", "--data", str(one_class))


# -- the public data -------------------------------------------------------------------------


@pytest.mark.slow
def test_message_board_plain_cv_beats_the_published_baselines():
    """Plain 5-fold stratified CV on the 12,196 labelled rows, for comparison with the
    published figures (TF-IDF+SVM 0.90, fastText 0.93 on one split) — it puts a message's
    title row and body row in different folds, so it is not the headline: see
    test_triage_pairs for the honest protocol. About 30 s."""
    result = evaluate_file(messageboard("messages_labeled.csv"), protocol="plain")
    f1 = {label: row["f1"] for label, row in result["per_class"].items()}
    assert result["n"] == 12196
    assert result["macro_f1"] >= 0.92, f1
    assert min(f1.values()) >= 0.85, f1

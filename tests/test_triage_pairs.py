"""The honest protocol: a message's title row and body row, and identical texts, stay in one
fold; the pairs' title+body documents are scored; the classifier reads such a document whole
and as its two parts. Built on the project's own small rows, plus the public data (slow)."""

import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from scipy.special import log_softmax

from banshi.triage.classify import TITLE_WEIGHT, TriageModel
from banshi.triage.cli import evaluate_file, pair_documents
from banshi.triage.datasets import read_labelled
from banshi.triage.evaluate import cross_validate, fold_splits
from banshi.triage.pairs import message_groups, title_body_pairs

from .datasets import messageboard

# (title, body, label): the first six are messages split into a title row and a body row.
TRAFFIC, SCHOOL, WORK, HEALTH = "交通运输", "教育文体", "劳动和社会保障", "卫生计生"
MESSAGES = [
    ("公交车到站不停", "12路公交车早高峰经常到站不停车，乘客在站台等半小时也上不去", TRAFFIC),
    ("出租车司机拒载", "晚上在火车站打车，出租车司机拒载，还要求加价五十元", TRAFFIC),
    ("学校强制订购教辅资料", "孩子所在小学要求每个学生强制订购指定教辅资料，每本三十元", SCHOOL),
    ("幼儿园收费太高", "民办幼儿园收费太高，一学期学费八千元，普通家庭负担不起", SCHOOL),
    ("工厂拖欠工资三个月", "在工厂上班，老板拖欠工资三个月不发，找劳动监察也没人管", WORK),
    ("医院看病排队太久", "去医院看病挂号、缴费、拿药每一步都要排队太久", HEALTH),
]
SINGLES = [
    ("希望增开夜间公交", "", TRAFFIC), ("", "地铁站出口离公交站太远，换乘要走一公里", TRAFFIC),
    ("小学划片不合理", "", SCHOOL), ("", "初中周末统一补课，每个学生收费八百元", SCHOOL),
    ("社保断缴", "", WORK), ("", "公司半年没有给员工交社保，医保卡也用不了", WORK),
    ("卫生院没有医生值班", "", HEALTH), ("", "社区医院药品种类太少，慢性病药要去大医院开", HEALTH),
    ("驾校收费不透明", "", TRAFFIC), ("高考加分政策咨询", "", SCHOOL),
    ("失业金怎么领取", "", WORK), ("疫苗接种预约难", "", HEALTH),
]


def split_rows():
    """Each paired message as two rows (title only, body only), a repeat of one title, the
    singles; rows shuffled so that pairs are not neighbours."""
    rows = [(t, "", label) for t, _, label in MESSAGES] + [("", b, label)
                                                          for _, b, label in MESSAGES]
    rows += [(MESSAGES[0][0], "", MESSAGES[0][2])] + SINGLES
    order = np.random.default_rng(1).permutation(len(rows))
    return [rows[i] for i in order]


def test_title_rows_join_the_body_that_holds_them():
    rows = split_rows()
    titles, contents = [r[0] for r in rows], [r[1] for r in rows]
    groups = message_groups(titles, contents)
    for title, body, _ in MESSAGES:
        members = {groups[i] for i, r in enumerate(rows) if r[0] == title or r[1] == body}
        assert len(members) == 1, title
    # The repeated title, its body and the first title are one group of three rows.
    first = groups[titles.index(MESSAGES[0][0])]
    assert groups.count(first) == 3
    # Singles stay alone: 6 pairs + 12 singles.
    assert len(set(groups)) == 18
    pairs = title_body_pairs(titles, contents)
    assert {(titles[t], contents[b]) for t, b in pairs} == {(t, b) for t, b, _ in MESSAGES}


def test_a_short_or_unrelated_title_pairs_with_nothing():
    titles = ["咨询", "路灯不亮", "", ""]
    contents = ["", "", "请问咨询电话是多少，谢谢", "小区门口的井盖丢了很危险"]
    assert title_body_pairs(titles, contents) == []
    assert len(set(message_groups(titles, contents))) == 4


def test_grouped_folds_never_split_a_pair():
    rows = split_rows() * 1  # 25 rows, 4 labels
    titles, contents, labels = ([r[k] for r in rows] for k in range(3))
    groups = message_groups(titles, contents)
    for seed in range(5):
        fold_of = {}
        for k, (_, test) in enumerate(fold_splits(labels, folds=3, seed=seed, groups=groups)):
            fold_of.update({int(i): k for i in test})
        for title, body, _ in MESSAGES:
            together = {fold_of[i] for i, r in enumerate(rows) if r[0] == title or r[1] == body}
            assert len(together) == 1, (seed, title)


def test_cross_validation_scores_the_pairs_documents(tmp_path):
    path = tmp_path / "split.csv"
    lines = ["title,content,label"] + [f"{t},{b},{label}" for t, b, label in split_rows()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dataset = read_labelled(path)
    documents = pair_documents(dataset)
    assert len(documents) == 6
    assert all("\n" in d.text for d in documents)
    result = evaluate_file(path, folds=3)
    assert result["protocol"] == "messages" and result["cv"] == "group-aware stratified"
    assert result["documents"]["n"] == 6 and result["n"] == 25
    # Plain folds may split a pair: then its document is not scored at all.
    plain = cross_validate(dataset.texts(), dataset.labels, folds=3, documents=documents)
    assert plain["documents"]["n"] <= 6 if "documents" in plain else True
    out = StringIO()
    call_command("triage_eval", "--data", str(path), "--folds", "3", "--json", "--baseline",
                 stdout=out)
    report = json.loads(out.getvalue())
    assert report["baseline"]["documents"]["n"] == 6 and report["protocol"] == "messages"
    out = StringIO()
    call_command("triage_eval", "--data", str(path), "--folds", "3", "--protocol", "plain",
                 stdout=out)
    assert "普通分层" in out.getvalue() and "宏F1" in out.getvalue()


def test_a_document_is_read_whole_and_by_its_title():
    rows = split_rows()
    model = TriageModel.fit([(t or b) for t, b, _ in rows], [label for *_, label in rows])
    title, body = "公交站台没有遮雨棚", "下雨天在公交站等车全身淋湿，希望加装雨棚"
    whole, head = (model.probabilities([text])[0] for text in (f"{title} {body}", title))
    w = TITLE_WEIGHT
    pooled = np.exp(log_softmax((np.log(whole) + w * np.log(head)) / (1 + w)))
    np.testing.assert_allclose(model.probabilities([f"{title}\n{body}"])[0], pooled, rtol=1e-6)
    # Rows in one batch do not change each other's answers.
    batch = model.probabilities(["幼儿园", f"{title}\n{body}", "拖欠工资"])
    np.testing.assert_allclose(batch[1], pooled, rtol=1e-6)
    np.testing.assert_allclose(batch[0], model.probabilities(["幼儿园"])[0], rtol=1e-6)


@pytest.mark.slow
def test_message_board_unseen_documents_beat_the_baseline():
    """The honest protocol on the 12,196 labelled rows: on the title+body documents of the
    pairs (never seen in training from either side), macro-F1 >= 0.93 with no class below
    0.85, and above the plain baseline in the same folds. About 2 minutes."""
    result = evaluate_file(messageboard("messages_labeled.csv"), baseline=True)
    docs, base = result["documents"], result["baseline"]["documents"]
    f1 = {label: row["f1"] for label, row in docs["per_class"].items()}
    assert result["n"] == 12196 and docs["n"] > 2500
    assert docs["macro_f1"] >= 0.93, f1
    assert min(f1.values()) >= 0.85, f1
    assert docs["macro_f1"] > base["macro_f1"], (docs["macro_f1"], base["macro_f1"])


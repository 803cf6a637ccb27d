"""Text normalisation for triage: whitespace, width, salutations and closings, odd input.

Also checks that the classifier's own integer folding (features.code_points) reads raw text
the way normalise would: what the model sees does not depend on who normalised first.
"""

import random
import time

import pytest

from banshi.triage.features import ngram_counts
from banshi.triage.text import (
    SEPARATOR,
    collapse_space,
    fold_width,
    join_title_content,
    normalise,
    strip_boilerplate,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("\n\t\t\t路灯\n\t不亮\n\t\t", "路灯 不亮"),
    ("路灯\u3000\u3000不亮", "路灯 不亮"),
    ("路灯\u00a0不亮\u200b", "路灯 不亮"),
    ("\ufeff路灯不亮", "路灯不亮"),
    ("a \r\n b", "a b"),
])
def test_every_kind_of_whitespace_becomes_one_space(raw, expected):
    assert normalise(raw) == expected


def test_full_width_letters_digits_and_punctuation_fold_to_half_width_lower_case():
    assert normalise("ＡＢＣ１２３！（Ｋ１区）") == "abc123!(k1区)"
    assert fold_width("Ａ市") == "a市"


@pytest.mark.parametrize(("raw", "expected"), [
    ("尊敬的领导：您好！我家门口路灯不亮", "我家门口路灯不亮"),
    ("尊敬的领导，你们好！路灯不亮", "路灯不亮"),
    ("各位领导：路灯不亮", "路灯不亮"),
    ("领导您好，路灯不亮", "路灯不亮"),
    ("您好！路灯不亮", "路灯不亮"),
    ("尊敬的相关部门工作人员：您好！路灯不亮", "路灯不亮"),
    # A named addressee says which department is meant: kept, only the greeting goes.
    ("尊敬的胡厅长：您好！路灯不亮", "胡厅长:路灯不亮"),
    ("M6州教育局秦局长：您好，我想咨询", "m6州教育局秦局长:我想咨询"),
])
def test_salutations_are_removed(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("路灯不亮，请尽快修理，谢谢！", "路灯不亮,请尽快修理"),
    ("路灯不亮。谢谢领导！此致敬礼！", "路灯不亮。"),
    ("路灯不亮！万分感谢！！", "路灯不亮!"),
    ("路灯不亮 此致 敬礼", "路灯不亮"),
])
def test_trailing_thanks_are_removed(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize("title", [
    "感谢关怀再就业！",
    "投诉D6县一中某领导以权谋私",
    "请A7县星沙街办事处领导回复！",
    "请厅领导关注乡镇基层社保工作人员",
    "M4市数千居民与学生跪求政府",
    "H4县河口乡西坪村百姓致县长的感谢信",
    "领导要求加班不给加班费",
    "谢谢你们修好了路灯，但是旁边的井盖还没修",
])
def test_messages_that_merely_mention_officials_or_thanks_keep_their_words(title):
    assert normalise(title) == collapse_space(fold_width(title)).strip()


@pytest.mark.parametrize("empty", [None, "", "   ", "\n\t\u3000\u00a0", "尊敬的领导：您好！",
                                   "谢谢！"])
def test_empty_and_boilerplate_only_input_gives_empty_text(empty):
    assert normalise(empty) == ""


def test_emoji_and_other_scripts_survive():
    assert normalise("路灯坏了😡😡 سلام") == "路灯坏了😡😡 سلام"


def test_normalise_is_idempotent():
    samples = ["尊敬的领导：您好！ＡＢＣ路灯\n不亮，谢谢！", "感谢关怀再就业！", "  x  ", "😀"]
    for text in samples:
        assert normalise(normalise(text)) == normalise(text)


@pytest.mark.parametrize("text", [
    "路灯不亮" * 2500,
    "领导" * 5000,
    "谢谢" * 5000,
    "，" * 10000,
    "尊敬的" * 3000 + "领导",
    "a" * 10000 + "谢谢！",
    " \n" * 5000,
])
def test_ten_thousand_characters_are_handled_quickly(text):
    started = time.perf_counter()
    result = normalise(text)
    assert time.perf_counter() - started < 0.5
    assert len(result) <= len(text)
    assert normalise(result) == result


def test_strip_boilerplate_leaves_plain_text_alone():
    assert strip_boilerplate("路灯不亮") == "路灯不亮"


def test_join_title_content():
    # Title and body are joined by a line break, so the classifier can read them apart too.
    assert join_title_content("路灯不亮", "三盏路灯一周不亮") == "路灯不亮\n三盏路灯一周不亮"
    assert SEPARATOR == "\n" and normalise("路灯\n不亮") == "路灯 不亮"
    assert join_title_content("路灯不亮", "") == "路灯不亮"
    assert join_title_content(None, "\n\t百花路路灯不亮\n") == "百花路路灯不亮"
    assert join_title_content("", None) == ""
    # A body that opens with the title does not repeat it.
    assert join_title_content("路灯不亮", "路灯不亮，已经一周了") == "路灯不亮\n已经一周了"
    assert join_title_content("路灯不亮", "路灯不亮") == "路灯不亮"
    assert join_title_content("尊敬的领导：您好！", "路灯不亮，谢谢") == "路灯不亮"


def test_model_features_read_raw_text_as_normalised_text():
    rng = random.Random(3)
    alphabet = list("路灯坏了ＡＢＣabcXYZ１２３!！ \n\t\u3000\u00a0\u200b\ufeff\r，。")
    for _ in range(500):
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 15)))
                 for _ in range(rng.randint(1, 4))]
        raw = ngram_counts(texts)
        folded = ngram_counts([collapse_space(fold_width(t)) for t in texts])
        assert (raw != folded).nnz == 0, texts


def test_fold_width_equals_nfkc_lower_case():
    """The fast path (replacing full-width forms) must give exactly what NFKC gives."""
    import unicodedata

    rng = random.Random(5)
    ranges = [(0x20, 0x7F), (0xA0, 0x100), (0x2000, 0x2070), (0x3000, 0x3040), (0xFF01, 0xFFEF),
              (0x0300, 0x0310), (0x1100, 0x1110), (0xAC00, 0xAC10)]
    pool = [chr(c) for low, high in ranges for c in range(low, high)] + list("路灯坏了，！？")
    for _ in range(20000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
        assert fold_width(text) == unicodedata.normalize("NFKC", text).lower(), repr(text)

"""Word segmentation with rjieba and a user dictionary of the district's places and units."""

from collections.abc import Iterable

import rjieba

# Single characters and punctuation that carry no meaning for routing or clustering.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "我",
        "我们",
        "你",
        "您",
        "他",
        "她",
        "它",
        "和",
        "与",
        "及",
        "或",
        "也",
        "都",
        "就",
        "还",
        "又",
        "很",
        "被",
        "把",
        "让",
        "给",
        "对",
        "从",
        "向",
        "这",
        "那",
        "这个",
        "那个",
        "一个",
        "有",
        "没有",
        "没",
        "不",
        "请",
        "问",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "么",
        "什么",
        "怎么",
        "如何",
        "为什么",
        "能",
        "可以",
        "是否",
        "应该",
        "已经",
        "一直",
        "现在",
        "目前",
        "今天",
        "进行",
        "相关",
        "有关",
        "问题",
        "情况",
        "希望",
        "要求",
        "反映",
        ",",
        ".",
        "!",
        "?",
        ":",
        ";",
        "、",
        "，",
        "。",
        "！",
        "？",
        "：",
        "；",
        "“",
        "”",
        "‘",
        "’",
        "（",
        "）",
        "(",
        ")",
        "《",
        "》",
        "【",
        "】",
        "…",
        "-",
        "—",
        "~",
        "～",
        "/",
        "\\",
        '"',
        "'",
    ]
)


class Tokenizer:
    """A segmenter with its own dictionary, so districts' words do not leak between models."""

    def __init__(self, user_words: Iterable[str] = (), freq: int = 20000):
        self._jieba = rjieba.Jieba()
        self.user_words = sorted({w.strip() for w in user_words if w and w.strip()})
        for word in self.user_words:
            self._jieba.add_word(word, freq, None)

    def cut(self, text: str) -> list[str]:
        return [t for t in self._jieba.cut(text) if t.strip()]

    def words(self, text: str) -> list[str]:
        """Meaningful tokens: no stopwords, no whitespace, no lone punctuation."""
        return [t for t in self.cut(text) if t not in STOPWORDS and t.strip()]

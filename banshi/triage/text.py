"""Text normalisation for appeals: whitespace, width, salutations and boilerplate.

``normalise`` is the one form every part of triage reads. It is conservative on purpose: it
removes what carries no meaning (padding, full-width forms, "尊敬的领导：您好！", a closing
"谢谢！") but keeps whom the resident addresses ("教育局秦局长：") and never eats into the
message itself, so a title such as "感谢关怀再就业！" or "请A7县星沙街办事处领导回复！" survives.
"""

import re
import unicodedata

# Whitespace as it appears in message-board exports: \n \t, U+3000, NBSP, zero-width marks.
_SPACE = re.compile(r"[\s\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff]+")
_PUNCT = r"[,，:：!！。.、;；\s]"
_HONORIFIC = r"(?:尊敬的|敬爱的|亲爱的|尊贵的)"
# Whom a letter is addressed to when it names nobody in particular.
_GENERIC = (
    r"(?:(?:各位|各级|上级|相关|有关|市|区|县|政府)?"
    r"(?:领导|部门|工作人员|同志|政府|负责人|朋友|网友|管理员|版主)(?:们|同志|干部)?){1,3}"
)
_GREETING = r"(?:您好|你好|您们好|你们好|大家好|早上好|下午好|晚上好)"
_LEADING = [
    # "尊敬的领导：您好！" / "各位领导：" / "领导您好，" — a salutation to nobody in particular.
    re.compile(rf"^{_HONORIFIC}?{_GENERIC}\s*(?:(?:{_GREETING}|好)?(?:{_PUNCT}+|$)|{_GREETING})"),
    # "尊敬的胡厅长：您好！" keeps "胡厅长：" (it tells which department is meant).
    re.compile(rf"^{_HONORIFIC}"),
    re.compile(rf"^{_GREETING}{_PUNCT}*"),
    re.compile(rf"^([^,，。!！?？]{{1,20}}?[:：,，]\s*){_GREETING}{_PUNCT}*"),
]
_CLOSING = re.compile(
    r"(?:^|(?<=[,，。.!！?？~\s]))"
    r"(?:(?:谢谢|多谢|感谢|非常感谢|万分感谢|十分感谢|先谢谢|在此谢谢)(?:您|你们|您们|领导|各位领导|政府)?"
    r"(?:了|啦)?|辛苦了|麻烦了|此致敬礼|此致|敬礼)"
    r"[,，。.!！~\s]*$"
)
_TAIL = 48  # a closing is short; looking only at the tail keeps long texts cheap
# Cheap first looks: most texts start and end with the message itself.
_MAYBE_LEADING = re.compile(
    rf"^(?:{_HONORIFIC}|{_GREETING}|[^,，。!！?？]{{0,20}}?(?:[:：,，]|{_GREETING})|"
    r"(?:各位|各级|上级|相关|有关|市|区|县|政府|领导|部门|工作人员|同志|负责人|朋友|网友|管理员|版主))"
)


def _fast_fold() -> tuple[re.Pattern[str], list[int]]:
    """The characters NFKC maps one by one (so a table can stand in) and that table.

    Candidates are checked here rather than trusted: a character qualifies when NFKC leaves it
    alone or maps it on its own (full-width forms, U+3000, NBSP) and it is no combining mark,
    so it cannot compose with a neighbour.
    """
    ranges = [(0x00, 0x7F), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x218F),
              (0x2190, 0x2BFF), (0x3000, 0x303F), (0xFF01, 0xFF5E), (0xFF5F, 0xFFEF)]
    table = list(range(0x10000))
    safe = []
    for low, high in ranges:
        for code in range(low, high + 1):
            char = chr(code)
            folded = unicodedata.normalize("NFKC", char)
            if unicodedata.combining(char) or len(folded) != 1:
                continue
            if folded != char:
                if not (0xFF01 <= code <= 0xFF5E or code in (0x3000, 0xA0)):
                    continue
                table[code] = ord(folded)
            safe.append(code)
    classes = "".join(re.escape(chr(c)) for c in safe)
    # CJK Unified Ideographs (and Extension A) are NFKC-stable and never combine.
    return re.compile(f"[^{classes}\u3400-\u4dbf\u4e00-\u9fff]"), table


_NEEDS_NFKC, _FOLD = _fast_fold()
_WIDE = re.compile("[\uff01-\uff5e\u3000\u00a0]")
_COMMON_WIDE = [(w, chr(_FOLD[ord(w)])) for w in "，！？：；（）\u3000\u00a0"]


def fold_width(text: str) -> str:
    """NFKC (full-width ASCII to half-width, U+3000 and NBSP to a space...), lower-cased.

    Text made only of ASCII, CJK ideographs, common CJK and general punctuation and
    full-width forms (nearly every appeal) is folded by replacing the full-width forms, which
    gives exactly what NFKC gives at a fraction of its cost; anything else goes through
    unicodedata.
    """
    if _NEEDS_NFKC.search(text) is not None:
        return unicodedata.normalize("NFKC", text).lower()
    for wide, narrow in _COMMON_WIDE:  # str.replace is far cheaper than translate per char
        text = text.replace(wide, narrow)
    if _WIDE.search(text) is not None:
        text = text.translate(_FOLD)
    return text.lower()


def collapse_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def strip_boilerplate(text: str) -> str:
    """Remove a leading salutation ("尊敬的领导：您好！") and a trailing thanks ("谢谢！")."""
    previous = None
    while previous != text and _MAYBE_LEADING.match(text):
        previous = text
        for pattern in _LEADING:
            text = pattern.sub(r"\1" if pattern.groups else "", text, count=1).lstrip()
    while closing := _CLOSING.search(text, max(0, len(text) - _TAIL)):
        text = text[:closing.start()].rstrip(" ,，、")
    return text


def normalise(text: str | None) -> str:
    """The form every part of triage reads: folded width, one space, no boilerplate."""
    if not text:
        return ""
    return strip_boilerplate(collapse_space(fold_width(text)))


# Between title and body in a joined document. `normalise` leaves no line break in either part,
# so the classifier can score the parts on their own too (classify.TriageModel.probabilities);
# every other reader treats it as the space it is.
SEPARATOR = "\n"


def join_title_content(title: str | None, content: str | None) -> str:
    """One document from title and body; either may be empty; a body repeating the title once.

    Title and body are joined by SEPARATOR.
    """
    title, content = normalise(title), normalise(content)
    if title and content.startswith(title):
        content = content[len(title):].lstrip(" ,，。:：")
    if title and content:
        return f"{title}{SEPARATOR}{content}"
    return title or content

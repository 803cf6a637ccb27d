"""Text normalisation for appeals: whitespace, width, salutations and boilerplate."""

import re
import unicodedata

# Whitespace as it appears in message-board exports: \n \t, U+3000, NBSP, zero-width.
_SPACE = re.compile(r"[\s\u3000\u00a0\u200b\u200c\u200d\ufeff]+")
_SALUTATION = re.compile(
    r"^(尊敬的|敬爱的|亲爱的)?[\u4e00-\u9fa5A-Za-z0-9]{0,12}?"
    r"(领导|书记|市长|区长|县长|镇长|局长|主任|同志|工作人员|相关部门|有关部门|政府)"
    r"(们)?(您好|你们好|你好|好)?[,，:：!！。\s]*"
)
_GREETING = re.compile(r"^(您好|你好|你们好)[,，:：!！。\s]*")
_CLOSING = re.compile(
    r"[,，。!！\s]*(谢谢|感谢|万分感谢|非常感谢|麻烦了|辛苦了)[\u4e00-\u9fa5]{0,8}?[!！。~～\s]*$"
)


def fold_width(text: str) -> str:
    """Full-width ASCII letters, digits and punctuation to half-width (NFKC), lower-cased."""
    return unicodedata.normalize("NFKC", text).lower()


def collapse_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def strip_boilerplate(text: str) -> str:
    """Remove a leading salutation ("尊敬的领导：您好！") and a trailing thanks ("谢谢！")."""
    previous = None
    while previous != text:
        previous = text
        text = _SALUTATION.sub("", text, count=1)
        text = _GREETING.sub("", text, count=1)
    return _CLOSING.sub("", text)


def normalise(text: str | None) -> str:
    """The form every part of triage reads: folded width, one space, no boilerplate."""
    if not text:
        return ""
    return strip_boilerplate(collapse_space(fold_width(text)))


def join_title_content(title: str | None, content: str | None) -> str:
    """One document from title and body; either may be empty; a body repeating the title once."""
    title, content = normalise(title), normalise(content)
    if title and content.startswith(title):
        return content
    return f"{title} {content}".strip()

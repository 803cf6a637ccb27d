"""Input rules every entry path shares (H5 form, staff forms, API, importer, actions).

Each rule returns the clean value or raises ValueError with a Chinese message; actions,
API schemas and the importer wrap that message with the field or column at fault, and
`validate_*` are the same rules as Django form validators.
"""

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError

from .limits import EARLIEST_DATE, LATEST_DATE

PHONE_HELP = "请填写11位手机号(如13812345678)或带区号的固定电话(如0371-67181234)"
_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
# 010 and 02x are the three-digit area codes; every other one has four digits.
_LANDLINE = re.compile(
    r"(?:\((?P<bracketed>010|02\d|0[3-9]\d\d)\)|(?P<area>010|02\d|0[3-9]\d\d)-?)"
    r"(?P<local>[2-9]\d{6,7})(?:(?:-|转|ext\.?|x|#)(?P<extension>\d{1,6}))?",
    re.IGNORECASE,
)


def text_problem(text: str) -> str | None:
    """Why a text cannot be stored (a NUL byte, a lone UTF-16 surrogate), or None."""
    if "\x00" in text:
        return "含有不允许的空字符(\\x00)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "含有无效的Unicode字符"
    return None


def clean_text(text: str) -> str:
    problem = text_problem(text)
    if problem:
        raise ValueError(problem)
    return text


def normalise_phone(value: str | None) -> str:
    """A mainland mobile "13812345678", a landline "0371-67181234" (extension "-123"), or "".

    Accepts full-width digits, spaces, "+86", "(0371)67181234", "037167181234" and
    extensions written "-123", "转123", "ext123"; anything else raises ValueError.
    """
    compact = "".join(unicodedata.normalize("NFKC", value or "").split())
    if not compact:
        return ""
    if mobile := _MOBILE.fullmatch(compact.replace("-", "")):
        return mobile.group(1)
    if landline := _LANDLINE.fullmatch(compact):
        area = landline.group("bracketed") or landline.group("area")
        number = f"{area}-{landline.group('local')}"
        extension = landline.group("extension")
        return f"{number}-{extension}" if extension else number
    raise ValueError(f"电话号码格式不正确：{PHONE_HELP}")


def date_problem(day: dt.date) -> str | None:
    """Why a date is out of the range appeals live in, or None."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        return f"日期须在{EARLIEST_DATE:%Y-%m-%d}至{LATEST_DATE:%Y-%m-%d}之间"
    return None


def check_date(day: dt.date) -> dt.date:
    problem = date_problem(day)
    if problem:
        raise ValueError(problem)
    return day


def local_moment(value: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """An aware datetime within the date range; a naive one is read as local time in `zone`.

    The range is checked on the wall-clock date before any conversion, so that year 1 or
    9999 is refused instead of overflowing.
    """
    check_date(value.date())
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=zone)
    return value


def _for_forms(rule):
    def validate(value):
        try:
            rule(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    validate.__doc__ = f"Django validator: {rule.__name__}."
    return validate


validate_phone = _for_forms(normalise_phone)
validate_date = _for_forms(check_date)

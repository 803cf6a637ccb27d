"""Turning spreadsheet cells into clean text and aware datetimes.

Spreadsheets from other systems carry dirt: bodies padded with tabs and newlines, full-width
(U+3000) and non-breaking (U+00A0) spaces, dates typed as text in several shapes next to real
Excel dates, ids stored as numbers. These functions take whatever a reader gives (str, float,
int, datetime, date, None) and return what an appeal holds, or raise CellError.
"""

import datetime as dt
import re

from django.utils import timezone

from ..validators import date_problem

# Spaces that str.split() already treats as whitespace are listed for clarity; the zero-width
# ones are not whitespace to Python and would otherwise survive the cleaning.
_INVISIBLE = str.maketrans({"\u3000": " ", "\u00a0": " ", "\u200b": "", "\ufeff": "",
                            "\u2028": "\n", "\u2029": "\n"})
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*[ T]\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*(?:[:：分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?)?"
)
# Excel serial day numbers that plausibly are dates (1954–2119), for numeric date cells.
_SERIAL_RANGE = (20000, 80000)
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - naive on purpose, made aware below
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


class CellError(ValueError):
    """A cell's value cannot be used; `message` is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def cell_text(value) -> str:
    """A cell's value as a string: integral floats lose their '.0', None becomes ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def clean_line(value) -> str:
    """One line of text: every whitespace run (line breaks included) becomes one space."""
    return " ".join(cell_text(value).translate(_INVISIBLE).split())


def clean_text(value) -> str:
    """A body of text: whitespace runs collapse to one space, paragraphs stay apart.

    Each line is collapsed and stripped; empty lines go; the lines are joined with one
    newline: "\\n\\t尊敬的领导：\\r\\n\\u3000\\u3000您好！\\n" → "尊敬的领导：\\n您好！".
    """
    lines = _LINE_BREAKS.split(cell_text(value).translate(_INVISIBLE))
    return "\n".join(line for line in (" ".join(raw.split()) for raw in lines) if line)


def headline(text: str, length: int = 30) -> str:
    """A title made from the start of a body of text."""
    return clean_line(text)[:length].strip()


def _aware(value: dt.datetime) -> dt.datetime:
    if timezone.is_aware(value):
        return value
    return timezone.make_aware(value, timezone.get_default_timezone())


def _from_text(text: str) -> dt.datetime:
    text = clean_line(text)
    match = _DATE.fullmatch(text)
    if match:
        year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
        try:
            return dt.datetime(year, month, day, hour, minute, second)  # noqa: DTZ001
        except ValueError as exc:
            raise CellError(f"日期“{text}”不存在") from exc
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise CellError(f"无法识别的日期“{text[:40]}”，请写成 2024-05-01 09:30") from exc


def _from_serial(number: float) -> dt.datetime:
    low, high = _SERIAL_RANGE
    if not low <= number < high:
        raise CellError(f"无法识别的日期“{cell_text(number)}”，请写成 2024-05-01 09:30")
    return _EXCEL_EPOCH + dt.timedelta(days=number)


def parse_when(value, *, now: dt.datetime | None = None) -> dt.datetime:
    """An aware datetime (settings.TIME_ZONE) from a text or Excel date cell.

    Accepts "2019/4/25 9:32:09", "2019-04-25  09:32", "2019-04-25", "2019年4月25日",
    ISO 8601, datetime/date objects and Excel serial numbers. Empty, unreadable and
    future values raise CellError.
    """
    if value is None or (isinstance(value, str) and not clean_line(value)):
        raise CellError("不能为空")
    if isinstance(value, dt.datetime):
        naive = value
    elif isinstance(value, dt.date):
        naive = dt.datetime.combine(value, dt.time())  # noqa: DTZ001
    elif isinstance(value, int | float) and not isinstance(value, bool):
        naive = _from_serial(float(value))
    elif isinstance(value, str):
        naive = _from_text(value)
    else:
        raise CellError(f"无法识别的日期“{cell_text(value)[:40]}”")
    if problem := date_problem(naive.date()):
        raise CellError(problem)
    when = _aware(naive)
    if when > (now or timezone.now()) + FUTURE_TOLERANCE:
        local = timezone.localtime(when, timezone.get_default_timezone())
        raise CellError(f"日期{local:%Y-%m-%d %H:%M}晚于当前时间")
    return when

"""Enter a State Council holiday notice from a file: `banshi import-holidays FILE.csv|xlsx`.

The file has a header row and the columns date (日期), kind (类型: holiday/放假 or
workday/调休上班) and note (说明, e.g. 元旦). Every row is checked first; one bad cell and
nothing is written, each problem named by row and column. Loading the same file again changes
nothing. With a notice title the year's HolidayNotice is entered (the year becomes known);
either way the open deadlines counted over the years touched are recomputed, each change an
event (banshi.appeals.actions.recompute_deadlines).
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.contrib.auth.models import User
from django.db import transaction

from banshi.lib.spreadsheet import (
    CellError,
    UnreadableFile,
    clean_line,
    header_names,
    parse_datetime,
    read_rows,
)

from . import actions, deadlines
from .choices import DayKind
from .ledger.importer import RowError
from .models import HolidayNotice, StatutoryDay

COLUMNS = {  # column: the header names it may carry
    "date": ("date", "日期"),
    "kind": ("kind", "类型", "安排"),
    "note": ("note", "说明", "名称", "备注", "节日"),
}
LABELS = {"date": "日期(date)", "kind": "类型(kind)", "note": "说明(note)"}
KINDS = {
    "holiday": DayKind.HOLIDAY, "放假": DayKind.HOLIDAY, "休": DayKind.HOLIDAY,
    "节假日": DayKind.HOLIDAY, "假": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY, "调休上班": DayKind.WORKDAY, "上班": DayKind.WORKDAY,
    "班": DayKind.WORKDAY, "补班": DayKind.WORKDAY, "调休": DayKind.WORKDAY,
}
NOTE_MAX = 100


class HolidayFileError(Exception):
    """The file cannot be entered; `errors` says where, by row and column."""

    def __init__(self, errors: list[RowError]):
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


@dataclass(frozen=True)
class HolidayRow:
    row: int
    date: dt.date
    kind: str
    note: str


@dataclass
class HolidayImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notice: HolidayNotice | None = None
    years_without_notice: list[int] = field(default_factory=list)
    recomputed: list[str] = field(default_factory=list)


def read_holidays(source: Path | BinaryIO, filename: str | None = None) -> list[HolidayRow]:
    """The rows of a holiday file; HolidayFileError with every problem found."""
    try:
        rows = list(read_rows(source, filename))
    except UnreadableFile as exc:
        raise HolidayFileError([RowError(0, "文件", exc.message)]) from exc
    if not rows:
        raise HolidayFileError([RowError(0, "文件", "文件是空的")])
    header_row, header = rows[0]
    positions = _positions(header_names(header))
    missing = [LABELS[name] for name in ("date", "kind") if name not in positions]
    if missing:
        raise HolidayFileError([RowError(header_row, "表头", f"缺少列：{'、'.join(missing)}"
                                         "(表头须为 date,kind,note 或 日期,类型,说明)")])
    errors: list[RowError] = []
    parsed: list[HolidayRow] = []
    seen: dict[dt.date, int] = {}
    for number, cells in rows[1:]:
        values = {name: cells[index] if index < len(cells) else None
                  for name, index in positions.items()}
        row = _row(number, values, errors)
        if row is None:
            continue
        if row.date in seen:
            errors.append(RowError(number, LABELS["date"],
                                   f"与第{seen[row.date]}行的日期{row.date}重复"))
            continue
        seen[row.date] = number
        parsed.append(row)
    if errors:
        raise HolidayFileError(errors)
    if not parsed:
        raise HolidayFileError([RowError(0, "文件", "没有数据行")])
    return parsed


def _positions(names: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(names):
        for column, aliases in COLUMNS.items():
            if name.lower() in aliases and column not in found:
                found[column] = index
    return found


def _row(number: int, values: Mapping[str, object], errors: list[RowError]) -> HolidayRow | None:
    before = len(errors)
    day: dt.date | None = None
    try:
        when = parse_datetime(values.get("date"))
        if when.time() != dt.time():
            raise CellError(f"应只写日期，不带时间(“{clean_line(values.get('date'))}”)")
        day = when.date()
    except CellError as exc:
        errors.append(RowError(number, LABELS["date"], exc.message))
    text = clean_line(values.get("kind"))
    kind = KINDS.get(text.lower())
    if kind is None:
        errors.append(RowError(number, LABELS["kind"],
                               f"“{text[:20]}”不是 holiday(放假) 或 workday(调休上班)"
                               if text else "不能为空"))
    note = clean_line(values.get("note"))
    if len(note) > NOTE_MAX:
        errors.append(RowError(number, LABELS["note"], f"不能超过{NOTE_MAX}个字符"))
    if len(errors) > before or day is None or kind is None:
        return None
    return HolidayRow(number, day, kind, note)


def notice_year(rows: list[HolidayRow], year: int | None) -> int:
    """The year a notice covering `rows` is for: `year` if given, else the rows' latest year
    (a notice may open with the last days of the year before)."""
    latest = max(row.date.year for row in rows)
    chosen = year or latest
    stray = [row for row in rows if row.date.year not in (chosen, chosen - 1)
             or (row.date.year == chosen - 1 and row.date.month != 12)]
    if stray:
        raise HolidayFileError([
            RowError(row.row, LABELS["date"],
                     f"{row.date}不在{chosen}年通知的范围内(一个文件录入一年的通知)")
            for row in stray])
    return chosen


def import_holidays(source: Path | BinaryIO, *, filename: str | None = None,
                    notice: str = "", year: int | None = None,
                    published: dt.date | None = None,
                    actor: User | None = None) -> HolidayImport:
    """Enter the rows of a holiday file (and the notice, when `notice` names it), then
    recompute the open deadlines over the years touched. All or nothing."""
    rows = read_holidays(source, filename)
    result = HolidayImport()
    with transaction.atomic():
        if notice.strip():
            result.notice = _enter_notice(notice_year(rows, year), notice.strip(), published)
        notices = {n.year: n for n in HolidayNotice.objects.filter(
            year__in={row.date.year for row in rows})}
        for row in rows:
            owner = result.notice or notices.get(row.date.year)
            _upsert(row, owner, result)
        years = {row.date.year for row in rows}
        if result.notice is not None:
            years.add(result.notice.year)
        result.years_without_notice = deadlines.unknown_years(years)
        result.recomputed = actions.recompute_deadlines(
            years, actor=actor, label=None if actor else "系统(导入节假日安排)")
    return result


def _enter_notice(year: int, title: str, published: dt.date | None) -> HolidayNotice:
    row, _ = HolidayNotice.objects.update_or_create(
        year=year, defaults={"title": title[:200], "published_on": published})
    return row


def _upsert(row: HolidayRow, notice: HolidayNotice | None, result: HolidayImport) -> None:
    existing = StatutoryDay.objects.filter(date=row.date).first()
    wanted = {"kind": row.kind, "note": row.note}
    if existing is None:
        StatutoryDay.objects.create(date=row.date, notice=notice, **wanted)
        result.created += 1
        return
    notice = notice or existing.notice
    if (existing.kind, existing.note, existing.notice_id) == (
            row.kind, row.note, notice.pk if notice else None):
        result.unchanged += 1
        return
    existing.kind, existing.note, existing.notice = row.kind, row.note, notice
    existing.save()
    result.updated += 1

"""Importing appeals from a spreadsheet: the ledger's own layout or a message board's export.

Every row is checked first, without touching the database beyond lookups; then the good rows
go through actions.submit_appeal in transactions of BATCH rows, so imported appeals wait in
the triage queue like any other. A row is imported, skipped (its 留言编号 was seen before) or
reported with the columns at fault.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import BinaryIO

from django.db import DatabaseError, transaction
from django.utils import timezone

from banshi.lib.spreadsheet import (
    CellError,
    UnreadableFile,
    cell_count,
    clean_line,
    clean_text,
    headline,
    parse_datetime,
    read_rows,
)
from banshi.org import permissions

from .. import actions, limits, validators
from ..models import Appeal
from .layouts import Layout, Lookups, detect_layout

log = logging.getLogger(__name__)

BATCH = 500
HEADER_SEARCH = 5
IMPORT_LABEL = "批量导入"
MAX_TITLE, MAX_CONTENT, MAX_NAME, MAX_EXTERNAL_ID = (
    limits.TITLE_MAX, limits.CONTENT_MAX, limits.NAME_MAX, limits.EXTERNAL_ID_MAX)
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


@dataclass
class RowError:
    """A problem with one cell; row 0 means the file as a whole."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row:
            return f"第{self.row}行 {self.column}: {self.message}"
        return f"{self.column}: {self.message}"


@dataclass
class ImportReport:
    total: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    skipped: list[RowError] = field(default_factory=list)
    rolled_back: bool = False
    numbers: list[str] = field(default_factory=list)

    @property
    def error_rows(self) -> set[int]:
        return {error.row for error in self.errors if error.row}


@dataclass
class Candidate:
    """A row that passed the checks: the keyword arguments for submit_appeal."""

    row: int
    fields: dict
    layout: Layout

    def column_for(self, field_name: str | None) -> str:
        return self.layout.column_for(field_name)


class RowCheck:
    """One data row's values by header, and the errors found in it."""

    def __init__(self, row: int, values: dict[str, object]):
        self.row = row
        self.values = values
        self.errors: list[RowError] = []

    def line(self, column: str | None) -> str:
        return clean_line(self.values.get(column)) if column else ""

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.row, column, message))

    def limited(self, column: str, text: str, limit: int, label: str) -> str:
        if len(text) > limit:
            self.fail(column, f"{label}不能超过{limit}个字符(现为{len(text)}个)")
        return text


def _texts(check: RowCheck, layout: Layout) -> tuple[str, str]:
    title = check.line(layout.title)
    content = clean_text(check.values.get(layout.content)) if layout.content else ""
    if not title and not content:
        check.fail(layout.title or layout.content, "标题和内容不能都为空")
        return "", ""
    title = title or headline(content)
    check.limited(layout.title or layout.content, title, MAX_TITLE, "标题")
    content = content or title
    check.limited(layout.content or layout.title, content, MAX_CONTENT, "内容")
    return title, content


def parse_when(value, *, now: dt.datetime | None = None) -> dt.datetime:
    """An aware datetime (settings.TIME_ZONE) from a date cell, not in the future.

    The shapes read are banshi.lib.spreadsheet.parse_datetime's; empty, unreadable and
    future values raise CellError.
    """
    zone = timezone.get_default_timezone()
    when = parse_datetime(value, tz=zone)
    if problem := validators.date_problem(when.astimezone(zone).date()):
        raise CellError(problem)
    if when > (now or timezone.now()) + FUTURE_TOLERANCE:
        raise CellError(f"日期{when.astimezone(zone):%Y-%m-%d %H:%M}晚于当前时间")
    return when


def _when(check: RowCheck, layout: Layout):
    try:
        return parse_when(check.values.get(layout.when))
    except CellError as exc:
        check.fail(layout.when, exc.message)
        return None


def _phone(check: RowCheck, layout: Layout) -> str:
    try:
        return validators.normalise_phone(check.line(layout.phone))
    except ValueError as exc:
        check.fail(layout.phone, str(exc))
        return ""


def check_row(check: RowCheck, layout: Layout, lookups: Lookups) -> dict:
    """The submit_appeal arguments for a row; problems are collected on `check`."""
    title, content = _texts(check, layout)
    fields = {
        "title": title,
        "content": content,
        "collected_at": _when(check, layout),
        "contact_name": check.limited(layout.name, check.line(layout.name), MAX_NAME, "诉求人"),
        "channel": layout.channel,
    }
    if layout.phone:
        fields["contact_phone"] = _phone(check, layout)
    if layout.external_id:
        external_id = check.line(layout.external_id)
        fields["external_id"] = check.limited(
            layout.external_id, external_id, MAX_EXTERNAL_ID, "编号")
    fields |= lookups.resolve(check, layout)
    if likes := _likes(check):
        fields["likes"] = likes
    return fields


def _likes(check: RowCheck) -> int:
    """点赞数 of a message-board row (0 when absent or not a number)."""
    return cell_count(check.values.get("点赞数"))


def _validate(rows, layout: Layout, lookups: Lookups, report: ImportReport) -> list[Candidate]:
    candidates: list[Candidate] = []
    first_seen: dict[str, int] = {}
    for number, values in rows:
        report.total += 1
        check = RowCheck(number, values)
        fields = check_row(check, layout, lookups)
        if check.errors:
            report.errors.extend(check.errors)
            continue
        external_id = fields.get("external_id")
        if external_id and external_id in first_seen:
            message = f"与第{first_seen[external_id]}行的编号“{external_id}”重复"
            report.skipped.append(RowError(number, layout.external_id, message))
            continue
        if external_id:
            first_seen[external_id] = number
        candidates.append(Candidate(number, fields, layout))
    return candidates


def _drop_known(candidates: list[Candidate], report: ImportReport) -> list[Candidate]:
    """Skip rows whose external id an earlier import already brought in."""
    ids = [c.fields["external_id"] for c in candidates if c.fields.get("external_id")]
    known: dict[str, str] = {}
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        known |= dict(Appeal.objects.filter(external_id__in=batch)
                      .values_list("external_id", "number"))
    fresh = []
    for candidate in candidates:
        number = known.get(candidate.fields.get("external_id", ""))
        if number:
            report.skipped.append(RowError(
                candidate.row, candidate.layout.external_id,
                f"编号“{candidate.fields['external_id']}”已导入为诉求{number}"))
        else:
            fresh.append(candidate)
    return fresh


class _RowFailed(Exception):
    def __init__(self, error: RowError):
        super().__init__(error.message)
        self.error = error


def _submit(candidate: Candidate, actor, label: str | None) -> str:
    try:
        appeal, _code = actions.submit_appeal(**candidate.fields, actor=actor, label=label,
                                              route=False)
    except actions.ActionError as exc:
        column = candidate.column_for(exc.field)
        raise _RowFailed(RowError(candidate.row, column, exc.message)) from exc
    return appeal.number


def _db_error(row: int, exc: DatabaseError, rows: int) -> RowError:
    log.warning("import: database error %s at row %s", type(exc).__name__, row)
    return RowError(row, "数据库", f"写入失败({type(exc).__name__})，本批{rows}行未导入")


def _write_batches(candidates, report: ImportReport, actor, label) -> None:
    """Keep what can be kept: a failing row is reported, a failing batch is rolled back."""
    for start in range(0, len(candidates), BATCH):
        batch, numbers, failed = candidates[start:start + BATCH], [], []
        try:
            with transaction.atomic():
                for candidate in batch:
                    try:
                        numbers.append(_submit(candidate, actor, label))
                    except _RowFailed as exc:
                        failed.append(exc.error)
        except DatabaseError as exc:
            report.errors.append(_db_error(batch[0].row, exc, len(batch)))
            continue
        report.errors.extend(failed)
        report.numbers.extend(numbers)


def _write_all(candidates, report: ImportReport, actor, label) -> None:
    """All rows in one transaction: the first failure undoes everything."""
    numbers, current = [], None
    try:
        with transaction.atomic():
            for current in candidates:
                numbers.append(_submit(current, actor, label))
    except _RowFailed as exc:
        report.errors.append(exc.error)
    except DatabaseError as exc:
        report.errors.append(_db_error(current.row if current else 0, exc, len(candidates)))
    else:
        report.numbers.extend(numbers)


def _open_rows(source, filename: str, report: ImportReport):
    """(layout, data rows) or None with a file-level error on the report.

    The header is the first of the first HEADER_SEARCH non-blank rows that names a layout,
    so a title line above the header ("2024年诉求台账") does no harm.
    """
    try:
        rows = iter(read_rows(source, filename))
        leading = list(islice(rows, HEADER_SEARCH))
    except UnreadableFile as exc:
        report.errors.append(RowError(0, "文件", exc.message))
        return None
    for index, (_number, header) in enumerate(leading):
        layout, _problem = detect_layout(header)
        if layout is not None:
            return layout, layout.records(header, chain(leading[index + 1:], rows))
    first_row, first_header = leading[0] if leading else (1, [])
    report.errors.append(RowError(first_row, "表头", detect_layout(first_header)[1]))
    return None


def import_appeals(source: BinaryIO | Path, *, filename: str, actor=None,
                   all_or_nothing: bool = False) -> ImportReport:
    """Import the appeals in a spreadsheet or CSV file; see the module docstring."""
    if actor is not None and not permissions.can_enter_offline(actor):
        raise actions.NotPermitted("当前账号不能录入诉求")
    report = ImportReport()
    opened = _open_rows(source, filename, report)
    if opened is None:
        return report
    layout, rows = opened
    candidates = _validate(rows, layout, Lookups(), report)
    candidates = _drop_known(candidates, report)
    if all_or_nothing and report.errors:
        report.rolled_back = True
        return report
    label = None if actor is not None else IMPORT_LABEL
    if all_or_nothing:
        _write_all(candidates, report, actor, label)
        report.rolled_back = bool(report.errors)
    else:
        _write_batches(candidates, report, actor, label)
    report.imported = len(report.numbers)
    return report


"""Message-board files: reading an export into `Message`s, writing the problem tables.

Columns by header: 留言编号, 留言用户, 留言主题, 留言时间, 留言详情, 点赞数, 反对数 (the last
two optional). The exports are dirty and the reader copes: ids stored as floats
("188006.0"), 留言时间 as text ("2019/4/25 9:32:09", "2019-04-25  09:32", "2019年4月25日")
next to real Excel dates and serial numbers, bodies padded with \\n \\t, full-width and
non-breaking spaces. Rows without a readable time or without any text are skipped and
counted, not fatal.

`write_problem_tables` writes the two tables the 2020 泰迪杯 task asked for: 热点问题表 and
热点问题留言明细表.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from banshi.lib.spreadsheet import (
    CellError,
    CellValue,
    Row,
    SheetWriter,
    UnreadableFile,
    cell_count,
    clean_line,
    header_names,
    parse_datetime,
    read_table,
)

from .problems import Cluster, Message

COLUMNS = {"id": "留言编号", "user": "留言用户", "title": "留言主题", "at": "留言时间",
           "content": "留言详情", "likes": "点赞数", "dislikes": "反对数"}
REQUIRED = ("id", "at")
_FLOAT_ID = re.compile(r"^(\d+)\.0*$")  # "188006.0" as a spreadsheet saved it


class MessageFileError(ValueError):
    """The file cannot be read as a message board; `message` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class ReadReport:
    messages: list[Message] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # 1-based row numbers (header = 1)


def read_messages(path: str | Path) -> list[Message]:
    """The messages of a message-board file; unreadable rows are left out."""
    return read_report(path).messages


def read_report(path: str | Path) -> ReadReport:
    """The messages and the rows that were skipped (no readable time or no text)."""
    path = Path(path)
    try:
        header, rows = read_table(path)
    except UnreadableFile as exc:
        raise MessageFileError(exc.message) from exc
    columns = _columns(header)
    report = ReadReport()
    for number, row in rows:
        message = _message(row, columns)
        if message is None:
            report.skipped.append(number)
        else:
            report.messages.append(message)
    return report


def _columns(header: Row) -> dict[str, int]:
    names = header_names(header)
    columns = {field_: names.index(title) for field_, title in COLUMNS.items() if title in names}
    missing = [COLUMNS[f] for f in REQUIRED if f not in columns]
    if missing or ("title" not in columns and "content" not in columns):
        wanted = "、".join(missing or ["留言主题或留言详情"])
        raise MessageFileError(f"缺少列：{wanted}")
    return columns


def _message(row: Row, columns: dict[str, int]) -> Message | None:
    def cell(name: str) -> CellValue | None:
        index = columns.get(name)
        return row[index] if index is not None and index < len(row) else None

    at = parse_time(cell("at"))
    title, content = clean_line(cell("title")), clean_line(cell("content"))
    identifier = _FLOAT_ID.sub(r"\1", clean_line(cell("id")))
    if at is None or not identifier or not (title or content):
        return None
    return Message(id=identifier, user=clean_line(cell("user")), title=title, content=content,
                   at=at, likes=cell_count(cell("likes")), dislikes=cell_count(cell("dislikes")))


def parse_time(value: object) -> dt.datetime | None:
    """A naive wall-clock datetime from a date cell, None when it holds no readable date."""
    try:
        return parse_datetime(value)
    except CellError:
        return None


PROBLEM_SHEET = "热点问题表"
PROBLEM_HEADERS = ["热度排名", "问题ID", "热度指数", "时间范围", "地点/人群", "问题描述"]
DETAIL_SHEET = "热点问题留言明细表"
DETAIL_HEADERS = ["问题ID", "留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "点赞数",
                  "反对数"]


def write_problem_tables(clusters: list[Cluster], messages: list[Message],
                         target: BinaryIO | Path) -> None:
    """热点问题表 (one row per problem) and 热点问题留言明细表 (one row per message).

    问题ID is the problem's rank; messages are listed hottest first within a problem.
    """
    by_id = {m.id: m for m in messages}
    book = Workbook(write_only=True)
    problems = SheetWriter(book.create_sheet(PROBLEM_SHEET))
    details = SheetWriter(book.create_sheet(DETAIL_SHEET), date_format="yyyy-mm-dd hh:mm:ss")
    problems.header(PROBLEM_HEADERS)
    details.header(DETAIL_HEADERS)
    for cluster in clusters:
        period = f"{cluster.start:%Y/%m/%d} 至 {cluster.end:%Y/%m/%d}"
        problems.append([cluster.rank, cluster.rank, cluster.heat, period, cluster.where,
                         cluster.title])
        for message_id in cluster.message_ids:
            m = by_id[message_id]
            details.append([cluster.rank, _id_value(details, m.id), m.user, m.title, m.at,
                            m.content, m.likes, m.dislikes])
    book.save(target)


def _id_value(writer: SheetWriter, identifier: str) -> int | str | Cell:
    """Numeric 留言编号 as numbers (as in the source file), others as text."""
    if identifier.isdigit() and len(identifier) < 16:
        return int(identifier)
    return writer.text(identifier)

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

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from python_calamine import CalamineWorkbook

from .problems import Cluster, Message

COLUMNS = {"id": "留言编号", "user": "留言用户", "title": "留言主题", "at": "留言时间",
           "content": "留言详情", "likes": "点赞数", "dislikes": "反对数"}
REQUIRED = ("id", "at")
SPREADSHEETS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*[ T]?\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*(?:[:：分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?)?"
)
_FLOAT_ID = re.compile(r"^(\d+)\.0*$")  # "188006.0" as a spreadsheet saved it
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - spreadsheet times are wall-clock


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
    rows = _rows(path)
    if not rows:
        raise MessageFileError(f"文件为空：{path.name}")
    columns = _columns(rows[0])
    report = ReadReport()
    for number, row in enumerate(rows[1:], start=2):
        message = _message(row, columns)
        if message is None:
            if any(cell not in (None, "") for cell in row):
                report.skipped.append(number)
        else:
            report.messages.append(message)
    return report


def _rows(path: Path) -> list[list]:
    suffix = path.suffix.lower()
    if suffix in SPREADSHEETS:
        try:
            return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        except Exception as exc:  # calamine raises several types for broken files
            raise MessageFileError(f"无法读取表格文件：{path.name}") from exc
    if suffix in {".csv", ".txt"}:
        return list(csv.reader(io.StringIO(_decode(path.read_bytes()))))
    raise MessageFileError(f"不支持的文件类型“{suffix}”，请使用 xlsx 或 csv")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise MessageFileError("无法识别 CSV 文件的编码，请另存为 UTF-8")


def _columns(header: list) -> dict[str, int]:
    names = [_SPACES.sub("", str(cell or "")) for cell in header]
    columns = {field_: names.index(title) for field_, title in COLUMNS.items() if title in names}
    missing = [COLUMNS[f] for f in REQUIRED if f not in columns]
    if missing or ("title" not in columns and "content" not in columns):
        wanted = "、".join(missing or ["留言主题或留言详情"])
        raise MessageFileError(f"缺少列：{wanted}")
    return columns


def _message(row: list, columns: dict[str, int]) -> Message | None:
    def cell(name: str):
        index = columns.get(name)
        return row[index] if index is not None and index < len(row) else None

    at = parse_time(cell("at"))
    title, content = clean_text(cell("title")), clean_text(cell("content"))
    identifier = _FLOAT_ID.sub(r"\1", cell_text(cell("id")))
    if at is None or not identifier or not (title or content):
        return None
    return Message(id=identifier, user=cell_text(cell("user")), title=title, content=content,
                   at=at, likes=_count(cell("likes")), dislikes=_count(cell("dislikes")))


def cell_text(value) -> str:
    """A cell as one trimmed line; integral floats lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _SPACES.sub(" ", str(value)).strip()


def clean_text(value) -> str:
    """Body text with whitespace runs (\\n \\t U+3000 NBSP) collapsed to one space."""
    return cell_text(value)


def _count(value) -> int:
    try:
        return max(0, int(float(value)))
    except (TypeError, ValueError):
        return 0


def parse_time(value) -> dt.datetime | None:
    """A naive wall-clock datetime from a text, date, datetime or Excel serial cell."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())  # noqa: DTZ001
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _EXCEL_EPOCH + dt.timedelta(days=float(value)) if 20000 < value < 80000 else None
    text = cell_text(value)
    match = _DATE.search(text)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        return dt.datetime(year, month, day, hour, minute, second)  # noqa: DTZ001
    except ValueError:
        return None


PROBLEM_SHEET = "热点问题表"
PROBLEM_HEADERS = ["热度排名", "问题ID", "热度指数", "时间范围", "地点/人群", "问题描述"]
DETAIL_SHEET = "热点问题留言明细表"
DETAIL_HEADERS = ["问题ID", "留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "点赞数",
                  "反对数"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32767


def write_problem_tables(clusters: list[Cluster], messages: list[Message],
                         target: BinaryIO | Path) -> None:
    """热点问题表 (one row per problem) and 热点问题留言明细表 (one row per message).

    问题ID is the problem's rank; messages are listed hottest first within a problem.
    """
    by_id = {m.id: m for m in messages}
    book = Workbook(write_only=True)
    problems = book.create_sheet(PROBLEM_SHEET)
    details = book.create_sheet(DETAIL_SHEET)
    for sheet, headers in ((problems, PROBLEM_HEADERS), (details, DETAIL_HEADERS)):
        sheet.freeze_panes = "A2"
        sheet.append([_header(sheet, title) for title in headers])
    for cluster in clusters:
        period = f"{cluster.start:%Y/%m/%d} 至 {cluster.end:%Y/%m/%d}"
        problems.append([cluster.rank, cluster.rank, cluster.heat, period,
                         _text(problems, cluster.place), _text(problems, cluster.title)])
        for message_id in cluster.message_ids:
            m = by_id[message_id]
            details.append([cluster.rank, _id_value(details, m.id), _text(details, m.user),
                            _text(details, m.title), _when(details, m.at),
                            _text(details, m.content), m.likes, m.dislikes])
    book.save(target)


def _header(sheet, title: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=title)
    cell.font = Font(bold=True)
    return cell


def _id_value(sheet, identifier: str):
    """Numeric 留言编号 as numbers (as in the source file), others as text."""
    if identifier.isdigit() and len(identifier) < 16:
        return int(identifier)
    return _text(sheet, identifier)


def _when(sheet, at: dt.datetime) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=at.replace(tzinfo=None))  # wall-clock, as read
    cell.number_format = "yyyy-mm-dd hh:mm:ss"
    return cell


def _text(sheet, value: str):
    """Text that stays text: no illegal characters, no formulas, within Excel's limit."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value or "")
    if len(value) > EXCEL_CELL_LIMIT:
        value = value[:EXCEL_CELL_LIMIT - 1] + "…"
    if not value.startswith(FORMULA_STARTS):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell

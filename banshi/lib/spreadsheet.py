"""Spreadsheets in and out, without Django: reading, cleaning cells, one date parser, safe writing.

Every table Banshi takes in or gives out goes through here: the ledger import and export, the
region/unit/taxonomy loaders, the triage datasets and the message-board reader.

Reading: the first sheet of an .xlsx/.xlsm/.xls/.xlsb/.ods file (python-calamine) or a CSV/TSV
file (UTF-8 with or without BOM, GB18030, UTF-16 with BOM), from a path or a file-like, as
(row number, cells) with blank rows left out; the numbers are the sheet's, so a message can
point at the row a person sees. A file that cannot be read raises UnreadableFile.

Cleaning: cells come dirty (bodies padded with tabs and newlines, full-width U+3000 and
non-breaking spaces, ids stored as floats, stray control characters). `clean_line` and
`clean_text` take whatever a reader gives and return text a database accepts: NUL and the other
control characters and lone surrogates are removed.

Dates: `parse_datetime` reads the shapes exports use ("2019/4/25 9:32:09",
"2019-04-25  09:32", "2019年4月25日 9时32分", ISO 8601), Excel serial numbers and
date/datetime objects, and raises CellError for anything else, years outside
MIN_YEAR..MAX_YEAR included. Whether a date may lie in the future is the caller's rule.

Writing: `SheetWriter` turns values into cells of an openpyxl write-only sheet so that text
stays text (a cell starting with = + - @ is never run as a formula), characters XML cannot
hold are dropped and Excel's cell limit is kept.
"""

import codecs
import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, SupportsFloat

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from python_calamine import CalamineWorkbook

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
# calamine lays a sheet out as a dense grid from its first to its last cell: one cell at
# XFD1048576 would make it ask for 500 GB and abort the process. 10 million cells (about
# 1,000,000 rows × 10 columns) is well above any ledger and refused beyond.
MAX_CELLS = 10_000_000

Source = str | Path | BinaryIO
# A cell as the readers give it: text from a CSV file, and from a workbook (python-calamine)
# also numbers, booleans, dates, datetimes, times and durations.
CellValue = int | float | str | bool | dt.time | dt.date | dt.datetime | dt.timedelta
Row = Sequence[CellValue]


class _UserError(ValueError):
    """An error whose `message` is shown to the person who gave the file (Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UnreadableFile(_UserError):
    """The file is not a spreadsheet or CSV that can be read."""


class CellError(_UserError):
    """A cell's value cannot be used."""


# --- reading ---------------------------------------------------------------------------------

def file_suffix(filename: str) -> str:
    """The lower-case suffix of a readable file name; UnreadableFile for any other."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES | CSV_SUFFIXES:
        raise UnreadableFile(
            f"不支持的文件类型“{suffix or filename}”，请上传 xlsx、xls、ods 或 csv 文件")
    return suffix


def read_rows(source: Source, filename: str | None = None) -> Iterator[tuple[int, Row]]:
    """(row number, cell values) of every non-blank row of the first sheet, header included.

    `filename` names the format when `source` is a file-like (an upload); a path's own name is
    used otherwise. The file is read and checked at the call; the rows are handed out lazily.
    """
    if isinstance(source, str):
        source = Path(source)
    name = filename or (source.name if isinstance(source, Path) else "")
    suffix = file_suffix(name)
    if isinstance(source, Path) and not source.is_file():
        raise UnreadableFile(f"文件不存在：{source.name}")
    rows: Iterable[Row] = (
        _csv_rows(source, suffix) if suffix in CSV_SUFFIXES else _sheet_rows(source))
    return ((number, row) for number, row in enumerate(rows, start=1) if not is_blank(row))


def read_table(path: Path) -> tuple[Row, Iterator[tuple[int, Row]]]:
    """(header row, the numbered rows after it) of a file; UnreadableFile, its message
    prefixed with the file's name, when it cannot be read or is empty."""
    try:
        rows = read_rows(path)
    except UnreadableFile as exc:
        raise UnreadableFile(f"{path.name}：{exc.message}") from exc
    _, header = next(rows, (0, None))
    if header is None:
        raise UnreadableFile(f"文件为空：{path.name}")
    return header, rows


def _sheet_rows(source: Path | BinaryIO) -> Iterator[Row]:
    _check_extent(source)
    try:
        if isinstance(source, Path):
            book = CalamineWorkbook.from_path(str(source))
        else:
            book = CalamineWorkbook.from_filelike(source)
        # iter_rows starts at the sheet's row 1 even when the first rows are empty.
        return book.get_sheet_by_index(0).iter_rows()
    except Exception as exc:  # calamine raises several types (zip, XML, format) for bad files
        raise UnreadableFile(
            "无法读取表格文件，请确认文件未损坏且为 xlsx、xls 或 ods 格式") from exc


# In an xlsx worksheet's XML, cells with content (<c r="AB12" ...>...</c>; a self-closing
# <c .../> or an empty <c ...></c> is a merely styled cell calamine ignores: openpyxl writes
# the first without lxml and the second with it) and the row that holds the first such cell of
# a row (cells may leave out r= and take their row's number).
_EMPTY_END = rb'(?!\s*</(?:\w+:)?c>)'
_CELL = rb'<(?:\w+:)?c(?:\s[^>]*)?(?<!/)>' + _EMPTY_END
_EMPTY_CELL = rb'<(?:\w+:)?c\s[^>]*(?:/>|(?<!/)>\s*</(?:\w+:)?c>)'
_FILLED_CELL = re.compile(
    rb'<(?:\w+:)?c\s[^>]*?\br="([A-Za-z]+)([0-9]+)"[^>]*(?<!/)>' + _EMPTY_END)
_FILLED_ROW = re.compile(
    rb'<(?:\w+:)?row\s[^>]*?\br="([0-9]+)"[^>]*(?<!/)>\s*(?:' + _EMPTY_CELL + rb'\s*)*' + _CELL)
_SCAN_CHUNK = 1 << 23


def _check_extent(source: Path | BinaryIO) -> None:
    """Refuse an xlsx/xlsm workbook whose sheets span more than MAX_CELLS (see there).

    Reads the worksheets' XML once, in chunks, looking only at the references; a file that is
    no zip is left to calamine, which says what is wrong with it.
    """
    try:
        book = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        book = None
    try:
        if book is not None:
            _check_sheets(book)
    except (zipfile.BadZipFile, OSError, EOFError):
        pass  # a broken member: calamine reports the file as unreadable
    finally:
        if not isinstance(source, Path):
            source.seek(0)


def _check_sheets(book: zipfile.ZipFile) -> None:
    for info in book.infolist():
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            rows, columns = _extent(book, info)
            if rows * columns > MAX_CELLS:
                raise UnreadableFile(
                    f"表格范围过大(到第{rows}行、第{columns}列)，"
                    "请删除多余的行列或另存为 csv 后重试")


def _extent(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """(last row, last column) holding content in a worksheet, read in chunks."""
    rows = columns = 0
    pending = b""
    with book.open(info) as stream:
        while True:
            chunk = stream.read(_SCAN_CHUNK)
            data = pending + chunk
            cut = _last_row_start(data) if chunk else len(data)  # whole rows; the rest waits
            pending, data = data[cut:], data[:cut]
            if cells := _FILLED_CELL.findall(data):
                letters, numbers = {c for c, _ in cells}, {n for _, n in cells}
                columns = max(columns, *map(_column_number, letters))
                rows = max(rows, *map(int, numbers))
            if numbers := set(_FILLED_ROW.findall(data)):
                rows = max(rows, *map(int, numbers))
            if not chunk:
                return rows, columns


def _last_row_start(data: bytes) -> int:
    """Where the last <row> (or <x:row>) tag of `data` starts; its last tag in a giant row."""
    plain = max(data.rfind(b"<row "), data.rfind(b"<row>"))
    prefixed = data.rfind(b":row ")
    prefixed = data.rfind(b"<", 0, prefixed) if prefixed > 0 else -1
    start = max(plain, prefixed)
    return start if start > 0 else data.rfind(b"<")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-16 with a BOM, UTF-8 (BOM or not), else GB18030."""
    encodings = (("utf-16",) if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
                 else ("utf-8-sig", "gb18030"))
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("无法识别CSV文件的编码，请另存为 UTF-8 编码")


def _csv_rows(source: Path | BinaryIO, suffix: str) -> list[list[str]]:
    data = source.read_bytes() if isinstance(source, Path) else source.read()
    text = data if isinstance(data, str) else decode(data)
    first_line = text.split("\n", 1)[0]
    tabbed = suffix == ".tsv" or ("\t" in first_line and "," not in first_line)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter="\t" if tabbed else ","))
    except csv.Error as exc:
        raise UnreadableFile(f"CSV文件格式有误：{exc}") from exc


def is_blank(row: Iterable[object]) -> bool:
    """True when no cell of the row holds anything but spaces."""
    return all(value is None or (isinstance(value, str) and not clean_line(value))
               for value in row)


# --- cleaning --------------------------------------------------------------------------------

# Spaces that str.split() already treats as whitespace are listed for clarity; zero-width marks
# are not whitespace to Python and would survive. Control characters (NUL included, which
# PostgreSQL refuses in text) and lone surrogates (not UTF-8) are dropped.
_CLEAN = str.maketrans(
    {"\u3000": " ", "\u00a0": " ", "\u200b": "", "\ufeff": "", "\u2028": "\n", "\u2029": "\n"}
    | {chr(code): None for code in (*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F)}
    | {chr(code): None for code in range(0xD800, 0xE000)}
)
_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\v|\f")


def cell_text(value: object) -> str:
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


def clean_line(value: object) -> str:
    """One line of text: every whitespace run (line breaks included) becomes one space."""
    return " ".join(cell_text(value).translate(_CLEAN).split())


def clean_text(value: object) -> str:
    """A body of text: whitespace runs collapse to one space, paragraphs stay apart.

    Each line is collapsed and stripped; empty lines go; the lines are joined with one
    newline: "\\n\\t尊敬的领导：\\r\\n\\u3000\\u3000您好！\\n" → "尊敬的领导：\\n您好！".
    """
    lines = _LINE_BREAKS.split(cell_text(value).translate(_CLEAN))
    return "\n".join(line for line in (" ".join(raw.split()) for raw in lines) if line)


def headline(text: str, length: int = 30) -> str:
    """A title made from the start of a body of text."""
    return clean_line(text)[:length].strip()


def header_names(row: Iterable[object]) -> list[str]:
    """Header cells without any spaces or required-field stars ("* 留言 主题" → "留言主题")."""
    return [clean_line(cell).replace(" ", "").strip("*＊") for cell in row]


def cell_count(value: object, limit: int = 2**31 - 1) -> int:
    """A count (点赞数 and the like): a whole number in 0..limit, 0 when empty or unreadable."""
    if isinstance(value, str):
        value = clean_line(value)
    elif not isinstance(value, SupportsFloat):  # None, a date or time
        return 0
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    if math.isnan(number):
        return 0
    return int(min(max(number, 0.0), float(limit)))


# --- dates -----------------------------------------------------------------------------------

MIN_YEAR, MAX_YEAR = 1900, 2100
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*[T ]?\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})\s*"
    r"(?:(?:[:：]|分\s*)(\d{1,2})(?:\.\d+)?\s*秒?|分)?)?"
)
# Excel serial day numbers that plausibly are dates (1954–2119), for numeric date cells.
_SERIAL_RANGE = (20000, 80000)
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - spreadsheet times are wall-clock
_EXAMPLE = "请写成 2024-05-01 09:30"


def parse_datetime(value: object, *, tz: dt.tzinfo | None = None) -> dt.datetime:
    """The datetime a date cell holds; CellError when empty, unreadable or out of range.

    Accepts "2019/4/25 9:32:09", "2019-04-25  09:32", "2019.4.5", "2019年4月25日",
    "2019年4月25日9时32分", ISO 8601 with or without an offset, datetime and date objects and
    Excel serial numbers. Without `tz` the result is naive wall-clock time (an offset is
    dropped, the time kept as written); with `tz` it is aware: naive values are taken as
    wall-clock time in `tz`, aware ones converted to it.
    """
    if value is None or (isinstance(value, str) and not clean_line(value)):
        raise CellError("不能为空")
    if isinstance(value, dt.datetime):
        when = value
    elif isinstance(value, dt.date):
        when = dt.datetime.combine(value, dt.time())  # noqa: DTZ001
    elif isinstance(value, int | float) and not isinstance(value, bool):
        when = _from_serial(float(value))
    elif isinstance(value, str):
        when = _from_text(clean_line(value))
    else:
        raise CellError(f"无法识别的日期“{clean_line(value)[:40]}”")
    if not MIN_YEAR <= when.year <= MAX_YEAR:
        raise CellError(f"日期“{cell_text(value)[:40]}”超出范围，年份须在{MIN_YEAR}—{MAX_YEAR}之间")
    if tz is None:
        return when.replace(tzinfo=None)
    return when.astimezone(tz) if when.tzinfo is not None else when.replace(tzinfo=tz)


def _from_text(text: str) -> dt.datetime:
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
        raise CellError(f"无法识别的日期“{text[:40]}”，{_EXAMPLE}") from exc


def _from_serial(number: float) -> dt.datetime:
    low, high = _SERIAL_RANGE
    if not low <= number < high:  # NaN fails here too
        raise CellError(f"无法识别的日期“{cell_text(number)}”，{_EXAMPLE}")
    return _EXCEL_EPOCH + dt.timedelta(days=number)


# --- writing ---------------------------------------------------------------------------------

# A cell starting with one of these would be read as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32767  # characters as Excel counts them: UTF-16 code units
_SURROGATES = re.compile("[\ud800-\udfff]")


def sheet_text(value: str) -> str:
    """Text an xlsx cell can hold: no characters XML refuses, within Excel's limit."""
    value = _SURROGATES.sub("", ILLEGAL_CHARACTERS_RE.sub("", value))
    if len(value) <= EXCEL_CELL_LIMIT // 2:  # cannot be over the limit even if all are emoji
        return value
    units = value.encode("utf-16-le")
    if len(units) <= 2 * EXCEL_CELL_LIMIT:
        return value
    # Cut on a code unit boundary; a half of an emoji's surrogate pair is dropped.
    return units[:2 * (EXCEL_CELL_LIMIT - 1)].decode("utf-16-le", errors="ignore") + "…"


class SheetWriter:
    """Values → cells of one openpyxl write-only sheet: text stays text, dates are dates.

    Aware datetimes are shown in `tz` (naive ones as they are); column widths and the frozen
    header row are set here because a write-only sheet takes them only before the first row.
    """

    def __init__(self, sheet: WriteOnlyWorksheet, *, date_format: str = "yyyy-mm-dd hh:mm",
                 tz: dt.tzinfo | None = None, widths: Iterable[float] = (),
                 freeze: str | None = "A2") -> None:
        self.sheet = sheet
        self.date_format = date_format
        self.tz = tz
        # a write-only sheet has column_dimensions (from Worksheet._setup) that types-openpyxl
        # leaves out
        columns = sheet.column_dimensions  # type: ignore[attr-defined]
        for index, width in enumerate(widths, start=1):
            columns[get_column_letter(index)].width = width
        if freeze:
            sheet.freeze_panes = freeze

    def header(self, titles: Iterable[str]) -> None:
        """Append the header row, in bold."""
        cells = []
        for title in titles:
            cell = WriteOnlyCell(self.sheet, value=sheet_text(title))
            cell.font = Font(bold=True)
            cells.append(cell)
        self.sheet.append(cells)

    def append(self, values: Iterable[object]) -> None:
        """Append one row of values (str, numbers, dates, datetimes, None, or ready cells)."""
        self.sheet.append([self.cell(value) for value in values])

    def cell(self, value: object) -> object:
        """The value as it goes into the sheet: text and dates made safe, the rest as it is."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dt.datetime | dt.date):
            return self.when(value)
        return value

    def text(self, value: str) -> str | Cell:
        """A string, or a cell forced to text when the string would start a formula."""
        value = sheet_text(value)
        if not value.startswith(FORMULA_STARTS):
            return value
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.data_type = "s"  # never a formula
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        return cell

    def when(self, value: dt.date) -> Cell:
        """A date cell; a datetime in `date_format`, a plain date as yyyy-mm-dd."""
        if not isinstance(value, dt.datetime):
            cell = WriteOnlyCell(self.sheet)
            cell.value = value  # (types-openpyxl's WriteOnlyCell leaves dates out of `value`)
            cell.number_format = "yyyy-mm-dd"
            return cell
        if value.tzinfo is not None:
            value = (value.astimezone(self.tz) if self.tz else value).replace(tzinfo=None)
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.number_format = self.date_format
        return cell

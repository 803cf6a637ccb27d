"""Reading the first sheet of a spreadsheet or a CSV file into rows of cell values."""

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from python_calamine import CalamineError, CalamineWorkbook

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}


class UnreadableFile(ValueError):
    """The file is not a spreadsheet or CSV we can read; `message` is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _suffix(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES | CSV_SUFFIXES:
        raise UnreadableFile(
            f"不支持的文件类型“{suffix or filename}”，请上传 xlsx、xls、ods 或 csv 文件")
    return suffix


def _spreadsheet_rows(source: BinaryIO | Path) -> list[list]:
    try:
        if isinstance(source, Path):
            book = CalamineWorkbook.from_path(str(source))
        else:
            book = CalamineWorkbook.from_filelike(source)
        # skip_empty_area=False keeps index 0 at row 1, so row numbers match the sheet's.
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError, IndexError) as exc:
        raise UnreadableFile(
            "无法读取该表格文件，请确认文件未损坏且为 xlsx、xls 或 ods 格式") from exc


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("无法识别CSV文件的编码，请另存为 UTF-8 编码") from exc


def _csv_rows(source: BinaryIO | Path) -> list[list]:
    data = source.read_bytes() if isinstance(source, Path) else source.read()
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UnreadableFile(f"CSV文件格式有误：{exc}") from exc


def _is_blank(row: list) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def read_rows(source: BinaryIO | Path, filename: str) -> Iterator[tuple[int, list]]:
    """(spreadsheet row number, cell values) for every non-blank row, header included."""
    suffix = _suffix(filename)
    rows = _csv_rows(source) if suffix in CSV_SUFFIXES else _spreadsheet_rows(source)
    for number, row in enumerate(rows, start=1):
        if not _is_blank(row):
            yield number, row

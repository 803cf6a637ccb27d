"""One ledger workbook (台账) in the layout district offices use: a title row, the period and
scope line, then the header (frozen with the rows above it), set column widths and wrapped
text. Pure: sheets in, bytes out. Cells go through banshi.lib.spreadsheet.SheetWriter, so text
that a spreadsheet would run as a formula stays text."""

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from banshi.lib.spreadsheet import SheetWriter

HEADER_ROW = 3  # title, period line, header
FREEZE = f"B{HEADER_ROW + 1}"  # the header rows and the 序号 column stay in view
DATE_FORMAT = "yyyy-mm-dd hh:mm"
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
THIN = Side(style="thin", color="999999")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass
class Sheet:
    """One sheet of a ledger: `columns` are (header, width) pairs; `rows` the values in that
    order (str, numbers, dates, aware datetimes, None); 序号 is added in front."""

    name: str
    title: str
    period: str
    columns: Sequence[tuple[str, float]]
    rows: Iterable[Sequence[object]] = field(default_factory=list)


def period_line(start: dt.date, end: dt.date, scope: str) -> str:
    return (f"统计期间：{start:%Y年%m月%d日}至{end:%Y年%m月%d日}　范围：{scope}　"
            f"制表日期：{timezone.localdate():%Y年%m月%d日}")


def write_book(sheets: Iterable[Sheet]) -> bytes:
    """The workbook of `sheets` as .xlsx bytes."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(book, sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(book: Workbook, spec: Sheet) -> None:
    sheet = book.create_sheet(spec.name[:31])
    columns = [("序号", 6), *spec.columns]
    writer = SheetWriter(sheet, date_format=DATE_FORMAT, tz=timezone.get_default_timezone(),
                         widths=[width for _title, width in columns], freeze=FREEZE)
    last = len(columns)
    sheet.merged_cells.ranges.add(f"A1:{get_column_letter(last)}1")  # type: ignore[attr-defined]
    sheet.merged_cells.ranges.add(f"A2:{get_column_letter(last)}2")  # type: ignore[attr-defined]
    sheet.row_dimensions[1].height = 30  # type: ignore[attr-defined]
    sheet.append([_styled(writer, spec.title, Font(bold=True, size=16), CENTRE)])
    sheet.append([_styled(writer, spec.period, Font(size=10), Alignment(vertical="center"))])
    sheet.append([_styled(writer, title, Font(bold=True), CENTRE, GRID)
                  for title, _width in columns])
    for number, row in enumerate(spec.rows, start=1):
        sheet.append([_styled(writer, value, None, WRAP, GRID) for value in (number, *row)])


def _styled(writer: SheetWriter, value: object, font: Font | None, alignment: Alignment,
            border: Border | None = None) -> Cell:
    safe = writer.cell(value)  # text made formula-safe, dates as date cells
    # a number, a plain str or None is what SheetWriter.cell passes on as it is
    cell = (safe if isinstance(safe, Cell)
            else WriteOnlyCell(writer.sheet, value=safe))  # type: ignore[arg-type]
    if font is not None:
        cell.font = font
    cell.alignment = alignment
    if border is not None:
        cell.border = border
    return cell

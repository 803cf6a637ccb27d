"""The coverage matrix as an Excel workbook: a title row, the period and the totals, then one
row per covered unit grouped by guidance group (frozen header, set column widths), and a
per-group summary sheet."""

from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from banshi.lib.spreadsheet import SheetWriter, sheet_text

from .supervision_matrix import Matrix, percent

TITLE = "巡回指导组督导全覆盖情况"
COLUMNS = [("指导组", 18), ("组长", 12), ("被督导单位", 30), ("单位类型", 10),
           ("是否已督导", 10), ("督导次数", 10), ("最近督导日期", 14), ("最近评价", 10)]


def _title(sheet, text: str):
    cell = WriteOnlyCell(sheet, value=sheet_text(text))
    cell.font = Font(bold=True, size=14)
    return cell


def write_coverage(target: BinaryIO, matrix: Matrix) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("督导情况")
    writer = SheetWriter(sheet, widths=[width for _title, width in COLUMNS], freeze="A4",
                         date_format="yyyy-mm-dd")
    sheet.append([_title(sheet, TITLE)])
    badge = "，已实现全覆盖" if matrix.full else ""
    writer.append([f"统计期：{matrix.start:%Y-%m-%d} 至 {matrix.end:%Y-%m-%d}",
                   f"督导单位{matrix.units}个，已督导{matrix.visited}个，"
                   f"覆盖率{percent(matrix.coverage)}{badge}"])
    writer.header([title for title, _width in COLUMNS])
    for row in matrix.rows:
        leaders = "、".join(row.leaders)
        for cell in row.cells:
            last = cell.last
            writer.append([row.group.name, leaders, cell.unit.name,
                           cell.unit.get_kind_display(), "是" if cell.visited else "否",
                           cell.visits, last.visited_on if last else None,
                           last.get_rating_display() if last else ""])
    summary = SheetWriter(book.create_sheet("按指导组"), widths=[18, 12, 12, 12, 12])
    summary.header(["指导组", "督导单位(个)", "已督导(个)", "未督导(个)", "覆盖率"])
    for row in matrix.rows:
        summary.append([row.group.name, row.units, row.visited, row.units - row.visited,
                        percent(row.coverage)])
    summary.append(["合计", matrix.units, matrix.visited, matrix.units - matrix.visited,
                    percent(matrix.coverage)])
    book.save(target)

"""The ledger (台账) as an Excel workbook: one row per appeal, personal names masked.

Written in openpyxl's write-only mode from a chunked iterator, so 100,000 appeals take
bounded memory. Text that a spreadsheet would run as a formula is stored as text.
"""

import datetime as dt
from pathlib import Path
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..masking import mask_name
from ..models import Appeal

SHEET_TITLE = "台账"
HEADERS = ["编号", "渠道", "收到时间", "诉求人", "所在社区", "街道", "标题", "内容",
           "一级分类", "二级分类", "三级分类", "办实事方向", "承办单位", "状态", "响应期限",
           "办理期限", "是否超期", "答复", "办结时间", "评价"]
WIDTHS = [17, 12, 17, 9, 14, 14, 30, 60, 12, 14, 14, 24, 20, 9, 17, 17, 9, 50, 17, 10]
DATE_FORMAT = "yyyy-mm-dd hh:mm"
# A cell starting with one of these would be read as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32767
CHUNK = 2000


def is_late(appeal: Appeal) -> bool:
    """Overdue now, or answered after the handling deadline."""
    if appeal.is_overdue:
        return True
    return bool(appeal.resolved_at and appeal.handling_due_at
                and appeal.resolved_at > appeal.handling_due_at)


def row_values(appeal: Appeal) -> list:
    """The ledger row of an appeal, in HEADERS order (aware datetimes, display labels)."""
    levels = appeal.category_levels()
    street = appeal.street
    return [
        appeal.number, appeal.get_channel_display(), appeal.collected_at,
        mask_name(appeal.contact_name),
        appeal.region.name if appeal.region_id else "", street.name if street else "",
        appeal.title, appeal.content,
        *(level.name if level else "" for level in levels),
        appeal.aspect.name if appeal.aspect_id else "",
        appeal.unit.name if appeal.unit_id else "",
        appeal.get_state_display(), appeal.response_due_at, appeal.handling_due_at,
        "是" if is_late(appeal) else "否",
        appeal.reply, appeal.resolved_at, appeal.get_rating_display(),
    ]


class _Cells:
    """Turns Python values into write-only cells, shared styles created once."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.zone = timezone.get_default_timezone()

    def header(self, title: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=title)
        cell.font = Font(bold=True)
        return cell

    def convert(self, value):
        if isinstance(value, dt.datetime):
            cell = WriteOnlyCell(self.sheet, value=timezone.localtime(value, self.zone)
                                 .replace(tzinfo=None))
            cell.number_format = DATE_FORMAT
            return cell
        if isinstance(value, str):
            return self.text(value)
        return value

    def text(self, value: str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > EXCEL_CELL_LIMIT:
            value = value[:EXCEL_CELL_LIMIT - 1] + "…"
        if not value.startswith(FORMULA_STARTS):
            return value
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.data_type = "s"  # never a formula
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        return cell


def ledger_rows(queryset: QuerySet):
    return (queryset.select_related("region__parent", "category__parent__parent", "aspect",
                                    "unit")
            .iterator(chunk_size=CHUNK))


def write_ledger(queryset: QuerySet, target: BinaryIO | Path) -> int:
    """Write the appeals of `queryset` as the ledger to `target`; return the rows written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    cells = _Cells(sheet)
    sheet.append([cells.header(title) for title in HEADERS])
    written = 0
    for appeal in ledger_rows(queryset):
        sheet.append([cells.convert(value) for value in row_values(appeal)])
        written += 1
    book.save(target)
    return written

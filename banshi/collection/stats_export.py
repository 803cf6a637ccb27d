"""The collection figures as an Excel workbook: a title row, the period, the per-street table
(frozen header, set column widths) with its total row, and the appeals by channel."""

import datetime as dt
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from banshi.lib.spreadsheet import SheetWriter, sheet_text

from .stats import CHANNEL_KEYS, CHANNEL_LABELS

# (figure, column title) of the per-street table
COLUMNS = [
    ("symposiums", "座谈会(场)"), ("symposium_participants", "参会(人次)"),
    ("surveys_distributed", "发放问卷(份)"), ("surveys_returned", "收回问卷(份)"),
    ("survey_return_rate", "回收率(%)"), ("opinion_boxes", "意见箱(台)(个)"),
    ("opinion_box_slips", "开箱意见(条)"), ("household_visits", "入户走访(户次)"),
    ("household_visit_person_times", "走访群众(人次)"), ("liaisons", "联络员(人)"),
    ("liaison_households", "结对户(户)"), ("appeals_collected", "征集诉求(件)"),
]
OTHER_LABEL = "区直部门及其他"


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 2)


def _row(name: str, figures: dict) -> list:
    return [name] + [_rate(figures[key]) if key == "survey_return_rate" else figures[key]
                     for key, _title in COLUMNS]


def write_collection_stats(target: BinaryIO, *, title: str, start: dt.date, end: dt.date,
                           sentence: str, total: dict, rows: list[dict]) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("征集统计")
    writer = SheetWriter(sheet, widths=[26] + [13] * len(COLUMNS), freeze="B4")
    heading = WriteOnlyCell(sheet, value=sheet_text(title))
    heading.font = Font(bold=True, size=14)
    sheet.append([heading])
    writer.append([f"统计期：{start:%Y-%m-%d} 至 {end:%Y-%m-%d}", sentence])
    writer.header(["街道"] + [column for _key, column in COLUMNS])
    for row in rows:
        writer.append(_row(row["unit"].name if row["unit"] is not None else OTHER_LABEL, row))
    writer.append(_row("合计", total))
    channels = SheetWriter(book.create_sheet("按渠道"), widths=[24, 12])
    channels.header(["渠道", "诉求(件)"])
    for key in CHANNEL_KEYS:
        channels.append([CHANNEL_LABELS[key], total["appeals_by_channel"][key]])
    book.save(target)

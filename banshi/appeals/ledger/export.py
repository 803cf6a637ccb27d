"""The ledger (台账) as an Excel workbook: one row per appeal, personal names masked, and a
second sheet 分层级统计 with the counts per 办理层级 × 办实事方向 (see summary.py).

Written in openpyxl's write-only mode from a chunked iterator, so 100,000 appeals take
bounded memory. Text that a spreadsheet would run as a formula is stored as text.
"""

from pathlib import Path
from typing import BinaryIO

from django.db.models import QuerySet, TextChoices
from django.utils import timezone
from openpyxl import Workbook

from banshi.lib.spreadsheet import SheetWriter

from ..choices import Rating, Solved
from ..masking import mask_name
from ..models import Appeal
from .summary import TOTAL, UNCONFIRMED, level_aspect_counts

SHEET_TITLE = "台账"
SUMMARY_TITLE = "分层级统计"
HEADERS = ["编号", "渠道", "收到时间", "诉求人", "所在社区", "街道", "标题", "内容",
           "一级分类", "二级分类", "三级分类", "办实事方向", "承办单位", "办理层级", "状态",
           "响应期限", "办理期限", "是否超期", "答复", "办结时间", "评价", "问题是否解决"]
WIDTHS = [17, 12, 17, 9, 14, 14, 30, 60, 12, 14, 14, 24, 20, 10, 9, 17, 17, 9, 50, 17, 10, 12]
DATE_FORMAT = "yyyy-mm-dd hh:mm"
CHUNK = 2000


def is_late(appeal: Appeal) -> bool:
    """Overdue now, or answered after the handling deadline."""
    if appeal.is_overdue:
        return True
    return bool(appeal.resolved_at and appeal.handling_due_at
                and appeal.resolved_at > appeal.handling_due_at)


def answer(own: str, call_back: str, labels: type[TextChoices]) -> str:
    """The resident's own answer (评价, 问题是否解决); else the dispatcher's call-back's,
    marked (回访) — the answer the metrics count (reports.metrics)."""
    if own:
        return str(labels(own).label)
    return f"{labels(call_back).label}(回访)" if call_back else ""


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
        appeal.unit.name if appeal.unit_id else "", appeal.get_level_display(),
        appeal.get_state_display(), appeal.response_due_at, appeal.handling_due_at,
        "是" if is_late(appeal) else "否",
        appeal.reply, appeal.resolved_at,
        answer(appeal.rating, appeal.callback_rating, Rating),
        answer(appeal.solved, appeal.callback_solved, Solved),
    ]


def ledger_rows(queryset: QuerySet):
    return (queryset.select_related("region__parent", "category__parent__parent", "aspect",
                                    "unit")
            .iterator(chunk_size=CHUNK))


def write_ledger(queryset: QuerySet, target: BinaryIO | Path) -> int:
    """Write the appeals of `queryset` as the ledger to `target`; return the rows written."""
    book = Workbook(write_only=True)
    writer = SheetWriter(book.create_sheet(SHEET_TITLE), date_format=DATE_FORMAT,
                         tz=timezone.get_default_timezone(), widths=WIDTHS)
    writer.header(HEADERS)
    written = 0
    for appeal in ledger_rows(queryset):
        writer.append(row_values(appeal))
        written += 1
    write_summary(book, queryset)
    book.save(target)
    return written


def write_summary(book: Workbook, queryset: QuerySet) -> None:
    """The sheet 分层级统计: a row per aspect (then 未标注 and 合计), a column per level."""
    summary = level_aspect_counts(queryset)
    writer = SheetWriter(book.create_sheet(SUMMARY_TITLE), widths=[48, 10, 12, 10, 10, 10])
    writer.header(["办实事方向", *summary.level_labels, TOTAL, "备注"])
    for row in summary.rows:
        writer.append([row.name, *row.counts, row.total, "" if row.confirmed else UNCONFIRMED])
    writer.append([TOTAL, *summary.totals, summary.total, ""])

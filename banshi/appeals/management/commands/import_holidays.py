"""`banshi import-holidays FILE.csv|xlsx`: enter a year's State Council holiday notice."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from banshi.appeals.holidays import HolidayFileError, import_holidays


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--published 须写成 2026-11-12 这样的日期：{text}") from exc


class Command(BaseCommand):
    help = ("录入法定节假日安排(列：date,kind,note 或 日期,类型,说明；kind 为 holiday(放假) 或 "
            "workday(调休上班))。加 --notice 记录国务院办公厅通知，该年即视为已录入；"
            "录入后重算该年的未办结期限。同一文件重复导入不产生变化。")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--notice", default="",
                            help="通知名称或文号，如“国务院办公厅关于2027年部分节假日安排的通知”")
        parser.add_argument("--year", type=int, help="通知所属年份(默认取文件中最晚的年份)")
        parser.add_argument("--published", help="通知发布日期，如 2026-11-12")

    def handle(self, *args, file: Path, notice: str, year: int | None,
               published: str | None, **options):
        try:
            result = import_holidays(file, notice=notice, year=year,
                                     published=_date(published) if published else None)
        except HolidayFileError as exc:
            raise CommandError(f"{file.name} 未导入：\n{exc}") from exc
        self.stdout.write(f"新增 {result.created} 天，更新 {result.updated} 天，"
                          f"未变 {result.unchanged} 天")
        if result.notice:
            self.stdout.write(f"已录入通知：{result.notice}")
        for missing in result.years_without_notice:
            self.stdout.write(self.style.WARNING(
                f"{missing}年尚未录入国务院办公厅通知，该年期限仍按周一至周五估算"
                "(加 --notice 录入通知)"))
        shown = "、".join(result.recomputed[:20]) + ("等" if len(result.recomputed) > 20 else "")
        self.stdout.write(f"重算办理期限 {len(result.recomputed)} 件"
                          + (f"：{shown}" if shown else ""))

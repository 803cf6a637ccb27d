"""`banshi briefing --start YYYY-MM-DD --end YYYY-MM-DD --out FILE.docx [--unit CODE]
[--user NAME]`: the briefing (工作简报) as a Word file, as the district dispatcher sees it
(or as --user sees it)."""

import datetime as dt
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from banshi.collection.permissions import may_see_collection
from banshi.collection.stats import stats_unit
from banshi.org import permissions
from banshi.org.choices import Role
from banshi.reports.briefing import build_briefing


def day(option: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: 日期须写作 YYYY-MM-DD(如 2026-03-05)，收到“{text}”"
                           ) from None


class Command(BaseCommand):
    help = "生成工作简报(Word)：征集工作、共性问题、活动开展情况、好做法好经验，附排名表和图表。"

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="统计期起 YYYY-MM-DD(含)")
        parser.add_argument("--end", required=True, help="统计期止 YYYY-MM-DD(含)")
        parser.add_argument("--out", required=True, type=Path, help="输出的 .docx 文件")
        parser.add_argument("--unit", help="只统计该单位及其下级单位(单位代码)")
        parser.add_argument("--user", help="以该账号的范围统计(默认：区派单员)")

    def handle(self, *args, start, end, out: Path, unit=None, user=None, **options):
        for option, value in (("--unit", unit), ("--user", user)):
            if value is not None and (not value.isprintable() or len(value) > 150):
                raise CommandError(f"{option}: 含有不可见字符或过长")
        start_day, end_day = day("--start", start), day("--end", end)
        if end_day < start_day:
            raise CommandError("--end: 统计期止不能早于统计期起")
        if out.suffix.lower() != ".docx":
            raise CommandError(f"--out: 输出文件须以 .docx 结尾：{out}")
        if not out.parent.is_dir():
            raise CommandError(f"--out: 目录不存在：{out.parent}")
        account = self.account(user)
        scope = None
        if unit:
            scope = stats_unit(account, unit)
            if scope is None:
                raise CommandError(f"--unit: 没有代码为“{unit}”的单位，或不在该账号范围内")
        content = build_briefing(account, start_day, end_day, scope)
        partial = out.with_name(out.name + ".part")
        try:
            partial.write_bytes(content)
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"工作简报 {start_day}至{end_day} → {out}")

    def account(self, username: str | None):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            account = users.filter(username=username).first()
            if account is None or permissions.role_of(account) is None:
                raise CommandError(f"--user: 没有名为“{username}”的在用工作人员账号")
            if not may_see_collection(account):
                raise CommandError(f"--user: 账号“{username}”无权查看统计(未指定所属单位)")
            return account
        account = (users.filter(staff__role=Role.DISPATCHER, staff__unit__kind="district")
                   .order_by("id").first()
                   or users.filter(staff__role=Role.DISPATCHER).order_by("id").first())
        if account is None:
            raise CommandError("没有区派单员账号：请用 --user 指定统计的账号")
        return account

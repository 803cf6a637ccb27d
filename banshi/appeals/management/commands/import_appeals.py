"""`banshi import-appeals FILE [--all-or-nothing] [--user USERNAME]`: appeals from a sheet."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from banshi.appeals.actions import ActionError
from banshi.appeals.ledger import import_appeals

MAX_LISTED = 200


class Command(BaseCommand):
    help = ("从 xlsx/xls/ods/csv 导入诉求：台账格式(标题、内容、收到时间……)或留言板格式"
            "(留言编号、留言用户、留言主题、留言时间、留言详情)。导入的诉求进入待派单队列；"
            "已导入过的留言编号自动跳过。")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--all-or-nothing", action="store_true",
                            help="任何一行有错误就全部不导入")
        parser.add_argument("--user", help="以该账号的名义录入(默认：批量导入)")

    def handle(self, *args, file: Path, all_or_nothing: bool, user: str | None, **options):
        if not file.is_file():
            raise CommandError(f"文件不存在：{file}")
        actor = self.actor(user)
        try:
            report = import_appeals(file, filename=file.name, actor=actor,
                                    all_or_nothing=all_or_nothing)
        except ActionError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"导入 {report.imported} 条，跳过 {len(report.skipped)} 条，"
                          f"错误 {len(report.errors)} 条")
        for error in report.errors[:MAX_LISTED]:
            self.stdout.write(str(error))
        if len(report.errors) > MAX_LISTED:
            self.stdout.write(f"……另有 {len(report.errors) - MAX_LISTED} 条错误未列出")
        if options["verbosity"] >= 2:
            for skipped in report.skipped:
                self.stdout.write(f"跳过 {skipped}")
        if report.rolled_back:
            raise CommandError("文件中有错误，已全部回滚，未导入任何诉求")
        if report.errors and not report.imported:
            raise CommandError("没有导入任何诉求")

    def actor(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有账号“{username}”")
        return user

"""`banshi export-ledger FILE.xlsx [filters]`: the ledger (台账) as an Excel file."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.datastructures import MultiValueDict

from banshi.appeals.filters import LedgerFilter
from banshi.appeals.ledger import write_ledger
from banshi.appeals.models import Appeal, Category
from banshi.org.models import Unit

# Filter field → the option a user typed, for error messages.
OPTIONS = {"state": "--state", "channel": "--channel", "category": "--category",
           "aspect": "--aspect", "unit": "--unit", "street": "--street",
           "date_from": "--from", "date_to": "--to", "overdue": "--overdue",
           "level": "--level"}


class Command(BaseCommand):
    help = ("导出台账(Excel)，诉求人姓名脱敏。"
            "可按状态、渠道、分类、方向、单位、街道、日期、是否超期、办理层级筛选。")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="输出的 .xlsx 文件")
        parser.add_argument("--state", nargs="+", action="extend", default=[],
                            help="状态代码，可多个(如 closed in_progress)")
        parser.add_argument("--channel", nargs="+", action="extend", default=[],
                            help="渠道代码，可多个")
        parser.add_argument("--category", help="分类代码(含下级分类)")
        parser.add_argument("--aspect", help="办实事方向代码")
        parser.add_argument("--unit", help="承办单位代码(含下级单位)")
        parser.add_argument("--street", help="街道区划代码")
        parser.add_argument("--from", dest="date_from", help="收到日期起 YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="收到日期止 YYYY-MM-DD")
        parser.add_argument("--overdue", choices=["yes", "no"], help="是否超期")
        parser.add_argument("--level", choices=["community", "street", "district"],
                            help="办理层级：community 社区、street 街道·局委、district 区")

    def handle(self, *args, file: Path, **options):
        if file.suffix.lower() != ".xlsx":
            raise CommandError(f"输出文件须以 .xlsx 结尾：{file}")
        if not file.parent.is_dir():
            raise CommandError(f"目录不存在：{file.parent}")
        queryset = self.filtered(options)
        partial = file.with_name(file.name + ".part")
        try:
            count = write_ledger(queryset, partial)
            os.replace(partial, file)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"导出 {count} 条 → {file}")

    def filtered(self, options):
        data = MultiValueDict()
        for name in ("state", "channel"):
            data.setlist(name, options[name] or [])
        for name in ("category", "aspect", "unit", "street", "date_from", "date_to", "level"):
            if options.get(name):
                data[name] = options[name]
        if options.get("overdue"):
            data["overdue"] = "true" if options["overdue"] == "yes" else "false"
        self.check_codes(options)
        ledger = LedgerFilter(data, queryset=Appeal.objects.all())
        if not ledger.is_valid():
            problems = [f"{OPTIONS.get(name, name)}: {' '.join(messages)}"
                        for name, messages in ledger.form.errors.items()]
            raise CommandError("；".join(problems))
        return ledger.qs

    def check_codes(self, options):
        """Codes the filter would silently match nothing for."""
        category, unit = options.get("category"), options.get("unit")
        if category and not Category.objects.filter(code=category).exists():
            raise CommandError(f"--category: 没有代码为“{category}”的分类")
        if unit and not Unit.objects.filter(code=unit).exists():
            raise CommandError(f"--unit: 没有代码为“{unit}”的承办单位")

"""`banshi import-taxonomy FILE.xlsx|csv`: add a 3-level taxonomy's missing categories."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from banshi.appeals.loaders import load_taxonomy
from banshi.appeals.models import Category
from banshi.org.loaders import LoadError


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = ("导入三级分类(列：一级分类,二级分类,三级分类；.xlsx 或 .csv)。"
            "已有分类按上级和名称匹配，不改名、不删除。")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="只统计，不写入数据库")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"文件不存在：{file}")
        try:
            with transaction.atomic():
                created = load_taxonomy(file)["created"]
                totals = [Category.objects.filter(level=n).count() for n in (1, 2, 3)]
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        except LoadError as exc:
            raise CommandError(str(exc)) from exc
        prefix = "(试运行，未写入)" if dry_run else ""
        self.stdout.write(
            f"{prefix}新增分类 {created} 个；现有一级 {totals[0]}、二级 {totals[1]}、"
            f"三级 {totals[2]} 个"
        )

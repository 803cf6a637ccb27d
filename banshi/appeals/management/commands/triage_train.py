"""`banshi triage-train --data FILE [--out DIR]`: train the category classifier on a file.

FILE is .csv or .xlsx with columns title, content, label (or 留言主题, 留言详情, 一级标签).
The model version is saved to DIR (default: DATA_DIR/models/triage/<version>); the command
prints the version and its held-out score. It does not activate the version.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from banshi.triage.cli import train_file, train_summary
from banshi.triage.datasets import DatasetError


class Command(BaseCommand):
    help = "用标注文件训练诉求分类模型并保存一个版本(不自动启用)"

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, required=True,
                            help="标注文件 .csv/.xlsx(title,content,label 或 "
                                 "留言主题,留言详情,一级标签)")
        parser.add_argument("--out", type=Path, help="模型目录(默认 DATA_DIR/models/triage/<版本>)")
        parser.add_argument("--seed", type=int, default=0, help="随机种子(默认 0)")

    def handle(self, *args, data: Path, out: Path | None, seed: int, **options):
        try:
            model, skipped = train_file(data, seed=seed)
        except DatasetError as exc:
            raise CommandError(exc.message) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        directory = out or Path(settings.DATA_DIR) / "models" / "triage" / model.version
        model.save(directory)
        self.stdout.write(train_summary(model, directory, skipped))

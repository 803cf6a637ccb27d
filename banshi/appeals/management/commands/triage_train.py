"""`banshi triage-train --data FILE [--out DIR]`: train the category classifier on a file.

FILE is .csv or .xlsx with columns title, content, label (or 留言主题, 留言详情, 一级标签).
The model version is saved to DIR (default: DATA_DIR/models/triage/<version>); the command
prints the version and its held-out score. It does not activate the version.

`banshi triage-train [--seed-file FILE] [--out DIR]` (no --data) trains on the ledger's
confirmed appeals plus the optional seed file, registers the version and activates it when
it scores at least as well as the active one (banshi.appeals.learning.training.train_and_register).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from banshi.triage.cli import train_file, train_summary
from banshi.triage.datasets import DatasetError


class Command(BaseCommand):
    help = ("用标注文件训练诉求分类模型并保存一个版本(不自动启用)；"
            "不给 --data 时用台账(和种子文件)训练、登记版本，不低于当前版本时启用")

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path,
                            help="标注文件 .csv/.xlsx(title,content,label 或 "
                                 "留言主题,留言详情,一级标签)；不给时用台账训练并登记版本")
        parser.add_argument("--seed-file", type=Path,
                            help="台账训练时加入的种子标注文件(格式同 --data)")
        parser.add_argument("--out", type=Path, help="模型目录(默认 DATA_DIR/models/triage/<版本>)")
        parser.add_argument("--seed", type=int, default=0, help="随机种子(默认 0)")

    def handle(self, *args, data: Path | None, out: Path | None, seed: int, **options):
        if data is None:
            self.train_ledger(options["seed_file"], out, seed)
            return
        if options["seed_file"]:
            raise CommandError("--seed-file 只用于台账训练(不给 --data 时)")
        try:
            model, skipped = train_file(data, seed=seed)
        except DatasetError as exc:
            raise CommandError(exc.message) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        directory = out or Path(settings.DATA_DIR) / "models" / "triage" / model.version
        model.save(directory)
        self.stdout.write(train_summary(model, directory, skipped))

    def train_ledger(self, seed_file: Path | None, out: Path | None, seed: int) -> None:
        from banshi.appeals.learning.training import TrainingError, train_and_register

        try:
            outcome = train_and_register(seed_file=seed_file, out_dir=out, seed=seed)
        except TrainingError as exc:
            raise CommandError(str(exc)) from exc
        row = outcome.version
        self.stdout.write(f"版本 {row.version}({row.data_source})保存于 {row.path}\n{row.note}")

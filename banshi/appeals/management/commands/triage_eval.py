"""`banshi triage-eval --data FILE [--model DIR] [--json]`: how well the classifier does.

Without --model: 5-fold cross-validation on FILE (each fold trains a new model) that keeps a
message's title row and body row, and identical texts, in one fold, and scores the title+body
documents of those pairs first (--protocol duplicates|plain for the looser ones); --baseline
runs the plain baseline in the same folds.
With --model: the saved model in DIR scored on FILE. --json prints one JSON object
{"macro_f1", "accuracy", "n", "per_class", "docs_per_s", ...}; otherwise a table.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from banshi.triage.cli import PROTOCOLS, as_json, as_table, evaluate_file
from banshi.triage.datasets import DatasetError


class Command(BaseCommand):
    help = ("评估诉求分类：对标注文件做5折交叉验证(同一留言的标题行与正文行在同一折)，"
            "或评估已保存的模型")

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, required=True,
                            help="标注文件 .csv/.xlsx(title,content,label 或 "
                                 "留言主题,留言详情,一级标签)")
        parser.add_argument("--model", type=Path, help="已保存的模型目录；不给则做交叉验证")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
        parser.add_argument("--folds", type=int, default=5, help="交叉验证折数(默认 5)")
        parser.add_argument("--seed", type=int, default=0, help="随机种子(默认 0)")
        parser.add_argument("--protocol", choices=PROTOCOLS, default="messages",
                            help="交叉验证分折：messages(默认，同一留言的标题行与正文行、"
                                 "相同文本在同一折)、duplicates(仅相同文本)、plain(普通分层)")
        parser.add_argument("--baseline", action="store_true",
                            help="在同样的折上同时评估基线(词+字 TF-IDF, LinearSVC)")
        parser.add_argument("--jobs", type=int, default=1, help="并行训练的折数(默认 1)")

    def handle(self, *args, data: Path, model: Path | None, json: bool, folds: int, seed: int,
               protocol: str, baseline: bool, jobs: int, **options):
        if model is not None and not (model / "meta.json").is_file():
            raise CommandError(f"不是模型目录：{model}")
        if folds < 2:
            raise CommandError("折数至少为 2")
        try:
            result = evaluate_file(data, model_dir=model, folds=folds, seed=seed,
                                   protocol=protocol, jobs=jobs, baseline=baseline)
        except DatasetError as exc:
            raise CommandError(exc.message) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(as_json(result) if json else as_table(result))

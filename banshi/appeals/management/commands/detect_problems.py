"""`banshi detect-problems`: shared problems (共性问题) ranked by heat.

    banshi detect-problems --data FILE [--top N] [--json] [--xlsx OUT]
    banshi detect-problems [--days N] [--top N] [--json] [--xlsx OUT]

With --data, reads a message-board file (留言编号, 留言用户, 留言主题, 留言时间, 留言详情,
点赞数, 反对数); without it, the ledger's appeals collected in the last --days days (invalid
ones left out; the resident is a keyed hash of the phone or name, never printed). The work
is banshi.triage.problems.detect_problems; this command only reads and writes.
"""

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from banshi.appeals.learning.detection import WINDOW_DAYS, ledger_messages
from banshi.appeals.problems.candidates import record_candidates
from banshi.triage.messages_io import MessageFileError, read_report, write_problem_tables
from banshi.triage.places import PlaceExtractor
from banshi.triage.problems import Cluster, Message, detect_problems

DEFAULT_TOP = 20


class Command(BaseCommand):
    help = ("发现共性问题：按地点/人群、内容和时段聚类诉求，按热度排序。"
            "--data 读取留言板文件，否则读取台账近 --days 天的诉求。")

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, help="留言板文件(.xlsx 或 .csv)")
        parser.add_argument("--days", type=int, default=WINDOW_DAYS,
                            help=f"台账：最近多少天(默认{WINDOW_DAYS})")
        parser.add_argument("--top", type=int, default=DEFAULT_TOP,
                            help=f"输出前 N 个问题(默认{DEFAULT_TOP}，0 为全部)")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--xlsx", type=Path, help="写出热点问题表和留言明细表(.xlsx)")
        parser.add_argument("--record", action="store_true",
                            help="台账：把结果保存为待确认的共性问题候选(同夜间任务)")

    def handle(self, *args, data: Path | None, days: int, top: int, json: bool,
               xlsx: Path | None, **options):
        if top < 0 or days <= 0:
            raise CommandError("--top 不能为负数，--days 须大于 0")
        if xlsx is not None and (xlsx.suffix.lower() != ".xlsx" or not xlsx.parent.is_dir()):
            raise CommandError(f"--xlsx 须是已存在目录下的 .xlsx 文件：{xlsx}")
        if options["record"] and data:
            raise CommandError("--record 只用于台账，不能与 --data 同时使用")
        messages, extractor = self.from_file(data) if data else self.from_ledger(days)
        clusters = detect_problems(messages, top=top or None, extractor=extractor)
        if options["record"]:
            result = record_candidates(clusters)
            self.stderr.write(f"共性问题候选：新增 {len(result.created)}，"
                              f"更新 {len(result.updated)}，跳过 {result.skipped}")
        if xlsx is not None:
            self.write(clusters, messages, xlsx)
        if json:
            self.stdout.write(dumps(clusters))
        else:
            self.table(clusters, len(messages))

    def from_file(self, path: Path) -> tuple[list[Message], PlaceExtractor]:
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            report = read_report(path)
        except MessageFileError as exc:
            raise CommandError(exc.message) from exc
        if report.skipped:
            self.stderr.write(f"跳过 {len(report.skipped)} 行(无时间或无内容)")
        return report.messages, PlaceExtractor()

    def from_ledger(self, days: int) -> tuple[list[Message], PlaceExtractor]:
        return ledger_messages(days)

    def write(self, clusters: list[Cluster], messages: list[Message], target: Path) -> None:
        partial = target.with_name(target.name + ".part")
        try:
            write_problem_tables(clusters, messages, partial)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        self.stderr.write(f"已写出 {len(clusters)} 个问题 → {target}")

    def table(self, clusters: list[Cluster], total: int) -> None:
        self.stdout.write(f"{total} 条诉求，{len(clusters)} 个共性问题(按热度)")
        self.stdout.write("排名  热度    条数  时间范围                 地点/人群 | 问题描述")
        for c in clusters:
            self.stdout.write(f"{c.rank:>4}  {c.heat:>6.2f}  {c.count:>4}  "
                              f"{c.start:%Y-%m-%d} 至 {c.end:%Y-%m-%d}  {c.where} | {c.title}")


def dumps(clusters: list[Cluster]) -> str:
    """The --json list; numeric 留言编号 as numbers, appeal numbers as strings."""
    rows = []
    for cluster in clusters:
        row = cluster.as_dict()
        row["message_ids"] = [int(i) if i.isdigit() else i for i in row["message_ids"]]
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False)

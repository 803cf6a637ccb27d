"""`banshi seed-demo`: the 中原区 demo district, its accounts and demo appeals (idempotent)."""

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from banshi.appeals.choices import State
from banshi.appeals.models import Appeal
from banshi.demo import seeding as demo
from banshi.demo.campaign import seed_campaign
from banshi.demo.collection import seed_collection
from banshi.org import loaders as org_loaders
from banshi.org.choices import UnitKind
from banshi.org.models import Unit
from banshi.reports.demo import seed_problem_rectification


class Command(BaseCommand):
    help = ("导入演示数据：中原区行政区划、承办单位、分类、办实事方向、办理时限、演示账号，"
            "以及经过真实办理流程的演示诉求。可重复运行，不会重复创建。")

    def add_arguments(self, parser):
        parser.add_argument("--appeals", type=int, default=demo.DEMO_APPEALS,
                            help=f"活动期间征集的演示诉求条数(默认{demo.DEMO_APPEALS}，即报告中的"
                                 "“征集群众诉求”数，含网络群组中贴来的；0 表示不创建诉求)")
        parser.add_argument("--seed", type=int, default=2021, help="随机种子(默认2021)")
        parser.add_argument("--reset-passwords", action="store_true",
                            help=f"把已有演示账号的密码重置为 {demo.DEMO_PASSWORD}")

    def handle(self, *args, appeals: int, seed: int, reset_passwords: bool, **options):
        if appeals and appeals < demo.MIN_APPEALS:
            raise CommandError(f"--appeals 须为0或不少于{demo.MIN_APPEALS}")
        started = time.monotonic()
        try:
            with transaction.atomic():
                self.load_reference_data()
                accounts = demo.seed_accounts(reset_passwords=reset_passwords)
                led_units = demo.seed_leader_assignments()
        except org_loaders.LoadError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"演示账号：新增 {accounts['created']} 个"
                          + (f"，重置密码 {accounts['reset']} 个" if reset_passwords else ""))
        for line in seed_collection(seed, messages=bool(appeals)):
            self.stdout.write(line)
        if appeals:
            # the appeals pasted from the groups above count towards the total
            pasted = Appeal.objects.exclude(external_id__startswith=demo.DEMO_PREFIX).count()
            self.seed_appeals(max(demo.MIN_APPEALS, appeals - pasted), seed)
            recorded = demo.record_problems()
            self.stdout.write(f"共性问题(待确认)：新增 {len(recorded.created)} 个，"
                              f"更新 {len(recorded.updated)} 个")
            led_problems = demo.seed_leader_problems()
            self.stdout.write(f"领导包联：{led_units} 个单位，{led_problems} 个共性问题")
            self.stdout.write(f"整改中的共性问题：{seed_problem_rectification()} 个")
        for line in seed_campaign(seed):
            self.stdout.write(line)
        self.stdout.write(f"完成，用时 {time.monotonic() - started:.1f} 秒。")
        self.print_accounts()

    def load_reference_data(self) -> None:
        for label, total, counts in demo.load_reference_data():
            self.stdout.write(f"{label}：共 {total} 条"
                              f"(新增 {counts['created']}，更新 {counts['updated']})")

    def seed_appeals(self, n: int, seed: int) -> None:
        try:
            states = demo.seed_appeals(n, seed)
        except org_loaders.LoadError as exc:
            raise CommandError(str(exc)) from exc
        if states is None:
            total = Appeal.objects.filter(external_id__startswith=demo.DEMO_PREFIX).count()
            self.stdout.write(f"演示诉求已存在({total}条)，跳过。")
            return
        spread = "，".join(f"{s.label} {states[s]}" for s in State if states[s])
        self.stdout.write(f"演示诉求：新增 {sum(states.values())} 条({spread})")

    def print_accounts(self) -> None:
        port = os.environ.get("PORT", "8000")
        rows = [(name, role.label) for name, role, _label in demo.ROLE_ACCOUNTS]
        for kind in (UnitKind.DEPARTMENT, UnitKind.STREET, UnitKind.COMMUNITY):
            unit = Unit.objects.filter(kind=kind).order_by("pk").first()
            if unit:
                rows.append((unit.code, f"承办单位人员 · {unit.name}({unit.get_kind_display()})"))
        width = max(len(name) for name, _ in rows) + 2
        lines = [f"  {name.ljust(width)}{label}" for name, label in rows]
        self.stdout.write("\n".join([
            "",
            f"打开 http://127.0.0.1:{port}/ (用 scripts/demo 启动；端口可用 PORT 修改)",
            f"演示账号(密码均为 {demo.DEMO_PASSWORD})：",
            *lines,
            "  每个单位的账号名即单位代码。",
        ]))

"""`banshi triage-activate VERSION [--force]`: choose the classifier version by hand.

Without --force the version must not score lower than the active one on the ledger's current
held-out set (the same rule training applies). With no VERSION, lists the versions.
"""

from django.core.management.base import BaseCommand, CommandError

from banshi.appeals.learning.training import ActivationRefused, activate
from banshi.appeals.models import TriageModelVersion


class Command(BaseCommand):
    help = "启用指定的分类模型版本(不加 VERSION 时列出全部版本)"

    def add_arguments(self, parser):
        parser.add_argument("version", nargs="?", help="模型版本")
        parser.add_argument("--force", action="store_true",
                            help="即使留出集得分低于当前版本也启用")

    def handle(self, *args, version: str | None, force: bool, **options):
        if not version:
            self.list_versions()
            return
        row = TriageModelVersion.objects.filter(version=version).first()
        if row is None:
            raise CommandError(f"没有版本 {version}")
        try:
            activate(row, force=force)
        except ActivationRefused as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已启用版本 {row.version}(留出集宏F1 {row.macro_f1})")

    def list_versions(self) -> None:
        for row in TriageModelVersion.objects.order_by("-created_at"):
            mark = "*" if row.is_active else " "
            score = "—" if row.macro_f1 is None else f"{row.macro_f1:.4f}"
            self.stdout.write(f"{mark} {row.version}  宏F1 {score}  {row.data_source}")

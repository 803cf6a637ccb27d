"""`banshi worker`: the background worker (huey's consumer with Banshi's defaults).

It runs the periodic tasks of every installed app's `tasks` module, among them
banshi.appeals.tasks.sweep_overdue (marks overdue cases every BANSHI_SWEEP_MINUTES).
The queue is SQLite under BANSHI_DATA_DIR, or Redis when BANSHI_REDIS_URL is set.
"""

import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.module_loading import autodiscover_modules

WORKER_TYPES = ["thread", "process", "greenlet"]
LOG_FORMAT = "[%(asctime)s] %(levelname)s:%(name)s:%(threadName)s:%(message)s"


def quiet_duplicate_logs() -> None:
    """Give huey's logger its own handler (run_huey then adds none) and stop it from also
    propagating to the root handler, which would print every line twice."""
    logger = logging.getLogger("huey")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


class Command(BaseCommand):
    help = "运行后台任务(超期扫描等)。Ctrl-C 停止。"

    def add_arguments(self, parser):
        consumer = settings.HUEY.get("consumer", {})
        parser.add_argument("--workers", type=int, default=consumer.get("workers", 2),
                            help="并发数(默认取 BANSHI_WORKERS)")
        parser.add_argument("--worker-type", choices=WORKER_TYPES,
                            default=consumer.get("worker_type", "thread"))

    def consumer_options(self, workers: int, worker_type: str) -> dict:
        """The keyword arguments handed to huey's `run_huey`."""
        return {"workers": workers, "worker_type": worker_type, "periodic": True}

    def handle(self, *args, workers: int, worker_type: str, **options):
        quiet_duplicate_logs()
        autodiscover_modules("tasks")  # run_huey does it too; here so the log below is true
        self.stdout.write(f"后台任务启动(workers={workers}, {worker_type})，"
                          f"每 {settings.BANSHI_SWEEP_MINUTES} 分钟扫描超期诉求")
        call_command("run_huey", **self.consumer_options(workers, worker_type))

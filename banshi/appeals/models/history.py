"""历史补录: the one door through which events dated in the past enter the event logs."""

from django.db import models
from django.utils import timezone


class HistoricalLoad(models.Model):
    """A deliberate load of past events (the demo district's timeline, an old ledger replayed),
    kept as its own audit record: why, who, from when, how many events.

    The event logs refuse an event dated more than a few minutes before the database's clock
    (migration appeals.0004). While a row here is open (`finished_at` empty), its transaction
    may write events dated from `not_before` on: the guard's trigger checks for an open row,
    on PostgreSQL one opened in the same transaction (`xact`, filled in by the database).
    Open, write, close all happen in one transaction (banshi.appeals.clock.historical_load),
    so no other transaction ever sees an open row. The database refuses deleting a row and
    changing a closed one (migration appeals.0012_historical_loads).
    """

    reason = models.CharField("原因", max_length=200)
    run_by = models.CharField("执行人", max_length=200)
    not_before = models.DateTimeField("最早事件时间")
    started_at = models.DateTimeField("开始时间", default=timezone.now)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    events = models.PositiveIntegerField("补录事件数", default=0)
    xact = models.CharField("数据库事务号", max_length=32, blank=True, editable=False)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = verbose_name_plural = "历史补录记录"

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.reason}"

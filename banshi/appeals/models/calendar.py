"""The statutory calendar as the district enters it: each year's State Council notice
(国务院办公厅关于某年部分节假日安排的通知) and the days it names.

chinesecalendar ships the notices up to its release; a row here overrides it for its date, and
a year counts as known when the package covers it or its notice has been entered. Nothing here
is ever filled in by guesswork: rows come from an administrator or `banshi import-holidays`.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models

from ..choices import DayKind


class HolidayNotice(models.Model):
    """That a year's State Council holiday notice has been entered (one per year)."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    title = models.CharField(
        "通知名称或文号", max_length=200,
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知(国办发明电〔2026〕X号)")
    published_on = models.DateField("发布日期", null=True, blank=True)
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = verbose_name_plural = "节假日安排通知"

    def __str__(self) -> str:
        return f"{self.year}年：{self.title}"

    def years(self) -> set[int]:
        """The years whose deadlines this notice decides: its own and any its days reach."""
        return {self.year, *(day.year for day in self.days.values_list("date", flat=True))}

    def clean(self) -> None:
        if self.year is not None and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": "年份须在2000—2100之间"})


class StatutoryDay(models.Model):
    """One date of a notice: a statutory holiday (放假) or a make-up working day (调休上班).

    Overrides chinesecalendar for that date."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=8, choices=DayKind.choices)
    note = models.CharField("说明", max_length=100, blank=True, help_text="如：元旦、春节")
    notice = models.ForeignKey(
        HolidayNotice, models.CASCADE, null=True, blank=True, related_name="days",
        verbose_name="依据通知",
    )

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "法定节假日及调休"

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.note}".strip()

    def years(self) -> set[int]:
        return {self.date.year}

    def clean(self) -> None:
        # A notice covers its year and may reach into the last days of the year before
        # (a New Year break starting on 12-30).
        if self.notice is not None and isinstance(self.date, dt.date) and \
                self.date.year not in (self.notice.year, self.notice.year - 1):
            raise ValidationError({"date": f"日期不在{self.notice.year}年通知的范围内"})

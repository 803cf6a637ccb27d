from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "banshi.reports"
    label = "reports"
    verbose_name = "统计分析与简报"

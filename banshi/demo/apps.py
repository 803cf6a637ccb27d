from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "banshi.demo"
    verbose_name = "演示数据"

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "banshi.web"
    label = "web"
    verbose_name = "页面"

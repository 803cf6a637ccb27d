from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "banshi.web"
    label = "web"
    verbose_name = "页面"

    def ready(self):
        from . import checks  # noqa: F401 - registers the checks

from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "banshi.appeals"
    label = "appeals"
    verbose_name = "群众诉求"

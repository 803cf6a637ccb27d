from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "banshi.api"
    label = "api"
    verbose_name = "接口"

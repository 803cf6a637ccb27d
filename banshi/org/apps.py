from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "banshi.org"
    label = "org"
    verbose_name = "组织与权限"

    def ready(self):
        from . import signals  # noqa: F401  (connects the token revocation)

"""`banshi purge-api-tokens`: delete expired API tokens (the worker also does it hourly)."""

from django.core.management.base import BaseCommand

from banshi.org.models import ApiToken


class Command(BaseCommand):
    help = "删除已过期的 API 令牌(后台任务每小时也会执行)"

    def handle(self, *args, **options):
        count = ApiToken.objects.purge_expired()
        self.stdout.write(f"已删除过期令牌 {count} 个")

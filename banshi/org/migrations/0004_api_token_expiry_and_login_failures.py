import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("axes", "0010_accessattemptexpiration"),
        ("org", "0003_drop_unexpiring_api_tokens"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="prefix",
            field=models.CharField(default="", max_length=8, verbose_name="令牌前缀"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="过期时间"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="password_stamp",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="last_used_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="最近使用"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="签发时间"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="api_tokens",
                to=settings.AUTH_USER_MODEL, verbose_name="账号"),
        ),
        migrations.CreateModel(
            name="LoginFailure",
            fields=[],
            options={
                "verbose_name": "登录失败记录",
                "verbose_name_plural": "登录失败记录",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("axes.accessattempt",),
        ),
    ]

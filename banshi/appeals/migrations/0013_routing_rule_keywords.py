"""派单规则 keywords: a rule also applies to an appeal that names one of them."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('appeals', '0012_historical_loads'),
    ]

    operations = [
        migrations.AddField(
            model_name='routingrule',
            name='keywords',
            field=models.CharField(blank=True, help_text='空格分隔；诉求标题或内容含其中任一词时，也建议此单位', max_length=200, verbose_name='关键词'),
        ),
    ]

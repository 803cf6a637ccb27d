"""办实事方向 become data the district confirms: the report names four; the demo's other
five (matched by name) are marked 待确认 until the district replaces or confirms them."""

from django.db import migrations, models

# The demo's aspects the report does not name (banshi/appeals/data/aspects.csv a5–a9).
DEMO_UNCONFIRMED = [
    "解决“一老一小”问题办实事",
    "提升公共服务水平办实事",
    "优化营商环境办实事",
    "加强生态环境保护办实事",
    "维护公共安全和社会稳定办实事",
]


def mark_demo_aspects(apps, schema_editor):
    Aspect = apps.get_model("appeals", "Aspect")
    Aspect.objects.filter(name__in=DEMO_UNCONFIRMED).update(confirmed=False)


def unmark(apps, schema_editor):
    pass  # the field goes away


class Migration(migrations.Migration):

    dependencies = [
        ("appeals", "0008_event_actions_for_calendar_and_chain"),
    ]

    operations = [
        migrations.AddField(
            model_name="aspect",
            name="confirmed",
            field=models.BooleanField(
                default=True, help_text="未确认(待确认)的方向在台账统计中标注“待确认”。",
                verbose_name="已确认"),
        ),
        migrations.RunPython(mark_demo_aspects, unmark),
    ]

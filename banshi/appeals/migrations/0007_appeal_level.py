"""办理层级 on each appeal, filled for the appeals already there from their events: the unit
of the last answer (resolve event) for answered ones, else the unit holding the case; with
no unit, the district."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

LEVEL_OF_KIND = {"community": "community", "district": "district",
                 "department": "street", "street": "street"}


def fill_levels(apps, schema_editor):
    Appeal = apps.get_model("appeals", "Appeal")
    AppealEvent = apps.get_model("appeals", "AppealEvent")
    Unit = apps.get_model("org", "Unit")
    answered_by = (AppealEvent.objects.filter(appeal=OuterRef("pk"), action="resolve",
                                              unit__isnull=False)
                   .order_by("-at", "-id").values("unit_id")[:1])
    kind = Subquery(Unit.objects.filter(pk=OuterRef("unit_key")).values("kind")[:1])
    rows = (Appeal.objects
            .annotate(unit_key=Coalesce(Subquery(answered_by), "unit_id"))
            .annotate(unit_kind=kind)
            .values_list("pk", "unit_kind"))
    by_level: dict[str, list[int]] = {}
    for pk, unit_kind in rows.iterator():
        by_level.setdefault(LEVEL_OF_KIND.get(unit_kind, "district"), []).append(pk)
    for level, pks in by_level.items():
        for start in range(0, len(pks), 500):
            Appeal.objects.filter(pk__in=pks[start:start + 500]).update(level=level)


class Migration(migrations.Migration):

    dependencies = [
        ('appeals', '0006_delegation_and_review'),
    ]

    operations = [
        migrations.AddField(
            model_name='appeal',
            name='level',
            field=models.CharField(choices=[('community', '社区'), ('street', '街道·局委'), ('district', '区')], db_index=True, default='district', max_length=16, verbose_name='办理层级'),
        ),
        migrations.RunPython(fill_levels, migrations.RunPython.noop),
    ]

"""Delete every API token issued before tokens expired.

Those tokens were already stored as SHA-256 digests, but they carry no expiry and their
first characters (shown in /admin/) cannot be recovered, so they are deleted rather than
given an arbitrary lifetime: API callers simply request a new token once.
"""

from django.db import migrations


def drop_tokens(apps, schema_editor):
    apps.get_model("org", "ApiToken").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0002_region_neighbours"),
    ]

    operations = [
        migrations.RunPython(drop_tokens, migrations.RunPython.noop),
    ]

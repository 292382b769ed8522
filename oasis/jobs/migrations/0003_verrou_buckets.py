"""Lock rows by bucket (oasis/jobs/locks.py): the rows named after each address or e-mail go; the buckets are created
as they are first taken."""

from django.db import migrations


def forget_named_rows(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("jobs", "Verrou").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_verrou")]

    operations = [migrations.RunPython(forget_named_rows, migrations.RunPython.noop)]

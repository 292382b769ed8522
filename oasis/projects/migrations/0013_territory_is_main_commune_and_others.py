"""A project's territory is its main commune plus the other communes it serves (Project.territory_codes), computed,
never stored twice: the served communes keep only the others.

Projects created before this listed the main commune among the served communes when none other was given, and left
it out when others were given (their territory then lost its own commune). Computing the territory corrects both
without rewriting anything; this migration only drops the main commune from the stored « autres communes », so that
the field holds what its label says. Reversing it puts nothing back: the territory is the same either way."""

from django.db import migrations, models
from django.db.models import F


def drop_main_commune_from_others(apps, schema_editor):  # type: ignore[no-untyped-def]
    Project = apps.get_model("projects", "Project")
    Project.communes_desservies.through.objects.filter(commune_id=F("project__commune_principale_id")).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0012_aci_indicators_validated"),
        ("territories", "0002_geometry"),
    ]

    operations = [
        migrations.AlterField(
            model_name="project",
            name="communes_desservies",
            field=models.ManyToManyField(
                blank=True,
                help_text="sans la commune d'implantation, qui fait toujours partie du territoire du projet",
                related_name="+",
                to="territories.commune",
                verbose_name="autres communes desservies",
            ),
        ),
        migrations.RunPython(drop_main_commune_from_others, migrations.RunPython.noop),
    ]

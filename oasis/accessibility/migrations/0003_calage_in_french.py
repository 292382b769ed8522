"""Runs stored before OASIS wrote the calibration in French (« APL moyen publié 3.29 (2023, moins-65) ») read as the
pages now write it (« APL moyenne publiée : 3,29 (2023, praticiens de 65 ans et moins) »): a run is reused by its
content hash, which this text is no part of, so it would otherwise keep the old words until the data change."""

import re

from django.db import migrations

OLD = re.compile(r"APL moyen publié ([0-9.]+) \((\d{4}), ([a-z0-9-]+)\)")
VARIANTES = {"ensemble": "tous les praticiens", "moins-65": "praticiens de 65 ans et moins"}


def french(text: str) -> str:
    found = OLD.fullmatch(text)
    if found is None or found.group(3) not in VARIANTES:
        return text
    value = f"{float(found.group(1)):.2f}".replace(".", ",")
    return f"APL moyenne publiée : {value} ({found.group(2)}, {VARIANTES[found.group(3)]})"


def rewrite(apps, schema_editor):  # type: ignore[no-untyped-def]
    AplRun = apps.get_model("accessibility", "AplRun")
    for run in AplRun.objects.filter(resume__offre__calage__startswith="APL moyen publié "):
        run.resume["offre"]["calage"] = french(run.resume["offre"]["calage"])
        run.save(update_fields=["resume"])


class Migration(migrations.Migration):
    dependencies = [("accessibility", "0002_apl_aggregate")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]

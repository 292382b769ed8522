"""The national tools of the funding catalogue with the dates their texts give, and the tools imported from
Aides-territoires closed after their deadline (« date limite de dépôt », its last day).

DETR: loi n° 2010-1657 du 29 décembre 2010 de finances pour 2011 (art. 179), from 2011; DSIL: loi n° 2015-1785 du
29 décembre 2015 de finances pour 2016 (art. 159), from 2016. The other national tools (FIR, Région, Département,
FEDER) keep no date: their opening depends on each funder's call.
"""

from datetime import date

from django.db import migrations

OPENED = {"detr": date(2011, 1, 1), "dsil": date(2016, 1, 1)}


def dated(apps, schema_editor):
    FundingTool = apps.get_model("projects", "FundingTool")
    for code, day in OPENED.items():
        FundingTool.objects.filter(code=code, departement__isnull=True).update(ouvert_le=day)
    for tool in FundingTool.objects.filter(aide__date_limite__isnull=False).select_related("aide"):
        tool.ouvert_jusqu_au = tool.aide.date_limite
        tool.save(update_fields=["ouvert_jusqu_au"])


def undated(apps, schema_editor):
    FundingTool = apps.get_model("projects", "FundingTool")
    FundingTool.objects.filter(code__in=list(OPENED)).update(ouvert_le=None)
    FundingTool.objects.filter(aide__isnull=False).update(ouvert_jusqu_au=None)


class Migration(migrations.Migration):
    dependencies = [("projects", "0014_aid_validity"), ("connectors", "0001_initial")]
    operations = [migrations.RunPython(dated, undated)]

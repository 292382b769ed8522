"""The national schemes with their real dates (domain research §5.1–5.2).

The four contracts of the convention médicale 2016 (CAIM, COSCOM, CSTM, COTRAM) could be signed until 31 December
2025 (PAPS Pays de la Loire, « Les aides à l'installation », updated 10/11/2025); the convention médicale 2024-2029
(signed 4 June 2024, approved by the arrêté of 20 June 2024) replaced them from 1 January 2026 by a 10 % majoration of
the forfait médecin traitant in zones d'intervention prioritaires (50 % the first year, 30 % the second for a doctor
newly installed there), paid without a contract (ameli.fr, « Convention médicale 2024-2029 : l'essentiel »). The
Contrat de début d'exercice (ARS) is open since 1 April 2021; the CESP has no closing date.
"""

from datetime import date

from django.db import migrations

MEDECINE = ["generaliste", "medecin-specialiste"]
CLOSED = date(2025, 12, 31)
REPLACED_BY = (
    "la majoration de 10 % du forfait médecin traitant en zone d'intervention prioritaire "
    "(convention médicale 2024-2029)"
)
SOURCE_2016 = (
    "convention médicale 2016 ; contrats signés jusqu'au 31 décembre 2025 (PAPS Pays de la Loire, « Les aides à "
    "l'installation », 10/11/2025)"
)
CPAM = "la CPAM du lieu d'exercice (conseiller installation)"
DATES = {
    "cesp": {"contact": "l'ARS de la région (référent installation) ; gestion : ASP"},
    "caim": {"ouvert_jusqu_au": CLOSED, "remplace_par": REPLACED_BY, "source": SOURCE_2016, "contact": CPAM},
    "coscom": {"ouvert_jusqu_au": CLOSED, "remplace_par": REPLACED_BY, "source": SOURCE_2016, "contact": CPAM},
    "cde": {
        "ouvert_le": date(2021, 4, 1),
        "contact": "l'ARS de la région (référent installation)",
    },
}
NEW = [
    {
        "code": "cstm",
        "nom": "Contrat de solidarité territoriale médecin (CSTM)",
        "financeur": "Assurance maladie",
        "professions": MEDECINE,
        "conditions": "25 % des honoraires réalisés en zone d'intervention prioritaire, pour un médecin installé hors "
        "de la zone qui y exerce une partie de son activité.",
        "source": SOURCE_2016,
        "ouvert_jusqu_au": CLOSED,
        "remplace_par": REPLACED_BY,
        "contact": CPAM,
    },
    {
        "code": "cotram",
        "nom": "Contrat de transition pour les médecins (COTRAM)",
        "financeur": "Assurance maladie",
        "professions": MEDECINE,
        "conditions": "Un médecin de 60 ans ou plus accueillant un médecin nouvellement installé en zone "
        "d'intervention prioritaire : 10 % de ses honoraires, 20 000 € par an au plus.",
        "source": SOURCE_2016,
        "ouvert_jusqu_au": CLOSED,
        "remplace_par": REPLACED_BY,
        "contact": CPAM,
    },
    {
        "code": "fmt-zip",
        "nom": "Majoration du forfait médecin traitant en zone d'intervention prioritaire",
        "financeur": "Assurance maladie",
        "professions": MEDECINE,
        "zone_sous_dense": True,
        "conditions": "+10 % du forfait médecin traitant pour un médecin exerçant en zone d'intervention prioritaire "
        "(ZIP) ; 50 % la première année et 30 % la deuxième pour un médecin nouvellement installé en ZIP. Versée sans "
        "contrat à signer ; remplace les contrats CAIM, COSCOM, CSTM et COTRAM.",
        "source": "convention médicale 2024-2029 signée le 4 juin 2024 (arrêté d'approbation du 20 juin 2024), "
        "mesures du 1er janvier 2026 (ameli.fr)",
        "ouvert_le": date(2026, 1, 1),
        "contact": CPAM,
    },
]


def dated(apps, schema_editor):
    AidScheme = apps.get_model("recruitment", "AidScheme")
    for code, values in DATES.items():
        AidScheme.objects.filter(code=code, departement__isnull=True).update(**values)
    for scheme in NEW:
        AidScheme.objects.update_or_create(code=scheme["code"], defaults={**scheme, "kind": "nationale"})


def undated(apps, schema_editor):
    AidScheme = apps.get_model("recruitment", "AidScheme")
    AidScheme.objects.filter(code__in=[s["code"] for s in NEW]).delete()
    AidScheme.objects.filter(code__in=list(DATES)).update(ouvert_le=None, ouvert_jusqu_au=None, remplace_par="", contact="")


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0007_aid_validity")]
    operations = [migrations.RunPython(dated, undated)]

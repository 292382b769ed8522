"""National schemes, listed for information with their conditions (domain research §5); editable in /admin/."""

from django.db import migrations

MEDECINE = ["generaliste", "medecin-specialiste"]
SCHEMES = [
    {
        "code": "cesp",
        "nom": "Contrat d'engagement de service public (CESP)",
        "financeur": "État (géré par l'ASP depuis 2025)",
        "professions": [*MEDECINE, "chirurgien-dentiste", "sage-femme", "pharmacien"],
        "annee_min": 2,
        "montant_mensuel": 1200,
        "conditions": "1 200 € bruts par mois dès la 2e année, contre l'exercice en zone sous-dense pendant autant de "
        "mois que d'allocations perçues, deux ans au moins.",
        "source": "L.632-6 du code de l'éducation ; décrets n° 2025-270 et 2025-271",
    },
    {
        "code": "caim",
        "nom": "Contrat d'aide à l'installation des médecins (CAIM)",
        "financeur": "Assurance maladie",
        "professions": MEDECINE,
        "plafond": 50000,
        "conditions": "Jusqu'à 50 000 € pour 4 jours par semaine (31 250 € pour 2,5 jours), versés en deux fois ; "
        "installation en zone d'intervention prioritaire depuis moins d'un an, exercice de groupe, 5 ans.",
        "source": "convention médicale 2016 (contrats signés jusqu'au 31 décembre 2025)",
    },
    {
        "code": "coscom",
        "nom": "Contrat de stabilisation et de coordination (COSCOM)",
        "financeur": "Assurance maladie",
        "professions": MEDECINE,
        "conditions": "5 000 € par an, + 300 € par mois pour un maître de stage ; 3 ans renouvelables, en zone "
        "d'intervention prioritaire.",
        "source": "convention médicale 2016",
    },
    {
        "code": "cde",
        "nom": "Contrat de début d'exercice (CDE)",
        "financeur": "ARS",
        "professions": MEDECINE,
        "conditions": "Médecins installés depuis moins d'un an en zone d'intervention prioritaire ou d'action "
        "complémentaire, ou remplaçants : complément de rémunération la première année, 3 ans non renouvelables.",
        "source": "depuis le 1er avril 2021 (remplace PTMG, PTMA, PIAS, PTMR)",
    },
]


def seed(apps, schema_editor):
    AidScheme = apps.get_model("recruitment", "AidScheme")
    for scheme in SCHEMES:
        AidScheme.objects.update_or_create(code=scheme["code"], defaults={**scheme, "kind": "nationale"})


def unseed(apps, schema_editor):
    apps.get_model("recruitment", "AidScheme").objects.filter(code__in=[s["code"] for s in SCHEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

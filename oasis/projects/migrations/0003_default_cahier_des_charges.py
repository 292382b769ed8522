"""The national default cahier des charges, from the issue and the domain research (editable in /admin/)."""

from django.db import migrations

ITEMS = [
    {"code": "diagnostic-territorial", "categorie": "Projet de santé", "libelle": "Diagnostic territorial des besoins de santé"},
    {"code": "horaires", "categorie": "Accès aux soins", "libelle": "Ouverture de 8 h à 20 h en semaine et le samedi matin"},
    {"code": "soins-non-programmes", "categorie": "Accès aux soins", "libelle": "Organisation des soins non programmés"},
    {"code": "permanence-des-soins", "categorie": "Accès aux soins", "libelle": "Participation à la permanence des soins"},
    {"code": "concertation", "categorie": "Coordination", "libelle": "Réunions de concertation pluriprofessionnelles"},
    {"code": "protocoles", "categorie": "Coordination", "libelle": "Protocoles pluriprofessionnels"},
    {"code": "systeme-information", "categorie": "Coordination", "libelle": "Système d'information partagé (labellisé)"},
    {"code": "coordinateur", "categorie": "Coordination", "libelle": "Fonction de coordination identifiée"},
    {"code": "prevention", "categorie": "Santé publique", "libelle": "Actions de santé publique et de prévention"},
    {"code": "accueil-etudiants", "categorie": "Formation", "libelle": "Accueil d'étudiants et d'internes en stage"},
]


def seed(apps, schema_editor):
    CahierDesCharges = apps.get_model("projects", "CahierDesCharges")
    if not CahierDesCharges.objects.filter(region__isnull=True).exists():
        CahierDesCharges.objects.create(
            region=None,
            titre="Cahier des charges par défaut (maisons de santé pluriprofessionnelles)",
            source="L.6323-3 CSP ; règle SISA L.4041-4 ; pratiques des ARS (voir docs)",
            min_generalistes=2,
            min_auxiliaires=1,
            salaries_moins_que_associes=True,
            items=ITEMS,
        )


def unseed(apps, schema_editor):
    apps.get_model("projects", "CahierDesCharges").objects.filter(region__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_team_conformity")]
    operations = [migrations.RunPython(seed, unseed)]

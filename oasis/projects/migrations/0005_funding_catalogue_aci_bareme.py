"""The default catalogue of financial tools and the ACI point table (domain research §3.5, §3.6, §4; editable in /admin/).

Amounts and rates tagged [M] in the research are the usual ones, to be checked against each programme's current rules.
"""

from django.db import migrations

TOOLS = [
    {
        "code": "fir-etude",
        "nom": "FIR — étude de faisabilité (niveau 1)",
        "financeur": "ARS (fonds d'intervention régional)",
        "nature": "etude",
        "montant_max": 35000,
        "porteurs": ["association", "sisa"],
        "types_structure": ["msp", "msp-multisite"],
        "conditions": "Association loi 1901 des professionnels, après rencontre avec le référent de la délégation "
        "territoriale ; dossier : diagnostic territorial, pré-projet de santé, locaux, devis.",
        "source": "L.1435-8 CSP ; cahier des charges ARS Île-de-France (2015, révisé 2019)",
    },
    {
        "code": "fir-demarrage",
        "nom": "FIR — aide au démarrage (niveau 2)",
        "financeur": "ARS (fonds d'intervention régional)",
        "nature": "demarrage",
        "montant_max": 100000,
        "porteurs": ["association", "sisa"],
        "types_structure": ["msp", "msp-multisite"],
        "zone": "sous-dense",
        "conditions": "Jusqu'à 100 000 € en zone d'intervention prioritaire ou d'action complémentaire, "
        "déduction faite de l'aide à l'étude déjà reçue.",
        "source": "cahier des charges ARS Île-de-France (2015, révisé 2019)",
    },
    {
        "code": "detr",
        "nom": "DETR — dotation d'équipement des territoires ruraux",
        "financeur": "État (préfecture de département)",
        "nature": "investissement",
        "taux_max": 80,
        "porteurs": ["commune", "epci"],
        "territoire": "rural",
        "conditions": "Communes et EPCI éligibles selon leur population ; taux de 20 à 80 % du coût HT éligible, "
        "fixé par la commission départementale.",
        "source": "L.2334-33 CGCT ; taux usuels [M]",
    },
    {
        "code": "dsil",
        "nom": "DSIL — dotation de soutien à l'investissement local",
        "financeur": "État (préfecture de région)",
        "nature": "investissement",
        "taux_max": 80,
        "porteurs": ["commune", "epci"],
        "conditions": "Grandes priorités d'investissement dont l'accès aux services et aux soins.",
        "source": "L.2334-42 CGCT",
    },
    {
        "code": "region",
        "nom": "Région — aide à l'investissement immobilier de santé",
        "financeur": "Conseil régional",
        "nature": "investissement",
        "conditions": "Règlement d'intervention de la Région (taux et plafonds propres).",
        "source": "L.1511-8 CGCT",
    },
    {
        "code": "departement",
        "nom": "Département — aide à l'investissement des maisons de santé",
        "financeur": "Conseil départemental",
        "nature": "investissement",
        "porteurs": ["commune", "epci"],
        "conditions": "Règlement départemental (niveaux d'intervention du Département).",
        "source": "L.1511-8 CGCT",
    },
    {
        "code": "feder",
        "nom": "FEDER — fonds européen de développement régional",
        "financeur": "Union européenne (Région, autorité de gestion)",
        "nature": "investissement",
        "conditions": "Programme opérationnel régional ; dépôt sur le portail de la Région.",
        "source": "programme opérationnel régional",
    },
    {
        "code": "feader",
        "nom": "FEADER / LEADER — fonds européen agricole pour le développement rural",
        "financeur": "Union européenne (Région, GAL)",
        "nature": "investissement",
        "territoire": "rural",
        "conditions": "Territoires ruraux couverts par un groupe d'action locale.",
        "source": "programme de développement rural régional",
    },
    {
        "code": "commune-epci",
        "nom": "Autofinancement de la commune ou de l'EPCI",
        "financeur": "Commune ou EPCI",
        "nature": "investissement",
        "porteurs": ["commune", "epci"],
        "conditions": "Part restant à la charge de la collectivité maître d'ouvrage.",
    },
    {
        "code": "aci",
        "nom": "ACI — accord conventionnel interprofessionnel",
        "financeur": "Assurance maladie (CPAM), contrat tripartite avec l'ARS",
        "nature": "fonctionnement",
        "porteurs": ["sisa"],
        "types_structure": ["msp", "msp-multisite"],
        "conditions": "SISA, projet de santé validé par l'ARS ; prérequis : horaires, fonction de coordination, "
        "système d'information labellisé. Contrat de 5 ans. Voir le simulateur ACI.",
        "source": "arrêté du 24 juillet 2017 ; avenant 1 (JO du 3 août 2022)",
    },
    {
        "code": "fonds-propres",
        "nom": "Emprunt ou fonds propres",
        "financeur": "Porteur du projet",
        "nature": "investissement",
        "public": False,
        "conditions": "Financement privé : hors plafond d'aides publiques.",
    },
]

INDICATORS = [
    ("horaires", 1, "Horaires d'ouverture (8 h – 20 h, samedi matin) et soins non programmés", True, True, 800, 0, 1, False),
    ("crises-sanitaires", 1, "Réponse aux crises sanitaires graves", True, False, 100, 350, 1, False),
    ("diversite-services", 1, "Diversité de services (par niveau)", False, False, 300, 0, 2, False),
    ("second-recours", 1, "Consultations de second recours (par niveau)", False, False, 300, 0, 2, False),
    ("cstm", 1, "Accueil de médecins en contrat de solidarité territoriale (CSTM)", False, False, 200, 0, 1, False),
    ("missions-sante-publique", 1, "Missions de santé publique (par mission, 2 au plus)", False, False, 100, 350, 2, False),
    ("usagers", 1, "Implication des usagers", False, False, 200, 300, 1, False),
    ("sas", 1, "Participation au service d'accès aux soins (tous les médecins)", False, False, 200, 0, 1, False),
    ("coordination", 2, "Fonction de coordination", True, True, 1000, 1700, 1, False),
    ("protocoles", 2, "Protocoles pluriprofessionnels (par protocole, 8 au plus)", True, False, 100, 0, 8, False),
    ("concertation", 2, "Concertation pluriprofessionnelle", True, False, 0, 1000, 1, False),
    ("stagiaires", 2, "Formation de stagiaires (par stagiaire, 4 au plus)", False, False, 225, 0, 4, False),
    ("coordination-externe", 2, "Coordination externe", False, False, 0, 200, 1, False),
    ("demarche-qualite", 2, "Démarche qualité", False, False, 100, 500, 1, False),
    ("protocoles-nationaux", 2, "Protocoles nationaux de coopération (par protocole, 6 au plus)", False, False, 100, 0, 6, False),
    ("parcours-insuffisance-cardiaque", 2, "Parcours insuffisance cardiaque", False, False, 0, 100, 1, False),
    ("parcours-obesite-enfant", 2, "Parcours surpoids et obésité de l'enfant", False, False, 100, 0, 1, False),
    ("si-standard", 3, "Système d'information labellisé, niveau standard", True, True, 500, 0, 1, True),
    ("si-avance", 3, "Système d'information, niveau avancé", False, False, 100, 0, 1, False),
]


def seed(apps, schema_editor):
    FundingTool = apps.get_model("projects", "FundingTool")
    for order, tool in enumerate(TOOLS):
        FundingTool.objects.update_or_create(code=tool["code"], defaults={**tool, "ordre": order})
    AciBareme = apps.get_model("projects", "AciBareme")
    if not AciBareme.objects.exists():
        AciBareme.objects.create(
            nom="ACI MSP — avenant 1 (2022)",
            actif=True,
            source="arrêté du 24 juillet 2017 ; avenant 1 publié au JO du 3 août 2022 ; barème détaillé : recherche "
            "documentaire OASIS §4.3 (à vérifier sur le texte de l'avenant en vigueur)",
            indicateurs=[
                {
                    "code": code,
                    "axe": axe,
                    "libelle": libelle,
                    "socle": socle,
                    "prerequis": prerequis,
                    "fixe": fixe,
                    "variable": variable,
                    "max": maximum,
                    "par_professionnel": par_professionnel,
                }
                for code, axe, libelle, socle, prerequis, fixe, variable, maximum, par_professionnel in INDICATORS
            ],
        )


def unseed(apps, schema_editor):
    apps.get_model("projects", "FundingTool").objects.filter(code__in=[t["code"] for t in TOOLS]).delete()
    apps.get_model("projects", "AciBareme").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_partners_actions_funding_documents")]
    operations = [migrations.RunPython(seed, unseed)]

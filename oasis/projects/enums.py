"""Kinds of project, carriers, and the stages of the support chain (seeds 000, 001, 002, 004)."""

from __future__ import annotations

from django.db import models


class ProjectKind(models.TextChoices):
    MSP = "msp", "Maison de santé pluriprofessionnelle (mono-site)"
    MSP_MULTISITE = "msp-multisite", "Maison de santé multi-site / pôle de santé"
    CENTRE_DE_SANTE = "centre-de-sante", "Centre de santé"
    CPTS = "cpts", "Communauté professionnelle territoriale de santé (CPTS)"


class Carrier(models.TextChoices):
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    ASSOCIATION = "association", "Association de professionnels"
    SISA = "sisa", "SISA"
    AUTRE = "autre", "Autre"


class Stage(models.TextChoices):
    PRISE_DE_CONTACT = "prise-de-contact", "Prise de contact / 1er entretien"
    CONSEIL = "conseil-1er-niveau", "Conseil de 1er niveau / réunion d'information"
    DEFINITION = "definition-besoin", "Définition et formalisation du besoin"
    ACCOMPAGNEMENT = "accompagnement-cible", "Accompagnement ciblé"
    DEPOSE = "projet-sante-depose", "Projet de santé déposé"
    COMITE = "comite-regional", "Comité régional de sélection"
    VALIDE = "valide", "Validé par le comité"
    A_REVOIR = "a-revoir", "À revoir (comité)"
    REFUSE = "refuse", "Refusé (comité)"
    OUVERT = "ouvert", "Ouvert"
    SUIVI = "suivi", "Suivi en fonctionnement"
    SUSPENDU = "suspendu", "Suspendu"
    ABANDONNE = "abandonne", "Abandonné"


FORWARD: dict[str, tuple[str, ...]] = {
    Stage.PRISE_DE_CONTACT: (Stage.CONSEIL,),
    Stage.CONSEIL: (Stage.DEFINITION,),
    Stage.DEFINITION: (Stage.ACCOMPAGNEMENT,),
    Stage.ACCOMPAGNEMENT: (Stage.DEPOSE,),
    Stage.DEPOSE: (Stage.COMITE,),
    Stage.COMITE: (Stage.VALIDE, Stage.A_REVOIR, Stage.REFUSE),
    Stage.A_REVOIR: (Stage.DEPOSE,),
    Stage.VALIDE: (Stage.OUVERT,),
    Stage.OUVERT: (Stage.SUIVI,),
}
"""The normal path; the committee's three outcomes; a project to revise is filed again."""

COMMITTEE_DECISIONS = (Stage.VALIDE, Stage.A_REVOIR, Stage.REFUSE)
PAUSED = (Stage.SUSPENDU, Stage.ABANDONNE)
FINAL = (Stage.REFUSE,)
BOARD_ORDER: tuple[str, ...] = tuple(stage.value for stage in Stage)


class MemberProfession(models.TextChoices):
    GENERALISTE = "generaliste", "Médecin généraliste"
    MEDECIN_AUTRE = "medecin-autre", "Autre médecin"
    CHIRURGIEN_DENTISTE = "chirurgien-dentiste", "Chirurgien-dentiste"
    SAGE_FEMME = "sage-femme", "Sage-femme"
    PHARMACIEN = "pharmacien", "Pharmacien"
    BIOLOGISTE = "biologiste", "Biologiste (laboratoire de biologie médicale)"
    INFIRMIER = "infirmier", "Infirmier"
    MASSEUR_KINESITHERAPEUTE = "masseur-kinesitherapeute", "Masseur-kinésithérapeute"
    ORTHOPHONISTE = "orthophoniste", "Orthophoniste"
    ORTHOPTISTE = "orthoptiste", "Orthoptiste"
    PEDICURE_PODOLOGUE = "pedicure-podologue", "Pédicure-podologue"
    DIETETICIEN = "dieteticien", "Diététicien"
    ERGOTHERAPEUTE = "ergotherapeute", "Ergothérapeute"
    PSYCHOMOTRICIEN = "psychomotricien", "Psychomotricien"
    PSYCHOLOGUE = "psychologue", "Psychologue"
    COORDINATEUR = "coordinateur", "Coordinateur"
    AUTRE = "autre", "Autre"


AUXILIAIRES_MEDICAUX = (
    MemberProfession.INFIRMIER,
    MemberProfession.MASSEUR_KINESITHERAPEUTE,
    MemberProfession.ORTHOPHONISTE,
    MemberProfession.ORTHOPTISTE,
    MemberProfession.PEDICURE_PODOLOGUE,
    MemberProfession.DIETETICIEN,
    MemberProfession.ERGOTHERAPEUTE,
    MemberProfession.PSYCHOMOTRICIEN,
)
"""Auxiliaires médicaux (Code de la santé publique, livre III de la quatrième partie)."""


class MemberStatus(models.TextChoices):
    ASSOCIE = "associe-liberal", "Associé libéral"
    SALARIE = "salarie", "Salarié"
    PRESSENTI = "pressenti", "Pressenti"
    RECHERCHE = "recherche", "Recherché"


class PartnerKind(models.TextChoices):
    ARS = "ars", "ARS"
    CPAM = "cpam", "CPAM"
    ORDRE = "ordre", "Ordre professionnel"
    CLS = "cls", "Contrat local de santé (CLS)"
    URPS = "urps", "URPS"
    FEDERATION = "federation", "Fédération régionale des maisons de santé"
    FACULTE = "faculte", "Faculté"
    CHU = "chu", "CHU"
    ECOLE = "ecole", "École (IFSI, IFMK, orthophonie…)"
    REGION = "region", "Région"
    PREFECTURE = "prefecture", "Préfecture"
    DEPARTEMENT = "departement", "Département"
    COMMUNE = "commune", "Commune ou EPCI"
    AUTRE = "autre", "Autre"


class ActionKind(models.TextChoices):
    ENTRETIEN = "entretien", "Entretien"
    REUNION = "reunion-information", "Réunion d'information"
    COORDINATION = "coordination", "Coordination"
    COMMUNICATION = "communication", "Communication"
    PREVENTION = "prevention", "Prévention"
    VISITE = "visite", "Visite"


class FundingNature(models.TextChoices):
    ETUDE = "etude", "Étude"
    DEMARRAGE = "demarrage", "Démarrage"
    INVESTISSEMENT = "investissement", "Investissement"
    FONCTIONNEMENT = "fonctionnement", "Fonctionnement"


class ZoneCondition(models.TextChoices):
    TOUTE = "toute", "Toute zone"
    SOUS_DENSE = "sous-dense", "Zone sous-dense uniquement"
    HORS_SOUS_DENSE = "hors-sous-dense", "Hors zone sous-dense uniquement"


class TerritoryCondition(models.TextChoices):
    TOUT = "tout", "Rural ou urbain"
    RURAL = "rural", "Rural uniquement"
    URBAIN = "urbain", "Urbain uniquement"
    DETR = "detr", "Communes et EPCI éligibles à la DETR (selon leur population)"


class DocumentKind(models.TextChoices):
    PROJET_DE_SANTE = "projet-de-sante", "Projet de santé"
    DIAGNOSTIC = "diagnostic", "Diagnostic territorial"
    PLAN_DE_FINANCEMENT = "plan-de-financement", "Plan de financement"
    CONVENTION = "convention", "Convention"
    COMPTE_RENDU = "compte-rendu", "Compte rendu"
    PLANS = "plans", "Plans du bâtiment"
    STATUTS = "statuts", "Statuts (SISA, association)"
    AUTRE = "autre", "Autre"


class ProjetDeSanteStatus(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SOUMIS = "soumis", "Soumis"


class DossierState(models.TextChoices):
    """States of a Démarches simplifiées dossier (API v2 ``DossierState``)."""

    EN_CONSTRUCTION = "en_construction", "En construction"
    EN_INSTRUCTION = "en_instruction", "En instruction"
    ACCEPTE = "accepte", "Accepté"
    REFUSE = "refuse", "Refusé"
    SANS_SUITE = "sans_suite", "Classé sans suite"


class ReferenceKind(models.TextChoices):
    """The reference texts the source documents cite (seeds 000, 001)."""

    SCHEMA_SOLIDARITES = "schema-solidarites", "Schéma départemental des solidarités"
    PLAN_SANTE = "plan-sante", "Plan santé du Département"
    SDAASP = "sdaasp", "Schéma départemental d'amélioration de l'accessibilité des services au public (SDAASP)"
    CAHIER_ARS = "cahier-ars", "Cahier des charges de l'ARS"
    AUTRE = "autre", "Autre texte de référence"


class SupportRequestStatus(models.TextChoices):
    OUVERTE = "ouverte", "À traiter"
    PROJET = "projet", "Devenue un projet"

"""Professions, situations, modes of practice, aid kinds and the recruitment pipeline (seed 001)."""

from __future__ import annotations

from django.db import models


class Profession(models.TextChoices):
    GENERALISTE = "generaliste", "Médecin généraliste"
    MEDECIN_SPECIALISTE = "medecin-specialiste", "Médecin spécialiste"
    CHIRURGIEN_DENTISTE = "chirurgien-dentiste", "Chirurgien-dentiste"
    SAGE_FEMME = "sage-femme", "Sage-femme"
    MASSEUR_KINESITHERAPEUTE = "masseur-kinesitherapeute", "Masseur-kinésithérapeute"
    ORTHOPHONISTE = "orthophoniste", "Orthophoniste"
    INFIRMIER = "infirmier", "Infirmier"
    PHARMACIEN = "pharmacien", "Pharmacien"
    AUTRE = "autre", "Autre"


class Situation(models.TextChoices):
    ETUDIANT = "etudiant", "Étudiant"
    INTERNE = "interne", "Interne"
    REMPLACANT = "remplacant", "Remplaçant"
    PROFESSIONNEL = "professionnel", "Professionnel en exercice"


class Mode(models.TextChoices):
    LIBERAL = "liberal", "Libéral"
    SALARIE = "salarie", "Salarié"
    COLLABORATION = "collaboration", "Collaboration"
    REMPLACEMENT = "remplacement", "Remplacement"


class AidKind(models.TextChoices):
    ETUDES = "etudes", "Aide aux études"
    PRIMO_INSTALLATION = "primo-installation", "Aide à la primo-installation"
    POURSUITE = "poursuite-activite", "Aide à la poursuite d'activité"
    NATIONALE = "nationale", "Dispositif national (information)"


class RepaymentRule(models.TextChoices):
    PRORATA = "prorata", "Au prorata de la durée d'exercice non accomplie"
    INTEGRAL = "integral", "Totalité des sommes versées"
    AUCUN = "aucun", "Aucun remboursement"


class AgreementStatus(models.TextChoices):
    VERSEMENTS = "versements", "Versements en cours"
    A_INSTALLER = "a-installer", "Installation attendue"
    HONORE = "honore", "Engagement honoré (installé)"
    ROMPU = "rompu", "Engagement rompu"


class VacancyStatus(models.TextChoices):
    OUVERT = "ouvert", "À pourvoir"
    POURVU = "pourvu", "Pourvu"
    CLOS = "clos", "Clos sans suite"


class PipelineStage(models.TextChoices):
    CONTACT = "contact", "Premier contact"
    ECHANGES = "echanges", "Échanges"
    VISITE = "visite", "Visite du territoire"
    ACCORD = "accord", "Accord de principe"
    INSTALLE = "installe", "Installé"
    ABANDON = "abandon", "Abandon"


PIPELINE_ORDER = tuple(stage.value for stage in PipelineStage)


class CandidateSource(models.TextChoices):
    SAISIE = "saisie", "Saisi par le Département"
    PORTAIL = "portail", "Inscrit depuis le portail public (double confirmation)"


# The APL profession (oasis.accessibility, the official references) by which a recruited profession's place is judged
# under-dense; a profession absent here has no zoning status at any place.
APL_PROFESSION = {
    "generaliste": "generaliste",
    "chirurgien-dentiste": "chirurgien-dentiste",
    "sage-femme": "sage-femme",
    "masseur-kinesitherapeute": "masseur-kinesitherapeute",
    "orthophoniste": "orthophoniste",
    "infirmier": "infirmier",
    "pharmacien": "pharmacie",
}

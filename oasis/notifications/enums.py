from django.db import models


class Event(models.TextChoices):
    """What a notification tells. Projects and recruitment raise them; `oasis rappels` raises the dated ones."""

    ETAPE = "etape", "Changement d'étape d'un projet"
    COMMENTAIRE = "commentaire", "Commentaire ou avis sur un projet"
    DOCUMENT = "document", "Document déposé sur un projet"
    INVITATION = "invitation", "Invitation à suivre un projet"
    SEANCE = "seance", "Convocation au comité régional de sélection"
    CANDIDAT = "candidat", "Candidat inscrit depuis le portail public"
    ACTION_EN_RETARD = "action-en-retard", "Prochaine action en retard"
    INSTALLATION = "installation", "Échéance d'installation d'un bénéficiaire"
    FIN_ENGAGEMENT = "fin-engagement", "Fin de la période d'engagement d'un bénéficiaire"
    VERSEMENT = "versement", "Versement d'une aide à effectuer"


class Frequency(models.TextChoices):
    """When a user receives their notifications by e-mail (they are always listed in OASIS)."""

    IMMEDIATE = "immediate", "Un courriel à chaque notification"
    QUOTIDIEN = "quotidien", "Un récapitulatif par jour"
    AUCUN = "aucun", "Aucun courriel (notifications dans OASIS seulement)"

from django.db import models


class Role(models.TextChoices):
    """What a user is, which decides what they may see and do (oasis.projects.perms)."""

    ADMINISTRATEUR = "administrateur", "Administrateur"
    DEPARTEMENT = "departement", "Chargé(e) de mission du Département"
    ARS = "ars", "Agence régionale de santé"
    CPAM = "cpam", "Caisse primaire d'assurance maladie"
    COLLECTIVITE = "collectivite", "Élu(e) ou agent d'une commune ou d'un EPCI"
    PROFESSIONNEL = "professionnel", "Professionnel de santé ou étudiant"

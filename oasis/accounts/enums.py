from django.db import models


class Role(models.TextChoices):
    """What a user is, which decides what they may see and do (oasis.projects.perms)."""

    ADMINISTRATEUR = "administrateur", "Administrateur"
    DEPARTEMENT = "departement", "Chargé(e) de mission du Département"
    ARS = "ars", "Agence régionale de santé"
    CPAM = "cpam", "Caisse primaire d'assurance maladie"
    COLLECTIVITE = "collectivite", "Élu(e) ou agent d'une commune ou d'un EPCI"
    URPS = "urps", "Union régionale des professionnels de santé (URPS)"
    ORDRE = "ordre", "Ordre professionnel"
    PREFECTURE = "prefecture", "Préfecture"
    PROFESSIONNEL = "professionnel", "Professionnel de santé ou étudiant"
    PORTEUR = "porteur", "Porteur de projet"


INVITED_ROLES = (Role.URPS, Role.ORDRE, Role.PREFECTURE)
"""Partners who see a project only once invited to it (oasis.projects.models.ProjectGuest): read and comment."""
REGIONAL_ROLES = (Role.ARS, Role.CPAM, *INVITED_ROLES)
"""Roles attached to a région."""

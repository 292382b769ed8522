from django.db import models


class Role(models.TextChoices):
    """What a user is, which decides what they may see and do (oasis.projects.perms)."""

    ADMINISTRATEUR = "administrateur", "Administrateur"
    DEPARTEMENT = "departement", "Chargé(e) de mission du Département"
    ARS = "ars", "Agence régionale de santé"
    ARS_DD = "ars_dd", "ARS — délégation départementale"
    CPAM = "cpam", "Caisse primaire d'assurance maladie"
    COLLECTIVITE = "collectivite", "Élu(e) ou agent d'une commune ou d'un EPCI"
    URPS = "urps", "Union régionale des professionnels de santé (URPS)"
    ORDRE = "ordre", "Ordre professionnel"
    PREFECTURE = "prefecture", "Préfecture"
    PROFESSIONNEL = "professionnel", "Professionnel de santé ou étudiant"
    PORTEUR = "porteur", "Porteur de projet"


INVITED_ROLES = (Role.URPS, Role.ORDRE, Role.PREFECTURE)
"""Partners who see a project only once invited to it (oasis.projects.models.ProjectGuest): read and comment."""
ARS_ROLES = (Role.ARS, Role.ARS_DD)
"""The ARS's agents: those of the région's head office (``ARS``) and those of one of its délégations départementales
(``ARS_DD``), who see and instruct only their département's projects (oasis.projects.perms)."""
REGIONAL_ROLES = (Role.ARS, Role.ARS_DD, Role.CPAM, *INVITED_ROLES)
"""Roles attached to a région (a délégation départementale's région is its département's)."""

"""Kinds of official reference, zoning categories and the professions the official files name."""

from __future__ import annotations

from django.db import models

from oasis.supply.enums import Equipement


class ReferenceKind(models.TextChoices):
    DREES_APL = "drees-apl", "APL publiée par la DREES"
    RPPS = "rpps", "Annuaire santé (RPPS)"
    FINESS = "finess", "FINESS (établissements)"
    ZONAGE = "zonage", "Zonage de l'ARS"


class Zone(models.TextChoices):
    """Zoning categories of the ARS orders: the GP zones, then the five classes of the other professions."""

    ZIP = "ZIP", "Zone d'intervention prioritaire (ZIP)"
    ZAC = "ZAC", "Zone d'action complémentaire (ZAC)"
    ZV = "ZV", "Zone de vigilance"
    HV = "HV", "Hors vivier"
    HZ = "HZ", "Hors zonage"
    TRES_SOUS_DOTE = "tres-sous-dote", "Très sous-doté"
    SOUS_DOTE = "sous-dote", "Sous-doté"
    INTERMEDIAIRE = "intermediaire", "Intermédiaire"
    TRES_DOTE = "tres-dote", "Très doté"
    SUR_DOTE = "sur-dote", "Sur-doté"


UNDER_SERVED_ZONES = frozenset({Zone.ZIP, Zone.ZAC, Zone.TRES_SOUS_DOTE, Zone.SOUS_DOTE})
"""Zones where installation aids apply: ZIP and ZAC for GPs (art. L.1434-4 CSP), the two lowest classes otherwise."""

GP_ZONES = frozenset({Zone.ZIP, Zone.ZAC, Zone.ZV, Zone.HV, Zone.HZ})


class StructureCategory(models.TextChoices):
    """FINESS categories OASIS keeps as named structures."""

    MAISON_DE_SANTE = "603", "Maison de santé (L.6223-3)"
    CENTRE_DE_SANTE = "124", "Centre de santé"
    CPTS = "604", "Communauté professionnelle territoriale de santé (CPTS)"


STRUCTURE_EQUIPEMENT = {
    StructureCategory.MAISON_DE_SANTE: Equipement.MAISON_DE_SANTE,
    StructureCategory.CENTRE_DE_SANTE: Equipement.CENTRE_DE_SANTE,
}

OFFICIAL_APL_PROFESSIONS = (
    Equipement.GENERALISTE,
    Equipement.INFIRMIER,
    Equipement.MASSEUR_KINESITHERAPEUTE,
    Equipement.SAGE_FEMME,
    Equipement.CHIRURGIEN_DENTISTE,
)
"""The professions for which the DREES publishes an APL."""

"""Professions and structures counted by the supply data (BPE codes as published by INSEE)."""

from __future__ import annotations

from django.db import models


class Equipement(models.TextChoices):
    """What the BPE counts in a commune; the values are the slugs used in the CLI and the API."""

    GENERALISTE = "generaliste", "Médecins généralistes"
    CHIRURGIEN_DENTISTE = "chirurgien-dentiste", "Chirurgiens-dentistes"
    SAGE_FEMME = "sage-femme", "Sages-femmes"
    INFIRMIER = "infirmier", "Infirmiers"
    MASSEUR_KINESITHERAPEUTE = "masseur-kinesitherapeute", "Masseurs-kinésithérapeutes"
    ORTHOPHONISTE = "orthophoniste", "Orthophonistes"
    PHARMACIE = "pharmacie", "Pharmacies"
    MAISON_DE_SANTE = "maison-de-sante", "Maisons de santé pluriprofessionnelles"
    CENTRE_DE_SANTE = "centre-de-sante", "Centres de santé"


BPE_TYPEQU: dict[str, Equipement] = {
    "D201": Equipement.GENERALISTE,
    "D221": Equipement.CHIRURGIEN_DENTISTE,
    "D231": Equipement.SAGE_FEMME,
    "D232": Equipement.INFIRMIER,
    "D233": Equipement.MASSEUR_KINESITHERAPEUTE,
    "D235": Equipement.ORTHOPHONISTE,
    "D301": Equipement.PHARMACIE,
    "D113": Equipement.MAISON_DE_SANTE,
    "D108": Equipement.CENTRE_DE_SANTE,
}
"""BPE equipment type → what OASIS calls it."""

PROFESSIONS: tuple[Equipement, ...] = (
    Equipement.GENERALISTE,
    Equipement.CHIRURGIEN_DENTISTE,
    Equipement.MASSEUR_KINESITHERAPEUTE,
    Equipement.ORTHOPHONISTE,
    Equipement.INFIRMIER,
    Equipement.SAGE_FEMME,
    Equipement.PHARMACIE,
)
STRUCTURES: tuple[Equipement, ...] = (Equipement.MAISON_DE_SANTE, Equipement.CENTRE_DE_SANTE)


class IndicateurStructures(models.TextChoices):
    """Series of the baromètre of maisons and centres de santé."""

    MAISONS_DE_SANTE = "nb-maisons-sante", "Maisons de santé en fonctionnement"
    CENTRES_DE_SANTE = "nb-centres-sante", "Centres de santé pluriprofessionnels"


class NiveauSerie(models.TextChoices):
    NATIONAL = "national", "France"
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"


CNAM_PROFESSIONS: dict[str, Equipement] = {
    "Ensemble des médecins généralistes": Equipement.GENERALISTE,
    "Ensemble des chirurgiens-dentistes": Equipement.CHIRURGIEN_DENTISTE,
    "Sages-femmes": Equipement.SAGE_FEMME,
    "Infirmiers": Equipement.INFIRMIER,
    "Masseurs-kinésithérapeutes": Equipement.MASSEUR_KINESITHERAPEUTE,
    "Orthophonistes": Equipement.ORTHOPHONISTE,
}
"""CNAM 2024 profession labels that match an OASIS profession (control totals)."""

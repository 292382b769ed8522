"""Supply of primary care: counts per commune (BPE), structure series (baromètre), control totals (Cnam)."""

from __future__ import annotations

from django.db import models

from oasis.supply.enums import Equipement, IndicateurStructures, NiveauSerie


class SupplyCount(models.Model):
    """Number of liberal professionals or structures of one kind in one commune (or PLM arrondissement)."""

    commune = models.ForeignKey("territories.Commune", on_delete=models.CASCADE, related_name="supply_counts")
    equipement = models.CharField(max_length=30, choices=Equipement.choices)
    millesime = models.PositiveSmallIntegerField("millésime BPE")
    nombre = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "equipement", "millesime"], name="unique_supply_count")]
        indexes = [models.Index(fields=["equipement", "millesime"])]
        verbose_name = "effectif par commune"

    def __str__(self) -> str:
        return f"{self.commune_id} {self.equipement} {self.millesime} : {self.nombre}"


class StructureSeriesPoint(models.Model):
    """Number of maisons or centres de santé at a date, for France, a région or a département."""

    niveau = models.CharField(max_length=12, choices=NiveauSerie.choices)
    code = models.CharField(max_length=3)
    libelle = models.CharField(max_length=100)
    indicateur = models.CharField(max_length=20, choices=IndicateurStructures.choices)
    date = models.DateField()
    valeur = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["niveau", "code", "indicateur", "date"], name="unique_series_point")]
        ordering = ["niveau", "code", "indicateur", "date"]
        verbose_name = "point de série des structures"

    def __str__(self) -> str:
        return f"{self.libelle} {self.indicateur} {self.date} : {self.valeur}"


class CnamDemography(models.Model):
    """Liberal practitioners per profession (Assurance maladie), per département, région (999) or France (99)."""

    annee = models.PositiveSmallIntegerField()
    profession = models.CharField(max_length=120)
    region = models.CharField(max_length=3, help_text="99 = France")
    departement = models.CharField(max_length=3, help_text="999 = tous départements")
    effectif = models.PositiveIntegerField()
    densite = models.FloatField(null=True, help_text="pour 100 000 habitants")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["annee", "profession", "region", "departement"], name="unique_cnam_demography")
        ]
        verbose_name = "démographie Cnam"

    def __str__(self) -> str:
        return f"{self.profession} {self.departement}/{self.region} {self.annee} : {self.effectif}"

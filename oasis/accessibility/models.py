"""APL runs (reproducible: parameters, inputs, content hash), their results, imported activity, scenarios."""

from __future__ import annotations

from django.db import models

from oasis.accessibility.enums import ModePratique, Variante
from oasis.supply.enums import Equipement


class AplRun(models.Model):
    """One national APL computation; identical inputs and parameters give the same ``content_hash``."""

    content_hash = models.CharField(max_length=64, unique=True)
    profession = models.CharField(max_length=30, choices=Equipement.choices)
    variante = models.CharField(max_length=10, choices=Variante.choices, default=Variante.ENSEMBLE)
    parametres = models.JSONField(help_text="paramètres de la profession et des temps de trajet, tels qu'utilisés")
    entrees = models.JSONField(help_text="données d'entrée : sources, millésimes, empreintes")
    resume = models.JSONField(help_text="moyenne nationale, population sous le seuil, activité imputée…")
    created_at = models.DateTimeField(auto_now_add=True)
    duration_seconds = models.FloatField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "calcul d'APL"
        verbose_name_plural = "calculs d'APL"

    def __str__(self) -> str:
        return f"APL {self.profession} {self.variante} ({self.content_hash[:12]})"


class AplResult(models.Model):
    run = models.ForeignKey(AplRun, on_delete=models.CASCADE, related_name="results")
    commune = models.ForeignKey("territories.Commune", on_delete=models.CASCADE, related_name="+")
    apl = models.FloatField(help_text="dans l'unité de la profession (voir le calcul)")
    classe = models.PositiveSmallIntegerField(null=True, help_text="classe de zonage 0 (très sous-doté) à 4")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "commune"], name="unique_apl_result")]
        verbose_name = "APL d'une commune"

    def __str__(self) -> str:
        return f"{self.commune_id} : {self.apl:.3f}"


class AplAggregate(models.Model):
    """A run's APL for a région, département, EPCI, bassin de vie or France, stored with the run."""

    run = models.ForeignKey(AplRun, on_delete=models.CASCADE, related_name="aggregates")
    niveau = models.CharField(max_length=20)
    code = models.CharField(max_length=9)
    apl_moyen = models.FloatField(null=True)
    population = models.FloatField()
    population_sous_dotee = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "niveau", "code"], name="unique_apl_aggregate")]
        indexes = [models.Index(fields=["niveau", "code"])]

    def __str__(self) -> str:
        return f"{self.niveau} {self.code} : {self.apl_moyen}"


class PractitionerImport(models.Model):
    """A file of per-practitioner activity imported by a user (replaces the imputation for its profession)."""

    fichier = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    profession = models.CharField(max_length=30, choices=Equipement.choices)
    millesime = models.PositiveSmallIntegerField(help_text="année d'activité")
    lignes = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True, help_text="utilisé par les calculs de sa profession")

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = "import d'activité des praticiens"

    def __str__(self) -> str:
        return f"{self.fichier} ({self.profession}, {self.millesime})"


class Practitioner(models.Model):
    """One practitioner's yearly activity, without identity (no name, no RPPS number)."""

    source = models.ForeignKey(PractitionerImport, on_delete=models.CASCADE, related_name="practitioners")
    commune = models.ForeignKey("territories.Commune", on_delete=models.PROTECT, related_name="+")
    actes = models.FloatField(null=True, help_text="consultations + visites dans l'année (médecins)")
    etp = models.FloatField(null=True, help_text="équivalent temps plein (autres professions)")
    age = models.PositiveSmallIntegerField(null=True)
    mode = models.CharField(max_length=20, choices=ModePratique.choices, default=ModePratique.LIBERAL)
    nouvel_installe = models.BooleanField(default=False)

    class Meta:
        verbose_name = "praticien (activité)"

    def __str__(self) -> str:
        return f"{self.source.profession} à {self.commune_id}"


class Scenario(models.Model):
    """A what-if on a base run: professionals added or removed, retirements, a new structure."""

    nom = models.CharField(max_length=200)
    run = models.ForeignKey(AplRun, on_delete=models.CASCADE, related_name="scenarios")
    changements = models.JSONField(help_text="liste des changements, tels que saisis")
    resume = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "scénario"

    def __str__(self) -> str:
        return self.nom


class ScenarioResult(models.Model):
    """APL before and after for each commune the scenario changes."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="results")
    commune = models.ForeignKey("territories.Commune", on_delete=models.CASCADE, related_name="+")
    apl_avant = models.FloatField()
    apl_apres = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scenario", "commune"], name="unique_scenario_result")]

    def __str__(self) -> str:
        return f"{self.commune_id} : {self.apl_avant:.3f} → {self.apl_apres:.3f}"

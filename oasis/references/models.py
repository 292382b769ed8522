"""Official references imported by users: each import is a vintage with its source, file hash and row counts.

- ``OfficialApl``: the DREES APL exactly as published (codes of the APL's own COG), and ``OfficialAplUnit`` the same
  values carried onto the current communes (pop-standardised weighted means over merged communes, as the DREES says
  to aggregate).
- ``ZonageCommune``: the ARS zoning per commune and profession (the rows of the newest order are ``actif``).
- ``RppsCount``: practitioners of the Annuaire santé counted per person, commune, profession and mode (no identity).
- ``FinessStructure``: maisons de santé, centres de santé and CPTS registered in FINESS, named and placed.
"""

from __future__ import annotations

from django.db import models

from oasis.references.enums import ReferenceKind, StructureCategory, Zone
from oasis.supply.enums import Equipement


class ReferenceImportQuerySet(models.QuerySet["ReferenceImport"]):
    def latest_of(self, kind: str) -> ReferenceImport | None:
        return self.filter(kind=kind).order_by("-date_reference", "-imported_at").first()


class ReferenceImport(models.Model):
    """One successful import of an official file (a refused file leaves no row and no data)."""

    kind = models.CharField("référence", max_length=20, choices=ReferenceKind.choices)
    fichier = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    source = models.CharField("producteur", max_length=300)
    millesime = models.CharField("millésime", max_length=100)
    date_reference = models.DateField("date de la donnée", null=True, blank=True, help_text="extraction, arrêté…")
    region = models.ForeignKey("territories.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lignes = models.JSONField(default=dict, help_text="lignes lues, retenues, écartées (et pourquoi)")
    parametres = models.JSONField(default=dict, help_text="paramètres de méthode publiés avec le fichier")
    imported_at = models.DateTimeField(auto_now_add=True)
    duration_seconds = models.FloatField(default=0.0)

    objects = ReferenceImportQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at"]
        indexes = [models.Index(fields=["kind", "sha256"])]
        verbose_name = "import de référence officielle"
        verbose_name_plural = "imports de références officielles"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.millesime} ({self.fichier})"


class OfficialApl(models.Model):
    """One commune row of a DREES APL sheet, as published (code of the APL's COG, values untouched)."""

    reference = models.ForeignKey(ReferenceImport, on_delete=models.CASCADE, related_name="apl_rows")
    profession = models.CharField(max_length=30, choices=Equipement.choices)
    annee = models.PositiveSmallIntegerField("année de l'APL")
    code_insee = models.CharField(max_length=5)
    nom = models.CharField(max_length=200)
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.SET_NULL, null=True, related_name="+", help_text="commune actuelle principale"
    )
    apl = models.FloatField(null=True)
    apl_moins_65 = models.FloatField(null=True)
    apl_moins_62 = models.FloatField(null=True)
    apl_moins_60 = models.FloatField(null=True)
    pop_standardisee = models.FloatField(null=True)
    pop_totale = models.FloatField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profession", "annee", "code_insee"], name="unique_official_apl")]
        verbose_name = "APL officielle (ligne publiée)"

    def __str__(self) -> str:
        return f"APL {self.profession} {self.annee} {self.code_insee} : {self.apl}"


class OfficialAplUnit(models.Model):
    """The official APL carried onto a current commune (or PLM arrondissement)."""

    reference = models.ForeignKey(ReferenceImport, on_delete=models.CASCADE, related_name="+")
    profession = models.CharField(max_length=30, choices=Equipement.choices)
    annee = models.PositiveSmallIntegerField()
    commune = models.ForeignKey("territories.Commune", on_delete=models.CASCADE, related_name="+")
    apl = models.FloatField(null=True)
    apl_moins_65 = models.FloatField(null=True)
    pop_standardisee = models.FloatField(null=True)
    pop_totale = models.FloatField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profession", "annee", "commune"], name="unique_official_apl_unit")]
        verbose_name = "APL officielle (commune actuelle)"

    def __str__(self) -> str:
        return f"APL {self.profession} {self.annee} {self.commune_id} : {self.apl}"


class ZonageCommune(models.Model):
    """The zone of a commune for a profession in an ARS order; the rows of the newest order of a région are ``actif``."""

    reference = models.ForeignKey(ReferenceImport, on_delete=models.CASCADE, related_name="zonage_rows")
    commune = models.ForeignKey("territories.Commune", on_delete=models.CASCADE, related_name="+")
    profession = models.CharField(max_length=30, choices=Equipement.choices)
    zone = models.CharField(max_length=20, choices=Zone.choices)
    actif = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reference", "commune", "profession"], name="unique_zonage_row"),
        ]
        indexes = [models.Index(fields=["profession", "actif", "commune"])]
        verbose_name = "zonage d'une commune"

    def __str__(self) -> str:
        return f"{self.commune_id} {self.profession} : {self.zone}"


class RppsCount(models.Model):
    """Practitioners of one profession and mode in one commune, in one Annuaire santé extract (no identity kept)."""

    reference = models.ForeignKey(ReferenceImport, on_delete=models.CASCADE, related_name="rpps_counts")
    commune = models.ForeignKey("territories.Commune", on_delete=models.CASCADE, related_name="+")
    profession = models.CharField(max_length=30, choices=Equipement.choices)
    mode = models.CharField("mode d'exercice", max_length=1, blank=True, help_text="L libéral, S salarié, B bénévole")
    personnes = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reference", "commune", "profession", "mode"], name="unique_rpps_count"),
        ]
        verbose_name = "effectif RPPS par commune"

    def __str__(self) -> str:
        return f"{self.commune_id} {self.profession} {self.mode} : {self.personnes}"


class RppsActivite(models.Model):
    """One activity of a health professional in the latest Annuaire santé extract (public data of the open extract),
    kept so that an RPPS number a candidate or a team member gives can be checked. Only the latest extract's are
    kept; only the professions OASIS works with."""

    reference = models.ForeignKey(ReferenceImport, on_delete=models.CASCADE, related_name="rpps_activities")
    rpps = models.CharField("numéro RPPS", max_length=11, db_index=True)
    nom = models.CharField("nom d'exercice", max_length=120)
    prenom = models.CharField("prénom d'exercice", max_length=120)
    profession = models.CharField(max_length=120)
    savoir_faire = models.CharField("savoir-faire", max_length=200, blank=True)
    mode = models.CharField("mode d'exercice", max_length=60, blank=True)
    lieu = models.CharField("lieu d'exercice", max_length=300, blank=True)
    commune = models.ForeignKey("territories.Commune", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = "activité de l'Annuaire santé"
        verbose_name_plural = "activités de l'Annuaire santé"

    def __str__(self) -> str:
        return f"{self.rpps} {self.profession}"


class FinessStructure(models.Model):
    """A maison de santé, centre de santé or CPTS as registered in FINESS."""

    reference = models.ForeignKey(ReferenceImport, on_delete=models.CASCADE, related_name="structures")
    numero_finess = models.CharField(max_length=9)
    nom = models.CharField(max_length=300)
    categorie = models.CharField(max_length=3, choices=StructureCategory.choices)
    commune = models.ForeignKey("territories.Commune", on_delete=models.SET_NULL, null=True, related_name="+")
    code_commune_publie = models.CharField(max_length=5, blank=True)
    adresse = models.CharField(max_length=300, blank=True)
    date_ouverture = models.DateField(null=True)
    longitude = models.FloatField(null=True)
    latitude = models.FloatField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reference", "numero_finess"], name="unique_finess_structure")]
        ordering = ["nom"]
        verbose_name = "structure FINESS"
        verbose_name_plural = "structures FINESS"

    def __str__(self) -> str:
        return f"{self.nom} ({self.numero_finess})"

"""The territories of the COG 2025: régions, départements, EPCI, communes (with PLM arrondissements), bassins de vie."""

from __future__ import annotations

from django.db import models


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    search_key = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "région"

    def __str__(self) -> str:
        return self.nom


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    search_key = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self) -> str:
        return f"{self.nom} ({self.code})"


class Epci(models.Model):
    code = models.CharField("SIREN", max_length=9, primary_key=True)
    nom = models.CharField(max_length=200)
    nature = models.CharField(max_length=10, help_text="CC, CA, CU, METRO, MET69")
    search_key = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        ordering = ["nom"]
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"

    def __str__(self) -> str:
        return self.nom


class BassinDeVie(models.Model):
    """INSEE bassin de vie 2022 with its social determinants (each with its own vintage)."""

    code = models.CharField(max_length=5, primary_key=True)
    nom = models.CharField(max_length=200)
    deces_2024 = models.PositiveIntegerField(null=True)
    part_75_ans_et_plus_2022 = models.FloatField(null=True, help_text="%")
    taux_pauvrete_2021 = models.FloatField(null=True, help_text="%")
    niveau_vie_median_2021 = models.FloatField(null=True, help_text="€ par an et par unité de consommation")
    part_moins_15_ans_2022 = models.FloatField(null=True, help_text="%")
    densite_2022 = models.FloatField(null=True, help_text="habitants par km²")

    class Meta:
        ordering = ["code"]
        verbose_name = "bassin de vie"
        verbose_name_plural = "bassins de vie"

    def __str__(self) -> str:
        return self.nom


class CommuneType(models.TextChoices):
    COMMUNE = "COM", "Commune"
    ARRONDISSEMENT = "ARM", "Arrondissement municipal"


class CategorieAav(models.TextChoices):
    """INSEE category of a commune in the zonage en aires d'attraction des villes 2020."""

    COMMUNE_CENTRE = "11", "Commune-centre d'un pôle"
    POLE_PRINCIPAL = "12", "Autre commune du pôle principal"
    POLE_SECONDAIRE = "13", "Commune d'un pôle secondaire"
    COURONNE = "20", "Commune de la couronne"
    HORS_ATTRACTION = "30", "Commune hors attraction des villes"


class CommuneQuerySet(models.QuerySet["Commune"]):
    def communes(self) -> CommuneQuerySet:
        """Communes proper (Paris, Lyon, Marseille whole): use for populations."""
        return self.filter(type=CommuneType.COMMUNE)

    def units(self) -> CommuneQuerySet:
        """The finest units, as the supply data and the APL use them: PLM arrondissements replace their commune."""
        return self.exclude(arrondissements__isnull=False)


class Commune(models.Model):
    code_insee = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField(max_length=200)
    type = models.CharField(max_length=3, choices=CommuneType.choices, default=CommuneType.COMMUNE)
    commune_parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="arrondissements")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(Epci, on_delete=models.PROTECT, null=True, blank=True, related_name="communes")
    bassin_de_vie = models.ForeignKey(BassinDeVie, on_delete=models.PROTECT, null=True, blank=True, related_name="communes")
    population = models.PositiveIntegerField("population municipale")
    pop_totale_drees = models.FloatField("population totale (DREES)", null=True, blank=True)
    pop_standardisee = models.FloatField("population standardisée par l'âge", null=True, blank=True)
    longitude = models.FloatField()
    latitude = models.FloatField()
    point_source = models.CharField(max_length=40, help_text="mairie, point-interieur ou commune-mere:CODE")
    area_km2 = models.FloatField("superficie (km²)", null=True, blank=True)
    aav2020 = models.CharField("aire d'attraction des villes 2020", max_length=3, blank=True)
    aav2020_nom = models.CharField(max_length=200, blank=True)
    categorie_aav = models.CharField(max_length=2, choices=CategorieAav.choices, blank=True)
    codes_postaux = models.CharField(max_length=400, blank=True)
    search_key = models.CharField(max_length=200, db_index=True, editable=False)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["code_insee"]
        verbose_name = "commune"

    def __str__(self) -> str:
        return f"{self.nom} ({self.code_insee})"

    @property
    def est_rurale(self) -> bool:
        """Outside the attraction of cities or in the couronne of a city: the rural side of AAV 2020."""
        return self.categorie_aav in (CategorieAav.HORS_ATTRACTION, CategorieAav.COURONNE)


class CommuneGeometry(models.Model):
    """Simplified outline of a commune (GeoJSON geometry, WGS84), for maps."""

    commune = models.OneToOneField(Commune, on_delete=models.CASCADE, primary_key=True, related_name="geometry")
    geojson = models.TextField()

    def __str__(self) -> str:
        return f"contour {self.commune_id}"


class DepartementGeometry(models.Model):
    departement = models.OneToOneField(Departement, on_delete=models.CASCADE, primary_key=True, related_name="geometry")
    geojson = models.TextField()

    def __str__(self) -> str:
        return f"contour {self.departement_id}"


class CommuneCrosswalk(models.Model):
    """How a commune code of an older COG lands on COG 2025 codes (only codes that changed)."""

    millesime = models.PositiveSmallIntegerField("millésime du COG d'origine")
    code_origine = models.CharField(max_length=5)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    ratio = models.FloatField(help_text="part de la commune d'origine (population) allant à la commune 2025")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["millesime", "code_origine", "commune"], name="unique_crosswalk_link")]
        indexes = [models.Index(fields=["millesime", "code_origine"])]
        verbose_name = "correspondance de codes communes"

    def __str__(self) -> str:
        return f"{self.code_origine} (COG {self.millesime}) → {self.commune_id} × {self.ratio:g}"

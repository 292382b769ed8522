"""What OASIS keeps of the outside services it synchronises with: each synchronisation, and the aids of
Aides-territoires."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from oasis.connectors.enums import AideStatus, Connector, PerimeterScale, SyncStatus


class SyncRun(models.Model):
    """One synchronisation with an outside service: when, by whom, what it changed, or why it failed."""

    connector = models.CharField("connecteur", max_length=30, choices=Connector.choices)
    source = models.CharField(max_length=200, blank=True, help_text="la démarche, ou l'adresse de l'API")
    started_at = models.DateTimeField("début", default=timezone.now)
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    status = models.CharField("état", max_length=20, choices=SyncStatus.choices, default=SyncStatus.EN_COURS)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="par"
    )
    changes = models.JSONField("changements", default=dict, blank=True)
    error = models.TextField("erreur", blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "synchronisation"
        verbose_name_plural = "synchronisations"

    def __str__(self) -> str:
        return f"{self.get_connector_display()} — {self.started_at:%d/%m/%Y %H:%M} — {self.get_status_display()}"


class AideQuerySet(models.QuerySet["Aide"]):
    def open(self) -> AideQuerySet:
        return self.filter(statut=AideStatus.OUVERTE)

    def covering(self, commune: object) -> AideQuerySet:
        """Aids whose perimeter holds a commune: its own, its EPCI's, its département's, its région's, or France."""
        code_insee = commune.code_insee  # type: ignore[attr-defined]
        return self.filter(
            models.Q(perimetre_echelle=PerimeterScale.NATIONAL)
            | models.Q(perimetre_echelle=PerimeterScale.COMMUNE, perimetre_code=code_insee)
            | models.Q(perimetre_echelle=PerimeterScale.EPCI, perimetre_code=commune.epci_id or "")  # type: ignore[attr-defined]
            | models.Q(perimetre_echelle=PerimeterScale.DEPARTEMENT, perimetre_code=commune.departement_id)  # type: ignore[attr-defined]
            | models.Q(perimetre_echelle=PerimeterScale.REGION, perimetre_code=commune.region_id)  # type: ignore[attr-defined]
        )

    def within_departement(self, code: str, region: str) -> AideQuerySet:
        """Aids that apply somewhere in a département: France, its région, itself, or one of its EPCIs or communes."""
        from oasis.territories.models import Commune

        communes = Commune.objects.filter(departement_id=code)
        return self.filter(
            models.Q(perimetre_echelle=PerimeterScale.NATIONAL)
            | models.Q(perimetre_echelle=PerimeterScale.REGION, perimetre_code=region)
            | models.Q(perimetre_echelle=PerimeterScale.DEPARTEMENT, perimetre_code=code)
            | models.Q(perimetre_echelle=PerimeterScale.EPCI, perimetre_code__in=communes.values("epci_id"))
            | models.Q(perimetre_echelle=PerimeterScale.COMMUNE, perimetre_code__in=communes.values("code_insee"))
        )

    def for_professionals(self) -> AideQuerySet:
        return self.filter(pour_professionnels=True)

    def for_projects(self) -> AideQuerySet:
        return self.filter(pour_projets=True)


class Aide(models.Model):
    """An aid published on Aides-territoires, as its API last gave it. Never edited in OASIS: the next
    synchronisation would overwrite it."""

    identifiant = models.PositiveIntegerField("identifiant Aides-territoires", unique=True)
    slug = models.SlugField(max_length=300)
    nom = models.CharField(max_length=500)
    url = models.URLField("fiche Aides-territoires", max_length=500)
    url_candidature = models.URLField("candidater", max_length=500, blank=True)
    financeurs = models.JSONField(default=list)
    instructeurs = models.JSONField(default=list)
    programmes = models.JSONField(default=list)
    publics = models.JSONField("bénéficiaires", default=list)
    types = models.JSONField("nature", default=list)
    perimetre = models.CharField("périmètre", max_length=300)
    perimetre_echelle = models.CharField(max_length=20, choices=PerimeterScale.choices)
    perimetre_code = models.CharField(max_length=9, blank=True, help_text="code INSEE du territoire reconnu")
    taux_min = models.DecimalField("taux de subvention min (%)", max_digits=5, decimal_places=2, null=True, blank=True)
    taux_max = models.DecimalField("taux de subvention max (%)", max_digits=5, decimal_places=2, null=True, blank=True)
    date_ouverture = models.DateField(null=True, blank=True)
    date_limite = models.DateField("date limite de dépôt", null=True, blank=True)
    recurrence = models.CharField("récurrence", max_length=100, blank=True)
    pour_projets = models.BooleanField(default=False, help_text="ouverte aux communes, EPCI, Départements, associations")
    pour_professionnels = models.BooleanField(default=False, help_text="ouverte aux professionnels et entreprises")
    statut = models.CharField(max_length=20, choices=AideStatus.choices, default=AideStatus.OUVERTE)
    mise_a_jour_source = models.DateTimeField("mise à jour sur Aides-territoires", null=True, blank=True)
    vue_le = models.DateTimeField("dernière synchronisation", default=timezone.now)

    objects = AideQuerySet.as_manager()

    class Meta:
        ordering = ["nom"]
        verbose_name = "aide d'Aides-territoires"
        verbose_name_plural = "aides d'Aides-territoires"

    def __str__(self) -> str:
        return self.nom

"""A long computation asked for by a user: what was asked, by whom, how far it is, and what it gave."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class JobQuerySet(models.QuerySet["Job"]):
    def active(self) -> JobQuerySet:
        """Waiting or running, and not abandoned (a worker that died leaves its job behind)."""
        horizon = timezone.now() - timedelta(seconds=settings.OASIS_JOB_TIMEOUT_SECONDS)
        return self.filter(statut__in=(Job.Statut.EN_ATTENTE, Job.Statut.EN_COURS), created_at__gte=horizon)


class Job(models.Model):
    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        EN_COURS = "en_cours", "En cours"
        TERMINE = "termine", "Terminé"
        ECHEC = "echec", "Échec"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("nature", max_length=40)
    libelle = models.CharField("libellé", max_length=300)
    params = models.JSONField("paramètres")
    key = models.CharField(max_length=64, db_index=True, help_text="Empreinte de la nature, des paramètres et des données")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    address = models.GenericIPAddressField("adresse du demandeur anonyme", null=True, blank=True)
    statut = models.CharField(max_length=12, choices=Statut.choices, default=Statut.EN_ATTENTE)
    progress = models.FloatField("avancement", default=0.0, help_text="De 0 à 1")
    step = models.CharField("étape", max_length=300, blank=True)
    result = models.JSONField("résultat", null=True, blank=True)
    file = models.BinaryField("fichier", null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    error = models.TextField("erreur", blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "travail en arrière-plan"
        verbose_name_plural = "travaux en arrière-plan"

    def __str__(self) -> str:
        return f"{self.libelle} ({self.get_statut_display()})"

    @property
    def finished(self) -> bool:
        return self.statut in (self.Statut.TERMINE, self.Statut.ECHEC)

    @property
    def percent(self) -> int:
        return round(100 * min(max(self.progress, 0.0), 1.0))


class Verrou(models.Model):
    """A lock row shared by the limits whose names fall in its bucket (a requester's jobs, an address's or an e-mail's
    sign-ups…): taken by a write before counting, so that two simultaneous requests count one after the other
    (locks.py)."""

    key = models.CharField(max_length=64, unique=True)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "verrou de limite"
        verbose_name_plural = "verrous de limite"

    def __str__(self) -> str:
        return self.key

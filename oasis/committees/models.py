"""Sessions of the comité régional de sélection: who sits, which projects, what was decided and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oasis.projects.enums import COMMITTEE_DECISIONS, Stage


class SessionStatus(models.TextChoices):
    PREPARATION = "preparation", "En préparation"
    CONVOQUEE = "convoquee", "Convoquée"
    TENUE = "tenue", "Tenue, décisions appliquées"


class Session(models.Model):
    """One sitting of a région's committee, co-chaired by the ARS and the Préfecture."""

    region = models.ForeignKey("territories.Region", on_delete=models.PROTECT, related_name="committee_sessions")
    date = models.DateField("date de la séance")
    lieu = models.CharField("lieu", max_length=200, blank=True)
    copresident_ars = models.CharField("co-présidence pour l'ARS", max_length=200)
    copresident_prefecture = models.CharField("co-présidence pour la Préfecture", max_length=200)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="committee_sessions", verbose_name="membres (comptes OASIS)"
    )
    external_members = models.TextField("autres membres, un par ligne", blank=True)
    status = models.CharField("état", max_length=20, choices=SessionStatus.choices, default=SessionStatus.PREPARATION)
    convened_at = models.DateTimeField("convoquée le", null=True, blank=True)
    applied_at = models.DateTimeField("décisions appliquées le", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "séance du comité régional de sélection"
        verbose_name_plural = "séances du comité régional de sélection"

    def __str__(self) -> str:
        return f"Comité régional de sélection du {self.date:%d/%m/%Y} ({self.region_id})"


DECISION_CHOICES = [(stage.value, stage.label) for stage in COMMITTEE_DECISIONS]
AGENDA_STAGES = (Stage.DEPOSE, Stage.COMITE)
"""A project is put on the agenda once its projet de santé is filed."""


class AgendaItem(models.Model):
    """A project on a session's agenda, and the committee's decision on it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items")
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="committee_items")
    order = models.PositiveSmallIntegerField("rang")
    decision = models.CharField("décision", max_length=30, choices=DECISION_CHOICES, blank=True)
    reasons = models.TextField("motifs", blank=True)
    derogation = models.TextField("dérogation au cahier des charges", blank=True)

    class Meta:
        ordering = ["session", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "project"], name="project_once_per_session")]

    def __str__(self) -> str:
        return f"{self.session} : {self.project}"

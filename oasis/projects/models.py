"""Projects of maisons and centres de santé, their stage history and comments."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from oasis.projects.enums import Carrier, MemberProfession, MemberStatus, ProjectKind, Stage


class Project(models.Model):
    nom = models.CharField(max_length=200)
    kind = models.CharField("type de structure", max_length=20, choices=ProjectKind.choices)
    carrier = models.CharField("porteur", max_length=20, choices=Carrier.choices)
    carrier_name = models.CharField("nom du porteur", max_length=200)
    commune_principale = models.ForeignKey("territories.Commune", on_delete=models.PROTECT, related_name="+")
    communes_desservies = models.ManyToManyField("territories.Commune", related_name="+", blank=True)
    departement = models.ForeignKey("territories.Departement", on_delete=models.PROTECT, related_name="projects")
    region = models.ForeignKey("territories.Region", on_delete=models.PROTECT, related_name="projects")
    collectivite_niveau = models.CharField(max_length=10, choices=[("commune", "Commune"), ("epci", "EPCI")])
    collectivite_code = models.CharField(max_length=9, help_text="la commune ou l'EPCI bénéficiaire de l'accompagnement")
    stage = models.CharField("étape", max_length=30, choices=Stage.choices, default=Stage.PRISE_DE_CONTACT)
    stage_since = models.DateTimeField(default=timezone.now)
    next_action = models.CharField("prochaine action", max_length=300, blank=True)
    next_action_due = models.DateField("échéance", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["nom"]
        verbose_name = "projet"

    def __str__(self) -> str:
        return self.nom

    @property
    def overdue(self) -> bool:
        return self.next_action_due is not None and self.next_action_due < date.today()


class ProjectTransition(models.Model):
    """A change of stage: who, when, why. Written in the same transaction as the change."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(max_length=30, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=30, choices=Stage.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField("motif")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.project} : {self.from_stage or '—'} → {self.to_stage}"


class Comment(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField("commentaire")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} sur {self.project}"


class TeamMember(models.Model):
    """A member of the team, by profession and status (a name is optional: the team can be described anonymously)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    profession = models.CharField(max_length=30, choices=MemberProfession.choices)
    status = models.CharField("statut", max_length=20, choices=MemberStatus.choices)
    label = models.CharField("nom ou mention", max_length=200, blank=True)

    class Meta:
        ordering = ["profession", "pk"]

    def __str__(self) -> str:
        return f"{self.get_profession_display()} ({self.get_status_display()})"


class CahierDesCharges(models.Model):
    """The ARS's requirements for a projet de santé: one rule set per région (or the national default), edited by an
    administrator in /admin/, not in code."""

    region = models.OneToOneField(
        "territories.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text="vide : règles par défaut, pour les régions sans cahier des charges propre",
    )
    titre = models.CharField(max_length=200)
    source = models.CharField(max_length=300, blank=True)
    min_generalistes = models.PositiveSmallIntegerField(default=2)
    min_auxiliaires = models.PositiveSmallIntegerField(default=1)
    salaries_moins_que_associes = models.BooleanField(default=True, help_text="règle des SISA depuis fin 2023")
    items = models.JSONField(default=list, help_text='[{"code": …, "libelle": …, "categorie": …}]')

    class Meta:
        verbose_name = "cahier des charges"
        verbose_name_plural = "cahiers des charges"

    def __str__(self) -> str:
        return self.titre


class ChecklistAnswer(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="checklist")
    code = models.CharField(max_length=60)
    met = models.BooleanField("satisfait", default=False)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="unique_checklist_answer")]

    def __str__(self) -> str:
        return f"{self.project} {self.code} : {self.met}"

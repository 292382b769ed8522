"""Aid schemes and agreements, candidates (personal data), vacancies, the pipeline, visits and campaigns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from oasis.recruitment.enums import (
    AgreementStatus,
    AidKind,
    CandidateSource,
    Mode,
    PipelineStage,
    Profession,
    RepaymentRule,
    Situation,
    VacancyStatus,
)
from oasis.references.validators import validate_rpps
from oasis.validity import ValidityFields


class AidScheme(ValidityFields):
    """An aid scheme, configured by its Département (national ones by an administrator): amounts (monthly or a lump
    sum), commitment, repayment rule, where it applies (the whole département, some communes or EPCI, the under-dense
    zones) and when it may be signed (``oasis.validity``).

    National schemes (CESP, CAIM, COSCOM…) are listed for information: no agreement is managed here for them.
    """

    code = models.SlugField(max_length=60, unique=True)
    nom = models.CharField(max_length=200)
    financeur = models.CharField(max_length=200)
    kind = models.CharField("nature", max_length=30, choices=AidKind.choices)
    departement = models.ForeignKey(
        "territories.Departement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="département",
        help_text="le Département qui verse l'aide ; l'installation doit s'y faire (vide : dispositif national)",
    )
    professions = models.JSONField("professions éligibles", default=list, help_text="codes de profession éligibles")
    annee_min = models.PositiveSmallIntegerField("première année d'études aidée", null=True, blank=True)
    annee_max = models.PositiveSmallIntegerField("dernière année d'études aidée", null=True, blank=True)
    montant_mensuel = models.DecimalField("montant mensuel (€)", max_digits=10, decimal_places=2, null=True, blank=True)
    montant_forfaitaire = models.DecimalField(
        "montant forfaitaire (€)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="versé en une fois (une prime de primo-installation, par exemple)",
    )
    plafond = models.DecimalField("plafond total (€)", max_digits=10, decimal_places=2, null=True, blank=True)
    duree_engagement_mois = models.PositiveSmallIntegerField("durée d'exercice exigée (mois)", null=True, blank=True)
    delai_installation_mois = models.PositiveSmallIntegerField(
        "délai d'installation après le dernier versement (mois)", null=True, blank=True
    )
    regle_remboursement = models.CharField(
        "règle de remboursement en cas de rupture", max_length=20, choices=RepaymentRule.choices, default=RepaymentRule.PRORATA
    )
    zone_sous_dense = models.BooleanField(
        "réservé aux zones sous-denses",
        default=False,
        help_text="installation en zone sous-dense de la profession (zonage de l'ARS ; estimation d'OASIS à défaut)",
    )
    territoires = models.JSONField(
        "territoires où l'aide s'applique",
        default=list,
        blank=True,
        help_text="références « com:86194 », « epci:200069854 » ; vide : tout le département (ou toute la France)",
    )
    conditions = models.TextField(blank=True)
    contact = models.CharField("qui contacter", max_length=300, blank=True)
    source = models.CharField(max_length=400, blank=True)
    actif = models.BooleanField(default=True)

    class Meta:
        ordering = ["departement_id", "kind", "nom"]
        verbose_name = "dispositif d'aide"
        verbose_name_plural = "dispositifs d'aide"

    def __str__(self) -> str:
        return self.nom

    @property
    def national(self) -> bool:
        return self.kind == AidKind.NATIONALE


class CandidateQuerySet(models.QuerySet["Candidate"]):
    def expired(self, today: date) -> CandidateQuerySet:
        """Candidates whose retention period ended before ``today`` (the last day kept is ``conserver_jusqu_au``)."""
        return self.filter(conserver_jusqu_au__lt=today)

    def within_retention(self, today: date) -> CandidateQuerySet:
        """Candidates still kept on ``today`` (the complement of ``expired``)."""
        return self.filter(conserver_jusqu_au__gte=today)

    def unbound(self) -> CandidateQuerySet:
        """Candidates no aid agreement binds (an agreement's record is a legal obligation: it keeps the person)."""
        return self.filter(agreements__isnull=True)


class Candidate(models.Model):
    """A student or professional followed by a Département. Personal data: consent, retention, audited access."""

    departement = models.ForeignKey("territories.Departement", on_delete=models.PROTECT, related_name="+")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate",
        help_text="compte du professionnel, pour qu'il consulte et exporte sa fiche",
    )
    nom = models.CharField(max_length=120)
    prenom = models.CharField("prénom", max_length=120)
    email = models.EmailField(blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    profession = models.CharField(max_length=30, choices=Profession.choices)
    rpps = models.CharField("numéro RPPS", max_length=11, blank=True, validators=[validate_rpps])
    situation = models.CharField(max_length=20, choices=Situation.choices)
    annee_etudes = models.PositiveSmallIntegerField("année d'études", null=True, blank=True)
    etablissement = models.CharField("faculté ou école", max_length=200, blank=True)
    territoires_preferes = models.JSONField(
        "territoires souhaités", default=list, blank=True, help_text="références « dep:86 », « epci:… », « com:86194 »"
    )
    commune_reference = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="lieu de référence"
    )
    temps_max_minutes = models.PositiveSmallIntegerField("temps de trajet maximal (minutes)", null=True, blank=True)
    modes = models.JSONField("modes d'exercice souhaités", default=list, blank=True)
    disponible_le = models.DateField("disponible à partir du", null=True, blank=True)
    consentement_le = models.DateTimeField("consentement recueilli le")
    consentement_communication = models.BooleanField("accepte de recevoir les présentations de projets", default=False)
    conserver_jusqu_au = models.DateField("conservation jusqu'au")
    notes = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=CandidateSource.choices, default=CandidateSource.SAISIE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["nom", "prenom"]
        verbose_name = "candidat"

    def __str__(self) -> str:
        # Audit lines carry this: a number, never the name (the log outlives an erasure).
        return f"Candidat n° {self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.prenom} {self.nom}"

    @property
    def retention_expired(self) -> bool:
        return self.conserver_jusqu_au < date.today()


class AidAgreementQuerySet(models.QuerySet["AidAgreement"]):
    def with_unpaid(self) -> AidAgreementQuerySet:
        """Count the unpaid instalments in the same query, so that ``status`` needs none of its own."""
        return self.annotate(unpaid_count=models.Count("payments", filter=models.Q(payments__verse_le__isnull=True)))


class AidAgreement(models.Model):
    """A beneficiary's agreement under a scheme: payments, then the commitment to install and practise."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="agreements")
    scheme = models.ForeignKey(AidScheme, on_delete=models.PROTECT, related_name="agreements", verbose_name="dispositif")
    signee_le = models.DateField("signée le")
    debut_versements = models.DateField("premier versement")
    mensualite = models.DecimalField(max_digits=10, decimal_places=2)
    nb_mois = models.PositiveSmallIntegerField("nombre de mensualités")
    installation_avant = models.DateField("installation au plus tard le")
    duree_engagement_mois = models.PositiveSmallIntegerField("durée d'exercice exigée (mois)")
    installation_commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    installe_le = models.DateField("installé depuis le", null=True, blank=True)
    rupture_le = models.DateField("rupture constatée le", null=True, blank=True)
    rupture_motif = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AidAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-signee_le", "pk"]
        verbose_name = "convention d'aide"
        verbose_name_plural = "conventions d'aide"

    def __str__(self) -> str:
        return f"Convention n° {self.pk} ({self.scheme.nom})"

    @property
    def status(self) -> str:
        if self.rupture_le:
            return AgreementStatus.ROMPU
        if self.installe_le:
            return AgreementStatus.HONORE
        unpaid = getattr(self, "unpaid_count", None)
        if unpaid is None:
            unpaid = self.payments.filter(verse_le__isnull=True).count()
        if unpaid:
            return AgreementStatus.VERSEMENTS
        return AgreementStatus.A_INSTALLER

    def get_status_display(self) -> str:
        return str(AgreementStatus(self.status).label)

    @property
    def paid_total(self) -> Decimal:
        return self.payments.filter(verse_le__isnull=False).aggregate(total=models.Sum("montant"))["total"] or Decimal("0")

    @property
    def planned_total(self) -> Decimal:
        return self.payments.aggregate(total=models.Sum("montant"))["total"] or Decimal("0")


class AidPayment(models.Model):
    agreement = models.ForeignKey(AidAgreement, on_delete=models.CASCADE, related_name="payments")
    echeance = models.DateField("échéance")
    montant = models.DecimalField(max_digits=10, decimal_places=2)
    verse_le = models.DateField("versé le", null=True, blank=True)

    class Meta:
        ordering = ["echeance"]
        verbose_name = "versement"

    def __str__(self) -> str:
        return f"{self.echeance} : {self.montant} €"


class Vacancy(models.Model):
    """A post to fill (poste à pourvoir), in a commune, possibly within a project."""

    departement = models.ForeignKey("territories.Departement", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("territories.Commune", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="vacancies", verbose_name="projet"
    )
    profession = models.CharField(max_length=30, choices=Profession.choices)
    mode = models.CharField("mode d'exercice", max_length=20, choices=Mode.choices)
    debut = models.DateField("prise de poste souhaitée", null=True, blank=True)
    conditions = models.TextField(blank=True)
    logement = models.BooleanField("logement proposé", default=False)
    logement_details = models.CharField("précisions sur le logement", max_length=300, blank=True)
    contact_nom = models.CharField("contact", max_length=200)
    contact_email = models.EmailField("courriel du contact", blank=True)
    contact_telephone = models.CharField("téléphone du contact", max_length=30, blank=True)
    statut = models.CharField(max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.OUVERT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["statut", "debut", "pk"]
        verbose_name = "poste à pourvoir"
        verbose_name_plural = "postes à pourvoir"

    def __str__(self) -> str:
        return f"{self.get_profession_display()} à {self.commune.nom}"


class Placement(models.Model):
    """A candidate's way towards a post or a commune, from first contact to installation."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="placements")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.SET_NULL, null=True, blank=True, related_name="placements")
    commune = models.ForeignKey("territories.Commune", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField("étape", max_length=20, choices=PipelineStage.choices, default=PipelineStage.CONTACT)
    installe_le = models.DateField("installé le", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "mise en relation"
        verbose_name_plural = "mises en relation"

    def __str__(self) -> str:
        return f"Mise en relation n° {self.pk}"


class PlacementStep(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=20, choices=PipelineStage.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.placement} → {self.stage}"


class Visit(models.Model):
    """A visit of a territory planned for a candidate, and what came out of it."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="visits")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits")
    date = models.DateField()
    lieux = models.TextField("lieux visités")
    personnes_rencontrees = models.TextField("personnes rencontrées", blank=True)
    retour = models.TextField("retour du candidat", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = "visite"

    def __str__(self) -> str:
        return f"Visite du {self.date:%d/%m/%Y}"


class Campaign(models.Model):
    """The presentation of a project to aid beneficiaries and students who accepted to receive it."""

    departement = models.ForeignKey("territories.Departement", on_delete=models.PROTECT, related_name="+")
    titre = models.CharField(max_length=200)
    project = models.ForeignKey("projects.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    message = models.TextField()
    professions = models.JSONField(default=list, blank=True, help_text="vide : toutes")
    beneficiaires_seulement = models.BooleanField("bénéficiaires d'une aide seulement", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "campagne"

    def __str__(self) -> str:
        return self.titre


class PortalSignup(models.Model):
    """A student or professional who made themselves known on the public portal, waiting for the confirmation of
    their e-mail address (double opt-in); becomes a candidate once confirmed, and is erased with it."""

    departement = models.ForeignKey("territories.Departement", on_delete=models.PROTECT, related_name="+")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    email = models.EmailField()
    data = models.JSONField(help_text="ce que la personne a déclaré (CandidateData)")
    consentement_communication = models.BooleanField(default=False)
    address = models.CharField("adresse IP de la demande", max_length=45, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, null=True, blank=True, related_name="signup")

    class Meta:
        verbose_name = "inscription depuis le portail"
        verbose_name_plural = "inscriptions depuis le portail"

    def __str__(self) -> str:
        return f"Inscription n° {self.pk}"


class CampaignDelivery(models.Model):
    """A campaign sent by e-mail to one candidate: sent once, whatever the number of sendings."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "candidate"], name="campaign_sent_once")]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.candidate_id}"

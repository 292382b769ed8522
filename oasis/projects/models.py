"""Projects of maisons and centres de santé, their stage history and comments."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from oasis.projects.enums import (
    ActionKind,
    Carrier,
    DocumentKind,
    DossierState,
    FundingNature,
    MemberProfession,
    MemberStatus,
    PartnerKind,
    ProjectKind,
    ProjetDeSanteStatus,
    ReferenceKind,
    Stage,
    SupportRequestStatus,
    TerritoryCondition,
    ZoneCondition,
)
from oasis.projects.validators import validate_aci_indicators
from oasis.references.validators import validate_rpps
from oasis.territories.models import Commune
from oasis.validity import ValidityFields


class Project(models.Model):
    nom = models.CharField(max_length=200)
    kind = models.CharField("type de structure", max_length=20, choices=ProjectKind.choices)
    carrier = models.CharField("porteur", max_length=20, choices=Carrier.choices)
    carrier_name = models.CharField("nom du porteur", max_length=200)
    commune_principale = models.ForeignKey("territories.Commune", on_delete=models.PROTECT, related_name="+")
    communes_desservies = models.ManyToManyField(
        "territories.Commune",
        related_name="+",
        blank=True,
        verbose_name="autres communes desservies",
        help_text="sans la commune d'implantation, qui fait toujours partie du territoire du projet",
    )
    departement = models.ForeignKey("territories.Departement", on_delete=models.PROTECT, related_name="projects")
    region = models.ForeignKey("territories.Region", on_delete=models.PROTECT, related_name="projects")
    collectivite_niveau = models.CharField(max_length=10, choices=[("commune", "Commune"), ("epci", "EPCI")])
    collectivite_code = models.CharField(max_length=9, help_text="la commune ou l'EPCI bénéficiaire de l'accompagnement")
    stage = models.CharField("étape", max_length=30, choices=Stage.choices, default=Stage.PRISE_DE_CONTACT)
    stage_since = models.DateTimeField(default=timezone.now)
    next_action = models.CharField("prochaine action", max_length=300, blank=True)
    next_action_due = models.DateField("échéance", null=True, blank=True)
    cout_total = models.DecimalField(
        "coût de l'opération (€ HT)", max_digits=12, decimal_places=2, null=True, blank=True, help_text="base du plafond d'aides"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["nom"]
        verbose_name = "projet"

    def __str__(self) -> str:
        return self.nom

    def territory(self) -> models.QuerySet[Commune]:
        """The communes of the project's territory: its main commune and the other communes it serves (one query).

        The one definition of a project's territory (its page, état des lieux, comité file, projet de santé, API)."""
        others = self.communes_desservies.values("pk")
        return Commune.objects.filter(models.Q(pk=self.commune_principale_id) | models.Q(pk__in=others))

    def territory_codes(self) -> list[str]:
        """INSEE codes of the project's territory (:meth:`territory`), each once, sorted."""
        return sorted(self.territory().values_list("code_insee", flat=True))

    @property
    def overdue(self) -> bool:
        return self.next_action_due is not None and self.next_action_due < date.today()


class ProjectGuest(models.Model):
    """A partner's account (URPS, Ordre, Préfecture) invited to follow one project: it reads and comments on it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="guests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "partenaire invité"
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="one_invitation_per_project")]

    def __str__(self) -> str:
        return f"{self.user} → {self.project}"


class ProjectTransition(models.Model):
    """A change of stage: who, when, why. Written in the same transaction as the change."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(max_length=30, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=30, choices=Stage.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField("motif")
    derogation = models.TextField(
        "dérogation au cahier des charges", blank=True, help_text="motif d'une validation malgré des conditions non satisfaites"
    )

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
    rpps = models.CharField("numéro RPPS", max_length=11, blank=True, validators=[validate_rpps])

    class Meta:
        ordering = ["profession", "pk"]

    def __str__(self) -> str:
        return f"{self.get_profession_display()} ({self.get_status_display()})"


CAHIER_KINDS = (ProjectKind.MSP, ProjectKind.MSP_MULTISITE, ProjectKind.CENTRE_DE_SANTE)
"""The kinds of structure that have a cahier des charges of their own (a CPTS is judged by the MSP's)."""


class CahierDesCharges(models.Model):
    """The ARS's requirements for a projet de santé: one rule set per région and kind of structure (or the national
    default of that kind), entered by the région's ARS from its official text."""

    region = models.ForeignKey(
        "territories.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cahiers",
        help_text="vide : règles par défaut, pour les régions sans cahier des charges propre",
    )
    kind = models.CharField(
        "type de structure",
        max_length=20,
        choices=[(kind.value, kind.label) for kind in CAHIER_KINDS],
        default=ProjectKind.MSP,
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
        constraints = [
            models.UniqueConstraint(fields=["region", "kind"], name="unique_cahier_per_region_and_kind"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(region__isnull=True), name="unique_default_cahier_per_kind"
            ),
        ]

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


class Partner(models.Model):
    """An organisation taking part in the project (ARS, CPAM, ordre, faculté…) and its role in it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    kind = models.CharField("type", max_length=20, choices=PartnerKind.choices)
    nom = models.CharField(max_length=200)
    role = models.CharField("rôle dans le projet", max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "nom"]
        verbose_name = "partenaire"

    def __str__(self) -> str:
        return self.nom


class Contact(models.Model):
    """A person to reach at a partner organisation (personal data: seen only by those who see the project)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    nom = models.CharField(max_length=200)
    fonction = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)

    class Meta:
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom


class Action(models.Model):
    """An entry of the project's action log: an interview, a meeting, a visit… with its minutes."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField("type", max_length=30, choices=ActionKind.choices)
    date = models.DateField()
    objet = models.CharField(max_length=300)
    participants = models.TextField(blank=True)
    compte_rendu = models.TextField("compte rendu", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.date:%d/%m/%Y}"


class FundingTool(ValidityFields):
    """A financial tool of the catalogue and when a project may mobilise it: national tools are edited by an
    administrator, a Département's own tools by its officers (``departement``); each applies in its territories and
    while it is open (``oasis.validity``)."""

    code = models.SlugField(max_length=40, unique=True)
    nom = models.CharField(max_length=200)
    financeur = models.CharField(max_length=200)
    nature = models.CharField(max_length=20, choices=FundingNature.choices)
    public = models.BooleanField("aide publique", default=True, help_text="comptée dans le plafond d'aides publiques")
    montant_max = models.DecimalField("montant maximal (€)", max_digits=12, decimal_places=2, null=True, blank=True)
    taux_max = models.DecimalField("taux maximal du coût (%)", max_digits=5, decimal_places=2, null=True, blank=True)
    porteurs = models.JSONField("porteurs éligibles", default=list, blank=True, help_text="vide : tous")
    types_structure = models.JSONField("types de structure éligibles", default=list, blank=True, help_text="vide : tous")
    zone = models.CharField(max_length=20, choices=ZoneCondition.choices, default=ZoneCondition.TOUTE)
    territoire = models.CharField(max_length=10, choices=TerritoryCondition.choices, default=TerritoryCondition.TOUT)
    departement = models.ForeignKey(
        "territories.Departement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
        help_text="le Département dont c'est l'outil, que ses chargés de mission modifient (vide : outil national)",
    )
    territoires = models.JSONField(
        "territoires où l'outil s'applique",
        default=list,
        blank=True,
        help_text="références « com:86194 », « epci:200069854 », « dep:86 » ; vide : le département de l'outil, "
        "ou partout pour un outil national",
    )
    conditions = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    ordre = models.PositiveSmallIntegerField(default=0)
    aide = models.OneToOneField(
        "connectors.Aide",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outil",
        help_text="l'aide d'Aides-territoires dont cet outil est issu (périmètre, date limite et état y sont suivis)",
    )
    region_code = models.CharField(
        "région",
        max_length=3,
        blank=True,
        db_index=True,
        help_text="code INSEE de la région dont l'ARS finance cet outil (FIR) ; vide : outil de toutes les régions",
    )

    class Meta:
        ordering = ["ordre", "nom"]
        verbose_name = "outil financier"
        verbose_name_plural = "outils financiers"

    def __str__(self) -> str:
        return self.nom


class FundingLine(models.Model):
    """A line of the funding plan: one tool, the amounts requested, granted and paid, with their dates."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding")
    tool = models.ForeignKey(FundingTool, on_delete=models.PROTECT, related_name="+", verbose_name="outil")
    objet = models.CharField(max_length=300, blank=True)
    demande = models.DecimalField("demandé (€)", max_digits=12, decimal_places=2, default=0)
    demande_le = models.DateField("demandé le", null=True, blank=True)
    accorde = models.DecimalField("accordé (€)", max_digits=12, decimal_places=2, null=True, blank=True)
    accorde_le = models.DateField("accordé le", null=True, blank=True)
    verse = models.DecimalField("versé (€)", max_digits=12, decimal_places=2, null=True, blank=True)
    verse_le = models.DateField("versé le", null=True, blank=True)

    class Meta:
        ordering = ["tool__ordre", "pk"]
        verbose_name = "ligne du plan de financement"

    def __str__(self) -> str:
        return f"{self.tool} : {self.demande} €"


class AciBareme(models.Model):
    """The ACI point table (avenant 1, 2022 by default), edited by an administrator; the active one is used."""

    nom = models.CharField(max_length=200)
    kind = models.CharField(
        "structures",
        max_length=20,
        choices=[("msp", "Maisons de santé (ACI)"), ("centre-de-sante", "Centres de santé (accord national)")],
        default="msp",
    )
    actif = models.BooleanField(default=True)
    source = models.CharField(max_length=500, blank=True)
    valeur_point = models.DecimalField("valeur du point (€)", max_digits=6, decimal_places=2, default=7)
    patientele_reference = models.PositiveIntegerField("patientèle de référence", default=4000)
    plafond_ratio = models.DecimalField(
        "plafond du rapport patientèle / référence", max_digits=5, decimal_places=2, null=True, blank=True, default=1
    )
    points_par_professionnel = models.PositiveIntegerField(default=200)
    seuil_professionnels = models.PositiveIntegerField(default=16)
    points_par_professionnel_au_dela = models.PositiveIntegerField(default=150)
    taux_avance = models.DecimalField("part versée en avance", max_digits=4, decimal_places=2, default=0.6)
    avance_minimum = models.DecimalField("avance minimale (€)", max_digits=10, decimal_places=2, default=12000)
    indicateurs = models.JSONField(
        default=list,
        validators=[validate_aci_indicators],
        help_text='[{"code", "axe", "libelle", "socle", "prerequis", "fixe", "variable", "max", "par_professionnel"}]',
    )

    class Meta:
        verbose_name = "barème ACI"
        verbose_name_plural = "barèmes ACI"

    def __str__(self) -> str:
        return self.nom


def _document_path(version: DocumentVersion, filename: str) -> str:
    return f"projets/{version.document.project_id}/{version.document_id}/v{version.numero}-{version.sha256[:12]}"


class Document(models.Model):
    """A project document; its file lives in versions. ``restreint`` keeps it to the Département and administrators."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("type", max_length=30, choices=DocumentKind.choices)
    titre = models.CharField(max_length=200)
    restreint = models.BooleanField(
        "réservé au Département", default=False, help_text="invisible pour l'ARS, la CPAM et la collectivité"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "titre"]

    def __str__(self) -> str:
        return self.titre


class DocumentRequest(models.Model):
    """A document that those who instruct the project ask its porteurs or its commune for; answered by the upload
    that names it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="document_requests")
    kind = models.CharField("type", max_length=30, choices=DocumentKind.choices)
    titre = models.CharField(max_length=200)
    due = models.DateField("attendu le", null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "document demandé"
        ordering = ["answered_at", "due", "requested_at"]

    def __str__(self) -> str:
        return self.titre


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    numero = models.PositiveIntegerField()
    fichier = models.FileField(upload_to=_document_path, max_length=300)
    nom_original = models.CharField(max_length=255)
    taille = models.PositiveBigIntegerField(help_text="octets")
    type_mime = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "-numero"]
        constraints = [models.UniqueConstraint(fields=["document", "numero"], name="unique_document_version")]

    def __str__(self) -> str:
        return f"{self.document} v{self.numero}"


class ProjetDeSante(models.Model):
    """One version of a project's projet de santé: the draft being written (one at most), or a submitted version,
    which no longer changes. ``sections`` maps each section key (oasis.projects.projet_de_sante.SECTIONS) to its
    text."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="projet_de_sante")
    numero = models.PositiveIntegerField("version")
    status = models.CharField("état", max_length=20, choices=ProjetDeSanteStatus.choices, default=ProjetDeSanteStatus.BROUILLON)
    sections = models.JSONField(default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "version du projet de santé"
        ordering = ["project", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["project", "numero"], name="unique_projet_de_sante_version"),
            models.UniqueConstraint(fields=["project"], condition=models.Q(status="brouillon"), name="one_projet_de_sante_draft"),
        ]

    def __str__(self) -> str:
        return f"Projet de santé de {self.project} v{self.numero}"


class DossierDemarche(models.Model):
    """The Démarches simplifiées dossier a project came from, as the last synchronisation saw it."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="dossier_ds")
    demarche = models.PositiveIntegerField("démarche")
    numero = models.PositiveIntegerField("numéro de dossier")
    etat = models.CharField("état", max_length=20, choices=DossierState.choices)
    depose_le = models.DateTimeField("déposé le", null=True, blank=True)
    modifie_le = models.DateTimeField("dernière modification", null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["demarche", "numero"], name="un_projet_par_dossier_ds")]
        verbose_name = "dossier Démarches simplifiées"
        verbose_name_plural = "dossiers Démarches simplifiées"

    def __str__(self) -> str:
        return f"Dossier n° {self.numero} (démarche {self.demarche})"

    @property
    def url(self) -> str:
        return f"{settings.OASIS_DS_SITE}/procedures/{self.demarche}/dossiers/{self.numero}"


class DossierStateChange(models.Model):
    """A state of the dossier on Démarches simplifiées, dated as the service dates it."""

    dossier = models.ForeignKey(DossierDemarche, on_delete=models.CASCADE, related_name="states")
    etat = models.CharField("état", max_length=20, choices=DossierState.choices)
    le = models.DateTimeField()
    motivation = models.TextField(blank=True)

    class Meta:
        ordering = ["le", "pk"]
        constraints = [models.UniqueConstraint(fields=["dossier", "etat", "le"], name="un_etat_ds_par_date")]
        verbose_name = "changement d'état du dossier"

    def __str__(self) -> str:
        return f"{self.get_etat_display()} le {self.le:%d/%m/%Y}"


class FirRules(models.Model):
    """A région's fonds d'intervention régional for maisons and centres de santé, entered once by its ARS: the kinds of
    structure it funds, its amounts, its conditions and what a file must contain. Saving them writes the région's two
    FIR tools of the funding catalogue (``oasis.projects.fir``); no région's FIR is offered to another's projects."""

    region_code = models.CharField("région", max_length=3, unique=True)
    titre = models.CharField(max_length=200)
    source = models.CharField(max_length=300)
    types_structure = models.JSONField("types de structure financés", default=list)
    montant_etude = models.DecimalField(
        "étude de faisabilité : montant maximal (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    montant_demarrage = models.DecimalField(
        "aide au démarrage : montant maximal (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    demarrage_sous_dense = models.BooleanField("aide au démarrage réservée aux zones sous-denses", default=True)
    conditions = models.TextField(blank=True)
    pieces = models.JSONField("pièces du dossier", default=list, help_text='[{"code": …, "libelle": …}]')
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "règles FIR d'une région"
        verbose_name_plural = "règles FIR des régions"

    def __str__(self) -> str:
        return self.titre


class OperatingBudget(models.Model):
    """The yearly running costs the professionals share (SISA charges, rent, secretariat, others) beside the ACI
    income, and each member's number of parts in the sharing (``parts``: team member pk → parts). Edited by the
    porteurs and the Département (oasis.projects.budget), every save audited."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="operating_budget")
    charges_sisa = models.DecimalField("charges de la SISA", max_digits=12, decimal_places=2, default=0)
    loyer = models.DecimalField("loyer et charges locatives", max_digits=12, decimal_places=2, default=0)
    secretariat = models.DecimalField("secrétariat et accueil", max_digits=12, decimal_places=2, default=0)
    autres_charges = models.DecimalField("autres charges", max_digits=12, decimal_places=2, default=0)
    autres_libelle = models.CharField("nature des autres charges", max_length=200, blank=True)
    aci_annuel = models.DecimalField("rémunération ACI annuelle", max_digits=12, decimal_places=2, default=0)
    aci_source = models.CharField("origine du montant ACI", max_length=300, blank=True)
    parts = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "budget de fonctionnement"
        verbose_name_plural = "budgets de fonctionnement"

    def __str__(self) -> str:
        return f"Budget de fonctionnement — {self.project}"


def _reference_path(text: ReferenceText, filename: str) -> str:
    return f"bibliotheque/{text.departement_id}/{text.sha256[:16]}"


class ReferenceText(models.Model):
    """A reference text of a Département's library (schéma des solidarités, plan santé, SDAASP, the ARS cahier des
    charges…), uploaded once by its officers and linked from the projects it concerns; ``public`` lists it for
    everyone (oasis.projects.library)."""

    departement = models.ForeignKey("territories.Departement", on_delete=models.PROTECT, related_name="reference_texts")
    kind = models.CharField("type", max_length=30, choices=ReferenceKind.choices)
    titre = models.CharField(max_length=200)
    adopte_le = models.DateField("adopté ou publié le", null=True, blank=True)
    public = models.BooleanField("public", default=False, help_text="listé et téléchargeable par tous")
    fichier = models.FileField(upload_to=_reference_path, max_length=300)
    nom_original = models.CharField(max_length=255)
    taille = models.PositiveBigIntegerField(help_text="octets")
    type_mime = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    projects = models.ManyToManyField(Project, related_name="reference_texts", blank=True, verbose_name="projets liés")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "texte de référence"
        verbose_name_plural = "textes de référence"
        ordering = ["departement", "kind", "titre"]

    def __str__(self) -> str:
        return self.titre


class FirPieceAnswer(models.Model):
    """Whether a project's FIR file holds one of the pieces its région asks for."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fir_pieces")
    code = models.CharField(max_length=60)
    met = models.BooleanField("fournie", default=False)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="unique_fir_piece_answer")]

    def __str__(self) -> str:
        return f"{self.project} {self.code} : {self.met}"


class SupportRequest(models.Model):
    """A commune's or an EPCI's request for support (« prise de contact »), opened from its account; the Département
    sees it in its list and turns it into a project (oasis.projects.support_requests)."""

    departement = models.ForeignKey("territories.Departement", on_delete=models.PROTECT, related_name="support_requests")
    collectivite_niveau = models.CharField(max_length=10, choices=[("commune", "Commune"), ("epci", "EPCI")])
    collectivite_code = models.CharField(max_length=9)
    collectivite_nom = models.CharField(max_length=200)
    objet = models.CharField(max_length=300)
    message = models.TextField(blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    status = models.CharField(max_length=10, choices=SupportRequestStatus.choices, default=SupportRequestStatus.OUVERTE)
    project = models.OneToOneField(Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="support_request")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "demande d'accompagnement"
        verbose_name_plural = "demandes d'accompagnement"
        ordering = ["status", "-created_at"]

    def __str__(self) -> str:
        return f"{self.collectivite_nom} — {self.objet}"


class TerritoryAction(models.Model):
    """An action of the Département that concerns a territory or several projects, not one project only:
    coordination with the ARS or the CPAM, communication, prevention… (oasis.projects.territory_actions)."""

    departement = models.ForeignKey("territories.Departement", on_delete=models.PROTECT, related_name="territory_actions")
    kind = models.CharField("type", max_length=30, choices=ActionKind.choices)
    date = models.DateField()
    objet = models.CharField(max_length=300)
    territoire = models.CharField("territoire concerné", max_length=200, blank=True, help_text="par exemple : Nord-Vienne")
    participants = models.TextField(blank=True)
    compte_rendu = models.TextField("compte rendu", blank=True)
    projects = models.ManyToManyField(Project, related_name="territory_actions", blank=True, verbose_name="projets concernés")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "action de territoire"
        verbose_name_plural = "actions de territoire"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.date:%d/%m/%Y} — {self.objet}"

"""Funding plans, the catalogue of financial tools a project may mobilise, and the ACI simulator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from oasis.audit.services import history, record
from oasis.concurrency import read_token, refuse_if_changed
from oasis.connectors.enums import AideStatus
from oasis.connectors.models import Aide
from oasis.core.aci import AciResult, AciRules, simulate
from oasis.formatting import date_longue, euros, fr_number
from oasis.projects.enums import Carrier, FundingNature, ProjectKind, Stage, TerritoryCondition, ZoneCondition
from oasis.projects.models import AciBareme, FundingLine, FundingTool, Project
from oasis.projects.services import require_edit
from oasis.projects.validators import validate_aci_indicators
from oasis.supply.enums import Equipement
from oasis.territories.models import Commune
from oasis.territories.services import commune_in_any
from oasis.validity import Validity, open_on
from oasis.verdicts.services import VIVIER_OUTCOMES, NationalClass, Verdict, verdict

ZERO = Decimal("0")

# Refusals and warnings, in the words users read.
UNKNOWN_TOOL = "Outil financier inconnu : « {code} »."
TOOL_ELSEWHERE = "« {nom} » ne s'applique pas sur le territoire de ce projet."
TOOL_CLOSED = "« {nom} » n'est pas ouvert à cette date : {validite}."
NEGATIVE_AMOUNT = "Les montants ne peuvent pas être négatifs."
PAID_OVER_GRANTED = "Le montant versé dépasse le montant accordé."
GRANT_DATE_MISSING = "Indiquez la date de l'accord."
PAYMENT_DATE_MISSING = "Indiquez la date du versement."
LINE_NOT_FOUND = "Ligne du plan de financement introuvable."
NEGATIVE_COST = "Le coût ne peut pas être négatif."
NO_ACTIVE_BAREME = "Aucun barème ACI actif : un administrateur doit en activer un dans l'administration."
NO_ACTIVE_CDS_BAREME = (
    "Aucun barème actif de l'accord national des centres de santé : un administrateur doit en activer un dans l'administration."
)
INVALID_BAREME = "Barème ACI « {nom} » invalide : {error} Un administrateur doit le corriger dans l'administration."
NEGATIVE_ACI_INPUT = "La patientèle et le nombre de professionnels ne peuvent pas être négatifs."
ACI_MSP_ONLY = "L'ACI des maisons de santé ne concerne que les MSP (les centres de santé relèvent de l'accord national)."
CDS_AGREEMENT = "Le centre de santé doit avoir adhéré à l'accord national des centres de santé (auprès de sa CPAM)."
ACI_SISA_ONLY = "Le contrat ACI est signé par une SISA : le porteur actuel n'en est pas une."
ACI_BEFORE_VALIDATION = "Le projet de santé doit être validé par l'ARS avant la signature : simulation prévisionnelle."


# --- The catalogue: which tools this project can mobilise -------------------------------------------------------


@dataclass
class ProjectSituation:
    """What eligibility depends on, with where each fact comes from."""

    carrier: str
    kind: str
    rurale: bool
    sous_dense: bool | None
    zonage: Verdict
    region_code: str = ""
    population_commune: int | None = None  # the main commune's (INSEE population municipale)
    population_epci: int | None = None  # its EPCI's

    @property
    def zonage_officiel(self) -> bool:
        return self.zonage.officiel

    @property
    def vivier(self) -> bool:
        return self.zonage.zone == NationalClass.VIVIER


VIVIER_PENDING = f"commune du vivier : {VIVIER_OUTCOMES}"
# The DETR's beneficiaries (CGCT art. L2334-33; thresholds of metropolitan France): communes of 2 000 inhabitants at
# most; communes of 2 001 to 20 000 whose potentiel financier per inhabitant is under 1.3 times their stratum's mean
# (a figure OASIS does not hold: to confirm); EPCI à fiscalité propre of 75 000 inhabitants at most (above, under
# conditions: to confirm). Populations: INSEE population municipale of the territory page.
DETR_COMMUNE_SMALL = 2_000
DETR_COMMUNE_MAX = 20_000
DETR_EPCI_MAX = 75_000
DETR_COMMUNE_PENDING = (
    "commune de {population} habitants : éligible à la DETR si son potentiel financier par habitant est inférieur à "
    "1,3 fois la moyenne des communes de 2\u202f001 à 20\u202f000 habitants (à vérifier auprès de la préfecture)"
)
DETR_COMMUNE_TOO_LARGE = "commune de {population} habitants (DETR : 20\u202f000 habitants au plus)"
DETR_EPCI_PENDING = (
    "EPCI de {population} habitants : éligible à la DETR sous conditions au-delà de 75\u202f000 "
    "(à vérifier auprès de la préfecture)"
)


@dataclass
class Eligibility:
    tool: FundingTool
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    validite: Validity | None = None

    @property
    def open(self) -> bool:
        return self.validite is None or self.validite.open

    pending: list[str] = field(default_factory=list)

    @property
    def a_confirmer(self) -> bool:
        """Only a decision OASIS cannot know is missing (the ARS's choice in the vivier, the DETR's potentiel
        financier): mobilisable if it goes the project's way."""
        return bool(self.reasons) and self.reasons == self.pending


def situation(project: Project) -> ProjectSituation:
    """Rurality from the AAV 2020 category of the main commune; sous-densité from the verdict for GPs (ARS order,
    else official DREES APL, else OASIS's estimate, said as such: ``oasis.verdicts``)."""
    commune = project.commune_principale
    zonage = verdict(commune.pk, Equipement.GENERALISTE)
    population_epci = None
    if commune.epci_id:
        population_epci = Commune.objects.communes().filter(epci_id=commune.epci_id).aggregate(total=Sum("population"))["total"]
    return ProjectSituation(
        carrier=project.carrier,
        kind=project.kind,
        region_code=project.region_id,
        rurale=commune.est_rurale,
        sous_dense=zonage.sous_dense,
        zonage=zonage,
        population_commune=commune.population,
        population_epci=population_epci,
    )


def _detr(facts: ProjectSituation) -> tuple[list[str], list[str]]:
    """(refusals, what remains to confirm) of the DETR's population rule for the project's carrier."""
    if facts.carrier == Carrier.EPCI:
        if facts.population_epci is not None and facts.population_epci > DETR_EPCI_MAX:
            return [], [DETR_EPCI_PENDING.format(population=fr_number(facts.population_epci))]
        return [], []
    population = facts.population_commune
    if population is None or population <= DETR_COMMUNE_SMALL:
        return [], []
    if population <= DETR_COMMUNE_MAX:
        return [], [DETR_COMMUNE_PENDING.format(population=fr_number(population))]
    return [DETR_COMMUNE_TOO_LARGE.format(population=fr_number(population))], []


def eligibility(tool: FundingTool, facts: ProjectSituation, on: date | None = None) -> Eligibility:
    """Whether a tool's conditions hold for a project on ``on`` (today by default), and why not (every failed
    condition, in French): a closed tool is never mobilisable."""
    validite = tool.validity(on or timezone.localdate())
    reasons = [] if validite.open else [validite.label]
    if tool.region_code and tool.region_code != facts.region_code:
        reasons.append("outil d'une autre région (chaque ARS finance les projets de sa région)")
    if tool.porteurs and facts.carrier not in tool.porteurs:
        allowed = ", ".join(Carrier(c).label for c in tool.porteurs if c in Carrier.values)
        reasons.append(f"porteur {Carrier(facts.carrier).label} (réservé à : {allowed})")
    if tool.types_structure and facts.kind not in tool.types_structure:
        allowed = ", ".join(ProjectKind(k).label for k in tool.types_structure if k in ProjectKind.values)
        reasons.append(f"type de structure (réservé à : {allowed})")
    if tool.zone != ZoneCondition.TOUTE and facts.sous_dense is None:
        reasons.append(VIVIER_PENDING if facts.vivier else "sous-densité inconnue")
    elif tool.zone == ZoneCondition.SOUS_DENSE and facts.sous_dense is False:
        reasons.append(f"commune hors zone sous-dense ({facts.zonage.zone_libelle})")
    elif tool.zone == ZoneCondition.HORS_SOUS_DENSE and facts.sous_dense is True:
        reasons.append(f"commune en zone sous-dense ({facts.zonage.zone_libelle})")
    if tool.territoire == TerritoryCondition.RURAL and not facts.rurale:
        reasons.append("commune urbaine (réservé aux communes rurales)")
    if tool.territoire == TerritoryCondition.URBAIN and facts.rurale:
        reasons.append("commune rurale (réservé aux communes urbaines)")
    pending = [VIVIER_PENDING] if VIVIER_PENDING in reasons else []
    if tool.territoire == TerritoryCondition.DETR:
        refused, to_confirm = _detr(facts)
        reasons += refused + to_confirm
        pending += to_confirm
    # The deadline is the tool's last day (``ouvert_jusqu_au``); an aid said expired without one is still refused.
    if validite.open and tool.ouvert_jusqu_au is None and tool.aide is not None and tool.aide.statut == AideStatus.EXPIREE:
        reasons.append(f"date limite de dépôt passée ({date_longue(tool.aide.date_limite)})")
    if tool.aide is not None and tool.aide.statut == AideStatus.RETIREE:
        reasons.append("aide retirée d'Aides-territoires")
    return Eligibility(tool, not reasons, reasons, validite, pending)


def applies_at(tool: FundingTool, commune: Commune) -> bool:
    """Whether a tool applies at a commune: a Département's tool in its département, within its territories when it
    names some (communes, EPCI); a national tool everywhere, or in its territories."""
    if tool.departement_id is not None and tool.departement_id != commune.departement_id:
        return False
    return not tool.territoires or commune_in_any(commune, tool.territoires)


def offered_tools(project: Project, on: date | None = None) -> QuerySet[FundingTool]:
    """The tools of the project's place (its main commune) open on ``on`` (today by default): the national catalogue,
    its région's ARS tools (never another région's), its Département's own tools, the aids of Aides-territoires whose
    perimeter holds it; and any tool its plan already uses, open or not (its lines keep it)."""
    day = on or timezone.localdate()
    commune = project.commune_principale
    in_perimeter = Q(aide__isnull=True) | Q(aide__in=Aide.objects.covering(commune))
    of_place = Q(departement__isnull=True) | Q(departement_id=commune.departement_id)
    in_region = Q(region_code="") | Q(region_code=project.region_id)
    used = set(project.funding.values_list("tool_id", flat=True))
    candidates = FundingTool.objects.filter((in_perimeter & of_place & in_region & open_on(day)) | Q(pk__in=used))
    kept = [tool.pk for tool in candidates if tool.pk in used or applies_at(tool, commune)]
    return FundingTool.objects.filter(pk__in=kept).select_related("aide")


def mobilisable_tools(project: Project, on: date | None = None) -> tuple[ProjectSituation, list[Eligibility]]:
    """The tools of the project's place open on ``on`` (``offered_tools``), eligible ones first (the "présentation des
    outils financiers mobilisables"); a tool its plan uses that has closed since is said « fermé »."""
    facts = situation(project)
    rows = [eligibility(tool, facts, on) for tool in offered_tools(project, on)]
    return facts, sorted(rows, key=lambda row: not row.eligible)


# --- The plan ------------------------------------------------------------------------------------------------------


@dataclass
class PlanSummary:
    cost: Decimal | None
    requested: Decimal
    granted: Decimal
    paid: Decimal
    public_requested: Decimal
    public_granted: Decimal
    cap_percent: int
    operating_requested: Decimal
    remaining: Decimal | None
    public_share_requested: float | None
    public_share_granted: float | None
    cap_exceeded: bool
    messages: list[str]


def _counts_for_cost(line: FundingLine) -> bool:
    """Lines financing the operation (study, start-up, investment); running money (ACI) is apart."""
    return line.tool.nature != FundingNature.FONCTIONNEMENT


def summarise(project: Project, lines: list[FundingLine] | None = None) -> PlanSummary:
    """Totals of the plan against the operation's cost and the cap on cumulated public aid."""
    lines = lines if lines is not None else list(project.funding.select_related("tool"))
    cap = int(settings.OASIS_PUBLIC_AID_CAP_PERCENT)
    operation = [line for line in lines if _counts_for_cost(line)]
    public = [line for line in operation if line.tool.public]
    requested = sum((line.demande for line in operation), ZERO)
    granted = sum((line.accorde or ZERO for line in operation), ZERO)
    paid = sum((line.verse or ZERO for line in operation), ZERO)
    public_requested = sum((line.demande for line in public), ZERO)
    public_granted = sum((line.accorde or ZERO for line in public), ZERO)
    cost = project.cout_total
    messages = []
    share_requested = share_granted = None
    exceeded = False
    if cost:
        share_requested = float(public_requested / cost)
        share_granted = float(public_granted / cost)
        # Compared in Decimal: 7 % of 100 € must not exceed a 7 % cap through a float's rounding.
        exceeded = max(public_requested, public_granted) * 100 > cost * cap
        if exceeded:
            messages.append(
                f"Les aides publiques ({fr_number(100 * max(share_requested, share_granted))} % du coût) dépassent "
                f"le plafond de {cap} %."
            )
        if requested > cost:
            messages.append("Les financements demandés dépassent le coût de l'opération.")
    else:
        messages.append("Coût de l'opération non renseigné : plafond d'aides publiques non vérifiable.")
    for line in lines:
        if line.tool.montant_max is not None and (line.accorde or line.demande) > line.tool.montant_max:
            messages.append(f"{line.tool.nom} : montant supérieur au maximum de {euros(line.tool.montant_max)}.")
        if line.tool.taux_max is not None and cost and (line.accorde or line.demande) > cost * line.tool.taux_max / 100:
            messages.append(f"{line.tool.nom} : montant supérieur à {fr_number(line.tool.taux_max)} % du coût.")
    return PlanSummary(
        cost=cost,
        requested=requested,
        granted=granted,
        paid=paid,
        public_requested=public_requested,
        public_granted=public_granted,
        cap_percent=cap,
        operating_requested=sum((line.demande for line in lines if not _counts_for_cost(line)), ZERO),
        remaining=cost - requested if cost else None,
        public_share_requested=share_requested,
        public_share_granted=share_granted,
        cap_exceeded=exceeded,
        messages=messages,
    )


@dataclass
class LineEntry:
    tool: str
    objet: str = ""
    demande: Decimal = ZERO
    demande_le: date | None = None
    accorde: Decimal | None = None
    accorde_le: date | None = None
    verse: Decimal | None = None
    verse_le: date | None = None


class LineRefused(ValueError):
    """A line refused because of one of its entries: ``field`` names it (a LineEntry field), so that the form shows
    the reason beside it and keeps what was typed."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _check(entry: LineEntry, project: Project, current: FundingLine | None) -> FundingTool:
    tool = next((t for t in offered_tools(project, entry.demande_le) if t.code == entry.tool), None)
    if tool is None:
        known = FundingTool.objects.filter(code=entry.tool).first()
        if known is None:
            raise LineRefused(UNKNOWN_TOOL.format(code=entry.tool), "tool")
        if not applies_at(known, project.commune_principale):
            raise LineRefused(TOOL_ELSEWHERE.format(nom=known.nom), "tool")
        tool = known
    kept = current is not None and current.tool_id == tool.pk and current.demande_le == entry.demande_le
    validite = tool.validity(entry.demande_le or timezone.localdate())
    if not kept and not validite.open:
        raise LineRefused(TOOL_CLOSED.format(nom=tool.nom, validite=validite.label), "demande_le" if entry.demande_le else "tool")
    for name in ("demande", "accorde", "verse"):
        amount = getattr(entry, name)
        if amount is not None and amount < 0:
            raise LineRefused(NEGATIVE_AMOUNT, name)
    if entry.verse is not None and entry.verse > (entry.accorde if entry.accorde is not None else entry.demande):
        raise LineRefused(PAID_OVER_GRANTED, "verse")
    if entry.accorde is not None and entry.accorde_le is None:
        raise LineRefused(GRANT_DATE_MISSING, "accorde_le")
    if entry.verse is not None and entry.verse_le is None:
        raise LineRefused(PAYMENT_DATE_MISSING, "verse_le")
    return tool


def _amount(value: Decimal | None) -> str | None:
    """An amount for the audit, in cents whether it was typed or read back: « 1000.00 », never « 1000 »."""
    return None if value is None else f"{value:.2f}"


def _line_state(line: FundingLine) -> dict[str, Any]:
    return {
        "outil": line.tool.code,
        "demande": _amount(line.demande),
        "accorde": _amount(line.accorde),
        "verse": _amount(line.verse),
        "dates": [str(d) if d else None for d in (line.demande_le, line.accorde_le, line.verse_le)],
    }


LINE_FIELDS = ("objet", "demande", "demande_le", "accorde", "accorde_le", "verse", "verse_le")
LINE_LABELS = {
    "tool": "Outil financier",
    "objet": "Objet",
    "demande": "Montant demandé (€)",
    "demande_le": "Demandé le",
    "accorde": "Montant accordé (€)",
    "accorde_le": "Accordé le",
    "verse": "Montant versé (€)",
    "verse_le": "Versé le",
}


def line_token(line: FundingLine) -> str:
    """What a line's edit form carries of it as read (see ``oasis.concurrency``)."""
    return read_token({"tool": line.tool_id, **{name: getattr(line, name) for name in LINE_FIELDS}})


def save_line(user: Any, project: Project, entry: LineEntry, line_id: int | None = None, read: str | None = None) -> FundingLine:
    """Add a line (``line_id`` None) or change one; the audit keeps the amounts before and after. ``read``
    (``line_token`` of the form's read) refuses to overwrite a line changed since with ``EditConflict``."""
    require_edit(user, project)
    current = project.funding.filter(pk=line_id).first() if line_id is not None else None
    tool = _check(entry, project, current)
    with transaction.atomic():
        if line_id is None:
            line = FundingLine(project=project)
            before = None
        else:
            found = project.funding.select_for_update().select_related("tool").filter(pk=line_id).first()
            if found is None:
                raise ValueError(LINE_NOT_FOUND)
            refuse_if_changed(
                read,
                {"tool": found.tool_id, **{name: getattr(found, name) for name in LINE_FIELDS}},
                {"tool": tool.pk, **{name: getattr(entry, name) for name in LINE_FIELDS}},
                LINE_LABELS,
                history(project).filter(action="projet.financement", details__ligne=found.pk),
                {"tool": list(FundingTool.objects.filter(pk__in=[found.tool_id, tool.pk]).values_list("pk", "nom"))},
            )
            line, before = found, _line_state(found)
        line.tool = tool
        for name in LINE_FIELDS:
            setattr(line, name, getattr(entry, name))
        line.save()
        record(user, "projet.financement", project, {"ligne": line.pk, "avant": before, "apres": _line_state(line)})
    return line


def remove_line(user: Any, project: Project, line_id: int) -> None:
    require_edit(user, project)
    line = project.funding.select_related("tool").filter(pk=line_id).first()
    if line is None:
        raise ValueError(LINE_NOT_FOUND)
    with transaction.atomic():
        record(user, "projet.financement.suppression", project, {"ligne": line.pk, "avant": _line_state(line)})
        line.delete()


COST_LABELS = {"cout_total": "Coût de l'opération (€ HT)"}


def cost_token(project: Project) -> str:
    """What the cost's form carries of the project as read (see ``oasis.concurrency``)."""
    return read_token({"cout_total": project.cout_total})


def set_cost(user: Any, project: Project, cost: Decimal | None, read: str | None = None) -> None:
    """Set the operation's cost; ``read`` (``cost_token`` of the form's read) refuses to overwrite a cost changed
    since with ``EditConflict``."""
    require_edit(user, project)
    if cost is not None and cost < 0:
        raise ValueError(NEGATIVE_COST)
    with transaction.atomic():
        stored = Project.objects.select_for_update().get(pk=project.pk)
        refuse_if_changed(
            read,
            {"cout_total": stored.cout_total},
            {"cout_total": cost},
            COST_LABELS,
            history(project).filter(action="projet.cout"),
        )
        record(
            user,
            "projet.cout",
            project,
            {
                "avant": _amount(stored.cout_total),
                "apres": _amount(cost),
            },
        )
        project.cout_total = cost
        project.save(update_fields=["cout_total", "updated_at"])


# --- ACI simulator -------------------------------------------------------------------------------------------------


@dataclass
class AciSimulation:
    bareme: AciBareme
    result: AciResult
    rows: list[dict[str, Any]]
    warnings: list[str]


def bareme_kind(project: Project | None) -> str:
    """The point table a project is simulated with: the centres de santé's accord national for a centre de santé,
    the MSP's ACI for every other kind."""
    return ProjectKind.CENTRE_DE_SANTE if project is not None and project.kind == ProjectKind.CENTRE_DE_SANTE else "msp"


def active_bareme(kind: str = "msp") -> AciBareme:
    bareme = AciBareme.objects.filter(actif=True, kind=kind).order_by("-pk").first()
    if bareme is None:
        raise ValueError(NO_ACTIVE_CDS_BAREME if kind == ProjectKind.CENTRE_DE_SANTE else NO_ACTIVE_BAREME)
    try:
        validate_aci_indicators(bareme.indicateurs)  # a table written outside the admin: refused by name, not guessed
    except ValidationError as error:
        raise ValueError(INVALID_BAREME.format(nom=bareme.nom, error=error.message)) from error
    return bareme


def rules_of(bareme: AciBareme) -> AciRules:
    return AciRules(
        point_value=float(bareme.valeur_point),
        reference_patients=float(bareme.patientele_reference),
        ratio_cap=float(bareme.plafond_ratio) if bareme.plafond_ratio is not None else float("inf"),
        per_professional=float(bareme.points_par_professionnel),
        professional_threshold=int(bareme.seuil_professionnels),
        per_professional_beyond=float(bareme.points_par_professionnel_au_dela),
        advance_rate=float(bareme.taux_avance),
        advance_floor=float(bareme.avance_minimum),
    )


def simulate_aci(project: Project | None, patients: float, professionals: int, units: dict[str, float]) -> AciSimulation:
    """One year of ACI for the declared engagements (``units``: indicator code → units achieved, clipped to the max)."""
    if patients < 0 or professionals < 0:
        raise ValueError(NEGATIVE_ACI_INPUT)
    bareme = active_bareme(bareme_kind(project))
    indicators = bareme.indicateurs
    achieved = np.array([min(max(float(units.get(i["code"], 0)), 0.0), float(i["max"])) for i in indicators])
    result = simulate(
        fixed=np.array([float(i["fixe"]) for i in indicators]),
        variable=np.array([float(i["variable"]) for i in indicators]),
        units=achieved,
        prerequisite=np.array([i["prerequis"] for i in indicators], dtype=bool),
        socle=np.array([i["socle"] for i in indicators], dtype=bool),
        per_professional=np.array([i["par_professionnel"] for i in indicators], dtype=bool),
        patients=patients,
        professionals=professionals,
        rules=rules_of(bareme),
    )
    rows = [
        {**indicator, "units": units_done, "points": float(fixed + variable)}
        for indicator, units_done, fixed, variable in zip(
            indicators, achieved, result.fixed_points, result.variable_points, strict=True
        )
    ]
    warnings = []
    if not result.eligible:
        missing = [i["libelle"] for i, u in zip(indicators, achieved, strict=True) if i["prerequis"] and u <= 0]
        warnings.append("Prérequis non remplis, aucune rémunération : " + " ; ".join(missing) + ".")
    if project is not None and bareme.kind == ProjectKind.CENTRE_DE_SANTE:
        warnings.append(CDS_AGREEMENT)
    elif project is not None:
        if project.kind not in (ProjectKind.MSP, ProjectKind.MSP_MULTISITE):
            warnings.append(ACI_MSP_ONLY)
        if project.carrier != "sisa":
            warnings.append(ACI_SISA_ONLY)
    if project is not None and project.stage not in (Stage.VALIDE, Stage.OUVERT, Stage.SUIVI):
        warnings.append(ACI_BEFORE_VALIDATION)
    return AciSimulation(bareme, result, rows, warnings)

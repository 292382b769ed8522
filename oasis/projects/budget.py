"""A project's operating budget: the yearly running costs the professionals share (SISA charges, rent, secretariat,
others) beside the ACI income the structure receives, and each professional's share by number of parts.

The porteurs and the Département write it (``perms.can_edit_budget``), every save audited with what it was before;
the form carries what it read (``budget_token``) and a save over someone else's change is refused with
``EditConflict`` (oasis.concurrency), never lost."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction

from oasis.audit.services import history, record
from oasis.concurrency import read_token, refuse_if_changed
from oasis.projects import perms
from oasis.projects.enums import MemberStatus
from oasis.projects.models import OperatingBudget, Project, TeamMember
from oasis.projects.services import NotAllowed

CENT = Decimal("0.01")
MAX_PARTS = 100
MAX_AMOUNT = Decimal("99999999.99")

NOT_EDITOR = "Seuls les porteurs du projet et le Département modifient le budget de fonctionnement."
NEGATIVE = "{label} : un montant positif ou nul est attendu (lu : {value})."
TOO_LARGE = "{label} : montant trop élevé (lu : {value})."
PARTS_OUT_OF_BOUNDS = "Parts de « {member} » : un nombre entier entre 0 et {limit} (lu : {value})."
UNKNOWN_MEMBER = "Membre inconnu de l'équipe du projet : {pk}."
OTHER_LABEL_REQUIRED = "Indiquez la nature des autres charges."

CHARGES = (
    ("charges_sisa", "Charges de la SISA (comptabilité, assurances, frais bancaires)"),
    ("loyer", "Loyer et charges locatives"),
    ("secretariat", "Secrétariat et accueil"),
    ("autres_charges", "Autres charges"),
)
LABELS = {
    **dict(CHARGES),
    "autres_libelle": "Nature des autres charges",
    "aci_annuel": "Rémunération ACI annuelle",
    "aci_source": "Origine du montant ACI",
    "parts": "Parts de chaque professionnel",
}


@dataclass(frozen=True)
class BudgetEntry:
    charges_sisa: Decimal
    loyer: Decimal
    secretariat: Decimal
    autres_charges: Decimal
    autres_libelle: str
    aci_annuel: Decimal
    aci_source: str
    parts: dict[str, int] = field(default_factory=dict)
    """Team member pk (as text) → number of parts; a member left out keeps 0."""


def default_parts(members: list[TeamMember]) -> dict[str, int]:
    """Before anyone sets them: one part per associé libéral, none for the others (the associés carry the SISA)."""
    return {str(member.pk): 1 if member.status == MemberStatus.ASSOCIE else 0 for member in members}


def _members(project: Project) -> list[TeamMember]:
    return list(project.team.all())


def _edited(budget: OperatingBudget | None, members: list[TeamMember]) -> dict[str, Any]:
    """The fields the form edits, as stored (the defaults when nothing is stored yet)."""
    if budget is None:
        return {
            **{name: Decimal("0.00") for name, _ in CHARGES},
            "autres_libelle": "",
            "aci_annuel": Decimal("0.00"),
            "aci_source": "",
            "parts": default_parts(members),
        }
    parts = default_parts(members) | {str(k): int(v) for k, v in budget.parts.items() if str(k) in {str(m.pk) for m in members}}
    return {
        **{name: getattr(budget, name) for name, _ in CHARGES},
        "autres_libelle": budget.autres_libelle,
        "aci_annuel": budget.aci_annuel,
        "aci_source": budget.aci_source,
        "parts": parts,
    }


def stored(project: Project) -> OperatingBudget | None:
    return OperatingBudget.objects.filter(project=project).first()


def budget_token(project: Project) -> str:
    """What the form carries of the budget as read (see ``oasis.concurrency``)."""
    return read_token(_edited(stored(project), _members(project)))


def _as_values(entry: BudgetEntry, members: list[TeamMember]) -> dict[str, Any]:
    return {
        **{name: getattr(entry, name) for name, _ in CHARGES},
        "autres_libelle": entry.autres_libelle.strip(),
        "aci_annuel": entry.aci_annuel,
        "aci_source": entry.aci_source.strip(),
        "parts": default_parts(members) | {str(k): int(v) for k, v in entry.parts.items()},
    }


def _check(entry: BudgetEntry, members: list[TeamMember]) -> None:
    for name, label in (*CHARGES, ("aci_annuel", LABELS["aci_annuel"])):
        value = getattr(entry, name)
        if value < 0:
            raise ValueError(NEGATIVE.format(label=label, value=value))
        if value > MAX_AMOUNT:
            raise ValueError(TOO_LARGE.format(label=label, value=value))
    if entry.autres_charges > 0 and not entry.autres_libelle.strip():
        raise ValueError(OTHER_LABEL_REQUIRED)
    by_pk = {str(member.pk): member for member in members}
    for pk, parts in entry.parts.items():
        if str(pk) not in by_pk:
            raise ValueError(UNKNOWN_MEMBER.format(pk=pk))
        if not isinstance(parts, int) or not 0 <= parts <= MAX_PARTS:
            raise ValueError(PARTS_OUT_OF_BOUNDS.format(member=_name(by_pk[str(pk)]), limit=MAX_PARTS, value=parts))


def save_budget(user: Any, project: Project, entry: BudgetEntry, read: str | None = None) -> OperatingBudget:
    """Write the budget; audited with what it was before. ``read`` (``budget_token`` of the form's read) refuses to
    overwrite a budget changed since with ``EditConflict``."""
    if not perms.can_edit_budget(user, project):
        raise NotAllowed(NOT_EDITOR)
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()  # one writer at a time, budget row or not
        members = _members(project)
        _check(entry, members)
        budget = stored(project)
        existed = budget is not None
        before = _edited(budget, members)
        values = _as_values(entry, members)
        refuse_if_changed(read, before, values, LABELS, history(project).filter(action="projet.budget_fonctionnement"))
        budget = budget or OperatingBudget(project=project)
        for name, value in values.items():
            setattr(budget, name, value)
        budget.updated_by = user
        budget.save()
        record(
            user,
            "projet.budget_fonctionnement",
            project,
            {"avant": _jsonable(before) if existed else None, "apres": _jsonable(values)},
        )
    return budget


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: str(value) if isinstance(value, Decimal) else value for name, value in values.items()}


def _name(member: TeamMember) -> str:
    return member.label or member.get_profession_display()


@dataclass(frozen=True)
class Share:
    member: TeamMember
    parts: int
    charges: Decimal
    aci: Decimal
    reste: Decimal  # charges minus ACI: what this professional pays (negative: what they receive)

    @property
    def name(self) -> str:
        return _name(self.member)

    @property
    def reste_mensuel(self) -> Decimal:
        return (self.reste / 12).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class BudgetSheet:
    budget: OperatingBudget | None
    charges: list[tuple[str, Decimal]]
    total_charges: Decimal
    aci: Decimal
    aci_source: str
    reste: Decimal
    total_parts: int
    shares: list[Share]

    @property
    def excedent(self) -> Decimal:
        """What the ACI brings beyond the costs (0 when it does not cover them)."""
        return max(-self.reste, Decimal("0.00"))

    @property
    def couverture(self) -> float | None:
        """Share of the running costs the ACI covers (0–1 and beyond), None without costs."""
        return float(self.aci / self.total_charges) if self.total_charges else None


def _split(total: Decimal, weights: list[int]) -> list[Decimal]:
    """``total`` (≥ 0) split by weights in cents, by largest remainder: the shares always add up to the total exactly,
    the cents left over going to the shares rounded down the most (the first of equal ones)."""
    whole = sum(weights)
    if not whole:
        return [Decimal("0.00") for _ in weights]
    cents = int((total / CENT).to_integral_value(ROUND_HALF_UP))
    floors = [cents * weight // whole for weight in weights]
    remainders = [cents * weight % whole for weight in weights]
    for i in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[: cents - sum(floors)]:
        floors[i] += 1
    return [Decimal(value) * CENT for value in floors]


def sheet(project: Project) -> BudgetSheet:
    """The budget as it stands (defaults when none is stored) and each professional's share of it."""
    members = _members(project)
    budget = stored(project)
    values = _edited(budget, members)
    charges = [(label, values[name]) for name, label in CHARGES]
    if values["autres_libelle"]:
        charges[-1] = (f"Autres charges : {values['autres_libelle']}", values["autres_charges"])
    total = sum((amount for _, amount in charges), Decimal("0.00"))
    aci = values["aci_annuel"]
    sharing = [member for member in members if values["parts"].get(str(member.pk), 0) > 0]
    weights = [values["parts"][str(member.pk)] for member in sharing]
    shares = [
        Share(member, weight, charge, income, charge - income)
        for member, weight, charge, income in zip(sharing, weights, _split(total, weights), _split(aci, weights), strict=True)
    ]
    return BudgetSheet(budget, charges, total, aci, values["aci_source"], total - aci, sum(weights), shares)


def parts_of(project: Project) -> dict[str, int]:
    """Each member's parts as the form shows them."""
    parts: dict[str, int] = _edited(stored(project), _members(project))["parts"]
    return parts


def csv_rows(project: Project) -> tuple[list[str], list[list[Any]]]:
    """The budget as a table: the costs, the ACI, then each professional's share (amounts as decimals)."""
    budget = sheet(project)
    header = [
        "rubrique",
        "professionnel",
        "profession",
        "statut",
        "parts",
        "charges_annuelles",
        "aci_annuel",
        "reste_annuel",
        "reste_mensuel",
    ]
    rows: list[list[Any]] = [["charge", label, "", "", "", amount, "", "", ""] for label, amount in budget.charges]
    rows.append(["total des charges", "", "", "", "", budget.total_charges, "", "", ""])
    rows.append(["ACI", budget.aci_source, "", "", "", "", budget.aci, "", ""])
    rows.append(["reste à partager", "", "", "", budget.total_parts, budget.total_charges, budget.aci, budget.reste, ""])
    rows += [
        [
            "part",
            share.name,
            share.member.get_profession_display(),
            share.member.get_status_display(),
            share.parts,
            share.charges,
            share.aci,
            share.reste,
            share.reste_mensuel,
        ]
        for share in budget.shares
    ]
    return header, rows

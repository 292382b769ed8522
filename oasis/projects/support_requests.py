"""Requests for support (« prise de contact ») that a commune or an EPCI opens from its account: the Département of
its territory sees them in its list and turns one into a project, the first stage of the support chain."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from oasis.accounts.enums import Role
from oasis.accounts.models import role_of
from oasis.audit.services import record
from oasis.projects.enums import SupportRequestStatus
from oasis.projects.models import Project, SupportRequest
from oasis.projects.services import NewProject, NotAllowed, create_project
from oasis.territories.models import Commune, Epci

NOT_A_COLLECTIVITE = "Seuls les comptes d'une commune ou d'un EPCI ouvrent une demande d'accompagnement."
NOT_THE_DEPARTEMENT = "Seul le Département du territoire transforme cette demande en projet."
NO_OBJECT = "Indiquez l'objet de la demande."
ALREADY_A_PROJECT = "Cette demande est déjà devenue un projet."
UNKNOWN_TERRITORY = "Le territoire de votre compte est inconnu : demandez à un administrateur de le corriger."


def _territory(niveau: str, code: str) -> tuple[str, str] | None:
    """(name, département code) of the account's commune or EPCI; an EPCI's is where most of its communes lie."""
    if niveau == "commune":
        commune = Commune.objects.filter(pk=code).first()
        return (commune.nom, commune.departement_id) if commune is not None else None
    epci = Epci.objects.filter(pk=code).first()
    if epci is None:
        return None
    departements = Counter(Commune.objects.filter(epci_id=code).values_list("departement_id", flat=True))
    return (epci.nom, departements.most_common(1)[0][0]) if departements else None


def open_request(user: Any, objet: str, message: str = "", telephone: str = "") -> SupportRequest:
    if role_of(user) != Role.COLLECTIVITE:
        raise NotAllowed(NOT_A_COLLECTIVITE)
    if not objet.strip():
        raise ValueError(NO_OBJECT)
    profile = user.profile
    found = _territory(profile.collectivite_niveau, profile.collectivite_code)
    if found is None:
        raise ValueError(UNKNOWN_TERRITORY)
    name, departement = found
    with transaction.atomic():
        request = SupportRequest.objects.create(
            departement_id=departement,
            collectivite_niveau=profile.collectivite_niveau,
            collectivite_code=profile.collectivite_code,
            collectivite_nom=name,
            objet=objet.strip()[:300],
            message=message.strip()[:5000],
            telephone=telephone.strip()[:30],
            created_by=user,
        )
        record(user, "demande.ouverture", request, {"objet": request.objet, "departement": departement})
    return request


def visible_requests(user: Any) -> QuerySet[SupportRequest]:
    """The Département's officers see their département's requests; a commune or EPCI its own; administrators all."""
    requests = SupportRequest.objects.select_related("created_by", "project", "departement")
    role = role_of(user)
    if role == Role.ADMINISTRATEUR:
        return requests
    profile = getattr(user, "profile", None)
    if role == Role.DEPARTEMENT and profile is not None:
        return requests.filter(departement_id=profile.departement_id)
    if role == Role.COLLECTIVITE and profile is not None:
        return requests.filter(collectivite_niveau=profile.collectivite_niveau, collectivite_code=profile.collectivite_code)
    return requests.none()


def can_handle(user: Any, request: SupportRequest) -> bool:
    role = role_of(user)
    return role == Role.ADMINISTRATEUR or (role == Role.DEPARTEMENT and user.profile.departement_id == request.departement_id)


@dataclass(frozen=True)
class ProjectChoice:
    nom: str
    kind: str
    carrier: str
    carrier_name: str
    commune_principale: str


def turn_into_project(user: Any, request: SupportRequest, choice: ProjectChoice) -> Project:
    """Create the project for this request (the commune or EPCI as its beneficiary) and close the request with it."""
    if not can_handle(user, request):
        raise NotAllowed(NOT_THE_DEPARTEMENT)
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if locked.project_id is not None:
            raise ValueError(ALREADY_A_PROJECT)
        project = create_project(
            user,
            NewProject(
                nom=choice.nom,
                kind=choice.kind,
                carrier=choice.carrier,
                carrier_name=choice.carrier_name,
                commune_principale=choice.commune_principale,
                communes_desservies=[],
                collectivite_niveau=locked.collectivite_niveau,
                collectivite_code=locked.collectivite_code,
                next_action=f"Premier entretien avec {locked.collectivite_nom} (demande du {locked.created_at:%d/%m/%Y})",
            ),
        )
        locked.project = project
        locked.status = SupportRequestStatus.PROJET
        locked.handled_by = user
        locked.handled_at = timezone.now()
        locked.save(update_fields=["project", "status", "handled_by", "handled_at"])
        record(user, "demande.projet", locked, {"projet": project.pk})
    return project

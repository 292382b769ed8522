"""Candidates' files: creation with consent, changes, audited access, export (RGPD access and portability), erasure
on request, and the purge of files whose retention period is over.

The audit never holds a candidate's name or contact details, only record numbers: it outlives an erasure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from oasis.accounts.enums import Role
from oasis.audit.models import AuditEvent
from oasis.audit.services import history, record
from oasis.recruitment import perms
from oasis.recruitment.common import NotAllowed, _check_departement, _commune, add_months
from oasis.recruitment.models import Candidate
from oasis.references.validators import checked_rpps
from oasis.territories.services import TerritoryNotFound, parse_territory_ref

# Refusals, asserted by reference in the tests. Templates take their values by name.
BAD_TERRITORY = "Territoire souhaité : {error}"
CANDIDATE_OUTSIDE_DEPARTEMENT = "Vous ne pouvez enregistrer un candidat que dans votre département."
CONSENT_REQUIRED = "Le consentement de la personne au traitement de ses données est obligatoire (RGPD)."
CANNOT_EDIT_CANDIDATE = "Votre rôle ne permet pas de modifier ce candidat."
CANDIDATE_NOT_FOUND = "Candidat introuvable."
CANNOT_ERASE_CANDIDATE = "Votre rôle ne permet pas d'effacer ce candidat."
ERASURE_BLOCKED_BY_AGREEMENT = (
    "Effacement impossible : une convention d'aide lie cette personne au Département ; ses données sont "
    "conservées au titre d'une obligation légale jusqu'à l'extinction de l'engagement."
)
PURGE_REASON = "durée de conservation échue"


def retention_until(today: date | None = None) -> date:
    return add_months(today or date.today(), int(settings.OASIS_CANDIDATE_RETENTION_MONTHS))


@dataclass
class CandidateData:
    nom: str
    prenom: str
    profession: str
    situation: str
    rpps: str = ""
    email: str = ""
    telephone: str = ""
    annee_etudes: int | None = None
    etablissement: str = ""
    territoires_preferes: list[str] = field(default_factory=list)
    commune_reference: str | None = None
    temps_max_minutes: int | None = None
    modes: list[str] = field(default_factory=list)
    disponible_le: date | None = None
    consentement_communication: bool = False
    notes: str = ""


def _checked_territories(refs: list[str]) -> list[str]:
    checked = []
    for ref in refs:
        try:
            checked.append(parse_territory_ref(ref.strip()).ref)
        except TerritoryNotFound as error:
            raise ValueError(BAD_TERRITORY.format(error=error)) from error
    return checked


def _professional_account(email: str) -> Any:
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email, profile__role=Role.PROFESSIONNEL, candidate__isnull=True).first()


def _apply_data(candidate: Candidate, data: CandidateData) -> None:
    candidate.nom, candidate.prenom = data.nom.strip(), data.prenom.strip()
    candidate.profession, candidate.situation = data.profession, data.situation
    candidate.rpps = checked_rpps(data.rpps)
    candidate.email, candidate.telephone = data.email.strip(), data.telephone.strip()
    candidate.annee_etudes, candidate.etablissement = data.annee_etudes, data.etablissement.strip()
    candidate.territoires_preferes = _checked_territories(data.territoires_preferes)
    candidate.commune_reference = _commune(data.commune_reference, "Lieu de référence")
    candidate.temps_max_minutes, candidate.modes = data.temps_max_minutes, data.modes
    candidate.disponible_le, candidate.notes = data.disponible_le, data.notes.strip()
    candidate.consentement_communication = data.consentement_communication


def create_candidate(user: Any, departement: str, data: CandidateData, consent_given: bool) -> Candidate:
    """A new candidate; refused without recorded consent. A professional account with the same e-mail is linked."""
    if not perms.can_manage_in(user, departement):
        raise NotAllowed(CANDIDATE_OUTSIDE_DEPARTEMENT)
    _check_departement(departement)
    if not consent_given:
        raise ValueError(CONSENT_REQUIRED)
    candidate = Candidate(departement_id=departement, consentement_le=timezone.now(), conserver_jusqu_au=retention_until())
    _apply_data(candidate, data)
    candidate.user = _professional_account(candidate.email)
    candidate.created_by = user
    with transaction.atomic():
        candidate.save()
        record(
            user,
            "candidat.creation",
            candidate,
            {"profession": candidate.profession, "compte_lie": candidate.user_id is not None},
        )
    return candidate


def update_candidate(user: Any, candidate: Candidate, data: CandidateData) -> None:
    if not perms.can_manage(user, candidate):
        raise NotAllowed(CANNOT_EDIT_CANDIDATE)
    fields = [name for name in CandidateData.__dataclass_fields__ if name != "commune_reference"]
    before = {name: getattr(candidate, name) for name in fields}
    before_reference = candidate.commune_reference_id
    _apply_data(candidate, data)
    changed = sorted(name for name in fields if getattr(candidate, name) != before[name])
    if candidate.commune_reference_id != before_reference:
        changed.append("commune_reference")
    candidate.conserver_jusqu_au = retention_until()
    if candidate.user_id is None:
        candidate.user = _professional_account(candidate.email)
    with transaction.atomic():
        candidate.save()
        # Which fields changed, not their values: the log must not hold personal data.
        record(user, "candidat.modification", candidate, {"champs": changed})


def view_candidate(user: Any, candidate: Candidate, purpose: str) -> None:
    """Record that ``user`` saw the candidate's file (every access to a profile is audited)."""
    record(user, "candidat.consultation", candidate, {"motif": purpose})


def record_views(user: Any, candidates: list[Candidate], purpose: str) -> None:
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                user=user,
                action="candidat.consultation",
                objet_type=Candidate._meta.label_lower,
                objet_id=str(c.pk),
                objet_libelle=str(c),
                details={"motif": purpose},
            )
            for c in candidates
        ]
    )


ACCESS_LABELS = {
    "candidat.creation": "création de la fiche",
    "candidat.consultation": "consultation",
    "candidat.modification": "modification",
    "candidat.export": "export des données",
    "candidat.mise_en_relation": "mise en relation",
    "candidat.etape": "étape du parcours",
    "candidat.visite": "visite planifiée",
    "candidat.visite.retour": "retour de visite",
    "candidat.effacement": "effacement",
}


def access_log(candidate: Candidate) -> list[AuditEvent]:
    """Who did what with the file, newest first (``libelle`` in French on each event)."""
    events = list(history(candidate).order_by("-at", "-pk"))
    for event in events:
        event.libelle = ACCESS_LABELS.get(event.action, event.action)  # type: ignore[attr-defined]
    return events


def territory_labels(refs: list[str]) -> list[str]:
    labels = []
    for ref in refs:
        try:
            territory = parse_territory_ref(ref)
        except TerritoryNotFound:
            labels.append(ref)
        else:
            labels.append(f"{territory.nom} ({territory.label.lower()})")
    return labels


def export_candidate(user: Any, candidate: Candidate) -> dict[str, Any]:
    """Everything held on a person (RGPD right of access and portability), with who accessed it."""
    if not perms.visible_candidates(user).filter(pk=candidate.pk).exists():
        raise NotAllowed(CANDIDATE_NOT_FOUND)
    record(user, "candidat.export", candidate, {})
    return {
        "candidat": {
            "id": candidate.pk,
            "nom": candidate.nom,
            "prenom": candidate.prenom,
            "email": candidate.email,
            "telephone": candidate.telephone,
            "profession": candidate.profession,
            "rpps": candidate.rpps,
            "situation": candidate.situation,
            "annee_etudes": candidate.annee_etudes,
            "etablissement": candidate.etablissement,
            "territoires_preferes": candidate.territoires_preferes,
            "lieu_de_reference": candidate.commune_reference_id,
            "temps_max_minutes": candidate.temps_max_minutes,
            "modes": candidate.modes,
            "disponible_le": candidate.disponible_le,
            "consentement_le": candidate.consentement_le,
            "consentement_communication": candidate.consentement_communication,
            "conserver_jusqu_au": candidate.conserver_jusqu_au,
            "notes": candidate.notes,
            "departement": candidate.departement_id,
        },
        "conventions": [
            {
                "id": a.pk,
                "dispositif": a.scheme.nom,
                "signee_le": a.signee_le,
                "statut": a.status,
                "versements": [{"echeance": p.echeance, "montant": p.montant, "verse_le": p.verse_le} for p in a.payments.all()],
                "installation": {"commune": a.installation_commune_id, "depuis": a.installe_le},
                "rupture": {"le": a.rupture_le, "motif": a.rupture_motif},
            }
            for a in candidate.agreements.select_related("scheme")
        ],
        "mises_en_relation": [
            {"commune": p.commune_id, "poste": p.vacancy_id, "etape": p.stage, "installe_le": p.installe_le}
            for p in candidate.placements.all()
        ],
        "visites": [
            {"date": v.date, "lieux": v.lieux, "personnes_rencontrees": v.personnes_rencontrees, "retour": v.retour}
            for v in candidate.visits.all()
        ],
        "acces": [{"le": e.at, "par": e.user.email if e.user else None, "action": e.action} for e in access_log(candidate)],
    }


def erase_candidate(user: Any, candidate: Candidate, reason: str) -> None:
    """Erase a person's data on request. Refused while an aid agreement binds them (a legal obligation to keep it)."""
    if not perms.can_manage(user, candidate):
        raise NotAllowed(CANNOT_ERASE_CANDIDATE)
    if candidate.agreements.exists():
        raise ValueError(ERASURE_BLOCKED_BY_AGREEMENT)
    with transaction.atomic():
        record(user, "candidat.effacement", candidate, {"motif": reason[:300], "id": candidate.pk})
        candidate.delete()


def purge_expired(today: date | None = None) -> list[int]:
    """Erase the candidates whose retention period is over (none bound by an agreement); returns their numbers, in order."""
    today = today or date.today()
    due = Candidate.objects.expired(today).unbound()
    erased = []
    with transaction.atomic():
        for candidate in due.select_for_update(of=("self",)).order_by("pk"):
            record(None, "candidat.effacement", candidate, {"motif": PURGE_REASON, "id": candidate.pk})
            erased.append(candidate.pk)
            candidate.delete()
    return erased


def _touch(candidate: Candidate) -> None:
    """Activity on a file extends its retention."""
    Candidate.objects.filter(pk=candidate.pk).update(conserver_jusqu_au=retention_until())

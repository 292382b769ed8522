"""Everything that changes recruitment data: checked, audited in the same transaction, personal data protected.

The audit never holds a candidate's name or contact details, only record numbers: it outlives an erasure.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from oasis.accounts.enums import Role
from oasis.audit.models import AuditEvent
from oasis.audit.services import history, record
from oasis.formatting import euros
from oasis.recruitment import perms
from oasis.recruitment.enums import AgreementStatus, PipelineStage, RepaymentRule, VacancyStatus
from oasis.recruitment.models import (
    AidAgreement,
    AidPayment,
    AidScheme,
    Campaign,
    Candidate,
    Placement,
    PlacementStep,
    Vacancy,
    Visit,
)
from oasis.references.validators import checked_rpps
from oasis.territories.models import Commune, Departement
from oasis.territories.services import TerritoryNotFound, parse_territory_ref
from oasis.verdicts.services import Verdict, verdict

# Refusals, asserted by reference in the tests. Templates take their values by name.
UNKNOWN_DEPARTEMENT = "Département inconnu : « {code} »."
UNKNOWN_COMMUNE = "{what} : commune inconnue « {code} »."
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
CANNOT_CREATE_AGREEMENT = "Votre rôle ne permet pas de créer une convention."
SCHEME_INFORMATION_ONLY = "« {scheme} » est un dispositif d'information : aucune convention n'est gérée ici."
SCHEME_OTHER_PROFESSION = "« {scheme} » ne concerne pas la profession {profession}."
SCHEME_OTHER_DEPARTEMENT = "« {scheme} » est un dispositif d'un autre département."
MONTHS_NEEDED = "Indiquez le nombre de mensualités (l'année d'études ou la borne du dispositif manque)."
YEAR_OUTSIDE_SCHEME = "{annee}e année : hors des années aidées par « {scheme} » ({annee_min}e à {annee_max}e)."
MONTHS_NOT_POSITIVE = "Le nombre de mensualités doit être positif."
FIRST_PAYMENT_BEFORE_SIGNATURE = "Le premier versement ne peut pas précéder la signature."
CANNOT_EDIT_AGREEMENT = "Votre rôle ne permet pas de modifier cette convention."
AGREEMENT_BROKEN = "Cette convention est rompue."
INSTALLATION_OUTSIDE_DEPARTEMENT = (
    "{commune} ({commune_departement}) est hors du département {departement} : "
    "l'installation ne remplit pas l'engagement (constater une rupture le cas échéant)."
)
INSTALLATION_BEFORE_SIGNATURE = "L'installation ne peut pas précéder la signature de la convention."
BREACH_ALREADY_RECORDED = "La rupture de cette convention est déjà constatée."
BREACH_REASON_REQUIRED = "Le motif de la rupture est obligatoire."
VACANCY_OUTSIDE_TERRITORY = "Vous ne pouvez publier un poste que sur votre territoire."
PROJECT_NOT_FOUND = "Projet introuvable."
CANNOT_EDIT_VACANCY = "Votre rôle ne permet pas de modifier ce poste."
UNKNOWN_VACANCY_STATUS = "Statut inconnu : « {statut} »."
CANNOT_FOLLOW_CANDIDATE = "Votre rôle ne permet pas de suivre ce candidat."
VACANCY_NOT_FOUND = "Poste introuvable."
VACANCY_OR_COMMUNE_NEEDED = "Indiquez un poste ou une commune."
PROFESSION_MISMATCH = "La profession du poste n'est pas celle du candidat."
UNKNOWN_STAGE = "Étape inconnue : « {stage} »."
PLACEMENT_CLOSED = "Cette mise en relation est close."
INSTALLATION_DATE_NEEDED = "Indiquez la date d'installation."
CANNOT_PLAN_VISIT = "Votre rôle ne permet pas de planifier une visite."
VISIT_PLACES_NEEDED = "Indiquez les lieux de la visite."
CANNOT_EDIT_VISIT = "Votre rôle ne permet pas de modifier cette visite."
CAMPAIGN_OUTSIDE_DEPARTEMENT = "Vous ne pouvez créer une campagne que dans votre département."
CAMPAIGN_NOT_FOUND = "Campagne introuvable."
NATIONAL_SCHEME_ADMIN_ONLY = "Seul un administrateur peut modifier un dispositif national."
SCHEME_OUTSIDE_DEPARTEMENT = "Vous ne pouvez configurer que les dispositifs de votre département."
YEARS_REVERSED = "La première année aidée est après la dernière."

# Why a scheme applies at a place, or not.
AID_ZONE_REQUIRED = "réservé aux zones sous-denses ; ici : {zoning}"
AID_ZONE_MET = "zone sous-dense ({zoning})"
AID_ANY_ZONE = "sans condition de zone"
ZONING_UNKNOWN = "zonage inconnu"
PURGE_REASON = "durée de conservation échue"


class NotAllowed(PermissionError):
    """The user may not do this."""


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (0 when end ≤ start)."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def retention_until(today: date | None = None) -> date:
    return add_months(today or date.today(), int(settings.OASIS_CANDIDATE_RETENTION_MONTHS))


def _amount(value: Decimal | None) -> str | None:
    """An amount for the audit, in euros with two decimals whatever its source (a form, the database)."""
    return None if value is None else f"{value:.2f}"


def _check_departement(code: str) -> None:
    if not Departement.objects.filter(pk=code).exists():
        raise ValueError(UNKNOWN_DEPARTEMENT.format(code=code))


def _commune(code: str | None, what: str) -> Commune | None:
    if not code:
        return None
    commune = Commune.objects.filter(pk=code.strip().upper()).first()
    if commune is None:
        raise ValueError(UNKNOWN_COMMUNE.format(what=what, code=code))
    return commune


# --- Candidates ---------------------------------------------------------------------------------------------------


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


# --- Aid agreements -----------------------------------------------------------------------------------------------


def eligible_schemes(candidate: Candidate) -> list[AidScheme]:
    return [
        scheme
        for scheme in AidScheme.objects.filter(actif=True)
        if candidate.profession in scheme.professions
        and (scheme.departement_id is None or scheme.departement_id == candidate.departement_id)
    ]


@dataclass
class PlaceAid:
    scheme: AidScheme
    eligible: bool
    reason: str


def aids_at(commune: Commune, profession: str) -> tuple[Verdict | None, list[PlaceAid]]:
    """The Département's schemes for a profession at a place: eligible or not, and why (``oasis.verdicts``)."""
    from oasis.recruitment.matching import APL_PROFESSION

    apl_profession = APL_PROFESSION.get(profession)
    zoning = verdict(commune.pk, apl_profession) if apl_profession else None
    rows = []
    for scheme in AidScheme.objects.filter(actif=True, departement_id=commune.departement_id):
        if profession not in scheme.professions:
            continue
        if scheme.zone_sous_dense and not (zoning and zoning.sous_dense):
            rows.append(
                PlaceAid(scheme, False, AID_ZONE_REQUIRED.format(zoning=zoning.zone_libelle if zoning else ZONING_UNKNOWN))
            )
        elif scheme.zone_sous_dense and zoning:
            rows.append(PlaceAid(scheme, True, AID_ZONE_MET.format(zoning=zoning.zone_libelle)))
        else:
            rows.append(PlaceAid(scheme, True, AID_ANY_ZONE))
    return zoning, rows


def create_agreement(
    user: Any, candidate: Candidate, scheme: AidScheme, signee_le: date, debut: date, nb_mois: int | None = None
) -> AidAgreement:
    """An agreement and its monthly payment schedule, within the scheme's years of study and total cap."""
    if not perms.can_manage(user, candidate):
        raise NotAllowed(CANNOT_CREATE_AGREEMENT)
    if scheme.national or scheme.montant_mensuel is None or scheme.duree_engagement_mois is None:
        raise ValueError(SCHEME_INFORMATION_ONLY.format(scheme=scheme.nom))
    if candidate.profession not in scheme.professions:
        raise ValueError(SCHEME_OTHER_PROFESSION.format(scheme=scheme.nom, profession=candidate.get_profession_display()))
    if scheme.departement_id and scheme.departement_id != candidate.departement_id:
        raise ValueError(SCHEME_OTHER_DEPARTEMENT.format(scheme=scheme.nom))
    monthly = scheme.montant_mensuel
    if nb_mois is None:
        if scheme.annee_max is None or candidate.annee_etudes is None:
            raise ValueError(MONTHS_NEEDED)
        if (
            scheme.annee_min is not None and candidate.annee_etudes < scheme.annee_min
        ) or candidate.annee_etudes > scheme.annee_max:
            raise ValueError(
                YEAR_OUTSIDE_SCHEME.format(
                    annee=candidate.annee_etudes, scheme=scheme.nom, annee_min=scheme.annee_min, annee_max=scheme.annee_max
                )
            )
        nb_mois = (scheme.annee_max - candidate.annee_etudes + 1) * 12
    if nb_mois <= 0:
        raise ValueError(MONTHS_NOT_POSITIVE)
    if debut < signee_le:
        raise ValueError(FIRST_PAYMENT_BEFORE_SIGNATURE)
    amounts = [monthly] * nb_mois
    if scheme.plafond is not None:
        remaining, capped = scheme.plafond, []
        for amount in amounts:
            if remaining <= 0:
                break
            capped.append(min(amount, remaining))
            remaining -= capped[-1]
        amounts = capped
    last = add_months(debut, len(amounts) - 1)
    with transaction.atomic():
        agreement = AidAgreement.objects.create(
            candidate=candidate,
            scheme=scheme,
            signee_le=signee_le,
            debut_versements=debut,
            mensualite=monthly,
            nb_mois=len(amounts),
            installation_avant=add_months(last, scheme.delai_installation_mois or 0),
            duree_engagement_mois=scheme.duree_engagement_mois,
            created_by=user,
        )
        AidPayment.objects.bulk_create(
            [AidPayment(agreement=agreement, echeance=add_months(debut, i), montant=amount) for i, amount in enumerate(amounts)]
        )
        record(
            user,
            "convention.creation",
            agreement,
            {
                "candidat": candidate.pk,
                "dispositif": scheme.code,
                "mensualites": len(amounts),
                "total": _amount(sum(amounts, Decimal(0))),
            },
        )
        _touch(candidate)
    return agreement


def _require_manage(user: Any, agreement: AidAgreement) -> None:
    if not perms.can_manage(user, agreement.candidate):
        raise NotAllowed(CANNOT_EDIT_AGREEMENT)


def mark_paid(user: Any, agreement: AidAgreement, up_to: date) -> int:
    """Mark every payment due by ``up_to`` as paid on its due date; returns how many."""
    _require_manage(user, agreement)
    with transaction.atomic():
        due = list(agreement.payments.filter(verse_le__isnull=True, echeance__lte=up_to))
        for payment in due:
            payment.verse_le = payment.echeance
        AidPayment.objects.bulk_update(due, ["verse_le"])
        record(user, "convention.versements", agreement, {"jusqu_au": up_to.isoformat(), "nombre": len(due)})
    return len(due)


def record_installation(user: Any, agreement: AidAgreement, commune: Commune, since: date) -> None:
    """The beneficiary installed: the commitment is fulfilled if the commune is in the scheme's département."""
    _require_manage(user, agreement)
    if agreement.rupture_le:
        raise ValueError(AGREEMENT_BROKEN)
    if agreement.scheme.departement_id and commune.departement_id != agreement.scheme.departement_id:
        raise ValueError(
            INSTALLATION_OUTSIDE_DEPARTEMENT.format(
                commune=commune.nom, commune_departement=commune.departement_id, departement=agreement.scheme.departement_id
            )
        )
    if since < agreement.signee_le:
        raise ValueError(INSTALLATION_BEFORE_SIGNATURE)
    with transaction.atomic():
        agreement.installation_commune, agreement.installe_le = commune, since
        agreement.save(update_fields=["installation_commune", "installe_le"])
        record(user, "convention.installation", agreement, {"commune": commune.pk, "depuis": since.isoformat()})
        _touch(agreement.candidate)


@dataclass(frozen=True)
class Owed:
    paid: Decimal
    months_required: int
    months_served: int
    amount: Decimal
    rule: str

    @property
    def explanation(self) -> str:
        if self.rule == RepaymentRule.PRORATA:
            return (
                f"{euros(self.paid, 2)} versés × (1 − {self.months_served} mois exercés / {self.months_required} mois "
                f"exigés) = {euros(self.amount, 2)}"
            )
        if self.rule == RepaymentRule.INTEGRAL:
            return f"totalité des sommes versées : {euros(self.amount, 2)}"
        return "le dispositif ne prévoit pas de remboursement"


def amount_owed(agreement: AidAgreement, on: date) -> Owed:
    """What a breach on ``on`` obliges to repay, by the scheme's rule (no penalty beyond the sums paid)."""
    paid = agreement.paid_total
    required = agreement.duree_engagement_mois
    served = min(months_between(agreement.installe_le, on), required) if agreement.installe_le else 0
    rule = agreement.scheme.regle_remboursement
    if rule == RepaymentRule.PRORATA:
        amount = paid * (1 - Decimal(served) / Decimal(required)) if required else paid
    elif rule == RepaymentRule.INTEGRAL:
        amount = paid
    else:
        amount = Decimal("0")
    return Owed(paid, required, served, amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), rule)


def record_breach(user: Any, agreement: AidAgreement, on: date, reason: str) -> Owed:
    _require_manage(user, agreement)
    if agreement.rupture_le:
        raise ValueError(BREACH_ALREADY_RECORDED)
    if not reason.strip():
        raise ValueError(BREACH_REASON_REQUIRED)
    owed = amount_owed(agreement, on)
    with transaction.atomic():
        agreement.rupture_le, agreement.rupture_motif = on, reason.strip()[:300]
        agreement.save(update_fields=["rupture_le", "rupture_motif"])
        # Unpaid instalments are cancelled: nothing more is due to the beneficiary.
        cancelled = agreement.payments.filter(verse_le__isnull=True).delete()[0]
        record(
            user,
            "convention.rupture",
            agreement,
            {"le": on.isoformat(), "du": _amount(owed.amount), "regle": owed.rule, "versements_annules": cancelled},
        )
    return owed


def commitments_due(agreements: Any, within_days: int | None = None, today: date | None = None) -> list[AidAgreement]:
    """Agreements still waiting for an installation whose deadline is past or within ``within_days``."""
    today = today or date.today()
    days = int(settings.OASIS_COMMITMENT_ALERT_DAYS) if within_days is None else within_days
    return list(
        agreements.filter(installe_le__isnull=True, rupture_le__isnull=True, installation_avant__lte=today + timedelta(days=days))
        .select_related("candidate", "scheme")
        .order_by("installation_avant")
    )


# --- Vacancies, pipeline, visits ----------------------------------------------------------------------------------


@dataclass
class VacancyData:
    commune: str
    profession: str
    mode: str
    contact_nom: str
    debut: date | None = None
    conditions: str = ""
    logement: bool = False
    logement_details: str = ""
    contact_email: str = ""
    contact_telephone: str = ""
    project_id: int | None = None


def create_vacancy(user: Any, data: VacancyData) -> Vacancy:
    commune = _commune(data.commune, "Poste à pourvoir")
    assert commune is not None
    if not perms.can_publish_vacancy_in(user, commune):
        raise NotAllowed(VACANCY_OUTSIDE_TERRITORY)
    project = None
    if data.project_id is not None:
        from oasis.projects.perms import visible_projects

        project = visible_projects(user).filter(pk=data.project_id).first()
        if project is None:
            raise ValueError(PROJECT_NOT_FOUND)
    with transaction.atomic():
        vacancy = Vacancy.objects.create(
            departement_id=commune.departement_id,
            commune=commune,
            project=project,
            profession=data.profession,
            mode=data.mode,
            debut=data.debut,
            conditions=data.conditions.strip(),
            logement=data.logement,
            logement_details=data.logement_details.strip(),
            contact_nom=data.contact_nom.strip(),
            contact_email=data.contact_email.strip(),
            contact_telephone=data.contact_telephone.strip(),
            created_by=user,
        )
        record(user, "poste.creation", vacancy, {"commune": commune.pk, "profession": data.profession})
    return vacancy


def set_vacancy_status(user: Any, vacancy: Vacancy, statut: str) -> None:
    if not perms.can_edit_vacancy(user, vacancy):
        raise NotAllowed(CANNOT_EDIT_VACANCY)
    if statut not in VacancyStatus.values:
        raise ValueError(UNKNOWN_VACANCY_STATUS.format(statut=statut))
    with transaction.atomic():
        record(user, "poste.statut", vacancy, {"avant": vacancy.statut, "apres": statut})
        vacancy.statut = statut
        vacancy.save(update_fields=["statut"])


def start_placement(user: Any, candidate: Candidate, vacancy: Vacancy | None, commune_code: str | None = None) -> Placement:
    """Put a candidate in touch with a post (or a commune)."""
    if not perms.can_manage(user, candidate):
        raise NotAllowed(CANNOT_FOLLOW_CANDIDATE)
    if vacancy is not None and not perms.visible_vacancies(user).filter(pk=vacancy.pk).exists():
        raise ValueError(VACANCY_NOT_FOUND)
    commune = vacancy.commune if vacancy is not None else _commune(commune_code, "Mise en relation")
    if commune is None:
        raise ValueError(VACANCY_OR_COMMUNE_NEEDED)
    if vacancy is not None and vacancy.profession != candidate.profession:
        raise ValueError(PROFESSION_MISMATCH)
    with transaction.atomic():
        placement = Placement.objects.create(candidate=candidate, vacancy=vacancy, commune=commune)
        PlacementStep.objects.create(placement=placement, stage=placement.stage, by=user, note="Mise en relation")
        record(user, "candidat.mise_en_relation", candidate, {"mise_en_relation": placement.pk, "poste": vacancy and vacancy.pk})
        _touch(candidate)
    return placement


@dataclass(frozen=True)
class MoveOutcome:
    placement: Placement
    fulfilled: AidAgreement | None


def move_placement(user: Any, placement: Placement, stage: str, note: str = "", installe_le: date | None = None) -> MoveOutcome:
    """Advance a placement. Reaching "installé" fills the post and fulfils a pending aid commitment in the territory."""
    candidate = placement.candidate
    if not perms.can_manage(user, candidate):
        raise NotAllowed(CANNOT_FOLLOW_CANDIDATE)
    if stage not in PipelineStage.values:
        raise ValueError(UNKNOWN_STAGE.format(stage=stage))
    if placement.stage in (PipelineStage.INSTALLE, PipelineStage.ABANDON):
        raise ValueError(PLACEMENT_CLOSED)
    if stage == PipelineStage.INSTALLE and installe_le is None:
        raise ValueError(INSTALLATION_DATE_NEEDED)
    fulfilled = None
    with transaction.atomic():
        PlacementStep.objects.create(placement=placement, stage=stage, by=user, note=note.strip()[:500])
        placement.stage = stage
        if stage == PipelineStage.INSTALLE:
            placement.installe_le = installe_le
            if placement.vacancy is not None:
                Vacancy.objects.filter(pk=placement.vacancy.pk).update(statut=VacancyStatus.POURVU)
            pending = [
                a
                for a in candidate.agreements.select_related("scheme").filter(installe_le__isnull=True, rupture_le__isnull=True)
                if a.scheme.departement_id in (None, placement.commune.departement_id)
            ]
            if pending and installe_le is not None:
                fulfilled = pending[0]
                record_installation(user, fulfilled, placement.commune, installe_le)
        placement.save()
        record(user, "candidat.etape", candidate, {"mise_en_relation": placement.pk, "vers": stage})
        _touch(candidate)
    return MoveOutcome(placement, fulfilled)


@dataclass
class VisitData:
    date: date
    lieux: str
    personnes_rencontrees: str = ""
    retour: str = ""
    vacancy_id: int | None = None


def plan_visit(user: Any, candidate: Candidate, data: VisitData) -> Visit:
    if not perms.can_manage(user, candidate):
        raise NotAllowed(CANNOT_PLAN_VISIT)
    if not data.lieux.strip():
        raise ValueError(VISIT_PLACES_NEEDED)
    vacancy = None
    if data.vacancy_id is not None:
        vacancy = perms.visible_vacancies(user).filter(pk=data.vacancy_id).first()
        if vacancy is None:
            raise ValueError(VACANCY_NOT_FOUND)
    with transaction.atomic():
        visit = Visit.objects.create(
            candidate=candidate,
            vacancy=vacancy,
            date=data.date,
            lieux=data.lieux.strip(),
            personnes_rencontrees=data.personnes_rencontrees.strip(),
            retour=data.retour.strip(),
            created_by=user,
        )
        record(user, "candidat.visite", candidate, {"visite": visit.pk, "date": data.date.isoformat()})
        _touch(candidate)
    return visit


def record_feedback(user: Any, visit: Visit, personnes: str, retour: str) -> None:
    if not perms.can_manage(user, visit.candidate):
        raise NotAllowed(CANNOT_EDIT_VISIT)
    with transaction.atomic():
        visit.personnes_rencontrees, visit.retour = personnes.strip(), retour.strip()
        visit.save(update_fields=["personnes_rencontrees", "retour"])
        record(user, "candidat.visite.retour", visit.candidate, {"visite": visit.pk})


# --- Campaigns ----------------------------------------------------------------------------------------------------


def create_campaign(
    user: Any,
    departement: str,
    titre: str,
    message: str,
    professions: list[str],
    beneficiaires_seulement: bool,
    project_id: int | None,
) -> Campaign:
    if not perms.can_manage_in(user, departement):
        raise NotAllowed(CAMPAIGN_OUTSIDE_DEPARTEMENT)
    _check_departement(departement)
    project = None
    if project_id is not None:
        from oasis.projects.perms import visible_projects

        project = visible_projects(user).filter(pk=project_id).first()
        if project is None:
            raise ValueError(PROJECT_NOT_FOUND)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            departement_id=departement,
            titre=titre.strip(),
            project=project,
            message=message.strip(),
            professions=professions,
            beneficiaires_seulement=beneficiaires_seulement,
            created_by=user,
        )
        record(user, "campagne.creation", campaign, {"professions": professions})
    return campaign


def audience(campaign: Campaign, today: date | None = None) -> list[Candidate]:
    """Who receives the campaign: consenting candidates of the département, within retention, with an e-mail."""
    today = today or date.today()
    candidates = (
        Candidate.objects.within_retention(today)
        .filter(departement_id=campaign.departement_id, consentement_communication=True)
        .exclude(email="")
    )
    if campaign.professions:
        candidates = candidates.filter(profession__in=campaign.professions)
    if campaign.beneficiaires_seulement:
        candidates = candidates.filter(agreements__isnull=False).distinct()
    return list(candidates.order_by("nom", "prenom"))


def export_audience(user: Any, campaign: Campaign) -> list[Candidate]:
    if not perms.visible_campaigns(user).filter(pk=campaign.pk).exists():
        raise NotAllowed(CAMPAIGN_NOT_FOUND)
    recipients = audience(campaign)
    with transaction.atomic():
        record(user, "campagne.export", campaign, {"destinataires": [c.pk for c in recipients]})
        record_views(user, recipients, f"export de la campagne n° {campaign.pk}")
    return recipients


def agreement_statuses(agreements: Any) -> dict[str, int]:
    counts = {status.value: 0 for status in AgreementStatus}
    for agreement in agreements.with_unpaid():
        counts[agreement.status] += 1
    return counts


def save_scheme(user: Any, scheme: AidScheme, departement: str | None) -> AidScheme:
    """Create or change a Département's scheme (administrators may also edit national information schemes)."""
    if departement is None and not perms.is_admin(user):
        raise NotAllowed(NATIONAL_SCHEME_ADMIN_ONLY)
    if departement is not None and not perms.can_manage_in(user, departement):
        raise NotAllowed(SCHEME_OUTSIDE_DEPARTEMENT)
    if departement is not None:
        _check_departement(departement)
    if scheme.annee_min and scheme.annee_max and scheme.annee_min > scheme.annee_max:
        raise ValueError(YEARS_REVERSED)
    creating = scheme.pk is None
    with transaction.atomic():
        scheme.departement_id = departement
        scheme.save()
        record(
            user,
            "dispositif.creation" if creating else "dispositif.modification",
            scheme,
            {
                "montant_mensuel": _amount(scheme.montant_mensuel),
                "plafond": _amount(scheme.plafond),
                "annees": [scheme.annee_min, scheme.annee_max],
                "engagement_mois": scheme.duree_engagement_mois,
                "regle": scheme.regle_remboursement,
            },
        )
    return scheme

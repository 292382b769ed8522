"""Aid agreements: the monthly payment schedule within the scheme's years and cap, payments, the installation that
fulfils the commitment, a breach and what it obliges to repay, the deadlines to watch.

Every change is checked and audited in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import transaction

from oasis.audit.services import record
from oasis.formatting import euros
from oasis.recruitment import perms
from oasis.recruitment.candidates import _touch
from oasis.recruitment.common import NotAllowed, _amount, add_months, months_between
from oasis.recruitment.enums import AgreementStatus, RepaymentRule
from oasis.recruitment.models import AidAgreement, AidPayment, AidScheme, Candidate
from oasis.territories.models import Commune

# Refusals, asserted by reference in the tests. Templates take their values by name.
CANNOT_CREATE_AGREEMENT = "Votre rôle ne permet pas de créer une convention."
SCHEME_INFORMATION_ONLY = "« {scheme} » est un dispositif d'information : aucune convention n'est gérée ici."
SCHEME_OTHER_PROFESSION = "« {scheme} » ne concerne pas la profession {profession}."
SCHEME_OTHER_DEPARTEMENT = "« {scheme} » est un dispositif d'un autre département."
SCHEME_NOT_OPEN = "« {scheme} » n'est pas ouvert à la date de signature : {validite}."
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


def create_agreement(
    user: Any, candidate: Candidate, scheme: AidScheme, signee_le: date, debut: date, nb_mois: int | None = None
) -> AidAgreement:
    """An agreement and its payment schedule: monthly within the scheme's years of study and total cap, or the lump
    sum in one payment. The scheme must be open on the day of signature."""
    if not perms.can_manage(user, candidate):
        raise NotAllowed(CANNOT_CREATE_AGREEMENT)
    if (
        scheme.national
        or (scheme.montant_mensuel is None and scheme.montant_forfaitaire is None)
        or scheme.duree_engagement_mois is None
    ):
        raise ValueError(SCHEME_INFORMATION_ONLY.format(scheme=scheme.nom))
    if candidate.profession not in scheme.professions:
        raise ValueError(SCHEME_OTHER_PROFESSION.format(scheme=scheme.nom, profession=candidate.get_profession_display()))
    if scheme.departement_id and scheme.departement_id != candidate.departement_id:
        raise ValueError(SCHEME_OTHER_DEPARTEMENT.format(scheme=scheme.nom))
    if not (validite := scheme.validity(signee_le)).open:
        raise ValueError(SCHEME_NOT_OPEN.format(scheme=scheme.nom, validite=validite.label))
    monthly = scheme.montant_mensuel
    if monthly is None:  # a lump sum: one payment
        monthly, nb_mois = scheme.montant_forfaitaire or Decimal(0), 1
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


def agreement_statuses(agreements: Any) -> dict[str, int]:
    counts = {status.value: 0 for status in AgreementStatus}
    for agreement in agreements.with_unpaid():
        counts[agreement.status] += 1
    return counts

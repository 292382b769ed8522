"""Dated reminders of the aid agreements, for the Département's officers: installation deadlines, instalments to pay,
ends of commitment. Messages name the agreement, never the beneficiary: e-mail is not where personal data goes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import reverse

from oasis.accounts.enums import Role
from oasis.formatting import date_longue, euros
from oasis.notifications.enums import Event
from oasis.notifications.services import Message, notify
from oasis.recruitment.common import add_months
from oasis.recruitment.models import AidAgreement, AidPayment


def officers(departement_id: str) -> QuerySet[Any]:
    return get_user_model().objects.filter(is_active=True, profile__role=Role.DEPARTEMENT, profile__departement_id=departement_id)


def _page(agreement: AidAgreement) -> str:
    return reverse("agreement_detail", args=[agreement.pk])


def installation_deadlines(today: date) -> int:
    """Agreements still waiting for an installation due within the alert period (``OASIS_ALERTE_ENGAGEMENT_JOURS``)
    or already past due."""
    horizon = today + timedelta(days=int(settings.OASIS_COMMITMENT_ALERT_DAYS))
    waiting = AidAgreement.objects.filter(
        installe_le__isnull=True, rupture_le__isnull=True, installation_avant__lte=horizon
    ).select_related("scheme", "candidate")
    told = 0
    for agreement in waiting:
        when = "était attendue" if agreement.installation_avant < today else "est attendue"
        message = Message(
            Event.INSTALLATION,
            f"{agreement} : l'installation {when} au plus tard le {date_longue(agreement.installation_avant)}",
            "Enregistrez l'installation du bénéficiaire, ou la rupture de son engagement.",
            _page(agreement),
            f"installation:{agreement.pk}:{agreement.installation_avant.isoformat()}",
        )
        told += notify(officers(agreement.candidate.departement_id), message)
    return told


def commitment_ends(today: date) -> int:
    """Installed beneficiaries whose required period of practice ends within the alert period."""
    horizon = today + timedelta(days=int(settings.OASIS_COMMITMENT_ALERT_DAYS))
    installed = AidAgreement.objects.filter(installe_le__isnull=False, rupture_le__isnull=True).select_related(
        "scheme", "candidate"
    )
    told = 0
    for agreement in installed:
        assert agreement.installe_le is not None
        end = add_months(agreement.installe_le, agreement.duree_engagement_mois)
        if not today <= end <= horizon:
            continue
        message = Message(
            Event.FIN_ENGAGEMENT,
            f"{agreement} : fin de la période d'engagement le {date_longue(end)}",
            f"Le bénéficiaire s'est engagé à exercer {agreement.duree_engagement_mois} mois depuis le "
            f"{date_longue(agreement.installe_le)}.",
            _page(agreement),
            f"fin-engagement:{agreement.pk}:{end.isoformat()}",
        )
        told += notify(officers(agreement.candidate.departement_id), message)
    return told


def payments_due(today: date) -> int:
    """Unpaid instalments of unbroken agreements falling due within ``OASIS_ALERTE_VERSEMENT_JOURS``, or overdue."""
    horizon = today + timedelta(days=int(settings.OASIS_PAYMENT_ALERT_DAYS))
    due = AidPayment.objects.filter(
        verse_le__isnull=True, agreement__rupture_le__isnull=True, echeance__lte=horizon
    ).select_related("agreement__scheme", "agreement__candidate")
    told = 0
    for payment in due:
        agreement = payment.agreement
        when = "était dû" if payment.echeance < today else "est dû"
        message = Message(
            Event.VERSEMENT,
            f"{agreement} : un versement de {euros(payment.montant, 2)} {when} le {date_longue(payment.echeance)}",
            "Marquez-le versé dans OASIS une fois le mandatement fait.",
            _page(agreement),
            f"versement:{payment.pk}",
        )
        told += notify(officers(agreement.candidate.departement_id), message)
    return told

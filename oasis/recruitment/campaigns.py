"""Information campaigns of a Département: who receives them (consenting candidates within retention) and the audited
export of that audience.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from oasis.audit.services import record
from oasis.recruitment import perms
from oasis.recruitment.candidates import record_views
from oasis.recruitment.common import PROJECT_NOT_FOUND, NotAllowed, _check_departement
from oasis.recruitment.models import Campaign, Candidate

# Refusals, asserted by reference in the tests. Templates take their values by name.
CAMPAIGN_OUTSIDE_DEPARTEMENT = "Vous ne pouvez créer une campagne que dans votre département."
CAMPAIGN_NOT_FOUND = "Campagne introuvable."


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

"""Recruitment pages: thin views over oasis.recruitment (its services, matching, dashboard) and its permissions.

This module holds the recruitment home and what the recruitment pages share; each concern has its own module:
schemes, candidates, agreements, vacancies, placements and visits, campaigns (``recruitment_*_views.py``).
A candidate, agreement or campaign out of the user's sight is 404; an action outside the role is 403; a refused
change re-renders the page with the reason (400). Opening a candidate's file is recorded in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from oasis.accounts.enums import Role
from oasis.accounts.models import role_of
from oasis.recruitment import dashboard, perms
from oasis.recruitment.agreements import agreement_statuses, commitments_due
from oasis.recruitment.common import NotAllowed
from oasis.recruitment.enums import AgreementStatus, VacancyStatus
from oasis.territories.fields import resolve_territory
from oasis.territories.services import TerritoryNotFound


def _run(change: Callable[[], object], on_error: Callable[[str], HttpResponse], done: Callable[[], HttpResponse]) -> HttpResponse:
    try:
        change()
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except ValueError as error:
        return on_error(str(error))
    return done()


def _require_manager(request: HttpRequest) -> None:
    if not perms.can_manage_candidates(request.user):
        raise PermissionDenied("Votre rôle ne donne pas accès aux candidats.")


def _departement_of(request: HttpRequest) -> str | None:
    profile = getattr(request.user, "profile", None)
    return profile.departement_id if profile is not None else None


@login_required
def recruitment_home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role == Role.PROFESSIONNEL:
        own = perms.visible_candidates(request.user).first()
        return redirect("candidate_detail", own.pk) if own else redirect("vacancies")
    if not perms.can_manage_candidates(request.user):
        return redirect("vacancies")
    candidates = perms.visible_candidates(request.user)
    territory, error = None, ""
    if request.GET.get("territoire"):
        try:
            territory = resolve_territory(request.GET["territoire"])
        except TerritoryNotFound as missing:
            error = str(missing)
    agreements = perms.visible_agreements(request.user)
    return render(
        request,
        "www/recruitment_home.html",
        {
            "pipeline": dashboard.pipeline(candidates, territory),
            "territory": territory,
            "installations": dashboard.installations_per_year(candidates),
            "due": commitments_due(agreements),
            "payments": dashboard.payments_due(candidates),
            "statuses": [(AgreementStatus(k).label, v) for k, v in agreement_statuses(agreements).items()],
            "open_vacancies": perms.visible_vacancies(request.user).filter(statut=VacancyStatus.OUVERT).count(),
            "candidates": candidates.count(),
            "expired": candidates.expired(date.today()).count(),
            "today": date.today(),
            "error": error,
        },
        status=400 if error else 200,
    )

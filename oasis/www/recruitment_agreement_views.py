"""Recruitment pages: aid agreements (creation, file, payments, installation, breach)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oasis.recruitment import perms
from oasis.recruitment.agreements import amount_owed, create_agreement, mark_paid, record_breach, record_installation
from oasis.recruitment.candidates import view_candidate
from oasis.recruitment.common import add_months
from oasis.recruitment.forms import AgreementForm, BreachForm, InstallationForm, PaidForm
from oasis.recruitment.models import AidAgreement, AidScheme
from oasis.www.messages import confirmed, form_errors
from oasis.www.recruitment_candidate_views import _candidate, _candidate_page
from oasis.www.recruitment_views import _run


@login_required
@require_POST
def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    if not perms.can_manage(request.user, candidate):
        raise PermissionDenied("Votre rôle ne permet pas de créer une convention.")
    form = AgreementForm(request.POST, schemes=AidScheme.objects.filter(actif=True))
    if not form.is_valid():
        return _candidate_page(request, candidate, form_errors(form))
    data = form.cleaned_data
    created: list[AidAgreement] = []
    return _run(
        lambda: created.append(
            create_agreement(request.user, candidate, data["scheme"], data["signee_le"], data["debut"], data["nb_mois"])
        ),
        lambda message: _candidate_page(request, candidate, message),
        lambda: confirmed(request, "Convention enregistrée.", redirect("agreement_detail", created[0].pk)),
    )


def _agreement(request: HttpRequest, pk: int) -> AidAgreement:
    return get_object_or_404(perms.visible_agreements(request.user).select_related("scheme", "candidate"), pk=pk)


def _agreement_page(request: HttpRequest, agreement: AidAgreement, error: str = "") -> HttpResponse:
    view_candidate(request.user, agreement.candidate, f"convention n° {agreement.pk}")
    owed = amount_owed(agreement, agreement.rupture_le or date.today())
    return render(
        request,
        "www/recruitment_agreement.html",
        {
            "agreement": agreement,
            "candidate": agreement.candidate,
            "payments": agreement.payments.all(),
            "manage": perms.can_manage(request.user, agreement.candidate),
            "owed": owed,
            "paid_form": PaidForm(initial={"jusqu_au": date.today()}),
            "installation_form": InstallationForm(),
            "breach_form": BreachForm(initial={"le": date.today()}),
            "exercise_until": add_months(agreement.installe_le, agreement.duree_engagement_mois)
            if agreement.installe_le
            else None,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_page(request, _agreement(request, pk))


def _agreement_change(
    request: HttpRequest, pk: int, form_class: type, change: Callable[[Any, AidAgreement], object]
) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not perms.can_manage(request.user, agreement.candidate):
        raise PermissionDenied("Votre rôle ne permet pas de modifier cette convention.")
    form = form_class(request.POST)
    if not form.is_valid():
        return _agreement_page(request, agreement, form_errors(form))
    return _run(
        lambda: change(form.cleaned_data, agreement),
        lambda message: _agreement_page(request, agreement, message),
        lambda: confirmed(request, "Convention mise à jour.", redirect("agreement_detail", agreement.pk)),
    )


@login_required
@require_POST
def agreement_paid(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_change(request, pk, PaidForm, lambda d, a: mark_paid(request.user, a, d["jusqu_au"]))


@login_required
@require_POST
def agreement_installation(request: HttpRequest, pk: int) -> HttpResponse:
    def install(data: dict[str, Any], agreement: AidAgreement) -> None:
        from oasis.territories.models import Commune

        commune = Commune.objects.filter(pk=data["commune"].upper()).first()
        if commune is None:
            raise ValueError(f"Commune inconnue : « {data['commune']} ».")
        record_installation(request.user, agreement, commune, data["depuis"])

    return _agreement_change(request, pk, InstallationForm, install)


@login_required
@require_POST
def agreement_breach(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_change(request, pk, BreachForm, lambda d, a: record_breach(request.user, a, d["le"], d["motif"]))

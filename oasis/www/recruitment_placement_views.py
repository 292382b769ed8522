"""Recruitment pages: the pipeline (putting a candidate in touch with a post, each step) and the visits."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from oasis.recruitment import perms
from oasis.recruitment.forms import MovePlacementForm, PlacementForm, VisitForm
from oasis.recruitment.models import Placement, Visit
from oasis.recruitment.placements import VisitData, move_placement, plan_visit, record_feedback, start_placement
from oasis.www.messages import confirmed, form_errors
from oasis.www.recruitment_candidate_views import _candidate, _candidate_page
from oasis.www.recruitment_views import _run


@login_required
@require_POST
def placement_start(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    form = PlacementForm(request.POST)
    if not form.is_valid():
        return _candidate_page(request, candidate, form_errors(form))
    vacancy = None
    if form.cleaned_data["vacancy"]:
        vacancy = perms.visible_vacancies(request.user).filter(pk=form.cleaned_data["vacancy"]).first()
        if vacancy is None:
            return _candidate_page(request, candidate, "Poste introuvable.")
    return _run(
        lambda: start_placement(request.user, candidate, vacancy, form.cleaned_data["commune"] or None),
        lambda message: _candidate_page(request, candidate, message),
        lambda: confirmed(request, "Mise en relation enregistrée.", redirect("candidate_detail", candidate.pk)),
    )


@login_required
@require_POST
def placement_move(request: HttpRequest, pk: int) -> HttpResponse:
    placement = get_object_or_404(Placement.objects.filter(candidate__in=perms.visible_candidates(request.user)), pk=pk)
    form = MovePlacementForm(request.POST)
    if not form.is_valid():
        return _candidate_page(request, placement.candidate, form_errors(form))
    data = form.cleaned_data
    return _run(
        lambda: move_placement(request.user, placement, data["stage"], data["note"], data["installe_le"]),
        lambda message: _candidate_page(request, placement.candidate, message),
        lambda: confirmed(request, "Étape enregistrée.", redirect("candidate_detail", placement.candidate_id)),
    )


@login_required
@require_POST
def visit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    form = VisitForm(request.POST)
    if not form.is_valid():
        return _candidate_page(request, candidate, form_errors(form))
    return _run(
        lambda: plan_visit(request.user, candidate, VisitData(**form.cleaned_data)),
        lambda message: _candidate_page(request, candidate, message),
        lambda: confirmed(request, "Visite planifiée.", redirect("candidate_detail", candidate.pk)),
    )


@login_required
@require_POST
def visit_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit.objects.filter(candidate__in=perms.visible_candidates(request.user)), pk=pk)
    return _run(
        lambda: record_feedback(
            request.user, visit, request.POST.get("personnes_rencontrees", "")[:2000], request.POST.get("retour", "")[:5000]
        ),
        lambda message: _candidate_page(request, visit.candidate, message),
        lambda: confirmed(request, "Retour de visite enregistré.", redirect("candidate_detail", visit.candidate_id)),
    )

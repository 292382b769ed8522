"""Recruitment pages: candidates' files (list, creation, file, changes, export, erasure); every file opened is audited."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from oasis.audit.services import history
from oasis.concurrency import EditConflict, read_token, refuse_if_record_changed
from oasis.recruitment import matching, perms
from oasis.recruitment.candidates import (
    CandidateData,
    access_log,
    create_candidate,
    erase_candidate,
    export_candidate,
    record_views,
    territory_labels,
    update_candidate,
    view_candidate,
)
from oasis.recruitment.common import NotAllowed
from oasis.recruitment.enums import Mode, Profession, Situation
from oasis.recruitment.forms import AgreementForm, CandidateForm, EraseForm, MovePlacementForm, NewCandidateForm, VisitForm
from oasis.recruitment.models import AidScheme, Candidate
from oasis.recruitment.schemes import eligible_schemes
from oasis.references.annuaire import check
from oasis.www.messages import confirmed, kept_input
from oasis.www.recruitment_views import _departement_of, _require_manager, _run


@login_required
def candidates(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    queryset = perms.visible_candidates(request.user).select_related("departement")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        queryset = queryset.filter(Q(nom__icontains=query) | Q(prenom__icontains=query) | Q(etablissement__icontains=query))
    if request.GET.get("profession") in Profession.values:
        queryset = queryset.filter(profession=request.GET["profession"])
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    record_views(request.user, list(page.object_list), "liste des candidats")
    return render(
        request,
        "www/recruitment_candidates.html",
        {"page": page, "query": query, "professions": Profession.choices, "profession": request.GET.get("profession", "")},
    )


def _candidate_data(form: CandidateForm) -> CandidateData:
    data = form.cleaned_data
    return CandidateData(
        nom=data["nom"],
        prenom=data["prenom"],
        profession=data["profession"],
        situation=data["situation"],
        rpps=data["rpps"],
        email=data["email"],
        telephone=data["telephone"],
        annee_etudes=data["annee_etudes"],
        etablissement=data["etablissement"],
        territoires_preferes=form.territories(),
        commune_reference=data["commune_reference"] or None,
        temps_max_minutes=data["temps_max_minutes"],
        modes=data["modes"],
        disponible_le=data["disponible_le"],
        consentement_communication=data["consentement_communication"],
        notes=data["notes"],
    )


def _candidate_form(
    request: HttpRequest,
    form: CandidateForm,
    candidate: Candidate | None = None,
    error: str = "",
    conflict: EditConflict | None = None,
) -> HttpResponse:
    return render(
        request,
        "www/recruitment_candidate_form.html",
        {
            "form": form,
            "candidate": candidate,
            "is_admin": candidate is None and perms.is_admin(request.user),
            "retention_months": settings.OASIS_CANDIDATE_RETENTION_MONTHS,
            "error": error,
            "conflict": conflict,
        },
        status=409 if conflict else 400 if error or form.errors else 200,
    )


@login_required
def candidate_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = NewCandidateForm(request.POST or None)
    created: list[Candidate] = []
    if request.method == "POST" and form.is_valid():
        departement = _departement_of(request) or request.POST.get("departement", "").strip().upper()
        return _run(
            lambda: created.append(
                create_candidate(request.user, departement, _candidate_data(form), form.cleaned_data["consentement"])
            ),
            lambda message: _candidate_form(request, form, error=message),
            lambda: confirmed(request, "Dossier du candidat créé.", redirect("candidate_detail", created[0].pk)),
        )
    return _candidate_form(request, form)


def _candidate(request: HttpRequest, pk: int) -> Candidate:
    return get_object_or_404(perms.visible_candidates(request.user).select_related("commune_reference", "departement"), pk=pk)


def _candidate_page(request: HttpRequest, candidate: Candidate, error: str = "") -> HttpResponse:
    manage = perms.can_manage(request.user, candidate)
    view_candidate(request.user, candidate, "fiche")
    schemes = eligible_schemes(candidate)
    return render(
        request,
        "www/recruitment_candidate.html",
        {
            "candidate": candidate,
            "rpps_check": check(candidate.rpps, candidate.get_profession_display()),
            "modes_labels": [Mode(mode).label for mode in candidate.modes if mode in Mode.values],
            "manage": manage,
            "agreements": candidate.agreements.select_related("scheme").with_unpaid(),
            "placements": candidate.placements.select_related("vacancy", "commune").prefetch_related("steps"),
            "visits": candidate.visits.select_related("vacancy"),
            "matches": matching.rank_vacancies(request.user, candidate)[:20] if manage else [],
            "schemes": schemes,
            "agreement_form": AgreementForm(schemes=AidScheme.objects.filter(pk__in=[s.pk for s in schemes if not s.national])),
            "sources": matching.sources(candidate.profession) if manage else "",
            "visit_form": VisitForm(),
            "move_form": MovePlacementForm(),
            "access": access_log(candidate)[:100],
            "territories": territory_labels(candidate.territoires_preferes),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _candidate_page(request, _candidate(request, pk))


def _candidate_edited(candidate: Candidate) -> dict[str, Any]:
    """The fields of the file the edit form shows, as stored."""
    return {
        **{name: getattr(candidate, name) for name in CandidateForm.base_fields if hasattr(candidate, name)},
        "territoires_preferes": ", ".join(candidate.territoires_preferes),
        "commune_reference": candidate.commune_reference_id or "",
    }


@login_required
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    if not perms.can_manage(request.user, candidate):
        raise PermissionDenied("Votre rôle ne permet pas de modifier cette fiche.")
    edited = _candidate_edited(candidate)
    form = CandidateForm(request.POST or None, initial=edited | {"lu": read_token(edited)})

    def save() -> None:
        # The check runs in the transaction that saves, the row locked until then.
        with transaction.atomic():
            refuse_if_record_changed(
                Candidate.objects.all(),
                candidate.pk,
                form.cleaned_data["lu"],
                _candidate_edited,
                {name: form.cleaned_data.get(name) for name in edited},
                {name: str(form.fields[name].label) for name in edited},
                history(candidate).filter(action="candidat.modification"),
                {"profession": Profession.choices, "situation": Situation.choices},
            )
            update_candidate(request.user, candidate, _candidate_data(form))

    if request.method == "POST" and form.is_valid():
        try:
            save()
        except EditConflict as conflict:
            kept = CandidateForm(kept_input(request, conflict))
            return _candidate_form(request, kept, candidate, error=str(conflict), conflict=conflict)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except ValueError as error:
            return _candidate_form(request, form, candidate, error=str(error))
        return confirmed(request, "Dossier du candidat enregistré.", redirect("candidate_detail", candidate.pk))
    return _candidate_form(request, form, candidate)


@login_required
def candidate_export(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    data = export_candidate(request.user, candidate)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="candidat-{candidate.pk}.json"'
    return response


@login_required
def candidate_erase(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    if not perms.can_manage(request.user, candidate):
        raise PermissionDenied("Votre rôle ne permet pas d'effacer cette fiche.")
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _run(
            lambda: erase_candidate(request.user, candidate, form.cleaned_data["motif"]),
            lambda message: render(
                request, "www/recruitment_erase.html", {"candidate": candidate, "form": form, "error": message}, status=409
            ),
            lambda: confirmed(request, "Données du candidat effacées.", redirect("candidates")),
        )
    return render(
        request, "www/recruitment_erase.html", {"candidate": candidate, "form": form}, status=400 if form.errors else 200
    )

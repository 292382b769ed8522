"""Recruitment pages: thin views over oasis.recruitment (services, matching, dashboard) and its permissions.

A candidate, agreement or campaign out of the user's sight is 404; an action outside the role is 403; a refused
change re-renders the page with the reason (400). Opening a candidate's file is recorded in the audit log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oasis.accounts.enums import Role
from oasis.accounts.models import role_of
from oasis.audit.services import history
from oasis.concurrency import EditConflict, read_token, refuse_if_record_changed
from oasis.connectors.enums import AideStatus, Connector
from oasis.connectors.models import Aide
from oasis.connectors.runs import last_success
from oasis.projects.perms import visible_projects
from oasis.recruitment import dashboard, matching, perms, services
from oasis.recruitment.enums import AgreementStatus, Mode, Profession, Situation, VacancyStatus
from oasis.recruitment.forms import (
    AgreementForm,
    BreachForm,
    CampaignForm,
    CandidateForm,
    EraseForm,
    InstallationForm,
    MovePlacementForm,
    NewCandidateForm,
    PaidForm,
    PlacementForm,
    SchemeForm,
    VacancyForm,
    VisitForm,
)
from oasis.recruitment.models import AidAgreement, AidScheme, Campaign, Candidate, Placement, Vacancy, Visit
from oasis.recruitment.portal import send_campaign
from oasis.references.annuaire import check
from oasis.territories.fields import resolve_territory
from oasis.territories.services import TerritoryNotFound
from oasis.www.downloads import csv_table
from oasis.www.messages import confirmed, form_errors, kept_input


def _run(change: Callable[[], object], on_error: Callable[[str], HttpResponse], done: Callable[[], HttpResponse]) -> HttpResponse:
    try:
        change()
    except services.NotAllowed as error:
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


# --- Home and dashboard -------------------------------------------------------------------------------------------


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
            "due": services.commitments_due(agreements),
            "payments": dashboard.payments_due(candidates),
            "statuses": [(AgreementStatus(k).label, v) for k, v in services.agreement_statuses(agreements).items()],
            "open_vacancies": perms.visible_vacancies(request.user).filter(statut=VacancyStatus.OUVERT).count(),
            "candidates": candidates.count(),
            "expired": candidates.expired(date.today()).count(),
            "today": date.today(),
            "error": error,
        },
        status=400 if error else 200,
    )


# --- Aid schemes --------------------------------------------------------------------------------------------------


def _published_aids(user: Any) -> QuerySet[Aide]:
    """The aids of Aides-territoires open to professionals, in the officer's département when they have one."""
    aides = Aide.objects.for_professionals().exclude(statut=AideStatus.RETIREE).order_by("date_limite", "nom")
    profile = getattr(user, "profile", None)
    if profile is not None and profile.departement_id:
        aides = aides.within_departement(profile.departement_id, profile.departement.region_id)
    return aides


@login_required
def schemes(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) is None:
        raise Http404
    return render(
        request,
        "www/recruitment_schemes.html",
        {
            "local": AidScheme.objects.exclude(kind="nationale").select_related("departement"),
            "national": AidScheme.objects.filter(kind="nationale"),
            "aides": _published_aids(request.user),
            "last_aides_sync": last_success(Connector.AIDES_TERRITOIRES),
            "can_configure": perms.can_manage_candidates(request.user),
            "professions": dict(Profession.choices),
        },
    )


@login_required
def scheme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_manager(request)
    scheme = get_object_or_404(AidScheme, pk=pk) if pk else None
    if scheme is not None and not (perms.is_admin(request.user) or scheme.departement_id == _departement_of(request)):
        raise PermissionDenied("Ce dispositif n'est pas celui de votre département.")
    form = SchemeForm(request.POST or None, instance=scheme)
    departement = scheme.departement_id if scheme else _departement_of(request)
    if perms.is_admin(request.user) and request.method == "POST":
        departement = request.POST.get("departement", "").strip().upper() or departement
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        response = _run(
            lambda: services.save_scheme(request.user, saved, departement),
            lambda message: render(request, "www/recruitment_scheme_form.html", {"form": form, "error": message}, status=400),
            lambda: confirmed(request, "Dispositif d'aide enregistré.", redirect("schemes")),
        )
        return response
    return render(
        request,
        "www/recruitment_scheme_form.html",
        {"form": form, "scheme": scheme, "is_admin": perms.is_admin(request.user), "departement": departement},
        status=400 if form.errors else 200,
    )


# --- Candidates ---------------------------------------------------------------------------------------------------


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
    services.record_views(request.user, list(page.object_list), "liste des candidats")
    return render(
        request,
        "www/recruitment_candidates.html",
        {"page": page, "query": query, "professions": Profession.choices, "profession": request.GET.get("profession", "")},
    )


def _candidate_data(form: CandidateForm) -> services.CandidateData:
    data = form.cleaned_data
    return services.CandidateData(
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
                services.create_candidate(request.user, departement, _candidate_data(form), form.cleaned_data["consentement"])
            ),
            lambda message: _candidate_form(request, form, error=message),
            lambda: confirmed(request, "Dossier du candidat créé.", redirect("candidate_detail", created[0].pk)),
        )
    return _candidate_form(request, form)


def _candidate(request: HttpRequest, pk: int) -> Candidate:
    return get_object_or_404(perms.visible_candidates(request.user).select_related("commune_reference", "departement"), pk=pk)


def _candidate_page(request: HttpRequest, candidate: Candidate, error: str = "") -> HttpResponse:
    manage = perms.can_manage(request.user, candidate)
    services.view_candidate(request.user, candidate, "fiche")
    schemes = services.eligible_schemes(candidate)
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
            "access": services.access_log(candidate)[:100],
            "territories": services.territory_labels(candidate.territoires_preferes),
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
        # The service is another engineer's to change: the check runs here, in the transaction that saves, the row
        # locked until then.
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
            services.update_candidate(request.user, candidate, _candidate_data(form))

    if request.method == "POST" and form.is_valid():
        try:
            save()
        except EditConflict as conflict:
            kept = CandidateForm(kept_input(request, conflict))
            return _candidate_form(request, kept, candidate, error=str(conflict), conflict=conflict)
        except services.NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except ValueError as error:
            return _candidate_form(request, form, candidate, error=str(error))
        return confirmed(request, "Dossier du candidat enregistré.", redirect("candidate_detail", candidate.pk))
    return _candidate_form(request, form, candidate)


@login_required
def candidate_export(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    data = services.export_candidate(request.user, candidate)
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
            lambda: services.erase_candidate(request.user, candidate, form.cleaned_data["motif"]),
            lambda message: render(
                request, "www/recruitment_erase.html", {"candidate": candidate, "form": form, "error": message}, status=409
            ),
            lambda: confirmed(request, "Données du candidat effacées.", redirect("candidates")),
        )
    return render(
        request, "www/recruitment_erase.html", {"candidate": candidate, "form": form}, status=400 if form.errors else 200
    )


# --- Agreements ---------------------------------------------------------------------------------------------------


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
            services.create_agreement(request.user, candidate, data["scheme"], data["signee_le"], data["debut"], data["nb_mois"])
        ),
        lambda message: _candidate_page(request, candidate, message),
        lambda: confirmed(request, "Convention enregistrée.", redirect("agreement_detail", created[0].pk)),
    )


def _agreement(request: HttpRequest, pk: int) -> AidAgreement:
    return get_object_or_404(perms.visible_agreements(request.user).select_related("scheme", "candidate"), pk=pk)


def _agreement_page(request: HttpRequest, agreement: AidAgreement, error: str = "") -> HttpResponse:
    services.view_candidate(request.user, agreement.candidate, f"convention n° {agreement.pk}")
    owed = services.amount_owed(agreement, agreement.rupture_le or date.today())
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
            "exercise_until": services.add_months(agreement.installe_le, agreement.duree_engagement_mois)
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
    return _agreement_change(request, pk, PaidForm, lambda d, a: services.mark_paid(request.user, a, d["jusqu_au"]))


@login_required
@require_POST
def agreement_installation(request: HttpRequest, pk: int) -> HttpResponse:
    def install(data: dict[str, Any], agreement: AidAgreement) -> None:
        from oasis.territories.models import Commune

        commune = Commune.objects.filter(pk=data["commune"].upper()).first()
        if commune is None:
            raise ValueError(f"Commune inconnue : « {data['commune']} ».")
        services.record_installation(request.user, agreement, commune, data["depuis"])

    return _agreement_change(request, pk, InstallationForm, install)


@login_required
@require_POST
def agreement_breach(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_change(request, pk, BreachForm, lambda d, a: services.record_breach(request.user, a, d["le"], d["motif"]))


# --- Vacancies ----------------------------------------------------------------------------------------------------


@login_required
def vacancies(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) is None:
        raise Http404
    queryset = perms.visible_vacancies(request.user).select_related("commune", "project")
    if request.GET.get("profession") in Profession.values:
        queryset = queryset.filter(profession=request.GET["profession"])
    statut = request.GET.get("statut", VacancyStatus.OUVERT)
    if statut in VacancyStatus.values:
        queryset = queryset.filter(statut=statut)
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "www/recruitment_vacancies.html",
        {
            "page": page,
            "professions": Profession.choices,
            "statuses": VacancyStatus.choices,
            "profession": request.GET.get("profession", ""),
            "statut": statut,
            "can_publish": role_of(request.user) in (Role.ADMINISTRATEUR, Role.DEPARTEMENT, Role.COLLECTIVITE),
        },
    )


@login_required
def vacancy_create(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in (Role.ADMINISTRATEUR, Role.DEPARTEMENT, Role.COLLECTIVITE):
        raise PermissionDenied("Votre rôle ne permet pas de publier un poste.")
    form = VacancyForm(
        request.POST or None, initial={"project_id": request.GET.get("projet")}, projects=visible_projects(request.user)
    )
    if request.method == "POST" and form.is_valid():
        created: list[Vacancy] = []
        return _run(
            lambda: created.append(services.create_vacancy(request.user, services.VacancyData(**form.cleaned_data))),
            lambda message: render(request, "www/recruitment_vacancy_form.html", {"form": form, "error": message}, status=400),
            lambda: confirmed(request, "Poste publié.", redirect("vacancy_detail", created[0].pk)),
        )
    return render(request, "www/recruitment_vacancy_form.html", {"form": form}, status=400 if form.errors else 200)


def _vacancy(request: HttpRequest, pk: int) -> Vacancy:
    return get_object_or_404(perms.visible_vacancies(request.user).select_related("commune", "project"), pk=pk)


@login_required
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _vacancy(request, pk)
    ranked = matching.rank_candidates(request.user, vacancy) if perms.can_manage_candidates(request.user) else []
    zoning, aids = services.aids_at(vacancy.commune, vacancy.profession)
    return render(
        request,
        "www/recruitment_vacancy.html",
        {
            "vacancy": vacancy,
            "zoning": zoning,
            "aids": aids,
            "matches": ranked[:30],
            "sources": matching.sources(vacancy.profession) if ranked else "",
            "can_edit": perms.can_edit_vacancy(request.user, vacancy),
            "statuses": VacancyStatus.choices,
        },
    )


@login_required
@require_POST
def vacancy_status(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _vacancy(request, pk)
    return _run(
        lambda: services.set_vacancy_status(request.user, vacancy, request.POST.get("statut", "")),
        lambda message: HttpResponse(message, status=400, content_type="text/plain; charset=utf-8"),
        lambda: confirmed(request, "Statut du poste enregistré.", redirect("vacancy_detail", vacancy.pk)),
    )


# --- Pipeline and visits ------------------------------------------------------------------------------------------


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
        lambda: services.start_placement(request.user, candidate, vacancy, form.cleaned_data["commune"] or None),
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
        lambda: services.move_placement(request.user, placement, data["stage"], data["note"], data["installe_le"]),
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
        lambda: services.plan_visit(request.user, candidate, services.VisitData(**form.cleaned_data)),
        lambda message: _candidate_page(request, candidate, message),
        lambda: confirmed(request, "Visite planifiée.", redirect("candidate_detail", candidate.pk)),
    )


@login_required
@require_POST
def visit_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit.objects.filter(candidate__in=perms.visible_candidates(request.user)), pk=pk)
    return _run(
        lambda: services.record_feedback(
            request.user, visit, request.POST.get("personnes_rencontrees", "")[:2000], request.POST.get("retour", "")[:5000]
        ),
        lambda message: _candidate_page(request, visit.candidate, message),
        lambda: confirmed(request, "Retour de visite enregistré.", redirect("candidate_detail", visit.candidate_id)),
    )


# --- Campaigns ----------------------------------------------------------------------------------------------------


@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = CampaignForm(
        request.POST or None, initial={"project_id": request.GET.get("projet")}, projects=visible_projects(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        departement = _departement_of(request) or request.POST.get("departement", "").strip().upper()
        created: list[Campaign] = []
        return _run(
            lambda: created.append(
                services.create_campaign(
                    request.user,
                    departement,
                    data["titre"],
                    data["message"],
                    data["professions"],
                    data["beneficiaires_seulement"],
                    data["project_id"],
                )
            ),
            lambda message: render(
                request,
                "www/recruitment_campaigns.html",
                {"form": form, "campaigns": perms.visible_campaigns(request.user), "error": message},
                status=400,
            ),
            lambda: confirmed(request, "Campagne créée.", redirect("campaign_detail", created[0].pk)),
        )
    return render(
        request,
        "www/recruitment_campaigns.html",
        {"form": form, "campaigns": perms.visible_campaigns(request.user), "is_admin": perms.is_admin(request.user)},
        status=400 if form.errors else 200,
    )


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    return get_object_or_404(perms.visible_campaigns(request.user).select_related("project"), pk=pk)


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    recipients = services.audience(campaign)
    services.record_views(request.user, recipients, f"destinataires de la campagne n° {campaign.pk}")
    context = {"campaign": campaign, "recipients": recipients, "sent": campaign.deliveries.count()}
    return render(request, "www/recruitment_campaign.html", context)


@login_required
@require_POST
def campaign_send(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    try:
        send_campaign(request.user, campaign)
    except services.NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    done = "Envoi de la campagne lancé : les courriels partent en arrière-plan."
    return confirmed(request, done, redirect("campaign_detail", campaign.pk))


@login_required
def campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    recipients = services.export_audience(request.user, campaign)
    header = ["prenom", "nom", "email", "profession", "situation", "etablissement"]
    rows = (
        [c.prenom, c.nom, c.email, c.get_profession_display(), c.get_situation_display(), c.etablissement] for c in recipients
    )
    return csv_table(request, f"campagne-{campaign.pk}-destinataires.csv", header, rows)

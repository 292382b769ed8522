"""Recruitment pages: vacancies (list, publication, the post with its ranked candidates and the aids at its place)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oasis.accounts.enums import Role
from oasis.accounts.models import role_of
from oasis.projects.perms import visible_projects
from oasis.recruitment import matching, perms
from oasis.recruitment.enums import Profession, VacancyStatus
from oasis.recruitment.forms import VacancyForm
from oasis.recruitment.models import Vacancy
from oasis.recruitment.schemes import aids_at
from oasis.recruitment.vacancies import VacancyData, create_vacancy, set_vacancy_status
from oasis.www.messages import confirmed
from oasis.www.recruitment_views import _run


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
            lambda: created.append(create_vacancy(request.user, VacancyData(**form.cleaned_data))),
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
    zoning, aids = aids_at(vacancy.commune, vacancy.profession)
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
        lambda: set_vacancy_status(request.user, vacancy, request.POST.get("statut", "")),
        lambda message: HttpResponse(message, status=400, content_type="text/plain; charset=utf-8"),
        lambda: confirmed(request, "Statut du poste enregistré.", redirect("vacancy_detail", vacancy.pk)),
    )

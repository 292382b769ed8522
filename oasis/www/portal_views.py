"""The public attractiveness portal (no login): open vacancies, projects seeking professionals, making oneself known
with a double opt-in, and unsubscribing from campaigns. Thin views over oasis.recruitment.portal."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from oasis.accounts.addresses import client_address
from oasis.connectors.models import Aide
from oasis.diagnostics.services import cached_diagnosis
from oasis.installation.services import contact_of
from oasis.recruitment import portal
from oasis.recruitment.candidates import CandidateData
from oasis.recruitment.enums import Profession
from oasis.recruitment.forms import PortalSignupForm
from oasis.recruitment.schemes import aids_at
from oasis.territories.services import Territory, TerritoryNotFound, get_territory, parse_territory_ref


def portal_home(request: HttpRequest) -> HttpResponse:
    vacancies = portal.public_vacancies()
    profession = request.GET.get("profession", "")
    departement = request.GET.get("departement", "").upper()
    if profession in Profession.values:
        vacancies = vacancies.filter(profession=profession)
    if departement:
        vacancies = vacancies.filter(departement_id=departement)
    context = {
        "vacancies": vacancies.order_by("departement_id", "commune__nom"),
        "projects": portal.seeking_projects(),
        "professions": Profession.choices,
        "profession": profession,
        "departement": departement,
    }
    return render(request, "www/portal/home.html", context)


def portal_vacancy(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(portal.public_vacancies(), pk=pk)
    zoning, aids = aids_at(vacancy.commune, vacancy.profession)
    place = (
        get_territory("epci", vacancy.commune.epci_id)
        if vacancy.commune.epci_id
        else get_territory("commune", vacancy.commune_id)
    )
    context = {
        "vacancy": vacancy,
        "zoning": zoning,
        "aids": aids,
        "published_aids": Aide.objects.for_professionals().open().covering(vacancy.commune).order_by("date_limite", "nom"),
        "diagnosis": cached_diagnosis(place),
        "contact": contact_of(vacancy.departement_id),
    }
    return render(request, "www/portal/vacancy.html", context)


def portal_signup(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("poste") or request.GET.get("poste") or ""
    vacancy = portal.public_vacancies().filter(pk=int(wanted)).first() if wanted.isdigit() else None
    initial: dict[str, Any] = {"departement": request.GET.get("departement", "").upper() or None}
    if request.GET.get("profession") in Profession.values:
        initial["profession"] = request.GET["profession"]
    place = _place_of(request.POST.get("lieu") or request.GET.get("lieu") or "")
    if vacancy is not None:
        initial = {"departement": vacancy.departement_id, "profession": vacancy.profession}
    form = PortalSignupForm(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        candidate = CandidateData(
            nom=data["nom"],
            prenom=data["prenom"],
            profession=data["profession"],
            situation=data["situation"],
            email=data["email"],
            telephone=data["telephone"],
            annee_etudes=data["annee_etudes"],
            etablissement=data["etablissement"],
            territoires_preferes=[f"dep:{data['departement'].pk}"]
            + ([place.ref] if place is not None and place.ref != f"dep:{data['departement'].pk}" else []),
            modes=data["modes"],
            disponible_le=data["disponible_le"],
            consentement_communication=data["consentement_communication"],
            notes=data["message"],
        )
        try:
            portal.request_signup(
                candidate,
                data["departement"].pk,
                vacancy=vacancy,
                consent_processing=data["consentement"],
                address=client_address(request),
            )
        except ValueError as refused:
            error = str(refused)
        else:
            return render(request, "www/portal/signup_sent.html", {"email": data["email"]})
    status = 400 if (form.errors or error) else 200
    departement = (form.data.get("departement") or initial.get("departement") or "").upper()
    context = {
        "form": form,
        "vacancy": vacancy,
        "error": error,
        "place": place,
        "contact": contact_of(departement) if departement else None,
    }
    return render(request, "www/portal/signup.html", context, status=status)


def _place_of(ref: str) -> Territory | None:
    """The place chosen on « Où m'installer ? » (``com:86137``, ``epci:…``, ``dep:86``), kept as a wished territory."""
    if ref.partition(":")[0] not in ("com", "epci", "dep"):
        return None
    try:
        return parse_territory_ref(ref)
    except TerritoryNotFound:
        return None


def portal_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        candidate = portal.confirm_signup(token)
    except ValueError as error:
        return render(request, "www/portal/confirmed.html", {"error": str(error)}, status=400)
    return render(request, "www/portal/confirmed.html", {"departement": candidate.departement})


def portal_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        candidate = portal.candidate_of_unsubscribe_token(token)
    except ValueError as error:
        return render(request, "www/portal/unsubscribe.html", {"error": str(error)}, status=400)
    return render(request, "www/portal/unsubscribe.html", {"token": token, "done": not candidate.consentement_communication})


@require_POST
def portal_unsubscribe_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        portal.unsubscribe(token)
    except ValueError as error:
        return render(request, "www/portal/unsubscribe.html", {"error": str(error)}, status=400)
    return render(request, "www/portal/unsubscribe.html", {"done": True})

"""Requests for support (« prise de contact ») from communes and EPCI, and the Département turning them into projects."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oasis.accounts.enums import Role
from oasis.accounts.models import role_of
from oasis.projects import support_requests as requests_
from oasis.projects.enums import Carrier, ProjectKind, SupportRequestStatus
from oasis.projects.models import SupportRequest
from oasis.projects.services import NotAllowed
from oasis.territories.fields import TerritoryField
from oasis.www.messages import confirmed, form_errors

ROLES = (Role.ADMINISTRATEUR, Role.DEPARTEMENT, Role.COLLECTIVITE)


class RequestForm(forms.Form):
    objet = forms.CharField(
        label="Objet",
        max_length=300,
        help_text="Par exemple : départ en retraite de nos deux médecins, projet de maison de santé.",
    )
    message = forms.CharField(label="Message", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    telephone = forms.CharField(label="Téléphone pour vous rappeler", max_length=30, required=False)


class TurnForm(forms.Form):
    nom = forms.CharField(label="Nom du projet", max_length=200)
    kind = forms.ChoiceField(label="Type de structure", choices=ProjectKind.choices)
    carrier = forms.ChoiceField(label="Porteur", choices=Carrier.choices)
    carrier_name = forms.CharField(label="Nom du porteur", max_length=200)
    commune_principale = TerritoryField(label="Commune d'implantation", niveaux=("commune",), help_text="Nom ou code INSEE.")


def _require_role(request: HttpRequest) -> str:
    role = role_of(request.user)
    if role not in ROLES:
        raise PermissionDenied("Les demandes d'accompagnement concernent les communes, les EPCI et leur Département.")
    return str(role)


def _list(request: HttpRequest, form: RequestForm | None = None, error: str = "") -> HttpResponse:
    role = _require_role(request)
    return render(
        request,
        "www/support_requests.html",
        {
            "requests": requests_.visible_requests(request.user),
            "can_open": role == Role.COLLECTIVITE,
            "form": form or RequestForm(),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def support_requests(request: HttpRequest) -> HttpResponse:
    return _list(request)


@login_required
@require_POST
def support_request_open(request: HttpRequest) -> HttpResponse:
    _require_role(request)
    form = RequestForm(request.POST)
    if not form.is_valid():
        return _list(request, form, form_errors(form))
    try:
        opened = requests_.open_request(request.user, **form.cleaned_data)
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from refused
    except ValueError as refused:
        form.add_error(None, str(refused))
        return _list(request, form, str(refused))
    return confirmed(
        request, f"Demande envoyée au Département ({opened.departement.nom}) : il vous recontacte.", redirect("support_requests")
    )


def _detail(request: HttpRequest, found: SupportRequest, form: TurnForm | None = None, error: str = "") -> HttpResponse:
    can_handle = requests_.can_handle(request.user, found) and found.status == SupportRequestStatus.OUVERTE
    if form is None and can_handle:
        form = TurnForm(
            initial={
                "nom": f"Maison de santé — {found.collectivite_nom}",
                "kind": ProjectKind.MSP,
                "carrier": Carrier.COMMUNE if found.collectivite_niveau == "commune" else Carrier.EPCI,
                "carrier_name": found.collectivite_nom,
                # named with its code: a bare INSEE code may also be another commune's postcode (86140: Lencloître)
                "commune_principale": (
                    f"{found.collectivite_nom} ({found.collectivite_code})" if found.collectivite_niveau == "commune" else ""
                ),
            }
        )
    return render(
        request,
        "www/support_request.html",
        {"found": found, "can_handle": can_handle, "form": form, "error": error},
        status=400 if error else 200,
    )


@login_required
def support_request(request: HttpRequest, pk: int) -> HttpResponse:
    _require_role(request)
    return _detail(request, get_object_or_404(requests_.visible_requests(request.user), pk=pk))


@login_required
@require_POST
def support_request_project(request: HttpRequest, pk: int) -> HttpResponse:
    _require_role(request)
    found = get_object_or_404(requests_.visible_requests(request.user), pk=pk)
    form = TurnForm(request.POST)
    if not form.is_valid():
        return _detail(request, found, form, form_errors(form))
    try:
        project = requests_.turn_into_project(request.user, found, requests_.ProjectChoice(**form.cleaned_data))
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from refused
    except ValueError as refused:
        form.add_error(None, str(refused))
        return _detail(request, found, form, str(refused))
    return confirmed(request, f"Projet « {project.nom} » créé à partir de la demande.", redirect("project_detail", project.pk))

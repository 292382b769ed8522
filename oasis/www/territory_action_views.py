"""The Département's actions that concern a territory or several projects (coordination, communication, prevention)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oasis.projects import territory_actions
from oasis.projects.enums import ActionKind
from oasis.projects.models import Project, TerritoryAction
from oasis.territories.models import Departement
from oasis.www.messages import confirmed, form_errors


class TerritoryActionForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=ActionKind.choices, initial=ActionKind.COORDINATION)
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    objet = forms.CharField(label="Objet", max_length=300)
    territoire = forms.CharField(
        label="Territoire concerné", max_length=200, required=False, help_text="Par exemple : Nord-Vienne."
    )
    participants = forms.CharField(label="Participants", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    compte_rendu = forms.CharField(label="Compte rendu", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    projets = forms.MultipleChoiceField(label="Projets concernés", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, projects: Sequence[Project] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["projets"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(p.pk), p.nom) for p in projects]


def _departement(request: HttpRequest, code: str) -> Departement:
    departement = get_object_or_404(Departement, pk=code)
    if not territory_actions.can_read(request.user, departement.pk, departement.region_id):
        raise Http404
    return departement


def _page(
    request: HttpRequest, departement: Departement, form: TerritoryActionForm | None = None, error: str = ""
) -> HttpResponse:
    can_manage = territory_actions.can_manage(request.user, departement.pk)
    projects = list(Project.objects.filter(departement=departement).order_by("nom"))
    return render(
        request,
        "www/territory_actions.html",
        {
            "departement": departement,
            "actions": territory_actions.of_departement(departement.pk).select_related("created_by"),
            "can_manage": can_manage,
            "form": form or TerritoryActionForm(initial={"date": date.today()}, projects=projects),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def territory_action_list(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, _departement(request, code))


@login_required
@require_POST
def territory_action_add(request: HttpRequest, code: str) -> HttpResponse:
    departement = _departement(request, code)
    if not territory_actions.can_manage(request.user, departement.pk):
        raise PermissionDenied(territory_actions.NOT_OFFICER)
    projects = list(Project.objects.filter(departement=departement).order_by("nom"))
    form = TerritoryActionForm(request.POST, projects=projects)
    if not form.is_valid():
        return _page(request, departement, form, form_errors(form))
    data = form.cleaned_data
    entry = territory_actions.ActionEntry(
        data["kind"], data["date"], data["objet"], data["territoire"], data["participants"], data["compte_rendu"]
    )
    try:
        action = territory_actions.add(request.user, departement.pk, entry, [int(pk) for pk in data["projets"]])
    except ValueError as refused:
        form.add_error(None, str(refused))
        return _page(request, departement, form, str(refused))
    return confirmed(request, f"Action « {action.objet} » enregistrée.", redirect("territory_actions", departement.pk))


@login_required
@require_POST
def territory_action_remove(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(TerritoryAction, pk=pk)
    departement = _departement(request, action.departement_id)
    if not territory_actions.can_manage(request.user, departement.pk):
        raise PermissionDenied(territory_actions.NOT_OFFICER)
    territory_actions.remove(request.user, action)
    return confirmed(request, "Action supprimée.", redirect("territory_actions", departement.pk))

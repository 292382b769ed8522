"""A Département's library of reference texts: listed (public ones for everyone), uploaded by its officers, linked
from projects."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oasis.projects import library
from oasis.projects.documents import RejectedFile
from oasis.projects.enums import ReferenceKind
from oasis.projects.models import ReferenceText
from oasis.projects.services import NotAllowed
from oasis.territories.models import Departement
from oasis.www.messages import confirmed, form_errors
from oasis.www.projects_views import _project


class ReferenceTextForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=ReferenceKind.choices)
    titre = forms.CharField(label="Titre", max_length=200, required=False, help_text="Par défaut, le type.")
    adopte_le = forms.DateField(label="Adopté ou publié le", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    public = forms.BooleanField(label="Public : listé et téléchargeable par tous", required=False)
    fichier = forms.FileField(label="Fichier")


def _page(request: HttpRequest, departement: Departement, form: ReferenceTextForm | None = None, error: str = "") -> HttpResponse:
    can_manage = library.can_manage(request.user, departement.pk)
    return render(
        request,
        "www/library.html",
        {
            "departement": departement,
            "texts": library.readable(request.user, departement.pk).prefetch_related("projects"),
            "can_manage": can_manage,
            "form": form or ReferenceTextForm(),
            "error": error,
        },
        status=400 if error else 200,
    )


def library_page(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, get_object_or_404(Departement, pk=code))


@login_required
@require_POST
def library_upload(request: HttpRequest, code: str) -> HttpResponse:
    departement = get_object_or_404(Departement, pk=code)
    if not library.can_manage(request.user, departement.pk):
        raise PermissionDenied(library.NOT_OFFICER)
    form = ReferenceTextForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, departement, form, form_errors(form))
    data = form.cleaned_data
    upload = data["fichier"]
    try:
        content = upload.read()
        text = library.upload(
            request.user, departement.pk, data["kind"], data["titre"], data["adopte_le"], data["public"], upload.name, content
        )
    except ValueError as refused:
        form.add_error("fichier" if isinstance(refused, RejectedFile) else None, str(refused))
        return _page(request, departement, form, str(refused))
    return confirmed(request, f"« {text.titre} » ajouté à la bibliothèque.", redirect("library", departement.pk))


def _managed(request: HttpRequest, pk: int) -> ReferenceText:
    text = get_object_or_404(library.readable(request.user), pk=pk)
    if not library.can_manage(request.user, text.departement_id):
        raise PermissionDenied(library.NOT_OFFICER)
    return text


@login_required
@require_POST
def library_public(request: HttpRequest, pk: int) -> HttpResponse:
    text = _managed(request, pk)
    public = request.POST.get("public") == "1"
    library.set_public(request.user, text, public)
    done = "Texte rendu public." if public else "Texte réservé aux comptes qui le suivent."
    return confirmed(request, done, redirect("library", text.departement_id))


@login_required
@require_POST
def library_remove(request: HttpRequest, pk: int) -> HttpResponse:
    text = _managed(request, pk)
    library.remove(request.user, text)
    return confirmed(request, f"« {text.titre} » retiré de la bibliothèque.", redirect("library", text.departement_id))


def library_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    text = library.readable(request.user).filter(pk=pk).first()
    if text is None:
        raise Http404
    return FileResponse(text.fichier.open("rb"), as_attachment=True, filename=text.nom_original, content_type=text.type_mime)


@login_required
@require_POST
def project_references(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    try:
        ids = [int(value) for value in request.POST.getlist("texte")]
        library.link(request.user, project, ids)
    except NotAllowed as refused:
        raise PermissionDenied(str(refused)) from refused
    except ValueError as refused:
        raise Http404(str(refused)) from refused
    return confirmed(request, "Textes de référence du projet enregistrés.", redirect("project_documents", pk))

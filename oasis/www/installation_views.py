"""« Où m'installer ? » (public, no login): a profession and up to three places, compared, shared by link, printed in
one page; and the Département's contact, entered by its officers. Thin views over oasis.installation.services."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from oasis.installation import services
from oasis.installation.forms import ContactForm
from oasis.pdf import PdfUnavailable, html_to_pdf
from oasis.recruitment import perms
from oasis.recruitment.enums import Profession
from oasis.territories.fields import display
from oasis.territories.services import TerritoryNotFound
from oasis.www.errors import refused
from oasis.www.limits import heavy_page
from oasis.www.messages import confirmed

FIELD_LABELS = ("Lieu", "Comparer avec (facultatif)", "Et avec (facultatif)")
PROFESSION_REQUIRED = "Choisissez une profession."
PLACE_REQUIRED = "Tapez le nom d'une commune, d'une intercommunalité ou d'un département, ou cliquez sur « Autour de moi »."


def _state(request: HttpRequest) -> dict[str, Any]:
    """The page's state as the query string carries it: profession, places typed (three fields) and what they are."""
    profession = request.GET.get("profession", "")
    typed = [text.strip() for text in request.GET.getlist("lieu")][: services.MAX_PLACES]
    typed += [""] * (services.MAX_PLACES - len(typed))
    fields, places = [], []
    for index, text in enumerate(typed):
        error = ""
        if text:
            try:
                place = services.resolve_place(text)
            except TerritoryNotFound as refusal:
                error = str(refusal)
            else:
                places.append(place)
                text = display(place)
        fields.append({"name": "lieu", "id": f"lieu-{index + 1}", "label": FIELD_LABELS[index], "value": text, "error": error})
    asked = bool(request.GET)
    errors = {
        "profession": PROFESSION_REQUIRED if asked and profession not in Profession.values else "",
        "lieu": PLACE_REQUIRED if asked and not places and not any(f["error"] for f in fields) else "",
    }
    return {"profession": profession, "fields": fields, "places": places, "errors": errors}


def _query(profession: str, places: list[Any]) -> str:
    return urlencode([("profession", profession), *(("lieu", display(place)) for place in places)])


@heavy_page
def where_to_settle(request: HttpRequest) -> HttpResponse:
    position = request.GET.get("position", "")
    if position:
        # « Autour de moi »: the nearest commune replaces the position, which the shared address never carries.
        try:
            latitude, longitude = (float(part) for part in position.split(","))
            place = services.place_near(longitude, latitude)
        except (ValueError, services.PlaceRefused):
            return refused(request, 400, "Position du navigateur illisible : tapez le nom du lieu.")
        kept = [text for text in request.GET.getlist("lieu") if text.strip()][: services.MAX_PLACES - 1]
        query = urlencode(
            [("profession", request.GET.get("profession", "")), ("lieu", display(place)), *(("lieu", t) for t in kept)]
        )
        return redirect(f"{reverse('where_to_settle')}?{query}")
    state = _state(request)
    reports = []
    if state["profession"] in Profession.values and state["places"]:
        reports = services.reports(state["places"], state["profession"])
    query = _query(state["profession"], state["places"]) if reports else ""
    context = {
        **state,
        "professions": Profession.choices,
        "reports": reports,
        "query": query,
        "share_url": request.build_absolute_uri(f"{reverse('where_to_settle')}?{query}") if reports else "",
    }
    status = 400 if any(state["errors"].values()) or any(f["error"] for f in state["fields"]) else 200
    return render(request, "www/installation/where.html", context, status=status)


@heavy_page
def where_to_settle_pdf(request: HttpRequest) -> HttpResponse:
    state = _state(request)
    if state["profession"] not in Profession.values or not state["places"]:
        return refused(request, 400, "Choisissez une profession et un lieu avant de télécharger la fiche.")
    reports = services.reports(state["places"], state["profession"])
    html = render_to_string(
        "www/installation/where_print.html",
        {
            "reports": reports,
            "share_url": request.build_absolute_uri(
                f"{reverse('where_to_settle')}?{_query(state['profession'], state['places'])}"
            ),
        },
        request=request,
    )
    try:
        document = html_to_pdf(html)
    except PdfUnavailable as error:
        return refused(request, 503, str(error))
    response = HttpResponse(document, content_type="application/pdf")
    names = "-".join(place.file_stem for place in state["places"])
    response["Content-Disposition"] = f'attachment; filename="ou-m-installer-{state["profession"]}-{names}.pdf"'
    return response


@login_required
def departement_contact(request: HttpRequest) -> HttpResponse:
    profile = getattr(request.user, "profile", None)
    departement = request.GET.get("departement") if perms.is_admin(request.user) else None
    departement = departement or (profile.departement_id if profile is not None else None)
    if not departement or not perms.can_manage_in(request.user, departement):
        raise PermissionDenied("Seuls les agents du Département renseignent son contact.")
    contact = services.contact_of(departement)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        services.save_contact(request.user, departement, {k: v or "" for k, v in form.cleaned_data.items()})
        return confirmed(
            request,
            "Contact enregistré : il s'affiche sur les pages publiques du département.",
            redirect(request.get_full_path()),
        )
    return render(
        request,
        "www/installation/contact_form.html",
        {"form": form, "contact": contact, "departement": departement},
        status=400 if form.errors else 200,
    )

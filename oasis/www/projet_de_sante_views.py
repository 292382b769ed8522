"""The project's « Projet de santé » tab: the porteurs write it by sections, save drafts, submit versions, export PDF.

Those who may write it (porteurs, the Département, the ARS) see the draft; the others read the submitted versions.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from oasis.diagnostics.services import cached_diagnosis
from oasis.projects import perms
from oasis.projects import projet_de_sante as pds
from oasis.projects.enums import ProjetDeSanteStatus
from oasis.projects.models import Project, ProjetDeSante
from oasis.projects.services import NotAllowed
from oasis.territories.services import commune_set
from oasis.www.downloads import pdf_file
from oasis.www.messages import confirmed
from oasis.www.projects_views import _project


def _readable(request: HttpRequest, project: Project) -> QuerySet[ProjetDeSante]:
    """The versions the user may read: drafts only for those who write."""
    versions = project.projet_de_sante.select_related("updated_by", "submitted_by")
    if perms.can_write_projet_de_sante(request.user, project):
        return versions
    return versions.filter(status=ProjetDeSanteStatus.SOUMIS)


def _sections(texts: dict[str, str]) -> list[tuple[pds.Section, str]]:
    return [(section, texts.get(section.key, "")) for section in pds.SECTIONS]


def _page(request: HttpRequest, project: Project, error: str = "", texts: dict[str, str] | None = None) -> HttpResponse:
    """The tab: the newest readable version, as a form for those who write (``texts``: what they sent back)."""
    can_write = perms.can_write_projet_de_sante(request.user, project)
    versions = list(_readable(request, project))
    shown = versions[0] if versions else None
    if texts is None:
        texts = dict(shown.sections) if shown is not None else {}
    if can_write and request.GET.get("diagnostic") and not texts.get("besoins", "").strip():
        texts["besoins"] = pds.needs_from_diagnosis(cached_diagnosis(commune_set(project.territory_codes())))
    return render(
        request,
        "www/projet_de_sante.html",
        {
            "project": project,
            "tab": "projet_de_sante",
            "can_write": can_write,
            "version": shown,
            "sections": _sections(texts),
            "versions": versions,
            "team": project.team.all(),
            "served_codes": ",".join(project.territory_codes()),
            "max_chars": pds.MAX_SECTION_CHARS,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def projet_de_sante(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _project(request, pk))


@login_required
@require_POST
def projet_de_sante_save(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    texts = {key: request.POST.get(key, "") for key in pds.SECTION_KEYS}
    try:
        draft = pds.save_draft(request.user, project, texts)
        if request.POST.get("action") == "soumettre":
            version = pds.submit(request.user, project)
            done = f"Projet de santé soumis (version {version.numero}) : ceux qui suivent le projet sont prévenus."
        else:
            done = f"Brouillon enregistré (version {draft.numero})."
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except ValueError as error:
        return _page(request, project, error=str(error), texts=texts)
    return confirmed(request, done, redirect("projet_de_sante", project.pk))


def _version_context(request: HttpRequest, pk: int, numero: int) -> dict[str, Any]:
    """The version if the user may read it (404 otherwise), with what its page and its PDF show."""
    project = _project(request, pk)
    version = _readable(request, project).filter(numero=numero).first()
    if version is None:
        raise Http404("Version introuvable.")
    return {"project": project, "version": version, "sections": _sections(version.sections), "team": project.team.all()}


@login_required
def projet_de_sante_version(request: HttpRequest, pk: int, numero: int) -> HttpResponse:
    context = _version_context(request, pk, numero)
    context |= {"tab": "projet_de_sante", "changed": pds.changed_since_previous(context["version"])}
    return render(request, "www/projet_de_sante_version.html", context)


@login_required
def projet_de_sante_pdf(request: HttpRequest, pk: int, numero: int) -> HttpResponse:
    context = _version_context(request, pk, numero)
    html = render_to_string("www/projet_de_sante_print.html", context)
    return pdf_file(html, f"projet-de-sante-{pk}-v{numero}.pdf")

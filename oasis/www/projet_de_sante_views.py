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


def _page(
    request: HttpRequest,
    project: Project,
    error: str = "",
    texts: dict[str, str] | None = None,
    read: dict[str, str] | None = None,
    conflicts: tuple[pds.SectionConflict, ...] = (),
) -> HttpResponse:
    """The tab: the newest readable version, as a form for those who write (``texts``: what they sent back, ``read``:
    the digests of the text they had read, kept so that a second try merges with what others saved meanwhile;
    ``conflicts``: the sections to merge, the user's text kept in them)."""
    can_write = perms.can_write_projet_de_sante(request.user, project)
    versions = list(_readable(request, project))
    shown = versions[0] if versions else None
    if texts is None:
        texts = dict(shown.sections) if shown is not None else {}
    if read is None:
        read = pds.read_digests(shown)
    texts |= {conflict.section.key: conflict.yours for conflict in conflicts}  # what is now stored, but their own text
    if can_write and request.GET.get("diagnostic") and not texts.get("besoins", "").strip():
        texts["besoins"] = pds.needs_from_diagnosis(cached_diagnosis(commune_set(project.territory_codes())))
    by_key = {conflict.section.key: conflict for conflict in conflicts}
    return render(
        request,
        "www/projet_de_sante.html",
        {
            "project": project,
            "tab": "projet_de_sante",
            "can_write": can_write,
            "version": shown,
            "sections": _sections(texts),
            "fields": [(section, text, read.get(section.key, ""), by_key.get(section.key)) for section, text in _sections(texts)],
            "writes_version": pds.next_draft_numero(shown),
            "versions": versions,
            "team": project.team.all(),
            "served_codes": ",".join(project.territory_codes()),
            "max_chars": pds.MAX_SECTION_CHARS,
            "required_keys": pds.required_keys(project),
            "error": error,
        },
        status=409 if conflicts else 400 if error else 200,
    )


@login_required
def projet_de_sante(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _project(request, pk))


def _posted_read(request: HttpRequest) -> dict[str, str] | None:
    """The digests the form carried; None from a client that sent none (it writes its text whole)."""
    read = {key: request.POST[f"lu-{key}"] for key in pds.SECTION_KEYS if f"lu-{key}" in request.POST}
    return read or None


@login_required
@require_POST
def projet_de_sante_save(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    texts = {key: request.POST.get(key, "") for key in pds.SECTION_KEYS}
    read = _posted_read(request)
    try:
        draft = pds.save_draft(request.user, project, texts, read)
        if request.POST.get("action") == "soumettre":
            version = pds.submit(request.user, project)
            done = f"Projet de santé soumis (version {version.numero}) : ceux qui suivent le projet sont prévenus."
        else:
            done = pds.DRAFT_SAVED.format(numero=draft.numero)
        if request.POST.get("version", "").isdigit() and int(request.POST["version"]) < draft.numero:
            done += " " + pds.SUBMITTED_MEANWHILE.format(read=request.POST["version"], numero=draft.numero)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except pds.DraftConflict as conflict:
        return _page(request, project, error=str(conflict), conflicts=tuple(conflict.conflicts))
    except ValueError as error:
        return _page(request, project, error=str(error), texts=texts, read=read)
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

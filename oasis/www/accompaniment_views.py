"""Project sub-pages: partners and actions, funding plan and tools, ACI simulator, documents; the dashboard.

Thin views: parse, call one service of oasis.projects, render. A refused change re-renders the page with the reason
(status 400); an action outside the role is 403; a project outside the user's sight is 404.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from oasis.accounts.enums import Role
from oasis.concurrency import EditConflict
from oasis.connectors.enums import Connector
from oasis.connectors.runs import last_success
from oasis.pdf import PdfUnavailable, html_to_pdf
from oasis.projects import carriers, dashboard, documents, fir, funding, library, perms, territory_actions
from oasis.projects.enums import ActionKind, ProjectKind, Stage
from oasis.projects.forms import (
    AciForm,
    ActionForm,
    ContactForm,
    CostForm,
    DocumentForm,
    DocumentRequestForm,
    FundingLineForm,
    PartnerForm,
    VersionForm,
)
from oasis.projects.models import Project
from oasis.projects.services import (
    ACTION_FIELDS,
    ActionEntry,
    NotAllowed,
    action_token,
    add_contact,
    add_partner,
    edit_action,
    invite_guest,
    log_action,
    remove_action,
    remove_contact,
    remove_partner,
    revoke_guest,
)
from oasis.www.downloads import csv_table
from oasis.www.errors import Explained, refused
from oasis.www.messages import confirmed, form_errors, kept_input
from oasis.www.projects_views import _project


def _apply(
    request: HttpRequest,
    project: Project,
    change: Callable[[], object],
    page: str,
    done: str = "Modification enregistrée.",
    on_conflict: Callable[[EditConflict], HttpResponse] | None = None,
    **forms: Any,
) -> HttpResponse:
    """Run a change; back to the page with ``done`` confirmed, or the page with the reason when refused. ``forms``: the
    bound form that was sent (by its name in the page), shown again with what was typed and the reason beside the
    field it concerns (``error.field``), or above its fields; ``on_conflict``: the page drawn again with the user's
    input when the record changed since it was read."""
    try:
        change()
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except EditConflict as conflict:
        if on_conflict is None:
            raise
        return on_conflict(conflict)
    except ValueError as error:
        for form in forms.values():
            field = getattr(error, "field", None)
            form.add_error(field if field in form.fields else None, str(error))
        return PAGES[page](request, project, error=str(error), **forms)
    return confirmed(request, done, redirect(f"project_{page}", project.pk))


def _require_edit(request: HttpRequest, project: Project) -> None:
    if not perms.can_edit(request.user, project):
        raise PermissionDenied("Votre rôle ne permet pas de modifier ce projet.")


# --- Partners, contacts and actions ---------------------------------------------------------------------------------


def _partners_page(request: HttpRequest, project: Project, error: str = "", **forms: Any) -> HttpResponse:
    return render(
        request,
        "www/project_partners.html",
        {
            "project": project,
            "tab": "partners",
            "partners": project.partners.prefetch_related("contacts"),
            "actions": project.actions.select_related("created_by"),
            "can_edit": perms.can_edit(request.user, project),
            "guests": project.guests.exclude(user__profile__role=Role.PORTEUR).select_related("user__profile", "invited_by"),
            "carriers": perms.carriers(project),
            "invitable": perms.invitable(project) if perms.can_invite(request.user, project) else [],
            "partner_form": forms.get("partner_form", PartnerForm()),
            "contact_form": ContactForm(),
            "action_form": forms.get("action_form", ActionForm(initial={"date": date.today()})),
            "action_kinds": ActionKind.choices,
            "territory_actions": territory_actions.for_project(request.user, project),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def project_partners(request: HttpRequest, pk: int) -> HttpResponse:
    return _partners_page(request, _project(request, pk))


@login_required
@require_POST
def partner_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    _require_edit(request, project)
    form = PartnerForm(request.POST)
    if not form.is_valid():
        return _partners_page(request, project, error=form_errors(form), partner_form=form)
    data = form.cleaned_data
    return _apply(
        request,
        project,
        lambda: add_partner(request.user, project, data["kind"], data["nom"], data["role"]),
        "partners",
        "Partenaire ajouté.",
        partner_form=form,
    )


@login_required
@require_POST
def guest_invite(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    try:
        guest_id = int(request.POST.get("user", ""))
    except ValueError:
        return _partners_page(request, project, error="Choisissez le compte à inviter.")
    return _apply(
        request, project, lambda: invite_guest(request.user, project, guest_id), "partners", "Partenaire invité sur le projet."
    )


@login_required
@require_POST
def carrier_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    email = request.POST.get("email", "")
    if not email.strip():
        return _partners_page(request, project, error="Indiquez l'adresse électronique du porteur.")
    return _apply(
        request,
        project,
        lambda: carriers.give_access(request.user, project, email),
        "partners",
        "Accès donné au porteur : il reçoit un courriel pour choisir son mot de passe s'il n'a pas encore de compte.",
    )


@login_required
@require_POST
def carrier_resend(request: HttpRequest, pk: int, access_id: int) -> HttpResponse:
    project = _project(request, pk)
    return _apply(
        request,
        project,
        lambda: carriers.resend_access_link(request.user, project, access_id),
        "partners",
        "Lien renvoyé au porteur.",
    )


@login_required
@require_POST
def guest_revoke(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    project = _project(request, pk)
    return _apply(request, project, lambda: revoke_guest(request.user, project, invitation_id), "partners", "Invitation retirée.")


@login_required
@require_POST
def partner_remove(request: HttpRequest, pk: int, partner_id: int) -> HttpResponse:
    project = _project(request, pk)
    return _apply(request, project, lambda: remove_partner(request.user, project, partner_id), "partners", "Partenaire retiré.")


@login_required
@require_POST
def contact_add(request: HttpRequest, pk: int, partner_id: int) -> HttpResponse:
    project = _project(request, pk)
    _require_edit(request, project)
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _partners_page(request, project, error=form_errors(form))
    data = form.cleaned_data
    return _apply(
        request,
        project,
        lambda: add_contact(request.user, project, partner_id, data["nom"], data["fonction"], data["email"], data["telephone"]),
        "partners",
        "Contact ajouté.",
    )


@login_required
@require_POST
def contact_remove(request: HttpRequest, pk: int, contact_id: int) -> HttpResponse:
    project = _project(request, pk)
    return _apply(request, project, lambda: remove_contact(request.user, project, contact_id), "partners", "Contact retiré.")


def _entry(form: ActionForm) -> ActionEntry:
    data = form.cleaned_data
    return ActionEntry(data["kind"], data["date"], data["objet"], data["participants"], data["compte_rendu"])


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    _require_edit(request, project)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return _partners_page(request, project, error=form_errors(form), action_form=form)
    return _apply(
        request,
        project,
        lambda: log_action(request.user, project, _entry(form)),
        "partners",
        "Action enregistrée.",
        action_form=form,
    )


@login_required
def action_edit(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    project = _project(request, pk)
    _require_edit(request, project)
    action = project.actions.filter(pk=action_id).first()
    if action is None:
        raise Http404
    initial = {field: getattr(action, field) for field in ACTION_FIELDS} | {"lu": action_token(action)}
    form = ActionForm(request.POST or None, initial=initial)

    def conflicted(conflict: EditConflict) -> HttpResponse:
        kept = ActionForm(kept_input(request, conflict))
        kept.is_valid()
        context = {"project": project, "tab": "partners", "form": kept, "action": action}
        return render(request, "www/action_form.html", context | {"error": str(conflict), "conflict": conflict}, status=409)

    if request.method == "POST" and form.is_valid():
        try:
            edit_action(request.user, project, action_id, _entry(form), form.cleaned_data["lu"])
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except EditConflict as conflict:
            return conflicted(conflict)
        except ValueError as error:
            form.add_error(None, str(error))  # the edit form again, with what was typed
        else:
            return confirmed(request, "Action modifiée.", redirect("project_partners", project.pk))
    return render(
        request,
        "www/action_form.html",
        {"project": project, "tab": "partners", "form": form, "action": action},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def action_remove(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    project = _project(request, pk)
    return _apply(request, project, lambda: remove_action(request.user, project, action_id), "partners", "Action supprimée.")


# --- Funding plan and financial tools -------------------------------------------------------------------------------


def _line_values(line: Any, posted: Any = None, token: str = "") -> dict[str, str]:
    """What a line's edit form shows: the stored line as read, or the user's input kept after a conflict."""
    if posted is not None:
        return {name: posted.get(name, "") for name in funding.LINE_FIELDS} | {"lu": token}
    shown = {}
    for name in funding.LINE_FIELDS:
        value = getattr(line, name)
        shown[name] = "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
    return shown | {"lu": funding.line_token(line)}


def _funding_page(
    request: HttpRequest,
    project: Project,
    error: str = "",
    line_form: Any = None,
    cost_form: CostForm | None = None,
    conflict: EditConflict | None = None,
    line_id: int | None = None,
) -> HttpResponse:
    """The funding plan; after a conflict, the user's input kept in the form of the cost or of line ``line_id``."""
    lines = list(project.funding.select_related("tool"))
    for line in lines:
        edited = conflict is not None and line.pk == line_id
        line.edit = _line_values(line, request.POST if edited else None, conflict.token if edited and conflict else "")  # type: ignore[attr-defined]
        line.conflict = conflict if edited else None  # type: ignore[attr-defined]
    facts, tools = funding.mobilisable_tools(project)
    return render(
        request,
        "www/project_funding.html",
        {
            "project": project,
            "tab": "funding",
            "lines": lines,
            "plan": funding.summarise(project, lines),
            "facts": facts,
            "tools": tools,
            "last_aides_sync": last_success(Connector.AIDES_TERRITOIRES),
            "can_edit": perms.can_edit(request.user, project),
            "line_form": line_form or FundingLineForm(tools=[row.tool for row in tools if row.open]),
            "cost_form": cost_form or CostForm(initial={"cout_total": project.cout_total, "lu": funding.cost_token(project)}),
            "cost_conflict": conflict if conflict is not None and line_id is None else None,
            "error": error,
        },
        status=409 if conflict else 400 if error else 200,
    )


@login_required
def project_funding(request: HttpRequest, pk: int) -> HttpResponse:
    return _funding_page(request, _project(request, pk))


@login_required
@require_POST
def funding_cost(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    _require_edit(request, project)
    form = CostForm(request.POST)
    if not form.is_valid():
        return _funding_page(request, project, error=form_errors(form), cost_form=form)
    return _apply(
        request,
        project,
        lambda: funding.set_cost(request.user, project, form.cleaned_data["cout_total"], form.cleaned_data["lu"]),
        "funding",
        "Coût de l'opération enregistré.",
        lambda conflict: _funding_page(
            request, _project(request, pk), str(conflict), cost_form=CostForm(kept_input(request, conflict)), conflict=conflict
        ),
        cost_form=form,
    )


@login_required
@require_POST
def funding_line(request: HttpRequest, pk: int, line_id: int | None = None) -> HttpResponse:
    """Add a line, or change line ``line_id``."""
    project = _project(request, pk)
    _require_edit(request, project)
    form = FundingLineForm(request.POST, tools=funding.offered_tools(project))
    if not form.is_valid():
        return _funding_page(request, project, error=form_errors(form), line_form=form)
    entry = funding.LineEntry(**form.cleaned_data)
    return _apply(
        request,
        project,
        lambda: funding.save_line(request.user, project, entry, line_id, request.POST.get("lu")),
        "funding",
        "Ligne du plan enregistrée.",
        lambda conflict: _funding_page(request, project, str(conflict), conflict=conflict, line_id=line_id),
        line_form=form,
    )


@login_required
@require_POST
def funding_line_remove(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    project = _project(request, pk)
    return _apply(
        request, project, lambda: funding.remove_line(request.user, project, line_id), "funding", "Ligne du plan supprimée."
    )


def _salaried_labels(form: AciForm) -> AciForm:
    """A centre de santé's professionals are salaried: its simulator asks for them, not for associates."""
    form.fields["patientele"].label = "Patientèle médecin traitant des médecins salariés"
    form.fields["professionnels"].label = "Professionnels de santé salariés"
    return form


@login_required
def project_aci(request: HttpRequest, pk: int) -> HttpResponse:
    """The ACI simulator: read-only (GET), nothing is stored."""
    project = _project(request, pk)
    form = AciForm(request.GET or None)
    simulation, error = None, ""
    try:
        bareme = funding.active_bareme(funding.bareme_kind(project))
    except ValueError as missing:
        return render(request, "www/project_aci.html", {"project": project, "tab": "aci", "error": str(missing)}, status=409)
    if bareme.kind == ProjectKind.CENTRE_DE_SANTE:
        _salaried_labels(form)
    if form.is_bound and form.is_valid():
        units = {}
        for indicator in bareme.indicateurs:
            raw = request.GET.get(f"i-{indicator['code']}", "0") or "0"
            try:
                units[indicator["code"]] = float(raw.replace(",", "."))
            except ValueError:
                error = f"Valeur invalide pour « {indicator['libelle']} » : « {raw[:20]} »."
        if not error:
            simulation = funding.simulate_aci(
                project, form.cleaned_data["patientele"], form.cleaned_data["professionnels"], units
            )
    elif form.is_bound:
        error = form_errors(form)
    return render(
        request,
        "www/project_aci.html",
        {
            "project": project,
            "tab": "aci",
            "form": form
            if form.is_bound
            else _salaried_labels(AciForm())
            if bareme.kind == ProjectKind.CENTRE_DE_SANTE
            else AciForm(),
            "bareme": bareme,
            "simulation": simulation,
            "submitted": {key[2:]: value for key, value in request.GET.items() if key.startswith("i-")},
            "error": error,
        },
        status=400 if error else 200,
    )


# --- Documents ------------------------------------------------------------------------------------------------------


def _documents_page(
    request: HttpRequest,
    project: Project,
    error: str = "",
    request_form: DocumentRequestForm | None = None,
    form: DocumentForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "www/project_documents.html",
        {
            "project": project,
            "tab": "documents",
            "documents": documents.visible_documents(request.user, project).prefetch_related("versions__uploaded_by"),
            "can_upload": perms.can_upload(request.user, project),
            "can_edit": perms.can_edit(request.user, project),
            "form": form or DocumentForm(),
            "version_form": VersionForm(),
            "request_form": request_form or DocumentRequestForm(),
            "requests": project.document_requests.select_related("requested_by", "document"),
            "accepted": ", ".join(sorted(ext.lstrip(".") for ext in documents.ACCEPTED)),
            "max_size": settings.OASIS_DOCUMENT_MAX_BYTES,
            "reference_texts": library.linked(request.user, project),
            "library_texts": (
                library.readable(request.user, project.departement_id) if perms.can_edit(request.user, project) else []
            ),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def project_documents(request: HttpRequest, pk: int) -> HttpResponse:
    return _documents_page(request, _project(request, pk))


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if not perms.can_upload(request.user, project):
        raise PermissionDenied("Votre rôle ne permet pas de déposer un document.")
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _documents_page(request, project, error=form_errors(form), form=form)
    data = form.cleaned_data
    upload = data["fichier"]
    content = upload.read(settings.OASIS_DOCUMENT_MAX_BYTES + 1)
    return _apply(
        request,
        project,
        lambda: documents.upload(
            request.user, project, data["kind"], data["titre"], upload.name, content, data["restreint"], data["demande"]
        ),
        "documents",
        "Document déposé.",
        form=form,
    )


@login_required
@require_POST
def document_request(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    form = DocumentRequestForm(request.POST)
    if not form.is_valid():
        return _documents_page(request, project, error=form_errors(form), request_form=form)
    data = form.cleaned_data
    return _apply(
        request,
        project,
        lambda: documents.request_document(request.user, project, data["kind"], data["titre"], data["due"]),
        "documents",
        "Document demandé : les porteurs et la commune sont prévenus.",
        request_form=form,
    )


@login_required
@require_POST
def document_request_withdraw(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    project = _project(request, pk)
    return _apply(
        request, project, lambda: documents.withdraw_request(request.user, project, request_id), "documents", "Demande retirée."
    )


@login_required
@require_POST
def document_version(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    project = _project(request, pk)
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _documents_page(request, project, error=form_errors(form))
    upload = form.cleaned_data["fichier"]
    content = upload.read(settings.OASIS_DOCUMENT_MAX_BYTES + 1)
    return _apply(
        request,
        project,
        lambda: documents.add_version(request.user, project, document_id, upload.name, content),
        "documents",
        "Nouvelle version déposée.",
    )


@login_required
def document_download(request: HttpRequest, pk: int, document_id: int, numero: int | None = None) -> HttpResponseBase:
    project = _project(request, pk)
    try:
        version = documents.open_version(request.user, project, document_id, numero)
    except ValueError as error:
        raise Explained(str(error)) from error
    return FileResponse(
        version.fichier.open("rb"), as_attachment=True, filename=version.nom_original, content_type=version.type_mime
    )


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    project = _project(request, pk)
    return _apply(
        request, project, lambda: documents.delete(request.user, project, document_id), "documents", "Document supprimé."
    )


PAGES: dict[str, Callable[..., HttpResponse]] = {
    "partners": _partners_page,
    "funding": _funding_page,
    "documents": _documents_page,
}


# --- Dashboard and exports ------------------------------------------------------------------------------------------


@login_required
def project_dashboard(request: HttpRequest) -> HttpResponse:
    projects = perms.visible_projects(request.user)
    return render(
        request,
        "www/project_dashboard.html",
        {
            "total": projects.count(),
            "counts": dashboard.stage_counts(projects),
            "times": dashboard.stage_times(projects),
            "overdue": dashboard.overdue(projects),
            "due_soon": dashboard.due_soon(projects),
            "stages": [(stage.value, stage.label) for stage in Stage],
        },
    )


@login_required
def project_geojson(request: HttpRequest) -> HttpResponse:
    return JsonResponse(dashboard.geojson(perms.visible_projects(request.user)), json_dumps_params={"ensure_ascii": False})


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


@login_required
def project_export(request: HttpRequest) -> HttpResponse:
    rows = ([_cell(value) for value in row] for row in dashboard.export_rows(perms.visible_projects(request.user)))
    return csv_table(request, "projets.csv", dashboard.EXPORT_COLUMNS, rows)


@login_required
def project_export_xlsx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        dashboard.xlsx(perms.visible_projects(request.user)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="projets.xlsx"'
    return response


# --- The project's FIR file ----------------------------------------------------------------------------------------


def _fir_context(project: Project) -> dict[str, Any]:
    file = fir.file_of(project)
    lines = [line for line in project.funding.select_related("tool") if line.tool.code.startswith("fir-")]
    return {
        "project": project,
        "file": file,
        "region": project.region,
        "fir_lines": lines,
        "fir_requested": sum((line.demande for line in lines), Decimal("0")),
        "fir_tools": [row for row in funding.mobilisable_tools(project)[1] if row.tool.code.startswith("fir-")],
        "team": project.team.all(),
        "territory": project.communes_desservies.all(),
    }


def _fir_page(request: HttpRequest, project: Project, error: str = "", conflict: EditConflict | None = None) -> HttpResponse:
    context = _fir_context(project) | {
        "tab": "fir",
        "can_edit": perms.can_edit(request.user, project),
        "lu": fir.checklist_token(project) if conflict is None else conflict.token,
        "error": error,
        "conflict": conflict,
    }
    return render(request, "www/project_fir.html", context, status=409 if conflict else 400 if error else 200)


@login_required
def project_fir(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's FIR file: its région's rules, the checklist of the pieces, and the generated file."""
    return _fir_page(request, _project(request, pk))


@login_required
@require_POST
def project_fir_pieces(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    met = set(request.POST.getlist("piece"))
    comments = {key[len("note-") :]: str(request.POST.get(key, "")) for key in request.POST if key.startswith("note-")}
    try:
        fir.set_pieces(request.user, project, met, comments, request.POST.get("lu"))
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except EditConflict as conflict:
        return _fir_page(request, project, str(conflict), conflict)
    except ValueError as error:
        return _fir_page(request, project, str(error))
    return confirmed(request, "Pièces du dossier FIR enregistrées.", redirect("project_fir", project.pk))


@login_required
def project_fir_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The FIR file of the project, generated from its data against its own région's rules."""
    project = _project(request, pk)
    context = _fir_context(project)
    if context["file"] is None:
        return refused(request, 409, fir.NO_FIR)
    html = render_to_string("www/fir_file.html", context | {"today": date.today(), "for_pdf": True})
    try:
        document = html_to_pdf(html)
    except PdfUnavailable as error:
        return refused(request, 503, str(error))
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dossier-fir-projet-{project.pk}.pdf"'
    return response

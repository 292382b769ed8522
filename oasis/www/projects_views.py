"""Project pages: thin views over oasis.projects.services and oasis.projects.perms."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from oasis.audit.services import history
from oasis.concurrency import EditConflict
from oasis.pdf import PdfUnavailable, html_to_pdf
from oasis.projects import perms
from oasis.projects.conformity import NO_RULES, evaluate
from oasis.projects.enums import BOARD_ORDER, PAUSED, MemberProfession, MemberStatus, Stage
from oasis.projects.forms import CommentForm, MoveForm, NextActionForm, ProjectForm
from oasis.projects.models import DossierDemarche, Project
from oasis.projects.services import (
    NewProject,
    NotAllowed,
    add_comment,
    add_member,
    checklist_token,
    create_project,
    next_action_token,
    remove_member,
    set_checklist,
    set_next_action,
)
from oasis.projects.stages import InvalidTransition, NotConforming, allowed_moves, move, time_per_stage
from oasis.references.annuaire import RppsCheck, check_all
from oasis.www.errors import Explained, refused
from oasis.www.messages import confirmed, form_errors, kept_input

UNKNOWN_MEMBER = "Choisissez la profession et le statut du membre dans les listes."


def _project(request: HttpRequest, pk: int) -> Project:
    """The project if the user may see it; 404 otherwise (never reveal that it exists)."""
    return get_object_or_404(perms.visible_projects(request.user).select_related("commune_principale", "departement"), pk=pk)


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    projects = list(perms.visible_projects(request.user).select_related("commune_principale", "departement"))
    if request.GET.get("en_retard"):
        projects = [p for p in projects if p.overdue]
    board = [(Stage(stage).label, stage, [p for p in projects if p.stage == stage]) for stage in BOARD_ORDER]
    return render(
        request,
        "www/projects.html",
        {
            "projects": projects,
            "board": [column for column in board if column[2]],
            "can_create": perms.can_create(request.user),
            "overdue": sum(1 for p in projects if p.overdue),
        },
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    if not perms.can_create(request.user):
        raise PermissionDenied("Votre rôle ne permet pas de créer un projet.")
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = create_project(
                request.user,
                NewProject(
                    nom=data["nom"],
                    kind=data["kind"],
                    carrier=data["carrier"],
                    carrier_name=data["carrier_name"],
                    commune_principale=data["commune_principale"].upper(),
                    communes_desservies=form.served(),
                    collectivite_niveau=data["collectivite_niveau"],
                    collectivite_code=data["collectivite_code"].upper(),
                    next_action=data["next_action"],
                    next_action_due=data["next_action_due"],
                ),
            )
        except NotAllowed as error:
            form.add_error(None, str(error))
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            return confirmed(request, f"Projet « {project.nom} » créé.", redirect("project_detail", project.pk))
    return render(request, "www/project_form.html", {"form": form}, status=400 if form.errors else 200)


def _team_with_checks(project: Project) -> list[tuple[Any, RppsCheck | None]]:
    members = list(project.team.all())
    return list(zip(members, check_all([(m.rpps, m.get_profession_display()) for m in members]), strict=True))


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _project(request, pk))


def _detail_page(
    request: HttpRequest,
    project: Project,
    error: str = "",
    status: int = 400,
    team_sent: Any = None,
    conflict: EditConflict | None = None,
    checklist_conflict: EditConflict | None = None,
    **forms: Any,
) -> HttpResponse:
    """The project's page; after a refusal (``error``, answered with ``status``), the form that was sent (``forms``:
    move_form, comment_form or action_form; ``team_sent``: the team member typed) shown again as typed, with the
    reason beside its field; after a refused next action (``conflict``) or checklist (``checklist_conflict``), the
    user's input kept in its form and what changed."""
    moves = [(stage, Stage(stage).label) for stage in allowed_moves(project) if perms.can_move_to(request.user, project, stage)]
    conformity = evaluate(project)
    served = list(project.territory().order_by("search_key"))
    return render(
        request,
        "www/project_detail.html",
        {
            "project": project,
            "tab": "detail",
            "moves": moves,
            "paused_stages": PAUSED,
            "transitions": project.transitions.select_related("by"),
            "dossier_ds": DossierDemarche.objects.filter(project=project).prefetch_related("states").first(),
            "comments": project.comments.select_related("author"),
            "can_comment": perms.can_comment(request.user, project),
            "can_edit": perms.can_edit(request.user, project),
            "audit": history(project)[:50] if perms.can_edit(request.user, project) else [],
            "spans": [(Stage(stage).label, days) for stage, days in time_per_stage(project)],
            "team": _team_with_checks(project),
            "conformity": conformity,
            "served": served,
            "served_codes": ",".join(sorted(commune.code_insee for commune in served)),
            "validation_needs_derogation": any(stage == Stage.VALIDE for stage, _ in moves)
            and (conformity is None or not conformity.conforme),
            "no_rules": NO_RULES,
            "professions": MemberProfession.choices,
            "statuses": MemberStatus.choices,
            "move_form": forms.get("move_form") or MoveForm(),
            "comment_form": forms.get("comment_form") or CommentForm(),
            "action_form": forms.get("action_form")
            or NextActionForm(
                initial={
                    "next_action": project.next_action,
                    "next_action_due": project.next_action_due,
                    "lu": next_action_token(project),
                }
            ),
            "team_sent": team_sent or {},
            "error": error,
            "conflict": conflict,
            "checklist_conflict": checklist_conflict,
            "checklist_rows": _checklist_rows(request, conformity, checklist_conflict),
            "checklist_read": checklist_conflict.token if checklist_conflict else checklist_token(project),
        },
        status=409 if conflict or checklist_conflict else status if error else 200,
    )


def _checklist_rows(request: HttpRequest, conformity: Any, conflict: EditConflict | None) -> list[tuple[Any, bool, str]]:
    """Each requirement with what its form shows: the answer as stored, or the user's input after a conflict."""
    if conformity is None:
        return []
    if conflict is None:
        return [(check, check.met, check.detail) for check in conformity.checks]
    met = set(request.POST.getlist("met"))
    return [(check, check.code in met, request.POST.get(f"comment-{check.code}", check.detail)) for check in conformity.checks]


@login_required
@require_POST
def project_move(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            move(
                request.user, project, form.cleaned_data["to_stage"], form.cleaned_data["reason"], form.cleaned_data["derogation"]
            )
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except NotConforming as error:
            form.add_error("derogation", str(error))
        except InvalidTransition as error:
            form.add_error("to_stage", str(error))
        except ValueError as error:
            form.add_error(None, str(error))
    if form.errors:
        return _detail_page(request, project, error=form_errors(form), move_form=form)
    return confirmed(request, "Nouvelle étape enregistrée.", redirect("project_detail", project.pk))


@login_required
@require_POST
def project_comment(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, project, error=form_errors(form), comment_form=form)
    try:
        add_comment(request.user, project, form.cleaned_data["text"])
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    return confirmed(request, "Commentaire publié.", redirect("project_detail", project.pk))


@login_required
@require_POST
def project_next_action(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    form = NextActionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, project, error=form_errors(form), action_form=form)
    try:
        data = form.cleaned_data
        set_next_action(request.user, project, data["next_action"], data["next_action_due"], data["lu"])
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except EditConflict as conflict:
        project.refresh_from_db()
        kept = NextActionForm(kept_input(request, conflict))
        return _detail_page(request, project, action_form=kept, error=str(conflict), conflict=conflict)
    return confirmed(request, "Prochaine action enregistrée.", redirect("project_detail", project.pk))


@login_required
@require_POST
def project_team_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    profession, status = request.POST.get("profession", ""), request.POST.get("status", "")
    sent = {key: request.POST.get(key, "") for key in ("profession", "status", "label", "rpps")}
    if profession not in MemberProfession.values or status not in MemberStatus.values:
        return _detail_page(request, project, error=UNKNOWN_MEMBER, team_sent=sent)
    try:
        add_member(
            request.user, project, profession, status, request.POST.get("label", "")[:200], request.POST.get("rpps", "").strip()
        )
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except ValueError as error:
        return _detail_page(request, project, error=str(error), team_sent=sent)
    return confirmed(request, "Membre ajouté à l'équipe.", redirect("project_detail", project.pk))


@login_required
@require_POST
def project_team_remove(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    project = _project(request, pk)
    try:
        remove_member(request.user, project, member_id)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except ValueError as error:
        raise Explained(str(error)) from error
    return confirmed(request, "Membre retiré de l'équipe.", redirect("project_detail", project.pk))


@login_required
@require_POST
def project_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    met = set(request.POST.getlist("met"))
    comments = {key[len("comment-") :]: str(request.POST.get(key, "")) for key in request.POST if key.startswith("comment-")}
    try:
        set_checklist(request.user, project, met, comments, request.POST.get("lu"))
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except EditConflict as conflict:
        return _detail_page(request, project, error=str(conflict), checklist_conflict=conflict)
    except ValueError as error:
        return _detail_page(request, project, error=str(error), status=409)
    return confirmed(request, "Cahier des charges enregistré.", redirect("project_detail", project.pk))


@login_required
def project_avis(request: HttpRequest, pk: int) -> HttpResponse:
    """The avis sur l'adéquation au cahier des charges de l'ARS, as a PDF."""
    project = _project(request, pk)
    if evaluate(project) is None:
        return refused(request, 409, NO_RULES)
    html = render_to_string(
        "www/avis.html",
        {"project": project, "conformity": evaluate(project), "team": project.team.all(), "today": date.today(), "for_pdf": True},
    )
    try:
        document = html_to_pdf(html)
    except PdfUnavailable as error:
        return refused(request, 503, str(error))
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="avis-cahier-des-charges-projet-{project.pk}.pdf"'
    return response

"""What the people following a project are told: its stage changes, comments, documents, an overdue next action."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from oasis.accounts.enums import Role
from oasis.accounts.models import role_of
from oasis.formatting import date_longue
from oasis.notifications.enums import Event
from oasis.notifications.services import Message, notify
from oasis.projects.enums import FINAL, Stage
from oasis.projects.models import (
    Comment,
    DocumentRequest,
    DocumentVersion,
    Project,
    ProjectGuest,
    ProjectTransition,
    ProjetDeSante,
)
from oasis.projects.perms import audience


def _page(project: Project) -> str:
    return reverse("project_detail", args=[project.pk])


def _author(user: Any) -> str:
    return str(user.get_full_name() or user.email or user.username)


def stage_changed(transition: ProjectTransition) -> int:
    project = transition.project
    message = Message(
        Event.ETAPE,
        f"{project.nom} : {Stage(transition.to_stage).label}",
        f"Étape précédente : {Stage(transition.from_stage).label}.\nMotif : {transition.reason}\nPar {_author(transition.by)}.",
        _page(project),
        f"etape:{transition.pk}",
    )
    return notify(audience(project).exclude(pk=transition.by_id), message)


def comment_added(comment: Comment) -> int:
    project = comment.project
    message = Message(
        Event.COMMENTAIRE,
        f"{project.nom} : commentaire de {_author(comment.author)}",
        comment.text,
        _page(project),
        f"commentaire:{comment.pk}",
    )
    return notify(audience(project).exclude(pk=comment.author_id), message)


def document_added(version: DocumentVersion) -> int:
    document = version.document
    project = document.project
    what = "Nouveau document" if version.numero == 1 else f"Version {version.numero} du document"
    message = Message(
        Event.DOCUMENT,
        f"{project.nom} : {what} « {document.titre} »",
        f"Déposé par {_author(version.uploaded_by)}." if version.uploaded_by else "",
        reverse("project_documents", args=[project.pk]),
        f"document:{version.pk}",
    )
    recipients = audience(project, restricted=document.restreint)
    if version.uploaded_by_id:
        recipients = recipients.exclude(pk=version.uploaded_by_id)
    return notify(recipients, message)


def invited(invitation: ProjectGuest) -> int:
    project = invitation.project
    if role_of(invitation.user) == Role.PORTEUR:
        rights = "écrire son projet de santé, y déposer des documents et le commenter"
    else:
        rights = "lire le projet et le commenter"
    message = Message(
        Event.INVITATION,
        f"Vous êtes invité(e) à suivre le projet « {project.nom} »",
        f"Invitation de {_author(invitation.invited_by)} : vous pouvez {rights}." if invitation.invited_by else "",
        _page(project),
        f"invitation:{invitation.pk}",
    )
    return notify([invitation.user], message)


def overdue_actions(today: date) -> int:
    """The Département's officers of each open project whose next action is past its due date, once per due date."""
    told = 0
    overdue = Project.objects.filter(next_action_due__lt=today).exclude(stage__in=FINAL).exclude(next_action="")
    for project in overdue:
        assert project.next_action_due is not None
        message = Message(
            Event.ACTION_EN_RETARD,
            f"{project.nom} : prochaine action en retard",
            f"« {project.next_action} », prévue le {date_longue(project.next_action_due)}.",
            _page(project),
            f"action-en-retard:{project.pk}:{project.next_action_due.isoformat()}",
        )
        told += notify(audience(project, restricted=True), message)
    return told


def projet_de_sante_submitted(version: ProjetDeSante) -> int:
    project = version.project
    message = Message(
        Event.DOCUMENT,
        f"{project.nom} : projet de santé soumis (version {version.numero})",
        f"Soumis par {_author(version.submitted_by)}." if version.submitted_by else "",
        reverse("projet_de_sante_version", args=[project.pk, version.numero]),
        f"projet-de-sante:{version.pk}",
    )
    recipients = audience(project)
    if version.submitted_by_id:
        recipients = recipients.exclude(pk=version.submitted_by_id)
    return notify(recipients, message)


def document_requested(request: DocumentRequest) -> int:
    project = request.project
    due = f" avant le {date_longue(request.due)}" if request.due else ""
    message = Message(
        Event.DOCUMENT,
        f"{project.nom} : document demandé « {request.titre} »{due}",
        f"Demandé par {_author(request.requested_by)} : déposez-le dans l'onglet Documents du projet."
        if request.requested_by
        else "",
        reverse("project_documents", args=[project.pk]),
        f"document-demande:{request.pk}",
    )
    recipients = audience(project)
    if request.requested_by_id:
        recipients = recipients.exclude(pk=request.requested_by_id)
    return notify(recipients, message)

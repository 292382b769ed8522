"""The porteurs' accounts: those who instruct a project give its carriers access to it, and to it only.

A carrier new to OASIS gets an account with no password and an e-mail with a link to choose one (Django's password
reset token: single use, valid PASSWORD_RESET_TIMEOUT); a carrier who already has an account is told in OASIS.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from oasis.accounts.enums import Role
from oasis.accounts.models import Profile, role_of
from oasis.audit.services import record
from oasis.notifications.services import absolute_url, mail_subject
from oasis.projects import notifications, perms
from oasis.projects.models import Project, ProjectGuest
from oasis.projects.services import NotAllowed

NOT_INSTRUCTING = "Votre rôle ne permet pas de donner accès à ce projet."
INVALID_EMAIL = "Adresse électronique invalide : « {email} »."
OTHER_ROLE = (
    "Le compte {email} existe déjà avec un autre rôle : un porteur de projet a son propre compte, avec une autre adresse."
)
INACTIVE = "Le compte {email} est désactivé : l'administrateur doit le réactiver."
ALREADY = "{email} a déjà accès à ce projet."
NO_ACCESS = "Accès introuvable."
PASSWORD_CHOSEN = "{email} a déjà choisi son mot de passe : « Mot de passe oublié » le lui renvoie."


def give_access(user: Any, project: Project, email: str) -> ProjectGuest:
    """Give the porteur whose address is ``email`` access to ``project``, creating their account if needed."""
    if not perms.can_invite(user, project):
        raise NotAllowed(NOT_INSTRUCTING)
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValueError(INVALID_EMAIL.format(email=email)) from error
    carrier = get_user_model().objects.filter(username__iexact=email).select_related("profile").first()
    if carrier is not None and role_of(carrier) != Role.PORTEUR:
        raise ValueError(OTHER_ROLE.format(email=email))
    if carrier is not None and not carrier.is_active:
        raise ValueError(INACTIVE.format(email=email))
    if carrier is not None and project.guests.filter(user=carrier).exists():
        raise ValueError(ALREADY.format(email=email))
    with transaction.atomic():
        created = carrier is None
        if carrier is None:
            carrier = get_user_model().objects.create_user(username=email, email=email, password=None)
            profile = Profile.objects.create(user=carrier, role=Role.PORTEUR, organisation=project.carrier_name)
            record(user, "compte.creation", profile, {"role": Role.PORTEUR.value, "projet": project.pk})
        access = ProjectGuest.objects.create(project=project, user=carrier, invited_by=user)
        record(user, "projet.porteur.acces", project, {"porteur": carrier.pk})
        if created:
            transaction.on_commit(lambda: send_access_link_task.enqueue(access.pk))
        else:
            notifications.invited(access)
    return access


def resend_access_link(user: Any, project: Project, access_id: int) -> ProjectGuest:
    """Send the link again to a porteur who has not chosen a password yet (the first one expired or got lost)."""
    if not perms.can_invite(user, project):
        raise NotAllowed(NOT_INSTRUCTING)
    access = perms.carriers(project).filter(pk=access_id).first()
    if access is None:
        raise ValueError(NO_ACCESS)
    if access.user.has_usable_password():
        raise ValueError(PASSWORD_CHOSEN.format(email=access.user.email))
    record(user, "projet.porteur.lien", project, {"porteur": access.user_id})
    transaction.on_commit(lambda: send_access_link_task.enqueue(access.pk))
    return access


def access_link(carrier: Any) -> str:
    uid = urlsafe_base64_encode(force_bytes(carrier.pk))
    return absolute_url(reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(carrier)]))


def send_access_link(access_id: int) -> None:
    access = ProjectGuest.objects.select_related("project", "user", "invited_by").get(pk=access_id)
    days = settings.PASSWORD_RESET_TIMEOUT // 86_400
    by = f" ({access.invited_by.email})" if access.invited_by else ""
    body = (
        f"Bonjour,\n\nVous avez désormais accès au projet « {access.project.nom} » dans OASIS{by}.\n"
        "Vous pourrez y écrire le projet de santé, déposer des documents et suivre l'accompagnement.\n\n"
        f"Choisissez votre mot de passe en ouvrant ce lien (valable {days} jours, il ne sert qu'une fois) :\n\n"
        f"{access_link(access.user)}\n\n"
        f"Votre identifiant est votre adresse : {access.user.email}\n"
        "Si vous ne connaissez pas ce projet, ignorez ce courriel.\n"
    )
    EmailMessage(mail_subject(f"Votre accès au projet « {access.project.nom} »"), body, to=[access.user.email]).send()


@task()
def send_access_link_task(access_id: int) -> None:
    send_access_link(access_id)

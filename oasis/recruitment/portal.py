"""The public attractiveness portal: open vacancies and projects seeking professionals, people who make themselves
known (double opt-in by e-mail), campaigns sent by e-mail with an unsubscribe link.

Links in e-mails carry a signed token (Django's signing, keyed by SECRET_KEY), never a secret stored in the base.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from oasis.audit.services import record
from oasis.jobs.locks import counted
from oasis.notifications.enums import Event
from oasis.notifications.services import SUBJECT_PREFIX, Message, absolute_url, mail_subject, notify
from oasis.projects.enums import FINAL, PAUSED, MemberStatus
from oasis.projects.models import Project
from oasis.recruitment import perms
from oasis.recruitment.campaigns import audience
from oasis.recruitment.candidates import CandidateData, _apply_data, retention_until
from oasis.recruitment.common import NotAllowed, _check_departement
from oasis.recruitment.enums import CandidateSource, Profession, Situation, VacancyStatus
from oasis.recruitment.models import Campaign, CampaignDelivery, Candidate, PortalSignup, Vacancy
from oasis.recruitment.notifications import officers

CONFIRM_SALT = "oasis.portail.confirmation"
UNSUBSCRIBE_SALT = "oasis.portail.desinscription"
MAX_SIGNUPS_PER_ADDRESS_PER_HOUR = 5
MAX_PENDING_PER_EMAIL = 3

CONSENT_REQUIRED = (
    "Votre accord est nécessaire pour que le Département enregistre vos coordonnées et vous accompagne : "
    "cochez la case de consentement."
)
TOO_MANY = "Trop de demandes depuis cette adresse : réessayez dans une heure."
TOO_MANY_PENDING = "Plusieurs demandes attendent déjà leur confirmation pour cette adresse électronique : ouvrez le lien reçu."
LINK_EXPIRED = "Ce lien de confirmation a expiré : faites-vous connaître à nouveau."
LINK_INVALID = "Ce lien n'est pas valable : vérifiez qu'il a été copié en entier."


def public_vacancies() -> QuerySet[Vacancy]:
    return Vacancy.objects.filter(statut=VacancyStatus.OUVERT).select_related("commune", "departement", "project")


def seeking_projects() -> list[tuple[Project, list[str]]]:
    """Projects under way whose team declares professionals sought, with the professions sought."""
    projects = (
        Project.objects.filter(team__status=MemberStatus.RECHERCHE)
        .exclude(stage__in=(*FINAL, *PAUSED))
        .select_related("commune_principale", "departement")
        .prefetch_related("team")
        .distinct()
        .order_by("departement_id", "nom")
    )
    return [
        (project, sorted({m.get_profession_display() for m in project.team.all() if m.status == MemberStatus.RECHERCHE}))
        for project in projects
    ]


def request_signup(
    data: CandidateData,
    departement: str,
    *,
    vacancy: Vacancy | None,
    consent_processing: bool,
    address: str,
) -> PortalSignup:
    """Record what the person declared and send them the confirmation link (through the worker)."""
    if not consent_processing:
        raise ValueError(CONSENT_REQUIRED)
    _check_departement(departement)
    if data.profession not in Profession.values or data.situation not in Situation.values:
        raise ValueError("Profession ou situation inconnue.")
    email = data.email.strip().lower()
    probe = Candidate(departement_id=departement)
    _apply_data(probe, data)  # checks the territories and the commune as the Département's form does
    # Counted and recorded one request at a time: simultaneous sign-ups would each count the others as absent.
    with counted(f"portail:courriel:{email}", *([f"portail:adresse:{address}"] if address else [])):
        hour_ago = timezone.now() - timedelta(hours=1)
        if (
            address
            and PortalSignup.objects.filter(address=address, created_at__gte=hour_ago).count() >= MAX_SIGNUPS_PER_ADDRESS_PER_HOUR
        ):
            raise ValueError(TOO_MANY)
        if PortalSignup.objects.filter(email=email, confirmed_at__isnull=True).count() >= MAX_PENDING_PER_EMAIL:
            raise ValueError(TOO_MANY_PENDING)
        signup = PortalSignup.objects.create(
            departement_id=departement,
            vacancy=vacancy,
            email=email,
            data={key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in asdict(data).items()},
            consentement_communication=data.consentement_communication,
            address=address,
        )
        transaction.on_commit(lambda: send_confirmation_task.enqueue(signup.pk))
    return signup


def confirmation_link(signup: PortalSignup) -> str:
    token = signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(signup.pk))
    return absolute_url(reverse("portal_confirm", args=[token]))


def send_confirmation(signup_id: int) -> None:
    signup = PortalSignup.objects.select_related("departement").get(pk=signup_id)
    days = int(settings.OASIS_PORTAL_CONFIRMATION_DAYS)
    body = (
        f"Bonjour,\n\nVous avez demandé à vous faire connaître du Département {signup.departement.nom} pour vous "
        f"installer sur son territoire.\nConfirmez votre adresse en ouvrant ce lien (valable {days} jours) :\n\n"
        f"{confirmation_link(signup)}\n\nSans confirmation, votre demande et vos données seront effacées.\n"
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce courriel.\n"
    )
    EmailMessage(f"{SUBJECT_PREFIX}Confirmez votre adresse électronique", body, to=[signup.email]).send()


@task()
def send_confirmation_task(signup_id: int) -> None:
    send_confirmation(signup_id)


def confirm_signup(token: str) -> Candidate:
    """The person opened the link: they become a candidate of the Département (once), whose officers are told."""
    max_age = timedelta(days=int(settings.OASIS_PORTAL_CONFIRMATION_DAYS))
    try:
        pk = int(signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=max_age))
    except signing.SignatureExpired as error:
        raise ValueError(LINK_EXPIRED) from error
    except (signing.BadSignature, ValueError) as error:
        raise ValueError(LINK_INVALID) from error
    with transaction.atomic():
        signup = PortalSignup.objects.select_for_update().filter(pk=pk).first()
        if signup is None:
            raise ValueError(LINK_EXPIRED)
        if signup.candidate_id is not None:
            return signup.candidate  # type: ignore[return-value]
        stored = dict(signup.data)
        available = stored.pop("disponible_le", None)  # stored as text (JSON): the date the person gave, back
        data = CandidateData(**stored, disponible_le=date.fromisoformat(available) if available else None)
        candidate = Candidate(
            departement_id=signup.departement_id,
            consentement_le=timezone.now(),
            conserver_jusqu_au=retention_until(),
            source=CandidateSource.PORTAIL,
        )
        _apply_data(candidate, data)
        candidate.save()
        signup.confirmed_at, signup.candidate = timezone.now(), candidate
        signup.save(update_fields=["confirmed_at", "candidate"])
        record(None, "candidat.inscription_portail", candidate, {"inscription": signup.pk, "poste": signup.vacancy_id})
        what = f"pour le poste n° {signup.vacancy_id}" if signup.vacancy_id else "depuis le portail"
        notify(
            officers(signup.departement_id),
            Message(
                Event.CANDIDAT,
                f"Un(e) {candidate.get_profession_display().lower()} s'est fait connaître {what}",
                "Adresse électronique confirmée ; consentement enregistré.",
                reverse("candidate_detail", args=[candidate.pk]),
                f"candidat-portail:{candidate.pk}",
            ),
        )
    return candidate


def purge_unconfirmed(now: Any = None) -> int:
    """Erase the requests never confirmed within the link's validity: nothing is kept of who did not confirm."""
    limit = (now or timezone.now()) - timedelta(days=int(settings.OASIS_PORTAL_CONFIRMATION_DAYS))
    return PortalSignup.objects.filter(confirmed_at__isnull=True, created_at__lt=limit).delete()[0]


# --- Campaigns by e-mail ---------------------------------------------------------------------------------------------


def unsubscribe_link(candidate: Candidate) -> str:
    token = signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(candidate.pk))
    return absolute_url(reverse("portal_unsubscribe", args=[token]))


def candidate_of_unsubscribe_token(token: str) -> Candidate:
    try:
        pk = int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as error:
        raise ValueError(LINK_INVALID) from error
    candidate = Candidate.objects.filter(pk=pk).first()
    if candidate is None:
        raise ValueError("Vos données ont été effacées : vous ne recevrez plus rien.")
    return candidate


def unsubscribe(token: str) -> Candidate:
    candidate = candidate_of_unsubscribe_token(token)
    if candidate.consentement_communication:
        with transaction.atomic():
            Candidate.objects.filter(pk=candidate.pk).update(consentement_communication=False)
            record(None, "candidat.desinscription", candidate, {"par": "lien de désinscription"})
    candidate.consentement_communication = False
    return candidate


def send_campaign(user: Any, campaign: Campaign) -> None:
    """Queue the sending of the campaign to its audience; those already sent it are skipped."""
    if (
        not perms.can_manage_in(user, campaign.departement_id)
        or not perms.visible_campaigns(user).filter(pk=campaign.pk).exists()
    ):
        raise NotAllowed("Votre rôle ne permet pas d'envoyer cette campagne.")
    with transaction.atomic():
        record(user, "campagne.envoi", campaign, {"destinataires": len(audience(campaign))})
        transaction.on_commit(lambda: send_campaign_task.enqueue(campaign.pk))


def deliver_campaign(campaign_id: int) -> int:
    """Send the campaign to every consenting recipient not sent it yet; returns how many were sent now."""
    campaign = Campaign.objects.select_related("project__commune_principale").get(pk=campaign_id)
    done = set(campaign.deliveries.values_list("candidate_id", flat=True))
    sent = 0
    with get_connection() as connection:
        for candidate in audience(campaign):
            if candidate.pk in done:
                continue
            body = f"Bonjour {candidate.prenom},\n\n{campaign.message}\n"
            if campaign.project:
                body += f"\nProjet : {campaign.project.nom} ({campaign.project.commune_principale.nom}).\n"
            body += (
                f"\nLes postes ouverts : {absolute_url(reverse('portal'))}\n\n-- \nVous recevez ce courriel parce que vous "
                "avez accepté de recevoir les présentations de projets du Département.\n"
                f"Ne plus en recevoir : {unsubscribe_link(candidate)}\n"
            )
            message = EmailMessage(mail_subject(campaign.titre), body, to=[candidate.email])
            message.extra_headers["List-Unsubscribe"] = f"<{unsubscribe_link(candidate)}>"
            connection.send_messages([message])
            CampaignDelivery.objects.create(campaign=campaign, candidate=candidate)
            sent += 1
    return sent


@task()
def send_campaign_task(campaign_id: int) -> int:
    return deliver_campaign(campaign_id)

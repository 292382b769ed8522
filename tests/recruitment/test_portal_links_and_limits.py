"""The portal's links and limits, each at, just under and just over its value: requests per address and hour, pending
requests per e-mail, the confirmation link's validity and the erasure of requests never confirmed; the signed links
refused when altered, of another kind, or pointing to what no longer exists.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from oasis.audit.models import AuditEvent
from oasis.recruitment import portal
from oasis.recruitment.candidates import CandidateData
from oasis.recruitment.models import Candidate, PortalSignup

pytestmark = pytest.mark.django_db
ADDRESS = "192.0.2.10"


def data(email: str = "lea.martin@etu.test", **changes: object) -> CandidateData:
    given: dict[str, object] = {
        "nom": "Martin",
        "prenom": "Léa",
        "profession": "generaliste",
        "situation": "interne",
        "email": email,
        "annee_etudes": 7,
        "territoires_preferes": ["dep:86"],
        "modes": ["liberal"],
        "consentement_communication": True,
    }
    return CandidateData(**(given | changes))  # type: ignore[arg-type]


def ask(email: str = "lea.martin@etu.test", address: str = ADDRESS, **changes: object) -> PortalSignup:
    return portal.request_signup(data(email, **changes), "86", vacancy=None, consent_processing=True, address=address)


def age(signup: PortalSignup, delta: timedelta) -> None:
    PortalSignup.objects.filter(pk=signup.pk).update(created_at=timezone.now() - delta)


def test_what_a_request_records(national):
    signup = ask(" Lea.Martin@Etu.TEST ", disponible_le=timezone.now().date())
    stored = PortalSignup.objects.get(pk=signup.pk)
    assert (stored.email, stored.departement_id, stored.vacancy, stored.address) == ("lea.martin@etu.test", "86", None, ADDRESS)
    assert stored.consentement_communication is True and stored.candidate is None and stored.confirmed_at is None
    assert stored.data["disponible_le"] == timezone.now().date().isoformat()
    assert (stored.data["nom"], stored.data["annee_etudes"], stored.data["modes"]) == ("Martin", 7, ["liberal"])


@pytest.mark.parametrize("changes", [{"profession": "plombier"}, {"situation": "retraite-x"}])
def test_an_unknown_profession_or_situation_is_refused(national, changes):
    with pytest.raises(ValueError, match=r"^Profession ou situation inconnue\.$"):
        ask(**changes)
    assert not PortalSignup.objects.exists()


def test_no_consent_no_request(national):
    with pytest.raises(ValueError) as error:
        portal.request_signup(data(), "86", vacancy=None, consent_processing=False, address=ADDRESS)
    assert str(error.value) == portal.CONSENT_REQUIRED
    assert not PortalSignup.objects.exists()


def test_requests_per_address_within_the_hour_at_under_and_over_the_limit(national):
    assert portal.MAX_SIGNUPS_PER_ADDRESS_PER_HOUR == 5
    made = [ask(f"personne{index}@etu.test") for index in range(4)]  # 4: under the limit
    made.append(ask("personne4@etu.test"))  # the 5th is allowed: 4 before it
    with pytest.raises(ValueError) as error:  # the 6th: 5 before it within the hour
        ask("personne5@etu.test")
    assert str(error.value) == portal.TOO_MANY
    # One of the five an hour and a minute old: 4 within the hour, a new one is allowed.
    age(made[0], timedelta(hours=1, minutes=1))
    ask("personne6@etu.test")
    with pytest.raises(ValueError):
        ask("personne7@etu.test")
    # Fifty-nine minutes old still counts.
    age(made[1], timedelta(minutes=59))
    with pytest.raises(ValueError):
        ask("personne8@etu.test")
    # Another address is not limited by this one's, nor is a request without address.
    ask("autre@etu.test", address="192.0.2.11")
    for index in range(6):
        ask(f"sans-adresse{index}@etu.test", address="")


def test_pending_requests_per_email_at_under_and_over_the_limit(national):
    assert portal.MAX_PENDING_PER_EMAIL == 3
    first = ask(address="192.0.2.1")
    ask(address="192.0.2.2")
    ask(address="192.0.2.3")  # the 3rd: 2 pending before it
    with pytest.raises(ValueError) as error:
        ask("LEA.MARTIN@etu.test ", address="192.0.2.4")  # the same address written otherwise
    assert str(error.value) == portal.TOO_MANY_PENDING
    # A confirmed request no longer counts, however recent.
    PortalSignup.objects.filter(pk=first.pk).update(confirmed_at=timezone.now())
    ask(address="192.0.2.5")
    with pytest.raises(ValueError):
        ask(address="192.0.2.6")
    ask("autre@etu.test", address="192.0.2.7")


def test_the_confirmation_link_at_under_and_over_its_validity(national, settings, monkeypatch):
    settings.OASIS_PORTAL_CONFIRMATION_DAYS = 7
    signup = ask()
    link = portal.confirmation_link(signup)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert link == f"http://127.0.0.1:8000/installation/confirmation/{token}/"
    assert signing.TimestampSigner(salt=portal.CONFIRM_SALT).unsign(token) == str(signup.pk)
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + 7 * 86400 + 60)
    with pytest.raises(ValueError) as error:
        portal.confirm_signup(token)
    assert str(error.value) == portal.LINK_EXPIRED
    monkeypatch.setattr(signing.time, "time", lambda: now + 7 * 86400 - 60)
    candidate = portal.confirm_signup(token)
    assert candidate.email == "lea.martin@etu.test" and candidate.source == "portail"
    # Opened again: the same candidate, nothing more written.
    assert portal.confirm_signup(token) == candidate
    assert Candidate.objects.count() == 1
    assert AuditEvent.objects.filter(action="candidat.inscription_portail").count() == 1


def test_what_the_confirmation_makes(national):
    signup = ask()
    before = timezone.now()
    candidate = portal.confirm_signup(portal.confirmation_link(signup).rstrip("/").rsplit("/", 1)[1])
    stored = Candidate.objects.get(pk=candidate.pk)
    assert (stored.nom, stored.prenom, stored.profession, stored.situation, stored.departement_id) == (
        "Martin",
        "Léa",
        "generaliste",
        "interne",
        "86",
    )
    assert stored.consentement_le is not None and stored.consentement_le >= before
    assert stored.conserver_jusqu_au is not None and stored.conserver_jusqu_au > before.date()
    signup.refresh_from_db()
    assert signup.candidate_id == candidate.pk and signup.confirmed_at is not None and signup.confirmed_at >= before
    event = AuditEvent.objects.get(action="candidat.inscription_portail")
    assert event.details == {"inscription": signup.pk, "poste": None}
    # No availability given: none on the candidate.
    assert stored.disponible_le is None


def test_the_availability_given_on_the_portal_reaches_the_candidate(national):
    from datetime import date

    signup = ask(disponible_le=date(2027, 9, 1))
    candidate = portal.confirm_signup(portal.confirmation_link(signup).rstrip("/").rsplit("/", 1)[1])
    assert Candidate.objects.get(pk=candidate.pk).disponible_le == date(2027, 9, 1)


@pytest.mark.parametrize(
    "token",
    [
        "abc:def",
        signing.TimestampSigner(salt=portal.UNSUBSCRIBE_SALT).sign("1"),  # another kind of link
        signing.TimestampSigner(salt=portal.CONFIRM_SALT).sign("pas-un-nombre"),
    ],
    # Fixed ids: a signed token carries the time it was made, and mutmut runs each test again by its id.
    ids=["altere", "autre-lien", "pas-un-nombre"],
)
def test_an_altered_or_foreign_confirmation_link_is_invalid(national, token):
    with pytest.raises(ValueError) as error:
        portal.confirm_signup(token)
    assert str(error.value) == portal.LINK_INVALID


def test_a_link_to_an_erased_request_says_it_expired(national):
    signup = ask()
    token = portal.confirmation_link(signup).rstrip("/").rsplit("/", 1)[1]
    PortalSignup.objects.filter(pk=signup.pk).delete()
    with pytest.raises(ValueError) as error:
        portal.confirm_signup(token)
    assert str(error.value) == portal.LINK_EXPIRED


def test_unconfirmed_requests_are_erased_at_under_and_over_the_validity(national, settings):
    settings.OASIS_PORTAL_CONFIRMATION_DAYS = 7
    pending, confirmed = ask(address="192.0.2.1"), ask("autre@etu.test", address="192.0.2.2")
    PortalSignup.objects.filter(pk=confirmed.pk).update(confirmed_at=timezone.now())
    created = PortalSignup.objects.get(pk=pending.pk).created_at
    assert portal.purge_unconfirmed(created + timedelta(days=7) - timedelta(seconds=1)) == 0
    assert portal.purge_unconfirmed(created + timedelta(days=7)) == 0  # exactly the validity: still in time
    assert portal.purge_unconfirmed(created + timedelta(days=7, seconds=1)) == 1
    assert list(PortalSignup.objects.values_list("pk", flat=True)) == [confirmed.pk]
    settings.OASIS_PORTAL_CONFIRMATION_DAYS = 1
    assert portal.purge_unconfirmed(timezone.now() + timedelta(days=30)) == 0  # a confirmed request is kept
    fresh = ask("neuve@etu.test", address="192.0.2.3")
    assert portal.purge_unconfirmed(fresh.created_at + timedelta(days=1, seconds=1)) == 1
    age(ask("vieille@etu.test", address="192.0.2.4"), timedelta(days=1, seconds=5))
    assert portal.purge_unconfirmed() == 1  # now, by default


def test_the_unsubscribe_link(national, student):
    link = portal.unsubscribe_link(student)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert link == f"http://127.0.0.1:8000/installation/desinscription/{token}/"
    assert portal.candidate_of_unsubscribe_token(token) == student
    foreign = signing.Signer(salt=portal.CONFIRM_SALT).sign(str(student.pk))
    for bad in ("abc:def", foreign, signing.Signer(salt=portal.UNSUBSCRIBE_SALT).sign("x")):
        with pytest.raises(ValueError) as error:
            portal.candidate_of_unsubscribe_token(bad)
        assert str(error.value) == portal.LINK_INVALID
    assert portal.unsubscribe(token).consentement_communication is False
    assert Candidate.objects.get(pk=student.pk).consentement_communication is False
    assert portal.unsubscribe(token).consentement_communication is False  # twice: one record only
    assert AuditEvent.objects.filter(action="candidat.desinscription", objet_id=str(student.pk)).count() == 1
    event = AuditEvent.objects.get(action="candidat.desinscription")
    assert (event.user, event.details) == (None, {"par": "lien de désinscription"})
    Candidate.objects.filter(pk=student.pk).delete()
    with pytest.raises(ValueError) as erased:
        portal.candidate_of_unsubscribe_token(token)
    assert str(erased.value) == "Vos données ont été effacées : vous ne recevrez plus rien."


def test_a_request_exactly_an_hour_old_still_counts(national, monkeypatch):
    made = [ask(f"personne{index}@etu.test") for index in range(5)]
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    PortalSignup.objects.filter(pk=made[0].pk).update(created_at=now - timedelta(hours=1))
    with pytest.raises(ValueError):
        ask("personne5@etu.test")
    PortalSignup.objects.filter(pk=made[0].pk).update(created_at=now - timedelta(hours=1, microseconds=1))
    ask("personne6@etu.test")


# --- Campaigns by e-mail -----------------------------------------------------------------------------------------------


def _consenting(cast, nom: str, email: str) -> Candidate:  # type: ignore[no-untyped-def]
    from oasis.recruitment.candidates import create_candidate

    return create_candidate(cast["vienne"], "86", data(email, nom=nom, prenom="Jean"), consent_given=True)


def test_a_campaign_goes_once_to_each_recipient_not_sent_it_yet(national, cast, student, project, mailoutbox):
    from oasis.recruitment.campaigns import create_campaign
    from oasis.recruitment.models import CampaignDelivery

    bernard = _consenting(cast, "Bernard", "jean.bernard@etu.test")
    morel = _consenting(cast, "Morel", "jean.morel@etu.test")
    campaign = create_campaign(cast["vienne"], "86", "MSP de Lussac", "Une maison de santé ouvre.", [], False, project.pk)
    # Bernard, first in the audience's order (by name), was sent it already: the others still are.
    done = CampaignDelivery.objects.create(campaign=campaign, candidate=bernard)
    assert done.pk != bernard.pk
    assert [candidate.nom for candidate in portal.audience(campaign)] == ["Bernard", "Durand", "Morel"]
    assert portal.deliver_campaign(campaign.pk) == 2
    assert [mail.to for mail in mailoutbox] == [["lea.durand@etu.test"], ["jean.morel@etu.test"]]
    link = portal.unsubscribe_link(student)
    assert mailoutbox[0].subject == "[OASIS] MSP de Lussac"
    assert mailoutbox[0].body == (
        "Bonjour Léa,\n\nUne maison de santé ouvre.\n\n"
        "Projet : Maison de santé de Lussac-les-Châteaux (Lussac-les-Châteaux).\n\n"
        "Les postes ouverts : http://127.0.0.1:8000/installation/\n\n-- \n"
        "Vous recevez ce courriel parce que vous avez accepté de recevoir les présentations de projets du Département.\n"
        f"Ne plus en recevoir : {link}\n"
    )
    assert mailoutbox[0].message()["List-Unsubscribe"] == f"<{link}>"
    assert mailoutbox[1].message()["List-Unsubscribe"] == f"<{portal.unsubscribe_link(morel)}>"
    assert set(campaign.deliveries.values_list("candidate__nom", flat=True)) == {"Bernard", "Durand", "Morel"}
    assert portal.deliver_campaign(campaign.pk) == 0
    assert len(mailoutbox) == 2


def test_a_campaign_without_project_says_none(national, cast, student, mailoutbox):
    from oasis.recruitment.campaigns import create_campaign

    campaign = create_campaign(cast["vienne"], "86", "Installez-vous", "La Vienne vous accueille.", [], False, None)
    assert portal.deliver_campaign(campaign.pk) == 1
    assert mailoutbox[0].body.startswith("Bonjour Léa,\n\nLa Vienne vous accueille.\n\nLes postes ouverts : ")


def test_sending_a_campaign_is_recorded_and_queued(national, cast, student, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from oasis.recruitment.campaigns import create_campaign

    campaign = create_campaign(cast["vienne"], "86", "MSP", "Message", [], False, None)
    with django_capture_on_commit_callbacks(execute=True):
        portal.send_campaign(cast["vienne"], campaign)
    event = AuditEvent.objects.get(action="campagne.envoi")
    assert (event.user, event.objet_id, event.details) == (cast["vienne"], str(campaign.pk), {"destinataires": 1})
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "oasis.recruitment.portal.send_campaign_task"
    assert queued.args_kwargs["args"] == [campaign.pk]


@pytest.mark.parametrize("who", ["ars_na", "lussac", "charente_maritime", "medecin", "cpam_na"])
def test_only_the_departement_sends_its_campaign(national, cast, who, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from oasis.recruitment.campaigns import create_campaign
    from oasis.recruitment.common import NotAllowed

    campaign = create_campaign(cast["vienne"], "86", "MSP", "Message", [], False, None)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotAllowed) as error:
        portal.send_campaign(cast[who], campaign)
    assert str(error.value) == "Votre rôle ne permet pas d'envoyer cette campagne."
    assert not AuditEvent.objects.filter(action="campagne.envoi").exists()
    assert not DBTaskResult.objects.exists()


def test_the_confirmation_mail_written_out(national, settings, mailoutbox):
    import re

    settings.OASIS_PORTAL_CONFIRMATION_DAYS = 5
    signup = ask()
    portal.send_confirmation(signup.pk)
    (mail,) = mailoutbox
    assert (mail.subject, mail.to) == ("[OASIS] Confirmez votre adresse électronique", ["lea.martin@etu.test"])
    found = re.search(r"http://127\.0\.0\.1:8000/installation/confirmation/(\S+)/\n", mail.body)
    assert found is not None
    assert mail.body == (
        "Bonjour,\n\nVous avez demandé à vous faire connaître du Département Vienne pour vous installer sur son "
        "territoire.\nConfirmez votre adresse en ouvrant ce lien (valable 5 jours) :\n\n"
        f"http://127.0.0.1:8000/installation/confirmation/{found.group(1)}/\n\n"
        "Sans confirmation, votre demande et vos données seront effacées.\n"
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce courriel.\n"
    )
    assert portal.confirm_signup(found.group(1)).email == "lea.martin@etu.test"


def test_the_departement_s_officers_are_told_in_words(national, cast):
    from oasis.notifications.models import Notification
    from oasis.recruitment.vacancies import VacancyData, create_vacancy

    offer = VacancyData(commune="86070", profession="generaliste", mode="liberal", contact_nom="Mairie")
    vacancy = create_vacancy(cast["vienne"], offer)
    for_the_vacancy = portal.request_signup(data("paul@etu.test"), "86", vacancy=vacancy, consent_processing=True, address="")
    for signup in (ask(), for_the_vacancy):
        candidate = portal.confirm_signup(portal.confirmation_link(signup).rstrip("/").rsplit("/", 1)[1])
        told = Notification.objects.get(recipient=cast["vienne"], link=f"/recrutement/candidats/{candidate.pk}/")
        where = f"pour le poste n° {vacancy.pk}" if signup.vacancy_id else "depuis le portail"
        assert (told.title, told.body) == (
            f"Un(e) médecin généraliste s'est fait connaître {where}",
            "Adresse électronique confirmée ; consentement enregistré.",
        )
    assert Notification.objects.filter(recipient=cast["charente_maritime"]).count() == 0


def test_a_request_queues_its_confirmation_mail(national, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        signup = ask()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "oasis.recruitment.portal.send_confirmation_task"
    assert queued.args_kwargs["args"] == [signup.pk]

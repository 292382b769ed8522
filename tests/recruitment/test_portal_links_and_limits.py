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


@pytest.mark.parametrize(
    "token",
    [
        "abc:def",
        signing.TimestampSigner(salt=portal.UNSUBSCRIBE_SALT).sign("1"),  # another kind of link
        signing.TimestampSigner(salt=portal.CONFIRM_SALT).sign("pas-un-nombre"),
    ],
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
    Candidate.objects.filter(pk=student.pk).delete()
    with pytest.raises(ValueError, match="Vos données ont été effacées"):
        portal.candidate_of_unsubscribe_token(token)


def test_a_request_exactly_an_hour_old_still_counts(national, monkeypatch):
    made = [ask(f"personne{index}@etu.test") for index in range(5)]
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    PortalSignup.objects.filter(pk=made[0].pk).update(created_at=now - timedelta(hours=1))
    with pytest.raises(ValueError):
        ask("personne5@etu.test")
    PortalSignup.objects.filter(pk=made[0].pk).update(created_at=now - timedelta(hours=1, microseconds=1))
    ask("personne6@etu.test")

"""The public portal, for anyone without an account: open vacancies with their territory and aids, making oneself
known with a double opt-in through a real SMTP server, campaigns by e-mail with a working unsubscribe link."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from oasis.audit.models import AuditEvent
from oasis.notifications.enums import Event
from oasis.notifications.models import Notification
from oasis.recruitment import portal
from oasis.recruitment.campaigns import create_campaign
from oasis.recruitment.enums import CandidateSource, VacancyStatus
from oasis.recruitment.models import Candidate, PortalSignup
from oasis.recruitment.vacancies import VacancyData, create_vacancy, set_vacancy_status
from oasis.territories.models import Commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def vacancy(cast):  # type: ignore[no-untyped-def]
    data = VacancyData(
        commune="86070", profession="generaliste", mode="liberal", contact_nom="Mairie de Chauvigny", logement=True
    )
    return create_vacancy(cast["vienne"], data)


SIGNUP = {
    "prenom": "Léa",
    "nom": "Martin",
    "email": "lea.martin@etu.test",
    "profession": "generaliste",
    "situation": "interne",
    "annee_etudes": "7",
    "departement": "86",
    "modes": ["liberal"],
    "consentement": "on",
    "consentement_communication": "on",
}


def signup(client, **changes):  # type: ignore[no-untyped-def]
    return client.post(reverse("portal_signup"), {**SIGNUP, **changes})


def confirmation_link(smtp) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r"http://127\.0\.0\.1:8000(/installation/confirmation/\S+/)", smtp.mails[-1].text)
    assert found is not None
    return found.group(1)


def test_anyone_reads_the_open_vacancies_with_their_territory_and_aids(client, vacancy, vienne_medecine):
    home = client.get(reverse("portal")).content.decode()
    assert "Médecin généraliste à Chauvigny" in home
    page = client.get(reverse("portal_vacancy", args=[vacancy.pk])).content.decode()
    assert "Mairie de Chauvigny" in page and "<dt>Logement</dt><dd>proposé" in page
    epci = Commune.objects.get(pk="86070").epci
    assert f"Le territoire : {epci.nom}" in page
    assert re.search(r"BPE \d{4}\)", page) and re.search(r"DREES \d{4}\)", page)  # years, not « 2 019 »
    assert "Aide aux études de médecine (Vienne)" in page
    set_vacancy_status(vacancy.created_by, vacancy, VacancyStatus.POURVU)
    assert client.get(reverse("portal_vacancy", args=[vacancy.pk])).status_code == 404
    assert "Chauvigny" not in client.get(reverse("portal")).content.decode()


def test_a_professional_makes_themselves_known_confirms_and_the_departement_is_told(
    client, cast, vacancy, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = signup(client, poste=str(vacancy.pk))
    assert response.status_code == 200 and "lea.martin@etu.test" in response.content.decode()
    assert len(callbacks) == 1  # the confirmation goes through the worker
    signup_row = PortalSignup.objects.get()
    assert signup_row.vacancy == vacancy and signup_row.candidate is None
    assert not Candidate.objects.filter(email="lea.martin@etu.test").exists()  # nothing before the confirmation
    portal.send_confirmation(signup_row.pk)
    assert smtp.mails[-1].recipients == ["lea.martin@etu.test"]
    link = confirmation_link(smtp)
    page = client.get(link)
    assert page.status_code == 200 and "votre demande est confirmée" in page.content.decode()
    candidate = Candidate.objects.get(email="lea.martin@etu.test")
    assert candidate.source == CandidateSource.PORTAIL and candidate.departement_id == "86"
    assert candidate.consentement_communication and candidate.territoires_preferes == ["dep:86"]
    assert AuditEvent.objects.filter(action="candidat.inscription_portail", objet_id=str(candidate.pk)).count() == 1
    told = Notification.objects.get(event=Event.CANDIDAT)
    assert told.recipient == cast["vienne"] and "Léa" not in told.title and "Martin" not in told.title
    assert client.get(link).status_code == 200  # a second click changes nothing
    assert Candidate.objects.filter(email="lea.martin@etu.test").count() == 1


def test_no_consent_no_signup(client):
    response = signup(client, consentement="")
    assert response.status_code == 400 and portal.CONSENT_REQUIRED.replace("'", "&#x27;") in response.content.decode()
    assert not PortalSignup.objects.exists()


def test_bad_links_are_refused_clearly(client, settings, smtp):
    assert portal.LINK_INVALID.replace("'", "&#x27;") in client.get("/installation/confirmation/abc:def/").content.decode()
    signup(client)
    portal.send_confirmation(PortalSignup.objects.get().pk)
    link = confirmation_link(smtp)
    settings.OASIS_PORTAL_CONFIRMATION_DAYS = 0
    expired = client.get(link)
    assert expired.status_code == 400 and "a expiré" in expired.content.decode()
    assert not Candidate.objects.exists()


def test_requests_are_limited_per_address_and_per_email(client):
    for index in range(portal.MAX_PENDING_PER_EMAIL):
        assert signup(client).status_code == 200, index
    refused = signup(client)
    assert refused.status_code == 400 and "attendent déjà leur confirmation" in refused.content.decode()
    for index in range(portal.MAX_SIGNUPS_PER_ADDRESS_PER_HOUR - portal.MAX_PENDING_PER_EMAIL):
        assert signup(client, email=f"autre{index}@etu.test").status_code == 200
    assert "Trop de demandes" in signup(client, email="encore@etu.test").content.decode()


def test_unconfirmed_requests_are_erased_after_the_links_validity(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    signup(client)
    assert portal.purge_unconfirmed(timezone.now() + timedelta(days=6)) == 0
    assert portal.purge_unconfirmed(timezone.now() + timedelta(days=8)) == 1
    assert not PortalSignup.objects.exists()


def test_a_campaign_is_emailed_once_to_consenting_candidates_who_can_unsubscribe(client, cast, student, smtp):
    campaign = create_campaign(cast["vienne"], "86", "MSP de Lussac", "Une maison de santé ouvre à Lussac.", [], False, None)
    client.force_login(cast["vienne"])
    assert client.post(reverse("campaign_send", args=[campaign.pk])).status_code == 302
    assert portal.deliver_campaign(campaign.pk) == 1
    assert portal.deliver_campaign(campaign.pk) == 0  # sent once
    mail = smtp.to("lea.durand@etu.test")[0]
    assert mail.subject == "[OASIS] MSP de Lussac" and "Une maison de santé ouvre à Lussac." in mail.text
    link = re.search(r"http://127\.0\.0\.1:8000(/installation/desinscription/\S+/)", mail.text)
    assert link is not None and mail.message["List-Unsubscribe"]
    client.logout()
    page = client.get(link.group(1)).content.decode()
    assert "Confirmer la désinscription" in page
    client.post(link.group(1) + "confirmer/")
    student.refresh_from_db()
    assert not student.consentement_communication
    assert AuditEvent.objects.filter(action="candidat.desinscription", objet_id=str(student.pk)).count() == 1
    other = create_campaign(cast["vienne"], "86", "Autre", "Autre message", [], False, None)
    assert portal.deliver_campaign(other.pk) == 0


@pytest.mark.parametrize("who", ["ars_na", "lussac", "charente_maritime", "medecin"])
def test_only_the_departement_sends_its_campaigns(client, cast, who):
    campaign = create_campaign(cast["vienne"], "86", "MSP", "Message", [], False, None)
    client.force_login(cast[who])
    assert client.post(reverse("campaign_send", args=[campaign.pk])).status_code in (403, 404)


def test_projects_seeking_professionals_by_departement_and_name(cast, django_assert_num_queries):
    from oasis.projects.enums import Stage
    from oasis.projects.models import Project
    from oasis.projects.services import add_member, create_project
    from tests.factories import NewProjectFactory

    def made(user, nom, commune, *members):  # type: ignore[no-untyped-def]
        project = create_project(cast[user], NewProjectFactory(nom=nom, commune_principale=commune))
        for profession, status in members:
            add_member(cast[user], project, profession, status)
        return project

    lussac = made(
        "vienne",
        "Maison de santé de Lussac",
        "86140",
        ("sage-femme", "recherche"),
        ("generaliste", "recherche"),
        ("generaliste", "recherche"),
        ("pharmacien", "associe-liberal"),
    )
    chauvigny = made("vienne", "Centre de santé de Chauvigny", "86070", ("generaliste", "recherche"))
    royan = made("charente_maritime", "Pôle de santé de Royan", "17306", ("chirurgien-dentiste", "recherche"))
    made("vienne", "Maison de santé complète", "86194", ("generaliste", "associe-liberal"))
    made("vienne", "Projet sans équipe", "86194")
    for stage in (Stage.SUSPENDU, Stage.ABANDONNE, Stage.REFUSE):
        stopped = made("vienne", f"Projet {stage}", "86194", ("generaliste", "recherche"))
        Project.objects.filter(pk=stopped.pk).update(stage=stage)
    assert portal.seeking_projects() == [
        (royan, ["Chirurgien-dentiste"]),
        (chauvigny, ["Médecin généraliste"]),
        (lussac, ["Médecin généraliste", "Sage-femme"]),
    ]
    # The page reads each project's commune and département with it, and the teams in one more query.
    with django_assert_num_queries(2):
        shown = [(p.commune_principale.nom, p.departement.nom, sought) for p, sought in portal.seeking_projects()]
    assert shown[0] == ("Royan", "Charente-Maritime", ["Chirurgien-dentiste"])


def test_the_open_vacancies_are_read_with_their_commune_departement_and_project(cast, project, django_assert_num_queries):
    for commune in ("86070", "86140"):
        data = VacancyData(commune=commune, profession="generaliste", mode="liberal", contact_nom="Mairie", project_id=project.pk)
        create_vacancy(cast["vienne"], data)
    filled = VacancyData(commune="86194", profession="generaliste", mode="liberal", contact_nom="CHU")
    closed = create_vacancy(cast["vienne"], filled)
    set_vacancy_status(cast["vienne"], closed, VacancyStatus.POURVU)
    with django_assert_num_queries(1):
        shown = sorted((v.commune.nom, v.departement.nom, v.project.nom) for v in portal.public_vacancies())
    assert shown == [
        ("Chauvigny", "Vienne", "Maison de santé de Lussac-les-Châteaux"),
        ("Lussac-les-Châteaux", "Vienne", "Maison de santé de Lussac-les-Châteaux"),
    ]

"""Requests for support (« prise de contact ») from communes and EPCI: opened from their account, seen by their
Département, turned into a project; nobody else sees them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oasis.accounts.enums import Role
from oasis.audit.models import AuditEvent
from oasis.projects import support_requests as sr
from oasis.projects.enums import Stage, SupportRequestStatus
from oasis.projects.services import NotAllowed
from tests.projects.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(cast):  # type: ignore[no-untyped-def]
    message = "Nous voulons une maison de santé."
    return sr.open_request(cast["lussac"], "Départ en retraite de nos deux médecins", message, "05 49 00 00 00")


def test_a_commune_opens_a_request_for_its_departement(cast, opened):
    assert (opened.departement_id, opened.collectivite_code, opened.collectivite_nom) == ("86", "86140", "Lussac-les-Châteaux")
    assert opened.status == SupportRequestStatus.OUVERTE and opened.created_by == cast["lussac"]
    assert AuditEvent.objects.filter(action="demande.ouverture").count() == 1
    for who in ("vienne", "ars_na", "medecin"):
        with pytest.raises(NotAllowed):
            sr.open_request(cast[who], "Objet")
    with pytest.raises(ValueError, match="objet"):
        sr.open_request(cast["lussac"], "  ")


def test_an_epci_request_goes_to_the_departement_of_its_communes(cast):
    from oasis.territories.models import Commune

    epci = Commune.objects.get(pk="86140").epci_id
    user = make_user("pres@epci.test", Role.COLLECTIVITE, collectivite_niveau="epci", collectivite_code=epci)
    request = sr.open_request(user, "Diagnostic de l'offre de soins")
    assert request.departement_id == "86" and request.collectivite_niveau == "epci"


def test_who_sees_which_request(cast, opened):
    assert list(sr.visible_requests(cast["vienne"])) == [opened]
    assert list(sr.visible_requests(cast["lussac"])) == [opened]
    for who in ("chauvigny", "charente_maritime", "ars_na", "cpam_na", "medecin"):
        assert list(sr.visible_requests(cast[who])) == []


def test_the_departement_turns_it_into_a_project_once(cast, opened):
    choice = sr.ProjectChoice("Maison de santé de Lussac", "msp", "commune", "Commune de Lussac", "86140")
    with pytest.raises(NotAllowed):
        sr.turn_into_project(cast["charente_maritime"], opened, choice)
    with pytest.raises(NotAllowed):
        sr.turn_into_project(cast["lussac"], opened, choice)
    project = sr.turn_into_project(cast["vienne"], opened, choice)
    opened.refresh_from_db()
    assert opened.project == project and opened.status == SupportRequestStatus.PROJET and opened.handled_by == cast["vienne"]
    assert project.stage == Stage.PRISE_DE_CONTACT
    assert (project.collectivite_niveau, project.collectivite_code) == ("commune", "86140")
    assert "Lussac-les-Châteaux" in project.next_action
    with pytest.raises(ValueError, match="déjà devenue un projet"):
        sr.turn_into_project(cast["vienne"], opened, choice)


@pytest.mark.parametrize(
    ("who", "status", "form"),
    [("lussac", 200, True), ("vienne", 200, False), ("chauvigny", 200, True), ("ars_na", 403, False), ("medecin", 403, False)],
)
def test_the_list_page_for_each_role(client, cast, opened, who, status, form):
    client.force_login(cast[who])
    response = client.get(reverse("support_requests"))
    assert response.status_code == status
    if status == 200:
        content = response.content.decode()
        assert ('id="demande-form"' in content) is form
        assert ("Départ en retraite" in content) is (who in ("lussac", "vienne"))
    detail = client.get(reverse("support_request", args=[opened.pk]))
    assert detail.status_code == (200 if who in ("lussac", "vienne") else 404 if status == 200 else 403)


def test_anonymous_visitors_are_sent_to_the_login(client, opened):
    for url in (reverse("support_requests"), reverse("support_request", args=[opened.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_from_the_commune_to_the_project_through_the_pages(client, cast):
    client.force_login(cast["lussac"])
    refused = client.post(reverse("support_request_open"), {"objet": "", "message": "Texte gardé"})
    assert refused.status_code == 400 and "Texte gardé" in refused.content.decode()
    sent = client.post(reverse("support_request_open"), {"objet": "Projet de maison de santé", "telephone": "0549"}, follow=True)
    assert "Demande envoyée au Département (Vienne)" in sent.content.decode()
    (request,) = sr.visible_requests(cast["vienne"])
    client.force_login(cast["vienne"])
    page = client.get(reverse("support_request", args=[request.pk])).content.decode()
    assert 'id="projet-form"' in page and 'value="Lussac-les-Châteaux (86140)"' in page
    chosen = {"nom": "MSP de Lussac", "kind": "msp", "carrier": "commune", "carrier_name": "Commune de Lussac"}
    # the commune as the page fills it in (« 86140 » alone is also Lencloître's postcode)
    chosen["commune_principale"] = "Lussac-les-Châteaux (86140)"
    created = client.post(reverse("support_request_project", args=[request.pk]), chosen, follow=True)
    assert "Projet « MSP de Lussac » créé à partir de la demande." in created.content.decode()
    request.refresh_from_db()
    assert request.project is not None and request.project.nom == "MSP de Lussac"
    assert 'id="projet-form"' not in client.get(reverse("support_request", args=[request.pk])).content.decode()

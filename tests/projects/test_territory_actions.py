"""Actions that concern a territory or several projects (coordination with ARS/CPAM, communication, prevention):
recorded by the Département's officers, read by the ARS and CPAM of the région, shown on each project concerned."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from oasis.audit.models import AuditEvent
from oasis.projects import territory_actions as ta
from oasis.projects.services import NotAllowed

pytestmark = pytest.mark.django_db

ENTRY = ta.ActionEntry(
    "coordination", date(2026, 11, 20), "Réunion ARS, CPAM et Département", "Sud-Vienne", "ARS, CPAM", "Relevé."
)


def test_an_action_concerns_several_projects(cast, project, other_project):
    action = ta.add(cast["vienne"], "86", ENTRY, [project.pk, other_project.pk])
    assert set(action.projects.all()) == {project, other_project}
    assert ta.for_project(cast["vienne"], project) == [action] and ta.for_project(cast["vienne"], other_project) == [action]
    assert ta.for_project(cast["charente_maritime"], project) == []
    assert AuditEvent.objects.filter(action="action_territoire.ajout").count() == 1


def test_an_action_may_concern_a_territory_and_no_project(cast):
    action = ta.add(cast["vienne"], "86", ENTRY, [])
    assert list(action.projects.all()) == [] and action.territoire == "Sud-Vienne"


def test_only_the_departements_officers_record_them(cast, project):
    for who in ("charente_maritime", "ars_na", "cpam_na", "lussac", "medecin"):
        with pytest.raises(NotAllowed):
            ta.add(cast[who], "86", ENTRY, [])
    with pytest.raises(ValueError, match="objet"):
        ta.add(cast["vienne"], "86", ta.ActionEntry("prevention", date(2026, 1, 1), " "), [])
    with pytest.raises(ValueError, match="pas un projet du Département"):
        ta.add(cast["charente_maritime"], "17", ENTRY, [project.pk])


@pytest.mark.parametrize(
    ("who", "status", "form"),
    [
        ("vienne", 200, True),
        ("ars_na", 200, False),
        ("cpam_na", 200, False),
        ("charente_maritime", 404, False),
        ("ars_occitanie", 404, False),
        ("lussac", 404, False),
        ("medecin", 404, False),
    ],
)
def test_the_page_for_each_role(client, cast, project, who, status, form):
    ta.add(cast["vienne"], "86", ENTRY, [project.pk])
    client.force_login(cast[who])
    response = client.get(reverse("territory_actions", args=["86"]))
    assert response.status_code == status
    if status == 200:
        content = response.content.decode()
        assert "Réunion ARS, CPAM et Département" in content
        assert ('id="action-territoire-form"' in content) is form
    posted = client.post(reverse("territory_action_add", args=["86"]), {"kind": "prevention", "date": "2026-12-01", "objet": "X"})
    assert posted.status_code == (302 if form else 403 if status == 200 else 404)


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse("territory_actions", args=["86"]))
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_recorded_from_the_page_and_shown_on_the_projects(client, cast, project, other_project):
    client.force_login(cast["vienne"])
    url = reverse("territory_action_add", args=["86"])
    refused = client.post(url, {"kind": "communication", "date": "", "objet": "Campagne d'affichage"})
    assert refused.status_code == 400 and 'value="Campagne d&#x27;affichage"' in refused.content.decode()
    data = {"kind": "communication", "date": "2026-12-01", "objet": "Campagne d'affichage", "projets": [str(project.pk)]}
    done = client.post(url, data, follow=True)
    assert "Action « Campagne d&#x27;affichage » enregistrée." in done.content.decode()
    client.force_login(cast["lussac"])  # the commune sees its project, so the actions that concern it
    page = client.get(reverse("project_partners", args=[project.pk])).content.decode()
    assert 'id="liste-actions-territoire"' in page and "Campagne d&#x27;affichage" in page
    other = client.get(reverse("project_partners", args=[other_project.pk]))
    assert other.status_code == 404 or "Campagne" not in other.content.decode()
    client.force_login(cast["vienne"])
    action = ta.of_departement("86").get()
    client.post(reverse("territory_action_remove", args=[action.pk]))
    assert not ta.of_departement("86").exists()

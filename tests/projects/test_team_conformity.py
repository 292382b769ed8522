"""Team, conformity with the cahier des charges, the avis PDF — for each role."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from oasis.audit.models import AuditEvent
from oasis.projects.conformity import evaluate
from oasis.projects.models import CahierDesCharges


def add(client, project, profession, status="associe-liberal"):
    return client.post(reverse("project_team_add", args=[project.pk]), {"profession": profession, "status": status})


def checks(project):
    return {check.code: check.met for check in evaluate(project).checks}


def test_team_rules(client, cast, project):
    client.force_login(cast["vienne"])
    assert not checks(project)["equipe-generalistes"]
    add(client, project, "generaliste")
    add(client, project, "generaliste", "pressenti")
    assert not checks(project)["equipe-generalistes"]  # a pressenti does not count
    add(client, project, "generaliste")
    add(client, project, "infirmier", "salarie")
    result = checks(project)
    assert result["equipe-generalistes"] and result["equipe-auxiliaires"]
    assert result["equipe-salaries"]  # 1 salaried < 2 associates
    add(client, project, "masseur-kinesitherapeute", "salarie")
    assert not checks(project)["equipe-salaries"]  # 2 salaried, 2 associates
    assert AuditEvent.objects.filter(objet_id=str(project.pk), action="projet.equipe.ajout").count() == 5


def test_checklist_and_regional_rules_editable_by_data(client, cast, project):
    client.force_login(cast["vienne"])
    answers = {"met": ["horaires", "protocoles"], "comment-horaires": "8h-20h"}
    response = client.post(reverse("project_checklist", args=[project.pk]), answers)
    assert response.status_code == 302
    result = checks(project)
    assert result["horaires"] and result["protocoles"] and not result["coordinateur"]
    # A région's own cahier des charges replaces the default, without code.
    CahierDesCharges.objects.create(
        region_id="75",
        titre="ARS Nouvelle-Aquitaine",
        min_generalistes=3,
        items=[{"code": "projet-immobilier", "categorie": "Locaux", "libelle": "Projet immobilier chiffré"}],
    )
    conformity = evaluate(project)
    assert conformity.cahier.titre == "ARS Nouvelle-Aquitaine"
    assert [c.code for c in conformity.checks][-1] == "projet-immobilier"
    assert "Au moins 3 médecins généralistes" in [c.libelle for c in conformity.checks]


@pytest.mark.parametrize(
    ("who", "status"), [("vienne", 302), ("admin", 302), ("ars_na", 302), ("cpam_na", 403), ("lussac", 403), ("medecin", 404)]
)
def test_who_edits_the_team(client, cast, project, who, status):
    client.force_login(cast[who])
    assert add(client, project, "generaliste").status_code == status
    assert client.post(reverse("project_checklist", args=[project.pk]), {"met": ["horaires"]}).status_code == status


def test_bad_member_is_refused(client, cast, project):
    client.force_login(cast["vienne"])
    assert add(client, project, "astrologue").status_code == 400


def test_remove_member(client, cast, project):
    client.force_login(cast["vienne"])
    add(client, project, "generaliste")
    member = project.team.get()
    client.force_login(cast["lussac"])
    assert client.post(reverse("project_team_remove", args=[project.pk, member.pk])).status_code == 403
    client.force_login(cast["vienne"])
    assert client.post(reverse("project_team_remove", args=[project.pk, member.pk])).status_code == 302
    assert not project.team.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("vienne", 200), ("ars_na", 200), ("lussac", 200), ("chauvigny", 404), ("medecin", 404)]
)
def test_avis_pdf(client, cast, project, who, status):
    client.force_login(cast["vienne"])
    add(client, project, "generaliste")
    client.force_login(cast[who])
    response = client.get(reverse("project_avis", args=[project.pk]))
    assert response.status_code == status
    if status == 200:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        assert "Exigences à satisfaire" in text and "Au moins 2 médecins généralistes" in text
        assert "Maison de santé de Lussac" in text


def test_detail_shows_team_and_conformity(client, cast, project):
    client.force_login(cast["lussac"])
    content = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "Adéquation au cahier des charges" in content and "Équipe" in content
    assert 'id="team-form"' not in content  # a commune reads, it does not edit


def test_without_any_rule_set_the_pages_say_so(client, cast, project):
    CahierDesCharges.objects.all().delete()
    client.force_login(cast["vienne"])
    content = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "Aucun cahier des charges n&#x27;est défini" in content
    assert client.get(reverse("project_avis", args=[project.pk])).status_code == 409
    assert client.post(reverse("project_checklist", args=[project.pk]), {"met": ["horaires"]}).status_code == 409

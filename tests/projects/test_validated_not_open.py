"""Projects validated by the committee and not yet open, beside the open structures: the count for everyone (it names
nothing), the projects themselves (name, commune) only for those who may see them; on the observatory and the map."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oasis.projects import opening
from oasis.projects.enums import Stage
from oasis.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def validated(project, other_project):  # type: ignore[no-untyped-def]
    Project.objects.filter(pk=project.pk).update(stage=Stage.VALIDE)  # Lussac (maison de santé)
    Project.objects.filter(pk=other_project.pk).update(stage=Stage.OUVERT)  # Chauvigny: open, no longer pending
    project.refresh_from_db()
    return project


@pytest.mark.parametrize(
    ("stage", "counted"),
    [(Stage.COMITE, False), (Stage.VALIDE, True), (Stage.OUVERT, False), (Stage.SUSPENDU, False), (Stage.A_REVOIR, False)],
)
def test_only_validated_and_not_open_is_counted(project, stage, counted):
    Project.objects.filter(pk=project.pk).update(stage=stage)
    expected = 1 if counted else 0
    assert opening.count("departement", "86").total == expected
    assert opening.count("region", "75").total == expected
    assert opening.count("national", "FR").total == expected
    assert opening.count("departement", "17").total == 0 and opening.count("region", "76").total == 0


def test_the_projects_are_listed_only_to_those_who_see_them(cast, validated):
    assert opening.count("departement", "86").maisons == 1
    (pending,) = opening.visible(cast["vienne"], "departement", "86")
    assert pending.nom == "Maison de santé de Lussac-les-Châteaux"
    assert (pending.commune, pending.commune_code) == ("Lussac-les-Châteaux", "86140")
    assert [p.nom for p in opening.visible(cast["ars_na"], "region", "75")] == [pending.nom]
    for outsider in ("charente_maritime", "ars_occitanie", "medecin"):
        assert opening.visible(cast[outsider], "national", "FR") == []


def test_observatory_page_for_a_visitor_counts_without_naming(client, validated):
    content = client.get("/observatoire/departement/86/").content.decode()
    assert 'id="valides-compte"' in content and "<strong>1</strong> projet suivi" in content
    assert "Lussac" not in content.split('id="section-valides"')[1].split("</section>")[0]
    assert 'id="valides-reserve"' in content
    national = client.get("/observatoire/").content.decode()
    assert "<strong>1</strong> projet suivi" in national and "Maison de santé de Lussac" not in national


@pytest.mark.parametrize(("who", "named"), [("vienne", True), ("ars_na", True), ("charente_maritime", False)])
def test_observatory_page_names_the_projects_the_user_follows(client, cast, validated, who, named):
    client.force_login(cast[who])
    content = client.get("/observatoire/departement/86/").content.decode()
    assert "<strong>1</strong> projet suivi" in content
    assert ("Maison de santé de Lussac-les-Châteaux" in content) is named
    assert (reverse("project_detail", args=[validated.pk]) in content) is named


def test_no_section_without_validated_projects(client, project):
    assert 'id="section-valides"' not in client.get("/observatoire/departement/86/").content.decode()


@pytest.mark.parametrize(("who", "named"), [(None, False), ("vienne", True), ("charente_maritime", False)])
def test_map_data_count_for_all_projects_for_their_followers(client, cast, validated, who, named):
    if who:
        client.force_login(cast[who])
    response = client.get("/carte/projets-valides.json", {"departement": "86"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["total"] == 1
    if named:
        (shown,) = data["projets"]
        assert shown["nom"] == "Maison de santé de Lussac-les-Châteaux" and shown["commune"] == "Lussac-les-Châteaux"
        assert shown["url"] == reverse("project_detail", args=[validated.pk]) and len(shown["point"]) == 2
    else:
        assert data["projets"] == []


def test_map_data_refuses_a_bad_code_and_the_map_has_a_legend(client):
    assert client.get("/carte/projets-valides.json", {"departement": "<x>"}).status_code == 400
    content = client.get("/carte/").content.decode()
    assert 'id="legende-structures"' in content and "Projets validés par le comité, pas encore ouverts" in content

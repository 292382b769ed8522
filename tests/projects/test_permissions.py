"""Every project page and endpoint, for each role and outsiders: exactly what the role allows."""

import pytest
from django.urls import reverse

from oasis.audit.models import AuditEvent
from oasis.projects.enums import Stage
from oasis.projects.models import ProjectTransition

SEES = {"admin", "vienne", "ars_na", "cpam_na", "lussac"}
BLIND = {"charente_maritime", "ars_occitanie", "chauvigny", "medecin"}


@pytest.mark.parametrize("who", sorted(SEES | BLIND))
def test_list_page(client, cast, project, who):
    client.force_login(cast[who])
    content = client.get(reverse("projects")).content.decode()
    assert (project.nom in content) == (who in SEES)


@pytest.mark.parametrize("who", sorted(SEES | BLIND))
def test_detail_page(client, cast, project, who):
    client.force_login(cast[who])
    response = client.get(reverse("project_detail", args=[project.pk]))
    assert response.status_code == (200 if who in SEES else 404)
    if who not in SEES:
        assert project.nom not in response.content.decode()


@pytest.mark.parametrize("who", sorted(SEES | BLIND))
def test_api(client, cast, project, who):
    client.force_login(cast[who])
    listed = client.get("/api/projets").json()
    assert [p["id"] for p in listed] == ([project.pk] if who in SEES else [])
    detail = client.get(f"/api/projets/{project.pk}")
    assert detail.status_code == (200 if who in SEES else 404)


def test_anonymous_gets_nothing(client, project):
    assert client.get(reverse("projects")).status_code == 302
    assert client.get(reverse("project_detail", args=[project.pk])).status_code == 302
    assert client.get("/api/projets").status_code == 401
    assert client.get(f"/api/projets/{project.pk}").status_code == 401
    assert client.get(reverse("project_export")).status_code == 302


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("vienne", 200),
        ("ars_na", 200),
        ("cpam_na", 403),
        ("lussac", 403),
        ("medecin", 403),
        ("charente_maritime", 200),
    ],
)
def test_create_form_access(client, cast, who, status):
    client.force_login(cast[who])
    assert client.get(reverse("project_create")).status_code == status


def project_form(commune="86070"):
    return {
        "nom": "Centre de santé de Chauvigny",
        "kind": "centre-de-sante",
        "carrier": "commune",
        "carrier_name": "Commune",
        "commune_principale": commune,
        "communes_desservies": commune,
        "collectivite_niveau": "commune",
        "collectivite_code": commune,
        "next_action": "",
        "next_action_due": "",
    }


def test_officer_creates_in_their_departement_only(client, cast):
    client.force_login(cast["vienne"])
    response = client.post(reverse("project_create"), project_form())
    assert response.status_code == 302
    client.force_login(cast["charente_maritime"])
    refused = client.post(reverse("project_create"), project_form())
    assert refused.status_code == 400
    assert "que dans votre département" in refused.content.decode()


@pytest.mark.parametrize(
    ("who", "stage", "status"),
    [
        ("vienne", Stage.CONSEIL, 302),
        ("admin", Stage.CONSEIL, 302),
        ("ars_na", Stage.CONSEIL, 302),
        ("cpam_na", Stage.CONSEIL, 403),
        ("lussac", Stage.CONSEIL, 403),
        ("charente_maritime", Stage.CONSEIL, 404),
        ("medecin", Stage.CONSEIL, 404),
        ("vienne", Stage.OUVERT, 400),  # not reachable from the first contact
    ],
)
def test_moving_stage(client, cast, project, who, stage, status):
    client.force_login(cast[who])
    response = client.post(reverse("project_move", args=[project.pk]), {"to_stage": stage, "reason": "Entretien du 3 mars"})
    assert response.status_code == status
    project.refresh_from_db()
    assert (project.stage == stage) == (status == 302)


def test_reason_is_required(client, cast, project):
    client.force_login(cast["vienne"])
    assert client.post(reverse("project_move", args=[project.pk]), {"to_stage": Stage.CONSEIL, "reason": ""}).status_code == 400


@pytest.mark.parametrize(
    ("who", "status"),
    [("vienne", 302), ("ars_na", 302), ("cpam_na", 302), ("lussac", 302), ("chauvigny", 404), ("medecin", 404)],
)
def test_commenting(client, cast, project, who, status):
    client.force_login(cast[who])
    response = client.post(reverse("project_comment", args=[project.pk]), {"text": "Avis favorable sur le diagnostic."})
    assert response.status_code == status
    assert project.comments.count() == (1 if status == 302 else 0)


@pytest.mark.parametrize(
    ("who", "status"), [("vienne", 302), ("ars_na", 302), ("cpam_na", 403), ("lussac", 403), ("ars_occitanie", 404)]
)
def test_next_action(client, cast, project, who, status):
    client.force_login(cast[who])
    response = client.post(
        reverse("project_next_action", args=[project.pk]), {"next_action": "Visite", "next_action_due": "2020-01-31"}
    )
    assert response.status_code == status


def test_from_first_contact_to_opened_with_full_history(client, cast, project):
    path = [
        ("vienne", Stage.CONSEIL),
        ("vienne", Stage.DEFINITION),
        ("vienne", Stage.ACCOMPAGNEMENT),
        ("vienne", Stage.DEPOSE),
        ("vienne", Stage.COMITE),
        ("ars_na", Stage.A_REVOIR),
        ("vienne", Stage.DEPOSE),
        ("vienne", Stage.COMITE),
        ("ars_na", Stage.VALIDE),
        ("vienne", Stage.SUSPENDU),
        ("vienne", Stage.VALIDE),
        ("vienne", Stage.OUVERT),
    ]
    for who, stage in path:
        client.force_login(cast[who])
        data = {"to_stage": stage, "reason": f"vers {stage}", "derogation": "Équipe en cours de constitution"}
        response = client.post(reverse("project_move", args=[project.pk]), data)
        assert response.status_code == 302, (who, stage, response.content)
    project.refresh_from_db()
    assert project.stage == Stage.OUVERT
    history = list(ProjectTransition.objects.filter(project=project).values_list("to_stage", flat=True))
    assert history == [Stage.PRISE_DE_CONTACT] + [stage for _, stage in path]
    assert AuditEvent.objects.filter(objet_id=str(project.pk), action="projet.etape").count() == len(path)
    # The Département cannot take the committee's decision.
    client.force_login(cast["vienne"])
    detail = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "Journal des modifications" in detail and "Historique des étapes" in detail


def test_committee_decision_belongs_to_the_ars(client, cast, project):
    for stage in (Stage.CONSEIL, Stage.DEFINITION, Stage.ACCOMPAGNEMENT, Stage.DEPOSE, Stage.COMITE):
        client.force_login(cast["vienne"])
        client.post(reverse("project_move", args=[project.pk]), {"to_stage": stage, "reason": "suite"})
    client.force_login(cast["vienne"])
    assert client.post(reverse("project_move", args=[project.pk]), {"to_stage": Stage.VALIDE, "reason": "?"}).status_code == 403
    client.force_login(cast["ars_occitanie"])
    assert client.post(reverse("project_move", args=[project.pk]), {"to_stage": Stage.VALIDE, "reason": "?"}).status_code == 404
    client.force_login(cast["ars_na"])
    data = {"to_stage": Stage.VALIDE, "reason": "Comité du 12/05", "derogation": "Équipe complète à l'ouverture"}
    assert client.post(reverse("project_move", args=[project.pk]), data).status_code == 302


def test_export_lists_only_visible_projects(client, cast, project):
    client.force_login(cast["lussac"])
    assert project.nom in client.get(reverse("project_export")).content.decode()
    client.force_login(cast["chauvigny"])
    assert project.nom not in client.get(reverse("project_export")).content.decode()

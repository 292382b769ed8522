"""The committee validates a project only if it meets its région's cahier des charges, or with a derogation that is
recorded in the history and the audit log; resuming a validated project after a pause is not a new decision."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oasis.audit.models import AuditEvent
from oasis.projects.conformity import evaluate
from oasis.projects.enums import Stage
from oasis.projects.models import CahierDesCharges, Project
from oasis.projects.services import add_member, set_checklist
from oasis.projects.stages import NO_RULES_TO_VALIDATE, NOT_CONFORMING, NotConforming, move

pytestmark = pytest.mark.django_db

TO_COMMITTEE = (Stage.CONSEIL, Stage.DEFINITION, Stage.ACCOMPAGNEMENT, Stage.DEPOSE, Stage.COMITE)


@pytest.fixture
def at_committee(cast, project):  # type: ignore[no-untyped-def]
    for stage in TO_COMMITTEE:
        move(cast["vienne"], project, stage, "suite")
    return project


def make_conforming(cast, project):  # type: ignore[no-untyped-def]
    for profession in ("generaliste", "generaliste", "infirmier"):
        add_member(cast["vienne"], project, profession, "associe-liberal")
    cahier = evaluate(project).cahier
    set_checklist(cast["vienne"], project, {item["code"] for item in cahier.items}, {})


def test_an_empty_team_is_refused_at_the_committee_without_derogation(cast, at_committee):
    cahier = evaluate(at_committee).cahier
    missing = "; ".join(check.libelle for check in evaluate(at_committee).missing)
    with pytest.raises(NotConforming) as refused:
        move(cast["ars_na"], at_committee, Stage.VALIDE, "Comité du 12 mai")
    assert str(refused.value) == NOT_CONFORMING.format(cahier=cahier.titre, missing=missing)
    with pytest.raises(NotConforming):
        move(cast["ars_na"], at_committee, Stage.VALIDE, "Comité du 12 mai", derogation="   ")
    assert Project.objects.get(pk=at_committee.pk).stage == Stage.COMITE
    assert not AuditEvent.objects.filter(action="projet.etape", details__vers=Stage.VALIDE).exists()


def test_one_unmet_condition_is_enough_to_refuse(cast, at_committee):
    make_conforming(cast, at_committee)
    add_member(cast["vienne"], at_committee, "masseur-kinesitherapeute", "salarie")
    add_member(cast["vienne"], at_committee, "infirmier", "salarie")
    add_member(cast["vienne"], at_committee, "infirmier", "salarie")  # 3 salaried, 3 associates: not fewer
    assert [check.code for check in evaluate(at_committee).missing] == ["equipe-salaries"]
    with pytest.raises(NotConforming, match="Moins de salariés que d'associés libéraux"):
        move(cast["ars_na"], at_committee, Stage.VALIDE, "Comité")


def test_a_conforming_project_is_validated_without_derogation(cast, at_committee):
    make_conforming(cast, at_committee)
    transition = move(cast["ars_na"], at_committee, Stage.VALIDE, "Comité du 12 mai", derogation="inutile")
    assert transition.derogation == ""  # nothing to derogate from: nothing recorded
    event = AuditEvent.objects.get(action="projet.etape", details__vers=Stage.VALIDE)
    assert "derogation" not in event.details


def test_a_derogation_is_recorded_with_the_unmet_conditions(cast, at_committee):
    transition = move(
        cast["ars_na"], at_committee, Stage.VALIDE, "Comité du 12 mai", derogation="Zone d'intervention prioritaire"
    )
    assert transition.derogation == "Zone d'intervention prioritaire"
    event = AuditEvent.objects.get(action="projet.etape", details__vers=Stage.VALIDE)
    assert event.details["derogation"] == "Zone d'intervention prioritaire"
    assert event.details["conditions_non_satisfaites"][:2] == ["equipe-generalistes", "equipe-auxiliaires"]


def test_without_any_cahier_des_charges_only_a_derogation_validates(cast, at_committee):
    CahierDesCharges.objects.all().delete()
    with pytest.raises(NotConforming) as refused:
        move(cast["ars_na"], at_committee, Stage.VALIDE, "Comité")
    assert str(refused.value) == NO_RULES_TO_VALIDATE
    transition = move(cast["ars_na"], at_committee, Stage.VALIDE, "Comité", derogation="Cahier régional en révision")
    assert transition.derogation == "Cahier régional en révision"
    details = AuditEvent.objects.get(action="projet.etape", details__vers=Stage.VALIDE).details
    assert details["conditions_non_satisfaites"] == ["cahier-des-charges"]


def test_other_decisions_and_resumption_need_no_conformity(cast, at_committee):
    move(cast["ars_na"], at_committee, Stage.A_REVOIR, "Équipe à compléter")
    move(cast["vienne"], at_committee, Stage.DEPOSE, "Nouveau dépôt")
    move(cast["vienne"], at_committee, Stage.COMITE, "Comité suivant")
    move(cast["ars_na"], at_committee, Stage.VALIDE, "Comité", derogation="Zone d'intervention prioritaire")
    move(cast["vienne"], at_committee, Stage.SUSPENDU, "Travaux arrêtés")
    move(cast["vienne"], at_committee, Stage.VALIDE, "Reprise des travaux")  # back where it was: no new decision
    assert Project.objects.get(pk=at_committee.pk).stage == Stage.VALIDE


def test_the_page_warns_the_ars_and_the_refusal_is_explained(client, cast, at_committee):
    client.force_login(cast["ars_na"])
    page = client.get(reverse("project_detail", args=[at_committee.pk])).content.decode()
    assert 'id="alerte-conformite"' in page and 'name="derogation"' in page
    response = client.post(reverse("project_move", args=[at_committee.pk]), {"to_stage": Stage.VALIDE, "reason": "Comité"})
    assert response.status_code == 400
    assert "ne satisfait pas le cahier des charges" in response.content.decode()
    data = {"to_stage": Stage.VALIDE, "reason": "Comité", "derogation": "Zone d'intervention prioritaire"}
    assert client.post(reverse("project_move", args=[at_committee.pk]), data).status_code == 302
    page = client.get(reverse("project_detail", args=[at_committee.pk])).content.decode()
    assert "Dérogation au cahier des charges" in page and "Zone d&#x27;intervention prioritaire" in page
    client.force_login(cast["vienne"])  # the Département does not decide: no warning, no field
    assert 'id="alerte-conformite"' not in client.get(reverse("project_detail", args=[at_committee.pk])).content.decode()

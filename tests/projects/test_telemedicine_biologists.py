"""Biologists in teams; telemedicine as a section of the projet de santé and a requirement of the cahier des charges,
optional in the national default, required where the région asks for it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oasis.accounts.enums import Role
from oasis.projects import cahiers
from oasis.projects import projet_de_sante as pds
from oasis.projects.conformity import evaluate
from oasis.projects.models import ProjectGuest
from oasis.projects.services import add_member, set_checklist
from tests.projects.conftest import make_user

pytestmark = pytest.mark.django_db

ALWAYS_REQUIRED = {section.key: f"Texte : {section.titre}." for section in pds.SECTIONS if section.required}


def regional_rules(telemedicine_line: str) -> cahiers.RulesData:
    return cahiers.RulesData(
        titre="Cahier des charges MSP de l'ARS Nouvelle-Aquitaine",
        source="ARS Nouvelle-Aquitaine, cahier des charges régional (saisi par l'ARS)",
        min_generalistes=0,
        min_auxiliaires=0,
        salaries_moins_que_associes=False,
        items_text="Projet de santé | Diagnostic territorial des besoins de santé\n" + telemedicine_line,
    )


@pytest.fixture
def porteur(cast, project):  # type: ignore[no-untyped-def]
    user = make_user("sisa@lussac.test", Role.PORTEUR, organisation="SISA de Lussac")
    ProjectGuest.objects.create(project=project, user=user, invited_by=cast["vienne"])
    return user


def test_a_biologist_joins_a_team_and_is_shown(client, cast, project):
    member = add_member(cast["vienne"], project, "biologiste", "associe-liberal", "Laboratoire du Montmorillonnais")
    assert member.get_profession_display() == "Biologiste (laboratoire de biologie médicale)"
    client.force_login(cast["vienne"])
    content = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "Biologiste (laboratoire de biologie médicale)" in content
    # a biologist is neither a GP nor an auxiliaire médical: the team minima do not count them
    checks = {check.code: check.detail for check in evaluate(project).checks}  # type: ignore[union-attr]
    assert checks["equipe-generalistes"].startswith("0 ") and checks["equipe-auxiliaires"].startswith("0 ")


def test_the_national_default_lists_telemedicine_as_optional(cast, project):
    conformity = evaluate(project)
    assert conformity is not None and conformity.cahier.region_id is None
    (telemedicine,) = [check for check in conformity.checks if check.code == cahiers.TELEMEDECINE]
    assert telemedicine.optional and not telemedicine.met
    assert telemedicine not in conformity.missing  # optional: never missing
    assert not cahiers.telemedicine_required(conformity.cahier)
    assert "telemedecine" not in pds.required_keys(project)


def test_a_region_that_asks_for_telemedicine_requires_the_section(cast, project, porteur):
    line = "Accès aux soins | Télémédecine (téléconsultation, téléexpertise)"
    cahiers.save_regional(cast["ars_na"], "75", regional_rules(line))
    conformity = evaluate(project)
    assert conformity is not None
    (telemedicine,) = [check for check in conformity.checks if check.code == cahiers.TELEMEDECINE]
    assert not telemedicine.optional and telemedicine in conformity.missing
    set_checklist(cast["vienne"], project, {cahiers.TELEMEDECINE}, {cahiers.TELEMEDECINE: "Cabine de téléconsultation"})
    assert all(check.code != cahiers.TELEMEDECINE for check in evaluate(project).missing)  # type: ignore[union-attr]
    pds.save_draft(porteur, project, ALWAYS_REQUIRED)
    with pytest.raises(ValueError, match="Télémédecine"):
        pds.submit(porteur, project)
    pds.save_draft(porteur, project, ALWAYS_REQUIRED | {"telemedecine": "Téléexpertise avec le CH de Montmorillon."})
    assert pds.submit(porteur, project).sections["telemedecine"] == "Téléexpertise avec le CH de Montmorillon."


def test_a_region_may_list_it_as_optional_and_elsewhere_nothing_changes(cast, project, other_project, porteur):
    cahiers.save_regional(
        cast["ars_occitanie"], "76", regional_rules("Accès aux soins | Télémédecine (téléconsultation) | facultatif")
    )
    occitanie = cahiers.regional("76")
    assert occitanie is not None and occitanie.items[-1] == {
        "code": "telemedecine",
        "categorie": "Accès aux soins",
        "libelle": "Télémédecine (téléconsultation)",
        "facultatif": True,
    }
    assert cahiers.items_as_text(occitanie).endswith("| Télémédecine (téléconsultation) | facultatif")
    assert not cahiers.telemedicine_required(occitanie)
    pds.save_draft(porteur, project, ALWAYS_REQUIRED)  # the Vienne keeps the national default: optional
    assert pds.submit(porteur, project).numero == 1


@pytest.mark.parametrize("line", ["Accès aux soins | Télémédecine | obligatoire", "Accès | Télémédecine | facultatif | x"])
def test_a_third_part_other_than_facultatif_is_refused(cast, line):
    with pytest.raises(ValueError, match="Ligne 2 des exigences"):
        cahiers.save_regional(cast["ars_na"], "75", regional_rules(line))


def test_the_section_says_when_the_region_requires_it(client, cast, project, porteur):
    client.force_login(porteur)
    url = reverse("projet_de_sante", args=[project.pk])
    assert "Télémédecine (facultatif)" in client.get(url).content.decode()
    cahiers.save_regional(cast["ars_na"], "75", regional_rules("Accès aux soins | Télémédecine"))
    content = client.get(url).content.decode()
    assert "Télémédecine (facultatif)" not in content
    assert "Télémédecine (demandée par le cahier des charges de la région)" in content

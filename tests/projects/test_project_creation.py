"""Creating a project: each refusal by its message with nothing created, and what a creation writes (the project, its
territory, the first line of its history, its audit event), by an officer or by a synchronisation."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from oasis.audit.models import AuditEvent
from oasis.projects.models import Project, ProjectTransition
from oasis.projects.services import (
    OUTSIDE_DEPARTEMENT,
    UNKNOWN_BENEFICIARY,
    UNKNOWN_COMMUNE,
    UNKNOWN_COMMUNES,
    NewProject,
    NotAllowed,
    create_project,
    open_project,
)
from oasis.territories.models import Commune

pytestmark = pytest.mark.django_db

LUSSAC = NewProject(
    nom="Maison de santé de Lussac",
    kind="msp",
    carrier="commune",
    carrier_name="Commune de Lussac",
    commune_principale="86140",
    communes_desservies=[],
    collectivite_niveau="commune",
    collectivite_code="86140",
    next_action="Réunion d'information",
    next_action_due=date(2026, 12, 3),
)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"commune_principale": "86999"}, UNKNOWN_COMMUNE.format(code="86999")),
        ({"commune_principale": "17299"}, OUTSIDE_DEPARTEMENT),  # Rochefort: the Charente-Maritime's
        ({"communes_desservies": ["86140", "99999", "00001"]}, UNKNOWN_COMMUNES.format(codes="00001, 99999")),
        ({"collectivite_code": "86999"}, UNKNOWN_BENEFICIARY.format(code="86999")),
    ],
)
def test_a_creation_is_refused_by_its_reason_and_creates_nothing(cast, change, message):
    with pytest.raises((ValueError, NotAllowed)) as refused:
        create_project(cast["vienne"], dataclasses.replace(LUSSAC, **change))
    assert str(refused.value) == message
    assert isinstance(refused.value, NotAllowed) == (message == OUTSIDE_DEPARTEMENT)
    assert not Project.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_epci_beneficiary_is_not_looked_up_among_the_communes(cast):
    project = create_project(
        cast["vienne"], dataclasses.replace(LUSSAC, collectivite_niveau="epci", collectivite_code="248600413")
    )
    assert (project.collectivite_niveau, project.collectivite_code) == ("epci", "248600413")


def test_a_creation_writes_the_project_its_history_and_its_audit(cast):
    officer = cast["vienne"]
    project = create_project(officer, LUSSAC)
    stored = Project.objects.get()
    assert stored == project
    assert (stored.commune_principale_id, stored.departement_id, stored.region_id) == ("86140", "86", "75")
    assert (stored.kind, stored.carrier, stored.carrier_name, stored.next_action, stored.next_action_due) == (
        "msp",
        "commune",
        "Commune de Lussac",
        "Réunion d'information",
        date(2026, 12, 3),
    )
    assert stored.created_by == officer
    assert list(stored.communes_desservies.all()) == []  # no other commune given
    assert stored.territory_codes() == ["86140"]  # the territory is the commune itself
    first = ProjectTransition.objects.get(project=stored)
    assert (first.from_stage, first.to_stage, first.by, first.reason) == ("", "prise-de-contact", officer, "Création du projet")
    event = AuditEvent.objects.get()
    assert (event.action, event.user, event.objet_id) == ("projet.creation", officer, str(stored.pk))
    assert event.details == {"etape": "prise-de-contact", "commune": "86140"}


def test_the_other_communes_are_kept_and_the_main_one_belongs_to_the_territory(cast):
    project = create_project(cast["vienne"], dataclasses.replace(LUSSAC, communes_desservies=["86070", "86140"]))
    assert list(project.communes_desservies.values_list("pk", flat=True)) == ["86070"]  # the main commune once, not twice
    assert project.territory_codes() == ["86070", "86140"]
    other = create_project(cast["vienne"], dataclasses.replace(LUSSAC, nom="Autre", communes_desservies=["86070"]))
    assert other.territory_codes() == ["86070", "86140"]  # the main commune is part of it without being listed


def test_a_project_opened_by_a_synchronisation_has_no_author(db, national):
    chauvigny = Commune.objects.get(pk="86070")
    project = open_project(
        None, chauvigny, [], "Dossier déposé", "projet.depot", details={"dossier": 12}, nom="MSP", kind="msp", carrier="sisa"
    )
    assert (project.created_by, project.departement_id, project.region_id) == (None, "86", "75")
    assert project.territory_codes() == ["86070"]
    first = ProjectTransition.objects.get(project=project)
    assert (first.by, first.reason, first.to_stage) == (None, "Dossier déposé", "prise-de-contact")
    event = AuditEvent.objects.get()
    assert (event.action, event.user) == ("projet.depot", None)
    assert event.details == {"etape": "prise-de-contact", "commune": "86070", "dossier": 12}

"""The stage machine alone: where a project may go from each stage, where it resumes after a pause, what a move
writes (history, audit, stage and date) and what it refuses, each refusal by its message; the days spent per stage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from oasis.audit.models import AuditEvent
from oasis.projects.enums import Stage
from oasis.projects.models import Project, ProjectTransition
from oasis.projects.services import NotAllowed
from oasis.projects.stages import (
    IMPOSSIBLE_MOVE,
    PROJECT_NOT_FOUND,
    REASON_REQUIRED,
    ROLE_CANNOT_MOVE,
    InvalidTransition,
    allowed_moves,
    move,
    time_per_stage,
)

pytestmark = pytest.mark.django_db

PAUSES = [Stage.SUSPENDU, Stage.ABANDONNE]

# Written from the seeds' description of the chain, not from the code's table.
EXPECTED_MOVES = {
    Stage.PRISE_DE_CONTACT: [Stage.CONSEIL, *PAUSES],
    Stage.CONSEIL: [Stage.DEFINITION, *PAUSES],
    Stage.DEFINITION: [Stage.ACCOMPAGNEMENT, *PAUSES],
    Stage.ACCOMPAGNEMENT: [Stage.DEPOSE, *PAUSES],
    Stage.DEPOSE: [Stage.COMITE, *PAUSES],
    Stage.COMITE: [Stage.VALIDE, Stage.A_REVOIR, Stage.REFUSE, *PAUSES],
    Stage.A_REVOIR: [Stage.DEPOSE, *PAUSES],
    Stage.VALIDE: [Stage.OUVERT, *PAUSES],
    Stage.OUVERT: [Stage.SUIVI, *PAUSES],
    Stage.SUIVI: PAUSES,
    Stage.REFUSE: [],
}


def at_stage(project: Project, stage: str) -> Project:
    project.stage = stage
    project.save(update_fields=["stage"])
    return project


@pytest.mark.parametrize("stage", list(EXPECTED_MOVES))
def test_moves_allowed_from_each_stage(project, stage):
    assert allowed_moves(at_stage(project, stage)) == EXPECTED_MOVES[stage]


@pytest.mark.parametrize("pause", PAUSES)
def test_a_pause_without_its_history_allows_nothing(project, pause):
    assert allowed_moves(at_stage(project, pause)) == []


def test_a_paused_project_resumes_where_its_last_pause_took_it_from(cast, project):
    officer = cast["vienne"]
    move(officer, project, Stage.CONSEIL, "Réunion tenue")
    move(officer, project, Stage.SUSPENDU, "Élections")
    assert allowed_moves(project) == [Stage.CONSEIL]
    move(officer, project, Stage.CONSEIL, "Reprise")
    move(officer, project, Stage.DEFINITION, "Besoin formalisé")
    move(officer, project, Stage.ABANDONNE, "Porteur parti")
    assert allowed_moves(project) == [Stage.DEFINITION]
    # Two pauses recorded at the same instant: the later record decides.
    ProjectTransition.objects.filter(project=project).update(at=timezone.now() - timedelta(days=1))
    assert allowed_moves(project) == [Stage.DEFINITION]


def test_the_latest_pause_by_date_decides_even_if_recorded_first(cast, project):
    officer = cast["vienne"]
    move(officer, project, Stage.SUSPENDU, "Élections")
    move(officer, project, Stage.PRISE_DE_CONTACT, "Reprise")
    move(officer, project, Stage.CONSEIL, "Réunion tenue")
    move(officer, project, Stage.SUSPENDU, "Élections")
    first, second = ProjectTransition.objects.filter(project=project, to_stage=Stage.SUSPENDU).order_by("pk")
    # The first pause, recorded first, carries the later date (a back-dated entry of the second).
    ProjectTransition.objects.filter(pk=first.pk).update(at=timezone.now() + timedelta(hours=1))
    assert allowed_moves(project) == [Stage.PRISE_DE_CONTACT]
    ProjectTransition.objects.filter(pk=second.pk).update(at=timezone.now() + timedelta(hours=2))
    assert allowed_moves(project) == [Stage.CONSEIL]


def test_a_move_writes_the_history_the_audit_and_the_stage(cast, project):
    officer = cast["vienne"]
    before = timezone.now()
    transition = move(officer, project, Stage.CONSEIL, "  Réunion tenue  ", derogation="sans objet")
    assert (transition.from_stage, transition.to_stage, transition.by, transition.reason, transition.derogation) == (
        Stage.PRISE_DE_CONTACT,
        Stage.CONSEIL,
        officer,
        "Réunion tenue",
        "",
    )
    assert ProjectTransition.objects.filter(project=project).count() == 2  # the creation, then this move
    event = AuditEvent.objects.get(action="projet.etape")
    assert event.user == officer
    assert event.details == {"de": Stage.PRISE_DE_CONTACT, "vers": Stage.CONSEIL, "motif": "Réunion tenue"}
    stored = Project.objects.get(pk=project.pk)
    assert stored.stage == Stage.CONSEIL
    assert stored.stage_since >= before
    assert project.stage == Stage.CONSEIL  # the caller's object is refreshed
    assert project.stage_since == stored.stage_since


def test_a_derogation_is_kept_without_its_surrounding_spaces(cast, project):
    at_stage(project, Stage.COMITE)
    transition = move(cast["ars_na"], project, Stage.VALIDE, "Comité", derogation="  Zone prioritaire  ")
    assert transition.derogation == "Zone prioritaire"
    details = AuditEvent.objects.get(action="projet.etape").details
    assert details["derogation"] == "Zone prioritaire"
    assert details["motif"] == "Comité"


def test_a_project_out_of_sight_is_not_found(cast, project):
    with pytest.raises(NotAllowed) as refused:
        move(cast["charente_maritime"], project, Stage.CONSEIL, "Réunion tenue")
    assert str(refused.value) == PROJECT_NOT_FOUND


def test_an_impossible_move_lists_the_possible_ones(cast, project):
    with pytest.raises(InvalidTransition) as refused:
        move(cast["vienne"], project, Stage.VALIDE, "Trop tôt")
    assert str(refused.value) == IMPOSSIBLE_MOVE.format(
        current="Prise de contact / 1er entretien",
        allowed="Conseil de 1er niveau / réunion d'information, Suspendu, Abandonné",
    )


def test_a_refused_project_can_go_nowhere(cast, project):
    at_stage(project, Stage.REFUSE)
    with pytest.raises(InvalidTransition) as refused:
        move(cast["vienne"], project, Stage.DEPOSE, "Nouveau dépôt")
    assert str(refused.value) == IMPOSSIBLE_MOVE.format(current="Refusé (comité)", allowed="aucune")


@pytest.mark.parametrize(
    ("who", "stage", "to"), [("cpam_na", Stage.PRISE_DE_CONTACT, Stage.CONSEIL), ("vienne", Stage.COMITE, Stage.VALIDE)]
)
def test_a_role_without_that_move_is_refused(cast, project, who, stage, to):
    at_stage(project, stage)
    with pytest.raises(NotAllowed) as refused:
        move(cast[who], project, to, "Décision")
    assert str(refused.value) == ROLE_CANNOT_MOVE
    assert Project.objects.get(pk=project.pk).stage == stage


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_move_needs_a_reason_and_writes_nothing_without(cast, project, reason):
    with pytest.raises(ValueError) as refused:
        move(cast["vienne"], project, Stage.CONSEIL, reason)
    assert str(refused.value) == REASON_REQUIRED
    assert ProjectTransition.objects.filter(project=project).count() == 1
    assert not AuditEvent.objects.filter(action="projet.etape").exists()
    assert Project.objects.get(pk=project.pk).stage == Stage.PRISE_DE_CONTACT


def test_days_per_stage_in_the_order_of_the_dates(cast, project):
    officer = cast["vienne"]
    move(officer, project, Stage.CONSEIL, "Réunion tenue")
    move(officer, project, Stage.DEFINITION, "Besoin formalisé")
    creation, conseil, definition = ProjectTransition.objects.filter(project=project).order_by("pk")
    now = timezone.now()
    # Recorded in another order than their dates: the definition was entered before the conseil it followed.
    ProjectTransition.objects.filter(pk=creation.pk).update(at=now - timedelta(days=10))
    ProjectTransition.objects.filter(pk=definition.pk).update(at=now - timedelta(days=8))
    ProjectTransition.objects.filter(pk=conseil.pk).update(at=now - timedelta(days=6, hours=12))
    spans = time_per_stage(project)
    assert [stage for stage, _ in spans] == [Stage.PRISE_DE_CONTACT, Stage.DEFINITION, Stage.CONSEIL]
    assert spans[0][1] == pytest.approx(2.0)
    assert spans[1][1] == pytest.approx(1.5)
    assert spans[2][1] == pytest.approx(6.5, abs=0.001)  # up to now


def test_a_new_project_has_spent_almost_no_time_in_its_first_stage(project):
    [(stage, days)] = time_per_stage(project)
    assert stage == Stage.PRISE_DE_CONTACT
    assert 0 <= days < 0.001

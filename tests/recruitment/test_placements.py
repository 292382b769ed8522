"""A placement from first contact to installation: unknown steps and closed placements refused by name, the date
required to install, the post filled, the aid commitment fulfilled only by an installation in its département,
every step kept with its note, and the file's retention renewed by the activity."""

from datetime import date, timedelta

import pytest

from oasis.audit.models import AuditEvent
from oasis.recruitment.agreements import create_agreement, record_breach, record_installation
from oasis.recruitment.candidates import retention_until
from oasis.recruitment.common import NotAllowed
from oasis.recruitment.enums import PipelineStage, VacancyStatus
from oasis.recruitment.models import Candidate, PlacementStep, Vacancy
from oasis.recruitment.placements import move_placement, start_placement
from oasis.recruitment.vacancies import VacancyData, create_vacancy
from oasis.territories.models import Commune


def post(cast, commune="86140"):
    data = VacancyData(commune=commune, profession="generaliste", mode="liberal", contact_nom="Mairie")
    return create_vacancy(cast["admin"], data)


def refused(action) -> str:
    with pytest.raises(ValueError) as raised:
        action()
    return str(raised.value)


@pytest.fixture
def placement(cast, student):
    return start_placement(cast["vienne"], student, post(cast))


def test_the_steps_are_kept_with_their_notes_and_renew_the_retention(cast, student, placement):
    Candidate.objects.filter(pk=student.pk).update(conserver_jusqu_au=date.today())
    move_placement(cast["vienne"], placement, PipelineStage.ECHANGES, "  " + "x" * 600 + "  ")
    steps = list(PlacementStep.objects.filter(placement=placement).order_by("pk").values_list("stage", "note", "by"))
    assert steps == [
        (PipelineStage.CONTACT, "Mise en relation", cast["vienne"].pk),
        (PipelineStage.ECHANGES, "x" * 500, cast["vienne"].pk),
    ]
    placement.refresh_from_db()
    assert placement.stage == PipelineStage.ECHANGES
    student.refresh_from_db()
    assert student.conserver_jusqu_au == retention_until()
    event = AuditEvent.objects.filter(action="candidat.etape").get()
    assert event.details == {"mise_en_relation": placement.pk, "vers": "echanges"}
    assert event.user == cast["vienne"]


def test_an_unknown_step_is_refused_by_name(cast, placement):
    assert refused(lambda: move_placement(cast["vienne"], placement, "signee")) == "Étape inconnue : « signee »."


@pytest.mark.parametrize("closing", [PipelineStage.ABANDON, PipelineStage.INSTALLE])
def test_a_closed_placement_moves_no_more(cast, placement, closing):
    move_placement(cast["vienne"], placement, closing, installe_le=date(2027, 1, 4))
    assert (
        refused(lambda: move_placement(cast["vienne"], placement, PipelineStage.ECHANGES)) == "Cette mise en relation est close."
    )
    assert PlacementStep.objects.filter(placement=placement).count() == 2


def test_installing_needs_its_date_and_fills_the_post(cast, placement):
    assert (
        refused(lambda: move_placement(cast["vienne"], placement, PipelineStage.INSTALLE)) == "Indiquez la date d'installation."
    )
    assert Vacancy.objects.get().statut == VacancyStatus.OUVERT
    outcome = move_placement(cast["vienne"], placement, PipelineStage.INSTALLE, installe_le=date(2027, 1, 4))
    assert outcome.placement.installe_le == date(2027, 1, 4)
    assert outcome.fulfilled is None  # no aid agreement
    assert Vacancy.objects.get().statut == VacancyStatus.POURVU
    assert PlacementStep.objects.filter(placement=placement).order_by("pk").last().note == ""  # none given


def test_an_installation_in_the_departement_fulfils_the_pending_commitment(cast, vienne_medecine, student, placement):
    agreement = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30), 12)
    outcome = move_placement(cast["vienne"], placement, PipelineStage.INSTALLE, installe_le=date(2027, 1, 4))
    assert outcome.fulfilled == agreement
    agreement.refresh_from_db()
    assert (agreement.installe_le, agreement.installation_commune_id) == (date(2027, 1, 4), "86140")


def test_an_installation_elsewhere_leaves_the_commitment_pending(cast, vienne_medecine, student):
    agreement = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30), 12)
    elsewhere = start_placement(cast["admin"], student, post(cast, "17300"))  # the Vienne sees no post in 17
    outcome = move_placement(cast["admin"], elsewhere, PipelineStage.INSTALLE, installe_le=date(2027, 1, 4))
    assert outcome.fulfilled is None
    agreement.refresh_from_db()
    assert agreement.installe_le is None


def test_a_broken_or_fulfilled_commitment_is_not_fulfilled_again(cast, vienne_medecine, student, placement):
    agreement = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30), 12)
    record_breach(cast["vienne"], agreement, date(2026, 12, 1), "Changement d'orientation")
    outcome = move_placement(cast["vienne"], placement, PipelineStage.INSTALLE, installe_le=date(2027, 1, 4))
    assert outcome.fulfilled is None


def test_a_fulfilled_commitment_keeps_its_first_installation(cast, vienne_medecine, student, placement):
    agreement = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30), 12)
    chauvigny = Commune.objects.get(pk="86070")
    record_installation(cast["vienne"], agreement, chauvigny, date(2026, 12, 1))
    outcome = move_placement(cast["vienne"], placement, PipelineStage.INSTALLE, installe_le=date(2027, 1, 4))
    assert outcome.fulfilled is None
    agreement.refresh_from_db()
    assert (agreement.installe_le, agreement.installation_commune_id) == (date(2026, 12, 1), "86070")


@pytest.mark.parametrize("who", ["charente_maritime", "ars_na", "lussac", "medecin"])
def test_only_the_candidate_s_managers_move_a_placement(cast, placement, who):
    with pytest.raises(NotAllowed):
        move_placement(cast[who], placement, PipelineStage.ECHANGES)
    assert PlacementStep.objects.filter(placement=placement).count() == 1


def test_a_placement_needs_a_post_or_a_commune_of_the_same_profession(cast, student):
    assert refused(lambda: start_placement(cast["vienne"], student, None)) == "Indiquez un poste ou une commune."
    nurse_post = create_vacancy(
        cast["vienne"], VacancyData(commune="86140", profession="infirmier", mode="liberal", contact_nom="M")
    )
    assert (
        refused(lambda: start_placement(cast["vienne"], student, nurse_post))
        == "La profession du poste n'est pas celle du candidat."
    )
    in_a_commune = start_placement(cast["vienne"], student, None, "86070")
    assert (in_a_commune.vacancy, in_a_commune.commune_id) == (None, "86070")
    assert in_a_commune.created_at.date() >= date.today() - timedelta(days=1)

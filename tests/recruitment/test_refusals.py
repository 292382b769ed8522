"""Every refusal of the recruitment services, asserted by its constant with the values it names, and leaving nothing
behind: no row, no audit event."""

from __future__ import annotations

from datetime import date

import pytest

from oasis.audit.models import AuditEvent
from oasis.recruitment.agreements import (
    AGREEMENT_BROKEN,
    BREACH_ALREADY_RECORDED,
    BREACH_REASON_REQUIRED,
    CANNOT_CREATE_AGREEMENT,
    CANNOT_EDIT_AGREEMENT,
    FIRST_PAYMENT_BEFORE_SIGNATURE,
    INSTALLATION_BEFORE_SIGNATURE,
    MONTHS_NEEDED,
    MONTHS_NOT_POSITIVE,
    create_agreement,
    mark_paid,
    record_breach,
    record_installation,
)
from oasis.recruitment.campaigns import CAMPAIGN_NOT_FOUND, CAMPAIGN_OUTSIDE_DEPARTEMENT, create_campaign, export_audience
from oasis.recruitment.candidates import (
    CANDIDATE_NOT_FOUND,
    CANDIDATE_OUTSIDE_DEPARTEMENT,
    CANNOT_EDIT_CANDIDATE,
    CANNOT_ERASE_CANDIDATE,
    CONSENT_REQUIRED,
    ERASURE_BLOCKED_BY_AGREEMENT,
    CandidateData,
    create_candidate,
    erase_candidate,
    export_candidate,
    update_candidate,
)
from oasis.recruitment.common import PROJECT_NOT_FOUND, UNKNOWN_DEPARTEMENT, NotAllowed
from oasis.recruitment.models import AidAgreement, AidScheme, Campaign, Candidate, Vacancy, Visit
from oasis.recruitment.placements import (
    CANNOT_EDIT_VISIT,
    CANNOT_FOLLOW_CANDIDATE,
    CANNOT_PLAN_VISIT,
    VACANCY_NOT_FOUND,
    VISIT_PLACES_NEEDED,
    VisitData,
    move_placement,
    plan_visit,
    record_feedback,
    start_placement,
)
from oasis.recruitment.schemes import NATIONAL_SCHEME_ADMIN_ONLY, SCHEME_OUTSIDE_DEPARTEMENT, YEARS_REVERSED, save_scheme
from oasis.recruitment.vacancies import (
    CANNOT_EDIT_VACANCY,
    VACANCY_OUTSIDE_TERRITORY,
    VacancyData,
    create_vacancy,
    set_vacancy_status,
)
from tests.projects.conftest import project  # noqa: F401
from tests.recruitment.conftest import make_scheme

SIGNED = date(2026, 9, 1)


def refused(action, error: type[Exception] = ValueError) -> str:
    """The message of the refusal; the audit is unchanged."""
    before = AuditEvent.objects.count()
    with pytest.raises(error) as raised:
        action()
    assert AuditEvent.objects.count() == before
    return str(raised.value)


def forbidden(action) -> str:
    return refused(action, NotAllowed)


def data(**changes) -> CandidateData:
    values = {"nom": "Martin", "prenom": "Paul", "profession": "generaliste", "situation": "etudiant", "annee_etudes": 5}
    return CandidateData(**{**values, **changes})


def post(user, commune="86140", **changes) -> Vacancy:
    values = {"commune": commune, "profession": "generaliste", "mode": "liberal", "contact_nom": "Mairie"}
    return create_vacancy(user, VacancyData(**{**values, **changes}))


@pytest.fixture
def agreement(cast, vienne_medecine, student) -> AidAgreement:
    return create_agreement(cast["vienne"], student, vienne_medecine, SIGNED, SIGNED)


# --- Candidates ---------------------------------------------------------------------------------------------------


def test_a_candidate_is_recorded_only_in_ones_departement_with_consent_and_known_places(cast):
    create = create_candidate
    assert forbidden(lambda: create(cast["charente_maritime"], "86", data(), True)) == CANDIDATE_OUTSIDE_DEPARTEMENT
    assert refused(lambda: create(cast["admin"], "999", data(), True)) == UNKNOWN_DEPARTEMENT.format(code="999")
    assert refused(lambda: create(cast["vienne"], "86", data(), False)) == CONSENT_REQUIRED
    assert refused(lambda: create(cast["vienne"], "86", data(commune_reference="99999"), True)) == (
        "Lieu de référence : commune inconnue « 99999 »."
    )
    message = refused(lambda: create(cast["vienne"], "86", data(territoires_preferes=["epci:000000000"]), True))
    assert message.startswith("Territoire souhaité : ") and "000000000" in message
    assert not Candidate.objects.exists()


def test_only_the_candidates_departement_changes_exports_or_erases_them(cast, student):
    outsider = cast["charente_maritime"]
    assert forbidden(lambda: update_candidate(outsider, student, data())) == CANNOT_EDIT_CANDIDATE
    assert forbidden(lambda: export_candidate(outsider, student)) == CANDIDATE_NOT_FOUND
    assert forbidden(lambda: erase_candidate(outsider, student, "demande")) == CANNOT_ERASE_CANDIDATE
    student.refresh_from_db()
    assert student.nom == "Durand"


def test_a_person_bound_by_an_agreement_is_not_erased(cast, student, agreement):
    assert refused(lambda: erase_candidate(cast["vienne"], student, "demande")) == (ERASURE_BLOCKED_BY_AGREEMENT)
    assert Candidate.objects.filter(pk=student.pk).exists()


# --- Agreements ---------------------------------------------------------------------------------------------------


def test_an_agreement_is_refused_for_a_scheme_that_does_not_fit(cast, vienne_medecine, student):
    create = create_agreement
    assert forbidden(lambda: create(cast["charente_maritime"], student, vienne_medecine, SIGNED, SIGNED)) == (
        CANNOT_CREATE_AGREEMENT
    )
    national = AidScheme.objects.get(code="cesp")
    assert refused(lambda: create(cast["vienne"], student, national, SIGNED, SIGNED)) == (
        f"« {national.nom} » est un dispositif d'information : aucune convention n'est gérée ici."
    )
    nurses = make_scheme("ide", nom="Aide IDE", professions=["infirmier"])
    assert refused(lambda: create(cast["vienne"], student, nurses, SIGNED, SIGNED)) == (
        "« Aide IDE » ne concerne pas la profession Médecin généraliste."
    )
    elsewhere = make_scheme("cm17", "17", nom="Aide de Charente-Maritime")
    assert refused(lambda: create(cast["vienne"], student, elsewhere, SIGNED, SIGNED)) == (
        "« Aide de Charente-Maritime » est un dispositif d'un autre département."
    )
    assert not AidAgreement.objects.exists()


def test_an_agreement_needs_a_length_within_the_schemes_years_and_payments_after_signature(cast, vienne_medecine, student):
    create = create_agreement
    student.annee_etudes = 3
    assert refused(lambda: create(cast["vienne"], student, vienne_medecine, SIGNED, SIGNED)) == (
        "3e année : hors des années aidées par « Aide aux études de médecine (Vienne) » (4e à 10e)."
    )
    student.annee_etudes = None
    assert refused(lambda: create(cast["vienne"], student, vienne_medecine, SIGNED, SIGNED)) == MONTHS_NEEDED
    assert refused(lambda: create(cast["vienne"], student, vienne_medecine, SIGNED, SIGNED, 0)) == (MONTHS_NOT_POSITIVE)
    assert refused(lambda: create(cast["vienne"], student, vienne_medecine, SIGNED, date(2026, 8, 31), 12)) == (
        FIRST_PAYMENT_BEFORE_SIGNATURE
    )
    assert not AidAgreement.objects.exists()


def test_an_agreement_is_changed_only_by_the_candidates_departement(cast, agreement):
    outsider = cast["charente_maritime"]
    assert forbidden(lambda: mark_paid(outsider, agreement, date(2027, 1, 1))) == CANNOT_EDIT_AGREEMENT
    assert forbidden(lambda: record_breach(outsider, agreement, date(2027, 1, 1), "abandon")) == (CANNOT_EDIT_AGREEMENT)
    assert not agreement.payments.filter(verse_le__isnull=False).exists()


def test_an_installation_is_refused_outside_the_departement_before_signature_or_after_a_breach(cast, agreement):
    from oasis.territories.models import Commune

    install = record_installation
    la_rochelle, lussac = Commune.objects.get(pk="17300"), Commune.objects.get(pk="86140")
    assert refused(lambda: install(cast["vienne"], agreement, la_rochelle, date(2030, 1, 2))) == (
        "La Rochelle (17) est hors du département 86 : l'installation ne remplit pas l'engagement "
        "(constater une rupture le cas échéant)."
    )
    assert refused(lambda: install(cast["vienne"], agreement, lussac, date(2026, 8, 31))) == (INSTALLATION_BEFORE_SIGNATURE)
    record_breach(cast["vienne"], agreement, date(2027, 1, 1), "abandon des études")
    assert refused(lambda: install(cast["vienne"], agreement, lussac, date(2030, 1, 2))) == AGREEMENT_BROKEN
    agreement.refresh_from_db()
    assert agreement.installe_le is None


def test_a_breach_needs_a_reason_and_is_recorded_once(cast, agreement):
    breach = record_breach
    assert refused(lambda: breach(cast["vienne"], agreement, date(2027, 1, 1), "  ")) == BREACH_REASON_REQUIRED
    breach(cast["vienne"], agreement, date(2027, 1, 1), "abandon")
    assert refused(lambda: breach(cast["vienne"], agreement, date(2027, 2, 1), "autre")) == (BREACH_ALREADY_RECORDED)
    agreement.refresh_from_db()
    assert (agreement.rupture_le, agreement.rupture_motif) == (date(2027, 1, 1), "abandon")


# --- Vacancies, placements, visits --------------------------------------------------------------------------------


def test_a_vacancy_is_published_on_ones_territory_at_a_known_commune_for_a_visible_project(cast, project):  # noqa: F811
    assert forbidden(lambda: post(cast["lussac"], "86070")) == VACANCY_OUTSIDE_TERRITORY
    assert refused(lambda: post(cast["vienne"], "99999")) == "Poste à pourvoir : commune inconnue « 99999 »."
    assert refused(lambda: post(cast["charente_maritime"], "17300", project_id=project.pk)) == PROJECT_NOT_FOUND
    assert not Vacancy.objects.exists()


def test_a_vacancys_status_is_changed_by_its_territory_to_a_known_status(cast):
    vacancy = post(cast["vienne"])
    assert forbidden(lambda: set_vacancy_status(cast["charente_maritime"], vacancy, "clos")) == (CANNOT_EDIT_VACANCY)
    assert refused(lambda: set_vacancy_status(cast["vienne"], vacancy, "ferme")) == "Statut inconnu : « ferme »."
    vacancy.refresh_from_db()
    assert vacancy.statut == "ouvert"


def test_a_placement_is_started_by_the_candidates_departement_with_a_post_it_sees(cast, student):
    elsewhere = post(cast["charente_maritime"], "17300")
    assert forbidden(lambda: start_placement(cast["charente_maritime"], student, elsewhere)) == (CANNOT_FOLLOW_CANDIDATE)
    assert refused(lambda: start_placement(cast["vienne"], student, elsewhere)) == VACANCY_NOT_FOUND
    assert refused(lambda: start_placement(cast["vienne"], student, None, "99999")) == (
        "Mise en relation : commune inconnue « 99999 »."
    )
    assert not student.placements.exists()


def test_a_placement_is_moved_only_by_the_candidates_departement(cast, student):
    placement = start_placement(cast["vienne"], student, None, "86140")
    assert forbidden(lambda: move_placement(cast["charente_maritime"], placement, "echanges")) == (CANNOT_FOLLOW_CANDIDATE)
    placement.refresh_from_db()
    assert placement.stage == "contact"


def test_a_visit_is_planned_by_the_candidates_departement_with_places_and_a_post_it_sees(cast, student):
    plan = plan_visit
    elsewhere = post(cast["charente_maritime"], "17300")
    visit = VisitData(date(2027, 3, 1), "Lussac")
    assert forbidden(lambda: plan(cast["charente_maritime"], student, visit)) == CANNOT_PLAN_VISIT
    assert refused(lambda: plan(cast["vienne"], student, VisitData(date(2027, 3, 1), " "))) == (VISIT_PLACES_NEEDED)
    assert refused(
        lambda: plan(cast["vienne"], student, VisitData(date(2027, 3, 1), "La Rochelle", vacancy_id=elsewhere.pk))
    ) == (VACANCY_NOT_FOUND)
    assert not Visit.objects.exists()
    planned = plan(cast["vienne"], student, visit)
    assert forbidden(lambda: record_feedback(cast["charente_maritime"], planned, "le maire", "bien")) == (CANNOT_EDIT_VISIT)
    planned.refresh_from_db()
    assert (planned.personnes_rencontrees, planned.retour) == ("", "")


# --- Campaigns and schemes ----------------------------------------------------------------------------------------


def test_a_campaign_is_created_in_ones_known_departement_for_a_visible_project(cast, project):  # noqa: F811
    def create(user, departement, project_id=None):
        return create_campaign(user, departement, "Venez", "Texte", [], False, project_id)

    assert forbidden(lambda: create(cast["charente_maritime"], "86")) == CAMPAIGN_OUTSIDE_DEPARTEMENT
    assert refused(lambda: create(cast["admin"], "999")) == UNKNOWN_DEPARTEMENT.format(code="999")
    assert refused(lambda: create(cast["charente_maritime"], "17", project.pk)) == PROJECT_NOT_FOUND
    assert not Campaign.objects.exists()
    campaign = create(cast["vienne"], "86")
    assert forbidden(lambda: export_audience(cast["charente_maritime"], campaign)) == CAMPAIGN_NOT_FOUND


def test_schemes_are_configured_by_their_departement_and_national_ones_by_an_administrator(cast, vienne_medecine):
    save = save_scheme
    national = AidScheme(code="national-test", nom="Aide nationale", financeur="État", kind="etudes")
    assert forbidden(lambda: save(cast["vienne"], national, None)) == NATIONAL_SCHEME_ADMIN_ONLY
    assert forbidden(lambda: save(cast["charente_maritime"], vienne_medecine, "86")) == SCHEME_OUTSIDE_DEPARTEMENT
    assert refused(lambda: save(cast["admin"], national, "999")) == UNKNOWN_DEPARTEMENT.format(code="999")
    vienne_medecine.annee_min, vienne_medecine.annee_max = 7, 6
    assert refused(lambda: save(cast["vienne"], vienne_medecine, "86")) == YEARS_REVERSED
    vienne_medecine.annee_min = 6
    save(cast["vienne"], vienne_medecine, "86")
    assert AidScheme.objects.get(pk=vienne_medecine.pk).annee_min == 6
    assert not AidScheme.objects.filter(code="national-test").exists()

"""A service writes only the fields it changes: a record read before someone else changed another of its fields
(another page, another officer) keeps that other change. Saving the whole stale record would undo it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from oasis.recruitment.agreements import create_agreement, record_breach, record_installation
from oasis.recruitment.models import AidAgreement, Vacancy, Visit
from oasis.recruitment.placements import VisitData, plan_visit, record_feedback
from oasis.recruitment.vacancies import VacancyData, create_vacancy, set_vacancy_status
from oasis.territories.models import Commune

pytestmark = pytest.mark.django_db

SIGNED = date(2026, 9, 1)


@pytest.fixture
def agreement(cast, vienne_medecine, student):  # type: ignore[no-untyped-def]
    return create_agreement(cast["vienne"], student, vienne_medecine, SIGNED, SIGNED, 12)


def test_an_installation_keeps_a_corrected_instalment(cast, agreement):
    AidAgreement.objects.filter(pk=agreement.pk).update(mensualite=Decimal("450.00"))
    record_installation(cast["vienne"], agreement, Commune.objects.get(pk="86140"), date(2027, 10, 1))
    stored = AidAgreement.objects.get(pk=agreement.pk)
    assert (stored.mensualite, stored.installe_le) == (Decimal("450.00"), date(2027, 10, 1))


def test_a_breach_keeps_a_corrected_instalment(cast, agreement):
    AidAgreement.objects.filter(pk=agreement.pk).update(mensualite=Decimal("450.00"))
    record_breach(cast["vienne"], agreement, date(2027, 1, 15), "Abandon des études")
    stored = AidAgreement.objects.get(pk=agreement.pk)
    assert (stored.mensualite, stored.rupture_le) == (Decimal("450.00"), date(2027, 1, 15))


def test_a_vacancy_s_status_keeps_its_corrected_conditions(cast):
    vacancy = create_vacancy(
        cast["vienne"], VacancyData(commune="86070", profession="generaliste", mode="liberal", contact_nom="Mairie")
    )
    Vacancy.objects.filter(pk=vacancy.pk).update(conditions="Temps partiel possible")
    set_vacancy_status(cast["vienne"], vacancy, "pourvu")
    stored = Vacancy.objects.get(pk=vacancy.pk)
    assert (stored.conditions, stored.statut) == ("Temps partiel possible", "pourvu")


def test_a_visit_s_feedback_keeps_its_corrected_places(cast, student):
    visit = plan_visit(cast["vienne"], student, VisitData(date=date(2027, 3, 1), lieux="Lussac"))
    Visit.objects.filter(pk=visit.pk).update(lieux="Lussac, Civaux")
    record_feedback(cast["vienne"], visit, "Le maire", "Séduite")
    stored = Visit.objects.get(pk=visit.pk)
    assert (stored.lieux, stored.retour) == ("Lussac, Civaux", "Séduite")

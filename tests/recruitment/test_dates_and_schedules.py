"""Calendar rules of agreements, checked against dates counted by hand: a month later (shorter months, leap years,
the year's turn, backwards), whole months between two dates, the payment schedule under the scheme's cap, the
installation deadline, and the commitments falling due at, just before and just after the alert window."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from oasis.recruitment.agreements import commitments_due, create_agreement
from oasis.recruitment.candidates import retention_until
from oasis.recruitment.common import add_months, months_between
from oasis.recruitment.models import AidAgreement, AidScheme


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 12, 1), 1, date(2027, 1, 1)),
        (date(2026, 12, 31), 12, date(2027, 12, 31)),
        (date(2026, 1, 15), 0, date(2026, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 9, 30), 84, date(2033, 9, 30)),
    ],
)
def test_a_month_later(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 1, 15), date(2026, 1, 15), 0),
        (date(2026, 1, 15), date(2026, 1, 1), 0),  # backwards: none
        (date(2026, 1, 15), date(2026, 2, 14), 0),  # a day short of a month
        (date(2026, 1, 15), date(2026, 2, 15), 1),
        (date(2026, 1, 15), date(2026, 2, 16), 1),
        (date(2025, 11, 20), date(2026, 2, 19), 2),  # across the year's turn
        (date(2025, 11, 20), date(2026, 2, 20), 3),
        (date(2026, 9, 1), date(2033, 9, 1), 84),
    ],
)
def test_whole_months_between(start, end, expected):
    assert months_between(start, end) == expected


def test_the_retention_ends_the_configured_months_later(settings):
    settings.OASIS_CANDIDATE_RETENTION_MONTHS = 24
    assert retention_until(date(2026, 2, 28)) == date(2028, 2, 28)
    settings.OASIS_CANDIDATE_RETENTION_MONTHS = 1
    assert retention_until(date(2026, 1, 31)) == date(2026, 2, 28)


def test_the_schedule_stops_at_the_cap_and_the_deadline_follows_the_last_payment(cast, vienne_medecine, student):
    # 500 € a month under a 1,250 € cap: 500, 500, then 250 — three payments; installation within 36 months after.
    AidScheme.objects.filter(pk=vienne_medecine.pk).update(plafond=Decimal("1250"))
    vienne_medecine.refresh_from_db()
    agreement = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30), nb_mois=12)
    payments = list(agreement.payments.order_by("echeance").values_list("echeance", "montant"))
    assert payments == [
        (date(2026, 9, 30), Decimal("500")),
        (date(2026, 10, 30), Decimal("500")),
        (date(2026, 11, 30), Decimal("250")),
    ]
    assert agreement.nb_mois == 3
    assert agreement.installation_avant == date(2029, 11, 30)


def test_the_number_of_payments_follows_the_years_of_study(cast, vienne_medecine, student):
    # Years 4 to 10 are aided; a 4th-year student gets 7 years of 500 €, 42,000 €: exactly the scheme's cap.
    student.annee_etudes = 4
    student.save()
    agreement = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 1))
    assert agreement.nb_mois == 84
    assert sum(agreement.payments.values_list("montant", flat=True)) == Decimal("42000")
    assert agreement.payments.order_by("-echeance").first().echeance == date(2033, 8, 1)


@pytest.mark.parametrize(("year", "refused"), [(3, True), (4, False), (10, False), (11, True)])
def test_the_years_of_study_at_their_bounds(cast, vienne_medecine, student, year, refused):
    student.annee_etudes = year
    student.save()
    if refused:
        with pytest.raises(ValueError, match="hors des années aidées"):
            create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 1))
        assert not AidAgreement.objects.exists()
    else:
        agreement = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 1))
        assert agreement.nb_mois == min((10 - year + 1) * 12, 84)


def test_payments_start_on_or_after_the_signature(cast, vienne_medecine, student):
    with pytest.raises(ValueError, match="ne peut pas précéder la signature"):
        create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 2), date(2026, 9, 1), nb_mois=1)
    assert create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 1), 1)
    with pytest.raises(ValueError, match="doit être positif"):
        create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 1), nb_mois=0)


@pytest.mark.parametrize(("days_before", "due"), [(31, False), (30, True), (29, True), (0, True), (-5, True)])
def test_commitments_due_within_the_alert_window(cast, vienne_medecine, student, days_before, due):
    agreement = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30), 12)
    today = agreement.installation_avant - timedelta(days=days_before)
    assert commitments_due(AidAgreement.objects.all(), within_days=30, today=today) == ([agreement] if due else [])


def test_commitments_kept_or_broken_are_no_longer_due(cast, vienne_medecine, student, settings):
    settings.OASIS_COMMITMENT_ALERT_DAYS = 10
    agreement = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30), 12)
    on_deadline = agreement.installation_avant
    assert commitments_due(AidAgreement.objects.all(), today=on_deadline - timedelta(days=10)) == [agreement]
    assert commitments_due(AidAgreement.objects.all(), today=on_deadline - timedelta(days=11)) == []
    AidAgreement.objects.filter(pk=agreement.pk).update(rupture_le=on_deadline)
    assert commitments_due(AidAgreement.objects.all(), today=on_deadline) == []
    AidAgreement.objects.filter(pk=agreement.pk).update(rupture_le=None, installe_le=on_deadline)
    assert commitments_due(AidAgreement.objects.all(), today=on_deadline) == []


def test_commitments_due_come_soonest_first(cast, vienne_medecine, student):
    later = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 10, 30), 12)
    sooner = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30), 12)
    today = later.installation_avant
    assert commitments_due(AidAgreement.objects.all(), within_days=0, today=today) == [sooner, later]

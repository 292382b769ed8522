"""The retention rule and the repayment rule at, just before and just after their dates, with bound and unbound files."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from oasis.audit.models import AuditEvent
from oasis.recruitment.agreements import amount_owed, create_agreement, mark_paid, record_breach, record_installation
from oasis.recruitment.candidates import CandidateData, create_candidate, purge_expired
from oasis.recruitment.models import AidAgreement, Candidate
from oasis.territories.models import Commune

TODAY = date(2027, 6, 15)


def _candidate(cast, nom: str, kept_until: date) -> Candidate:
    candidate = create_candidate(
        cast["vienne"], "86", CandidateData(nom=nom, prenom="X", profession="infirmier", situation="etudiant"), True
    )
    Candidate.objects.filter(pk=candidate.pk).update(conserver_jusqu_au=kept_until)
    return candidate


@pytest.mark.parametrize(
    ("kept_until", "expired"), [(TODAY - timedelta(days=1), True), (TODAY, False), (TODAY + timedelta(days=1), False)]
)
def test_expired_at_and_around_the_last_day_kept(cast, kept_until, expired):
    candidate = _candidate(cast, "Dupont", kept_until)
    assert (candidate in Candidate.objects.expired(TODAY)) is expired


def test_unbound_leaves_out_the_files_an_agreement_binds(cast, vienne_medecine, student):
    free = _candidate(cast, "Libre", TODAY)
    create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30))
    assert set(Candidate.objects.unbound()) == {free}


def test_the_purge_erases_the_unbound_and_keeps_the_bound_in_one_run(cast, vienne_medecine, student):
    create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30))
    Candidate.objects.filter(pk=student.pk).update(conserver_jusqu_au=TODAY - timedelta(days=30))
    expired = _candidate(cast, "Echu", TODAY - timedelta(days=1))
    current = _candidate(cast, "Actuel", TODAY)
    assert purge_expired(TODAY) == [expired.pk]
    assert set(Candidate.objects.values_list("pk", flat=True)) == {student.pk, current.pk}  # nothing rolled back
    call_command("purge_candidates", verbosity=0)  # and the command does the same today, idempotently
    assert Candidate.objects.filter(pk=student.pk).exists()


@pytest.fixture
def installed(cast, vienne_medecine, student):
    """The Vienne agreement, fully paid (42,000 €), installed on 1 November 2033: 84 months of practice required."""
    agreement = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30))
    mark_paid(cast["vienne"], agreement, date(2033, 8, 30))
    record_installation(cast["vienne"], agreement, Commune.objects.get(pk="86070"), date(2033, 11, 1))
    agreement.refresh_from_db()
    return agreement


@pytest.mark.parametrize(
    ("on", "served", "owed"),
    [
        (date(2033, 11, 1), 0, Decimal("42000.00")),  # the day of installation: nothing served yet
        (date(2035, 11, 1), 24, Decimal("30000.00")),  # during: 42,000 × (1 − 24/84)
        (date(2040, 10, 31), 83, Decimal("500.00")),  # the day before the end: one month short
        (date(2040, 11, 1), 84, Decimal("0.00")),  # at the end of the commitment
        (date(2042, 11, 1), 84, Decimal("0.00")),  # after it: never a negative amount
    ],
)
def test_prorata_repayment_before_during_at_the_end_and_after(installed, on, served, owed):
    result = amount_owed(installed, on)
    assert (result.months_served, result.amount) == (served, owed)


def test_the_purge_leaves_in_the_audit_why_and_which_number(cast):
    expired = _candidate(cast, "Echu", TODAY - timedelta(days=1))
    purge_expired(TODAY)
    event = AuditEvent.objects.get(action="candidat.effacement", objet_id=str(expired.pk))
    assert event.details == {"motif": "durée de conservation échue", "id": expired.pk}
    assert event.user is None  # the daily command, nobody's hand


def test_an_installation_is_recorded_on_its_signature_day_at_the_earliest(cast, vienne_medecine, student):
    agreement = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30))
    chauvigny = Commune.objects.get(pk="86070")
    with pytest.raises(ValueError) as raised:
        record_installation(cast["vienne"], agreement, chauvigny, date(2026, 8, 31))
    assert str(raised.value) == "L'installation ne peut pas précéder la signature de la convention."
    record_installation(cast["vienne"], agreement, chauvigny, date(2026, 9, 1))
    agreement = AidAgreement.objects.get(pk=agreement.pk)
    assert (agreement.installe_le, agreement.installation_commune_id) == (date(2026, 9, 1), "86070")
    event = AuditEvent.objects.get(action="convention.installation")
    assert (event.user, event.details) == (cast["vienne"], {"commune": "86070", "depuis": "2026-09-01"})


def test_an_installation_outside_the_departement_or_after_a_breach_is_refused(cast, vienne_medecine, student):
    agreement = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30))
    with pytest.raises(ValueError) as raised:
        record_installation(cast["vienne"], agreement, Commune.objects.get(pk="17300"), date(2030, 1, 1))
    assert str(raised.value) == (
        "La Rochelle (17) est hors du département 86 : l'installation ne remplit pas l'engagement "
        "(constater une rupture le cas échéant)."
    )
    record_breach(cast["vienne"], agreement, date(2029, 1, 1), "Départ à l'étranger")
    with pytest.raises(ValueError) as raised:
        record_installation(cast["vienne"], agreement, Commune.objects.get(pk="86070"), date(2030, 1, 1))
    assert str(raised.value) == "Cette convention est rompue."
    assert AidAgreement.objects.get(pk=agreement.pk).installe_le is None

"""``oasis purge_candidates`` (daily): the expired unbound files and the portal requests never confirmed are erased
and counted by number; the files an agreement binds and the requests still within their link's validity stay."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from oasis.recruitment.agreements import create_agreement
from oasis.recruitment.candidates import CandidateData, create_candidate
from oasis.recruitment.management.commands.purge_candidates import ERASED, ERASED_NUMBERS, UNCONFIRMED_ERASED
from oasis.recruitment.models import Candidate, PortalSignup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def _purge() -> list[str]:
    out = StringIO()
    call_command("purge_candidates", stdout=out)
    return out.getvalue().splitlines()


def _expired(cast, nom: str) -> Candidate:
    candidate = create_candidate(
        cast["vienne"], "86", CandidateData(nom=nom, prenom="X", profession="infirmier", situation="etudiant"), True
    )
    Candidate.objects.filter(pk=candidate.pk).update(conserver_jusqu_au=date.today() - timedelta(days=1))
    return candidate


def _signup(days_ago: int) -> PortalSignup:
    signup = PortalSignup.objects.create(departement_id="86", email="x@etu.test", data={})
    PortalSignup.objects.filter(pk=signup.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return signup


def test_nothing_to_erase_is_said(cast):
    assert _purge() == [ERASED.format(count=0, numbers=""), UNCONFIRMED_ERASED.format(count=0)]


def test_expired_unbound_files_and_stale_requests_are_erased_by_number(cast, vienne_medecine, student, settings):
    settings.OASIS_PORTAL_CONFIRMATION_DAYS = 7
    create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30))
    Candidate.objects.filter(pk=student.pk).update(conserver_jusqu_au=date.today() - timedelta(days=30))
    first, second = _expired(cast, "Un"), _expired(cast, "Deux")
    stale, recent = _signup(days_ago=8), _signup(days_ago=6)
    numbers = ERASED_NUMBERS.format(numbers=f"{first.pk}, {second.pk}")
    assert _purge() == [ERASED.format(count=2, numbers=numbers), UNCONFIRMED_ERASED.format(count=1)]
    assert set(Candidate.objects.values_list("pk", flat=True)) == {student.pk}
    assert set(PortalSignup.objects.values_list("pk", flat=True)) == {recent.pk} != {stale.pk}
    assert _purge() == [ERASED.format(count=0, numbers=""), UNCONFIRMED_ERASED.format(count=0)]  # idempotent

"""Two officers edit the same candidate's file: the second save over the first is refused, naming the first officer
and when, the changed fields beside what the second typed, kept in the form; saved again, it goes through, and the
audit shows both saves."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from oasis.accounts.enums import Role
from oasis.audit.models import AuditEvent
from oasis.concurrency import MODIFIED_MEANWHILE, moment
from oasis.recruitment.models import Candidate
from tests.formread import form_fields
from tests.projects.conftest import make_user

pytestmark = pytest.mark.django_db


def _browser(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_candidate_s_file(cast, student):
    claire = cast["vienne"]
    claire.first_name, claire.last_name = "Claire", "Durand"
    claire.save()
    paul = make_user("paul@vienne.test", Role.DEPARTEMENT, departement_id="86")
    a, b = _browser(claire), _browser(paul)
    url = reverse("candidate_edit", args=[student.pk])
    form_a = form_fields(a.get(url).content.decode(), "candidate-form")
    form_b = form_fields(b.get(url).content.decode(), "candidate-form")
    assert a.post(url, form_a | {"notes": "Cherche un stage à Lussac.", "telephone": "05 49 00 00 00"}).status_code == 302
    refused = b.post(url, form_b | {"notes": "Rencontrée au forum."})
    assert refused.status_code == 409
    page = refused.content.decode()
    saved_at = AuditEvent.objects.filter(user=claire, action="candidat.modification").latest("at", "pk").at
    assert escape(MODIFIED_MEANWHILE.format(by="Claire Durand", at=moment(saved_at))) in page
    assert 'data-champ="notes"' in page and 'data-champ="telephone"' in page and 'data-champ="nom"' not in page
    kept = form_fields(page, "candidate-form")
    assert kept["notes"] == "Rencontrée au forum."
    assert Candidate.objects.get(pk=student.pk).notes == "Cherche un stage à Lussac."
    merged = kept | {"notes": "Cherche un stage à Lussac. Rencontrée au forum.", "telephone": "05 49 00 00 00"}
    assert b.post(url, merged).status_code == 302
    stored = Candidate.objects.get(pk=student.pk)
    assert (stored.notes, stored.telephone) == ("Cherche un stage à Lussac. Rencontrée au forum.", "05 49 00 00 00")
    events = AuditEvent.objects.filter(action="candidat.modification", objet_id=str(student.pk)).order_by("at", "pk")
    assert [event.user.email for event in events] == ["cm@vienne.test", "paul@vienne.test"]

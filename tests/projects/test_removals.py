"""Removing a partner, a contact or an action: what goes (a partner's contacts with it), what the audit keeps, who
may, and an unknown number refused with nothing removed."""

from datetime import date

import pytest

from oasis.audit.models import AuditEvent
from oasis.projects.models import Action, Contact, Partner
from oasis.projects.services import (
    ACTION_NOT_FOUND,
    CONTACT_NOT_FOUND,
    PARTNER_NOT_FOUND,
    ActionEntry,
    NotAllowed,
    add_contact,
    add_partner,
    log_action,
    remove_action,
    remove_contact,
    remove_partner,
)


@pytest.fixture
def record(cast, project):  # type: ignore[no-untyped-def]
    officer = cast["vienne"]
    cpam = add_partner(officer, project, "cpam", "CPAM de la Vienne")
    first = add_contact(officer, project, cpam.pk, "Claire Martin", "chargée de mission", "claire@cpam.test", "")
    add_contact(officer, project, cpam.pk, "Paul Durand", "directeur", "", "05 49 00 00 00")
    action = log_action(officer, project, ActionEntry("visite", date(2026, 5, 2), "Visite des locaux"))
    return cpam, first, action


REMOVALS = ["projet.partenaire.retrait", "projet.contact.retrait", "projet.action.suppression"]


def _event(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def test_a_partner_goes_with_its_contacts_and_the_audit_counts_them(cast, project, record):
    cpam, _, _ = record
    remove_partner(cast["vienne"], project, cpam.pk)
    assert not Partner.objects.filter(project=project).exists()
    assert not Contact.objects.exists()
    event = _event("projet.partenaire.retrait")
    assert (event.user, event.objet_id) == (cast["vienne"], str(project.pk))
    assert event.details == {"partenaire": cpam.pk, "nom": "CPAM de la Vienne", "contacts": 2}


def test_a_contact_goes_alone_and_the_audit_names_the_record_not_the_person(cast, project, record):
    cpam, first, _ = record
    remove_contact(cast["ars_na"], project, first.pk)
    assert list(Contact.objects.values_list("nom", flat=True)) == ["Paul Durand"]
    assert Partner.objects.filter(pk=cpam.pk).exists()
    event = _event("projet.contact.retrait")
    assert (event.user, event.details) == (cast["ars_na"], {"partenaire": cpam.pk, "contact": first.pk})


def test_an_action_goes_and_the_audit_keeps_what_it_was(cast, project, record):
    _, _, action = record
    remove_action(cast["vienne"], project, action.pk)
    assert not Action.objects.exists()
    event = _event("projet.action.suppression")
    assert (event.user, event.objet_id) == (cast["vienne"], str(project.pk))
    assert event.details == {"action": action.pk, "type": "visite", "date": "2026-05-02", "objet": "Visite des locaux"}


@pytest.mark.parametrize("who", ["cpam_na", "lussac"])
def test_readers_remove_nothing(cast, project, record, who):
    cpam, first, action = record
    for removal, number in ((remove_partner, cpam.pk), (remove_contact, first.pk), (remove_action, action.pk)):
        with pytest.raises(NotAllowed):
            removal(cast[who], project, number)
    assert (Partner.objects.count(), Contact.objects.count(), Action.objects.count()) == (1, 2, 1)
    assert not AuditEvent.objects.filter(action__in=REMOVALS).exists()


@pytest.mark.parametrize(
    ("removal", "message"),
    [
        (remove_partner, PARTNER_NOT_FOUND),
        (remove_contact, CONTACT_NOT_FOUND),
        (remove_action, ACTION_NOT_FOUND),
    ],
)
def test_an_unknown_number_is_refused_and_nothing_removed(cast, project, record, removal, message):
    with pytest.raises(ValueError) as error:
        removal(cast["vienne"], project, 10_000_000)
    assert str(error.value) == message
    assert (Partner.objects.count(), Contact.objects.count(), Action.objects.count()) == (1, 2, 1)


def test_what_belongs_to_another_project_is_not_found_there(cast, record, other_project):
    officer = cast["vienne"]
    cpam, first, action = record
    for removal, number, message in (
        (remove_partner, cpam.pk, PARTNER_NOT_FOUND),
        (remove_contact, first.pk, CONTACT_NOT_FOUND),
        (remove_action, action.pk, ACTION_NOT_FOUND),
    ):
        with pytest.raises(ValueError) as error:
            removal(officer, other_project, number)
        assert str(error.value) == message
    assert (Partner.objects.count(), Contact.objects.count(), Action.objects.count()) == (1, 2, 1)

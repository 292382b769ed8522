"""Two people — or one person in two tabs — write the same draft of the projet de santé: sections written by
different people are both kept; a section both changed is never overwritten: the second writer keeps their text in the
form, sees the other's name, time and text beside it, merges and saves."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from oasis.accounts.enums import Role
from oasis.audit.models import AuditEvent
from oasis.concurrency import moment
from oasis.projects import projet_de_sante as pds
from oasis.projects.enums import ProjetDeSanteStatus
from oasis.projects.models import ProjectGuest, ProjetDeSante
from tests.formread import form_fields
from tests.projects.conftest import make_user

pytestmark = pytest.mark.django_db

FIRST = {section.key: f"Premier texte : {section.titre}." for section in pds.SECTIONS}


def _porteur(cast, project, email: str, nom: str):  # type: ignore[no-untyped-def]
    user = make_user(email, Role.PORTEUR, organisation="SISA de Lussac")
    user.first_name, user.last_name = nom.split()
    user.save()
    ProjectGuest.objects.create(project=project, user=user, invited_by=cast["vienne"])
    return user


@pytest.fixture
def alice(cast, project):  # type: ignore[no-untyped-def]
    return _porteur(cast, project, "alice@lussac.test", "Alice Martin")


@pytest.fixture
def bruno(cast, project):  # type: ignore[no-untyped-def]
    return _porteur(cast, project, "bruno@lussac.test", "Bruno Petit")


@pytest.fixture
def draft(project, alice):  # type: ignore[no-untyped-def]
    return pds.save_draft(alice, project, FIRST)


def _browser(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _open(client: Client, project) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The draft's form as this tab read it."""
    page = client.get(reverse("projet_de_sante", args=[project.pk]))
    assert page.status_code == 200
    return form_fields(page.content.decode(), "projet-de-sante-form")


def _save(client: Client, project, form: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(reverse("projet_de_sante_save", args=[project.pk]), form | {"action": "enregistrer"})


def _stored(project) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return ProjetDeSante.objects.get(project=project, status=ProjetDeSanteStatus.BROUILLON).sections


def _saves(project) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    events = AuditEvent.objects.filter(action="projet.projet_de_sante.brouillon", objet_id=str(project.pk)).order_by("at", "pk")
    return [(event.user.email, event.details["rubriques"]) for event in events]


def test_two_porteurs_writing_different_sections_both_keep_their_text(project, alice, bruno, draft):
    a, b = _browser(alice), _browser(bruno)
    form_a, form_b = _open(a, project), _open(b, project)
    response_a = _save(a, project, form_a | {"horaires": "Du lundi au vendredi, 8 h – 20 h ; samedi matin."})
    response_b = _save(b, project, form_b | {"prevention": "Dépistage du diabète avec la CPTS."})
    assert (response_a.status_code, response_b.status_code) == (302, 302)
    stored = _stored(project)
    assert stored["horaires"] == "Du lundi au vendredi, 8 h – 20 h ; samedi matin."  # A's text is not lost
    assert stored["prevention"] == "Dépistage du diabète avec la CPTS."
    assert stored["coordination"] == FIRST["coordination"]
    assert _saves(project)[-2:] == [("alice@lussac.test", ["horaires"]), ("bruno@lussac.test", ["prevention"])]
    assert ProjetDeSante.objects.filter(project=project).count() == 1


def test_one_account_in_two_tabs_keeps_both_sections(project, alice, draft):
    browser = _browser(alice)
    tab_1, tab_2 = _open(browser, project), _open(browser, project)
    assert _save(browser, project, tab_1 | {"horaires": "Ouvert le samedi matin."}).status_code == 302
    assert _save(browser, project, tab_2 | {"etudiants": "Deux maîtres de stage."}).status_code == 302
    stored = _stored(project)
    assert (stored["horaires"], stored["etudiants"]) == ("Ouvert le samedi matin.", "Deux maîtres de stage.")


def test_the_same_section_asks_the_second_writer_to_merge_then_saves_the_merge(project, alice, bruno, draft):
    a, b = _browser(alice), _browser(bruno)
    form_a, form_b = _open(a, project), _open(b, project)
    assert _save(a, project, form_a | {"horaires": "8 h – 20 h en semaine."}).status_code == 302
    refused = _save(b, project, form_b | {"horaires": "8 h – 19 h, samedi matin.", "prevention": "Vaccination."})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert escape(pds.SECTIONS_CONFLICT.format(titles="Horaires d'ouverture")) in page
    saved_at = AuditEvent.objects.filter(user=alice, action="projet.projet_de_sante.brouillon").latest("at", "pk").at
    assert escape(pds.SECTION_CHANGED_BY.format(by="Alice Martin", at=moment(saved_at))) in page
    assert "<del>8 h – 20 h en semaine.</del>" in page  # A's text beside B's
    assert "<ins>8 h – 19 h, samedi matin.</ins>" in page
    kept = form_fields(page, "projet-de-sante-form")
    assert kept["horaires"] == "8 h – 19 h, samedi matin."  # B's own text stays in the field
    assert kept["prevention"] == "Vaccination."
    stored = _stored(project)
    assert stored["horaires"] == "8 h – 20 h en semaine."  # nothing overwritten
    assert stored["prevention"] == "Vaccination."  # the section only B changed is saved
    assert _saves(project)[-2:] == [("alice@lussac.test", ["horaires"]), ("bruno@lussac.test", ["prevention"])]

    merged = "8 h – 20 h en semaine, samedi matin."
    assert _save(b, project, kept | {"horaires": merged}).status_code == 302
    assert _stored(project)["horaires"] == merged and _stored(project)["prevention"] == "Vaccination."
    assert _saves(project)[-1] == ("bruno@lussac.test", ["horaires"])


def test_a_conflict_on_one_section_alone_writes_nothing_and_names_the_writer_by_email(project, cast, alice, draft):
    browser = _browser(alice)
    tab_1, tab_2 = _open(browser, project), _open(browser, project)
    officer = _browser(cast["vienne"])  # the Département's officer has no name: their e-mail names them
    assert _save(officer, project, _open(officer, project) | {"coordination": "Réunion mensuelle."}).status_code == 302
    assert _save(browser, project, tab_1 | {"territoire": "Lussac."}).status_code == 302
    count = AuditEvent.objects.count()
    refused = _save(browser, project, tab_2 | {"coordination": "Réunion hebdomadaire."})
    assert refused.status_code == 409 and "Modifiée entre-temps par cm@vienne.test le" in refused.content.decode()
    assert AuditEvent.objects.count() == count  # nothing written, nothing recorded
    assert _stored(project)["coordination"] == "Réunion mensuelle." and _stored(project)["territoire"] == "Lussac."


def test_a_version_submitted_meanwhile_opens_the_next_draft_with_both_texts(project, alice, bruno, draft):
    complete = _browser(alice)
    a, b = _open(complete, project), _open(_browser(bruno), project)
    assert a["version"] == "1"
    submitted = complete.post(reverse("projet_de_sante_save", args=[project.pk]), a | {"action": "soumettre"})
    assert submitted.status_code == 302
    b_client = _browser(bruno)
    saved = _save(b_client, project, b | {"permanence": "Participation à la PDSA le samedi."})
    assert saved.status_code == 302
    messages = [str(m) for m in saved.wsgi_request._messages]  # type: ignore[attr-defined]
    assert messages == [f"{pds.DRAFT_SAVED.format(numero=2)} {pds.SUBMITTED_MEANWHILE.format(read=1, numero=2)}"]
    stored = _stored(project)
    assert stored["permanence"] == "Participation à la PDSA le samedi." and stored["horaires"] == FIRST["horaires"]
    assert ProjetDeSante.objects.get(project=project, numero=1).sections == FIRST  # the submitted version never changes


def test_the_service_merges_from_the_digests_it_is_given(project, alice, bruno, draft):
    read = pds.read_digests(draft)
    pds.save_draft(alice, project, FIRST | {"horaires": "A"}, read)
    with pytest.raises(pds.DraftConflict) as refused:
        pds.save_draft(bruno, project, FIRST | {"horaires": "B", "besoins": "Besoins"}, read)
    (conflict,) = refused.value.conflicts
    assert (conflict.section.key, conflict.theirs, conflict.yours, conflict.by) == ("horaires", "A", "B", "Alice Martin")
    assert _stored(project)["besoins"] == "Besoins" and _stored(project)["horaires"] == "A"
    same = pds.save_draft(bruno, project, FIRST | {"horaires": "A", "besoins": "Besoins"}, read)  # the same change
    assert same.sections["horaires"] == "A"
    whole = pds.save_draft(bruno, project, FIRST)  # a client that read nothing writes its text whole
    assert whole.sections == FIRST
    assert get_user_model().objects.filter(email="bruno@lussac.test").exists()

"""The projet de santé: drafts, submission of complete versions only, versions that never change, who reads what,
the PDF export, the first text of the needs taken from the diagnosis with its sources."""

from __future__ import annotations

import contextlib
import io

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from pypdf import PdfReader

from oasis.accounts.enums import Role
from oasis.audit.models import AuditEvent
from oasis.notifications.enums import Event
from oasis.notifications.models import Notification
from oasis.notifications.services import send_immediate
from oasis.projects import projet_de_sante as pds
from oasis.projects.enums import ProjetDeSanteStatus
from oasis.projects.models import ProjectGuest, ProjetDeSante
from oasis.projects.services import NotAllowed
from oasis.territories.models import Commune
from tests.projects.conftest import make_user

pytestmark = pytest.mark.django_db

COMPLETE = {section.key: f"Texte de la rubrique {section.titre}." for section in pds.SECTIONS}


@pytest.fixture
def porteur(cast, project):  # type: ignore[no-untyped-def]
    user = make_user("sisa@lussac.test", Role.PORTEUR, organisation="SISA de Lussac")
    ProjectGuest.objects.create(project=project, user=user, invited_by=cast["vienne"])
    return user


def test_a_draft_is_saved_as_often_as_needed_then_submitted_complete(project, porteur):
    first = pds.save_draft(porteur, project, {"territoire": "  Lussac et Chauvigny \r\n"})
    again = pds.save_draft(porteur, project, {"territoire": "Lussac et Chauvigny", "horaires": "8 h – 20 h"})
    assert first.pk == again.pk and again.numero == 1 and again.status == ProjetDeSanteStatus.BROUILLON
    assert again.sections["territoire"] == "Lussac et Chauvigny" and again.sections["etudiants"] == ""
    saves = AuditEvent.objects.filter(action="projet.projet_de_sante.brouillon").order_by("at", "pk")
    assert [event.details["rubriques"] for event in saves] == [["territoire"], ["horaires"]]
    with pytest.raises(ValueError) as refused:
        pds.submit(porteur, project)
    required_empty = [
        section.titre for section in pds.SECTIONS if section.required and section.key not in ("territoire", "horaires")
    ]
    assert str(refused.value) == pds.INCOMPLETE.format(titles=", ".join(required_empty))  # not the optional students
    without_students = {key: text for key, text in COMPLETE.items() if key not in ("etudiants", "telemedecine")}
    pds.save_draft(porteur, project, without_students)
    submitted = pds.submit(porteur, project)
    assert submitted.status == ProjetDeSanteStatus.SOUMIS and submitted.submitted_by == porteur
    with pytest.raises(ValueError) as refused:
        pds.submit(porteur, project)
    assert str(refused.value) == pds.NO_DRAFT


def test_a_submitted_version_never_changes_and_the_next_starts_from_it(project, porteur, cast):
    pds.save_draft(porteur, project, COMPLETE)
    v1 = pds.submit(porteur, project)
    changed = dict(COMPLETE, horaires="Du lundi au samedi midi.")
    v2 = pds.save_draft(cast["vienne"], project, changed)  # the Département helps write it
    assert v2.numero == 2 and v2.pk != v1.pk
    v1.refresh_from_db()
    assert v1.sections == COMPLETE and v1.status == ProjetDeSanteStatus.SOUMIS
    assert pds.changed_since_previous(v2) == ["Horaires d'ouverture"]
    assert len(pds.changed_since_previous(v1)) == len(pds.SECTIONS)  # the first version: everything is new
    with pytest.raises(IntegrityError), transaction.atomic():  # one draft at a time, whatever the code does
        ProjetDeSante.objects.create(project=project, numero=3)


def test_submission_is_told_to_those_following_the_project_by_email(project, porteur, cast, smtp):
    pds.save_draft(porteur, project, COMPLETE)
    version = pds.submit(porteur, project)
    told = set(Notification.objects.filter(event=Event.DOCUMENT).values_list("recipient__email", flat=True))
    assert told == {"cm@vienne.test", "ars@na.test", "cpam@na.test", "maire@lussac.test"}  # never the porteur
    assert send_immediate() == 4
    mail = smtp.to("cm@vienne.test")[0]
    assert mail.subject == "[OASIS] Maison de santé de Lussac-les-Châteaux : projet de santé soumis (version 1)"
    assert f"/projets/{project.pk}/projet-de-sante/v{version.numero}/" in mail.text
    assert "sisa@lussac.test" in mail.text


def test_bad_input_is_refused_naming_the_section(project, porteur, client):
    with pytest.raises(ValueError) as refused:
        pds.save_draft(porteur, project, {"budget": "x"})
    assert str(refused.value) == pds.UNKNOWN_SECTION.format(keys="budget")
    client.force_login(porteur)
    form = client.get(reverse("projet_de_sante", args=[project.pk])).content.decode()
    assert form.count(f'maxlength="{pds.MAX_SECTION_CHARS}"') == len(pds.SECTIONS)  # the browser's limit, unlocalised
    too_long = "x" * (pds.MAX_SECTION_CHARS + 1)
    response = client.post(reverse("projet_de_sante_save", args=[project.pk]), {"coordination": too_long})
    assert response.status_code == 400 and "Rubrique trop longue" in response.content.decode()
    assert "Coordination" in response.content.decode() and not ProjetDeSante.objects.exists()
    at_limit = "x" * pds.MAX_SECTION_CHARS
    assert client.post(reverse("projet_de_sante_save", args=[project.pk]), {"coordination": at_limit}).status_code == 302


@pytest.mark.parametrize(
    ("who", "writes", "reads"),
    [
        ("admin", True, True),
        ("vienne", True, True),
        ("ars_na", True, True),
        ("cpam_na", False, True),
        ("lussac", False, True),
        ("chauvigny", False, False),
        ("charente_maritime", False, False),
        ("ars_occitanie", False, False),
        ("medecin", False, False),
    ],
)
def test_who_writes_who_reads_and_drafts_stay_with_the_writers(client, cast, project, porteur, who, writes, reads):
    pds.save_draft(porteur, project, COMPLETE)
    pds.submit(porteur, project)
    pds.save_draft(porteur, project, dict(COMPLETE, prevention="Brouillon en cours"))
    user = cast[who]
    client.force_login(user)
    page = client.get(reverse("projet_de_sante", args=[project.pk]))
    assert page.status_code == (200 if reads else 404)
    draft_page = client.get(reverse("projet_de_sante_version", args=[project.pk, 2]))
    assert draft_page.status_code == (200 if writes else 404)
    if reads:
        text = page.content.decode()
        assert ("Brouillon en cours" in text) is writes  # readers see the submitted text only
        assert client.get(reverse("projet_de_sante_version", args=[project.pk, 1])).status_code == 200
    post = client.post(reverse("projet_de_sante_save", args=[project.pk]), COMPLETE)
    assert post.status_code == (302 if writes else 403 if reads else 404)
    with pytest.raises(NotAllowed) if not writes else contextlib.nullcontext():
        pds.save_draft(user, project, COMPLETE)


def test_anonymous_visitors_are_sent_to_the_login(client, project):
    response = client.get(reverse("projet_de_sante", args=[project.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_version_is_exported_as_pdf_with_its_sections_and_team(client, project, porteur):
    pds.save_draft(porteur, project, dict(COMPLETE, coordination="Réunion pluriprofessionnelle mensuelle."))
    pds.submit(porteur, project)
    client.force_login(porteur)
    response = client.get(reverse("projet_de_sante_pdf", args=[project.pk, 1]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="projet-de-sante-{project.pk}-v1.pdf"' in response["Content-Disposition"]
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Projet de santé — Maison de santé de Lussac" in text
    assert "Réunion pluriprofessionnelle mensuelle." in text and "Version 1 soumise le" in text
    assert client.get(reverse("projet_de_sante_pdf", args=[project.pk, 2])).status_code == 404


def test_the_needs_start_from_the_diagnosis_of_the_served_communes_with_sources(client, project, porteur):
    client.force_login(porteur)
    page = client.get(reverse("projet_de_sante", args=[project.pk]) + "?diagnostic=1").content.decode()
    population = Commune.objects.filter(code_insee__in=["86140", "86070"]).aggregate(p=Sum("population"))["p"]
    expected = f"{population:,}".replace(",", "\u202f")
    assert f"2 communes, {expected} habitants." in page
    assert "Médecine générale" in page or "généraliste" in page
    assert "APL estimée par OASIS" in page and "habitants en commune sous-dense (APL officielle de la DREES" in page
    assert "Source : état des lieux OASIS du" in page
    assert not ProjetDeSante.objects.exists()  # a proposal in the form, saved only when the porteur saves
    pds.save_draft(porteur, project, {"besoins": "Notre propre texte."})
    again = client.get(reverse("projet_de_sante", args=[project.pk]) + "?diagnostic=1").content.decode()
    assert "Notre propre texte." in again and "APL estimée par OASIS" not in again  # never overwrites their text

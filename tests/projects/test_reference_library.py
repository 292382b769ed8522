"""A Département's library of reference texts: uploaded once by its officers, linked from projects, public ones
listed for everyone; who reads the others."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from oasis.accounts.enums import Role
from oasis.audit.models import AuditEvent
from oasis.projects import library
from oasis.projects.models import ProjectGuest
from oasis.projects.services import NotAllowed
from tests.projects.conftest import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 schema departemental des solidarites"
CAHIER = b"%PDF-1.4 cahier des charges ARS Nouvelle-Aquitaine"


def fetched(client, pk: int) -> tuple[int, bytes]:  # type: ignore[no-untyped-def]
    """Status and content of a download."""
    response = client.get(reverse("library_download", args=[pk]))
    # consuming a streamed file lets the test client close it (without closing the database connection)
    content = b"".join(response.streaming_content) if response.streaming else b""
    return response.status_code, content


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def texts(cast):  # type: ignore[no-untyped-def]
    schema = library.upload(
        cast["vienne"], "86", "schema-solidarites", "Schéma des solidarités 2022-2026", date(2022, 3, 1), True, "schema.pdf", PDF
    )
    cahier = library.upload(cast["vienne"], "86", "cahier-ars", "", None, False, "cahier.pdf", CAHIER)
    return schema, cahier


def test_officers_upload_once_and_it_is_audited(cast, texts):
    schema, cahier = texts
    assert cahier.titre == "Cahier des charges de l'ARS" and cahier.type_mime == "application/pdf"
    with schema.fichier.open("rb") as stored:
        assert stored.read() == PDF
    with pytest.raises(ValueError, match="déjà dans la bibliothèque"):
        library.upload(cast["vienne"], "86", "autre", "Copie", None, False, "copie.pdf", PDF)
    with pytest.raises(ValueError, match="type de fichier non accepté"):
        library.upload(cast["vienne"], "86", "autre", "Script", None, False, "x.exe", b"MZ")
    for who in ("charente_maritime", "ars_na", "lussac", "medecin"):
        with pytest.raises(NotAllowed):
            library.upload(cast[who], "86", "plan-sante", "Plan santé", None, True, "plan.pdf", b"%PDF-1.4 plan")
    assert AuditEvent.objects.filter(action="bibliotheque.ajout").count() == 2


@pytest.mark.parametrize(
    ("who", "sees_reserved"),
    [
        (None, False),
        ("vienne", True),
        ("ars_na", True),
        ("cpam_na", True),
        ("charente_maritime", False),
        ("ars_occitanie", False),
        ("lussac", False),
        ("medecin", False),
    ],
)
def test_the_page_lists_public_texts_for_all_and_the_others_for_those_concerned(client, cast, texts, who, sees_reserved):
    schema, cahier = texts
    if who:
        client.force_login(cast[who])
    content = client.get(reverse("library", args=["86"])).content.decode()
    assert schema.titre in content
    assert (escape(cahier.titre) in content) is sees_reserved
    assert ('id="bibliotheque-form"' in content) is (who == "vienne")
    assert fetched(client, schema.pk) == (200, PDF)
    assert fetched(client, cahier.pk)[0] == (200 if sees_reserved else 404)


def test_a_linked_text_is_read_by_whoever_sees_the_project(client, cast, project, texts):
    _schema, cahier = texts
    porteur = make_user("sisa@lussac.test", Role.PORTEUR, organisation="SISA de Lussac")
    ProjectGuest.objects.create(project=project, user=porteur, invited_by=cast["vienne"])
    client.force_login(porteur)
    assert fetched(client, cahier.pk)[0] == 404
    client.force_login(cast["vienne"])
    response = client.post(reverse("project_references", args=[project.pk]), {"texte": [cahier.pk]}, follow=True)
    assert "Textes de référence du projet enregistrés." in response.content.decode()
    assert list(project.reference_texts.all()) == [cahier]
    client.force_login(porteur)
    page = client.get(reverse("project_documents", args=[project.pk])).content.decode()
    assert 'id="liste-references"' in page and escape(cahier.titre) in page and 'id="references-form"' not in page
    assert fetched(client, cahier.pk) == (200, CAHIER)
    assert client.post(reverse("project_references", args=[project.pk]), {"texte": []}).status_code == 403


def test_only_texts_of_the_projects_departement_may_be_linked(cast, project):
    other = library.upload(cast["charente_maritime"], "17", "plan-sante", "Plan santé 17", None, True, "p.pdf", b"%PDF-1.4 17")
    with pytest.raises(ValueError, match="bibliothèque du Département du projet"):
        library.link(cast["vienne"], project, [other.pk])


def test_publishing_and_removing(client, cast, texts):
    schema, cahier = texts
    client.force_login(cast["charente_maritime"])
    assert client.post(reverse("library_public", args=[schema.pk]), {"public": "0"}).status_code == 403
    client.force_login(cast["vienne"])
    client.post(reverse("library_public", args=[cahier.pk]), {"public": "1"})
    client.logout()
    assert fetched(client, cahier.pk) == (200, CAHIER)
    client.force_login(cast["vienne"])
    response = client.post(reverse("library_remove", args=[schema.pk]), follow=True)
    assert "retiré de la bibliothèque" in response.content.decode()
    assert fetched(client, schema.pk)[0] == 404


def test_the_upload_form_keeps_input_on_error(client, cast):
    client.force_login(cast["vienne"])
    bad = SimpleUploadedFile("plan.pdf", b"not a pdf", content_type="application/pdf")
    url = reverse("library_upload", args=["86"])
    response = client.post(url, {"kind": "plan-sante", "titre": "Plan santé 2024", "fichier": bad})
    assert response.status_code == 400
    content = response.content.decode()
    assert "ne correspond pas à un fichier PDF" in content and 'value="Plan santé 2024"' in content
    good = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    done = client.post(url, {"kind": "plan-sante", "titre": "Plan santé 2024", "public": "on", "fichier": good}, follow=True)
    assert "« Plan santé 2024 » ajouté à la bibliothèque." in done.content.decode()
    assert client.get(reverse("library", args=["999"])).status_code == 404

"""Partners and actions, funding plan and tools, ACI simulator, documents, dashboard: rules, traces, and every role."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oasis.audit.models import AuditEvent
from oasis.projects import dashboard, documents, fir, funding
from oasis.projects.models import Action, Contact, DocumentVersion, FundingLine, Partner
from oasis.projects.services import ActionEntry, NotAllowed, add_contact, add_partner, edit_action, log_action
from oasis.projects.stages import move

SEES = {"admin", "vienne", "ars_na", "cpam_na", "lussac"}
BLIND = {"charente_maritime", "ars_occitanie", "chauvigny", "medecin"}
EDITORS = {"admin", "vienne", "ars_na"}  # the ARS instructs the projects of its région
RESTRICTED_READERS = {"admin", "vienne"}  # documents kept to the Département
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def documents_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "documents"


def actions_of(project, prefix):
    return list(
        AuditEvent.objects.filter(objet_id=str(project.pk), action__startswith=prefix)
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- Partners, contacts, actions --------------------------------------------------------------------------------------


def test_partners_contacts_and_actions_are_traced(cast, project):
    officer = cast["vienne"]
    ars = add_partner(officer, project, "ars", "ARS Nouvelle-Aquitaine, DD de la Vienne", "référent MSP")
    add_contact(officer, project, ars.pk, "Claire Martin", "chargée de mission", "claire.martin@ars.test", "05 49 00 00 00")
    action = log_action(
        officer, project, ActionEntry("reunion-information", date(2026, 3, 12), "Réunion d'information", "maire, 6 PS", "…")
    )
    edit_action(officer, project, action.pk, ActionEntry("reunion-information", date(2026, 3, 13), "Réunion d'information"))
    action.refresh_from_db()
    assert action.date == date(2026, 3, 13)
    assert actions_of(project, "projet.partenaire") == ["projet.partenaire.ajout"]
    assert "projet.contact.ajout" in actions_of(project, "projet.contact")
    changes = AuditEvent.objects.get(action="projet.action.modification").details["modifications"]
    assert changes["date"] == ["2026-03-12", "2026-03-13"]
    assert "claire.martin" not in str(AuditEvent.objects.filter(action="projet.contact.ajout").values("details"))


@pytest.mark.parametrize("who", ["cpam_na", "lussac"])
def test_readers_cannot_change_partners_or_actions(cast, project, who):
    with pytest.raises(NotAllowed):
        add_partner(cast[who], project, "cpam", "CPAM de la Vienne")
    with pytest.raises(NotAllowed):
        log_action(cast[who], project, ActionEntry("entretien", date.today(), "Entretien"))


@pytest.mark.parametrize("who", sorted(SEES | BLIND))
@pytest.mark.parametrize("page", ["project_partners", "project_funding", "project_aci", "project_documents"])
def test_sub_pages_by_role(client, cast, project, who, page):
    add_partner(cast["vienne"], project, "ordre", "Ordre des médecins de la Vienne")
    client.force_login(cast[who])
    response = client.get(reverse(page, args=[project.pk]))
    assert response.status_code == (200 if who in SEES else 404)
    content = response.content.decode()
    assert (project.nom in content) == (who in SEES)
    if page == "project_partners" and who in SEES:
        assert "Ordre des médecins de la Vienne" in content
        assert ("partner-form" in content) == (who in EDITORS)


POSTS = {
    "partner_add": ({"kind": "cpam", "nom": "CPAM de la Vienne", "role": "ACI"}, Partner),
    "action_add": (
        {"kind": "entretien", "date": "2026-02-01", "objet": "1er entretien", "participants": "", "compte_rendu": ""},
        Action,
    ),
    "funding_line_add": ({"tool": "detr", "objet": "Travaux", "demande": "300000"}, FundingLine),
}


@pytest.mark.parametrize("who", sorted(SEES | BLIND))
@pytest.mark.parametrize("name", sorted(POSTS))
def test_changes_by_role(client, cast, project, who, name):
    data, model = POSTS[name]
    client.force_login(cast[who])
    response = client.post(reverse(name, args=[project.pk]), data)
    expected = 302 if who in EDITORS else 403 if who in SEES else 404
    assert response.status_code == expected
    assert model.objects.filter(project=project).count() == (1 if who in EDITORS else 0)


def test_contact_form_rejects_a_bad_email_with_the_reason(client, cast, project):
    partner = add_partner(cast["vienne"], project, "urps", "URPS médecins")
    client.force_login(cast["vienne"])
    response = client.post(reverse("contact_add", args=[project.pk, partner.pk]), {"nom": "X", "email": "pas-un-courriel"})
    assert response.status_code == 400
    assert "Courriel" in response.content.decode()
    assert not Contact.objects.exists()


def test_action_edit_page(client, cast, project):
    action = log_action(cast["vienne"], project, ActionEntry("visite", date(2026, 5, 2), "Visite des locaux"))
    client.force_login(cast["lussac"])
    assert client.get(reverse("action_edit", args=[project.pk, action.pk])).status_code == 403
    client.force_login(cast["vienne"])
    assert client.get(reverse("action_edit", args=[project.pk, action.pk])).status_code == 200
    response = client.post(
        reverse("action_edit", args=[project.pk, action.pk]),
        {
            "kind": "visite",
            "date": "2026-05-03",
            "objet": "Visite des locaux avec l'architecte",
            "participants": "",
            "compte_rendu": "RAS",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.compte_rendu == "RAS"


# --- Funding plan and tools -------------------------------------------------------------------------------------------


def line(tool, demande, accorde=None):
    return funding.LineEntry(
        tool=tool,
        demande=Decimal(demande),
        accorde=None if accorde is None else Decimal(accorde),
        accorde_le=date(2026, 6, 1) if accorde else None,
    )


def test_plan_totals_and_the_public_aid_cap(cast, project):
    officer = cast["vienne"]
    funding.set_cost(officer, project, Decimal("1000000"))
    funding.save_line(officer, project, line("detr", "400000", "350000"))
    funding.save_line(officer, project, line("departement", "200000"))
    funding.save_line(officer, project, line("fonds-propres", "200000"))
    funding.save_line(officer, project, line("aci", "60000"))
    plan = funding.summarise(project)
    assert plan.requested == Decimal("800000")  # ACI is running money, outside the operation's cost
    assert plan.operating_requested == Decimal("60000")
    assert plan.public_requested == Decimal("600000")
    assert plan.public_share_requested == pytest.approx(0.6)
    assert not plan.cap_exceeded
    funding.save_line(officer, project, line("region", "250000"))
    plan = funding.summarise(project)
    assert plan.cap_exceeded
    assert any("plafond de 80 %" in message for message in plan.messages)


def test_cap_is_configurable(cast, project, settings):
    settings.OASIS_PUBLIC_AID_CAP_PERCENT = 50
    funding.set_cost(cast["vienne"], project, Decimal("100000"))
    funding.save_line(cast["vienne"], project, line("detr", "60000"))
    assert funding.summarise(project).cap_exceeded


def test_tool_ceilings_are_checked(cast, project):
    funding.set_cost(cast["vienne"], project, Decimal("100000"))
    funding.save_line(cast["vienne"], project, line("fir-etude", "40000"))
    messages = funding.summarise(project).messages
    assert any("maximum de 35" in m for m in messages)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (funding.LineEntry(tool="inconnu", demande=Decimal(1)), funding.UNKNOWN_TOOL.format(code="inconnu")),
        (funding.LineEntry(tool="detr", demande=Decimal(-1)), funding.NEGATIVE_AMOUNT),
        (
            funding.LineEntry(
                tool="detr",
                demande=Decimal(10),
                accorde=Decimal(10),
                accorde_le=date(2026, 1, 1),
                verse=Decimal(20),
                verse_le=date(2026, 2, 1),
            ),
            funding.PAID_OVER_GRANTED,
        ),
        (funding.LineEntry(tool="detr", demande=Decimal(10), accorde=Decimal(10)), funding.GRANT_DATE_MISSING),
    ],
)
def test_bad_lines_are_refused(cast, project, entry, message):
    with pytest.raises(ValueError) as raised:
        funding.save_line(cast["vienne"], project, entry)
    assert str(raised.value) == message
    assert not FundingLine.objects.exists()


def test_line_changes_keep_before_and_after(cast, project):
    created = funding.save_line(cast["vienne"], project, line("dsil", "100000"))
    funding.save_line(cast["vienne"], project, line("dsil", "100000", "80000"), created.pk)
    event = AuditEvent.objects.filter(action="projet.financement").order_by("-pk").first()
    assert event.details["avant"]["accorde"] is None
    assert event.details["apres"]["accorde"] == "80000.00"
    funding.remove_line(cast["vienne"], project, created.pk)
    assert actions_of(project, "projet.financement.suppression")


def test_mobilisable_tools_for_a_rural_under_served_commune_carried_by_the_commune(project):
    facts, rows = funding.mobilisable_tools(project)
    # Lussac-les-Châteaux: hors attraction des villes; official APL of the 65 and under 3,20 (2022): the vivier.
    assert facts.rurale and facts.sous_dense is None and facts.vivier
    eligible = {row.tool.code for row in rows if row.eligible}
    assert {"dsil", "departement", "feader", "commune-epci"} <= eligible
    refused = {row.tool.code: row.reasons for row in rows if not row.eligible}
    # Île-de-France's FIR is not offered in the Vienne; the ACI of either kind is not this MSP's commune's; the DETR
    # of a commune of 2 263 inhabitants depends on its potentiel financier, which OASIS does not hold.
    assert set(refused) == {"aci", "aci-cds", "detr"}
    assert next(row for row in rows if row.tool.code == "detr").a_confirmer


def test_an_urban_association_project_gets_other_tools(cast):
    from oasis.projects.services import NewProject, create_project

    poitiers = create_project(
        cast["vienne"],
        NewProject("MSP Poitiers", "msp", "association", "Association des PS", "86194", [], "commune", "86194"),
    )
    fir.save_rules(cast["ars_na"], "75", fir.FirData("FIR NA", "ARS NA", ["msp"], None, None, True, "", "Projet de santé"))
    _, rows = funding.mobilisable_tools(poitiers)
    by_code = {row.tool.code: row for row in rows}
    assert by_code["fir-etude-75"].eligible
    assert not by_code["fir-demarrage-75"].eligible  # Poitiers is not under-served
    assert "hors zone sous-dense" in by_code["fir-demarrage-75"].reasons[0]
    assert not by_code["detr"].eligible and not by_code["feader"].eligible


def test_funding_page_shows_the_plan_and_the_tools(client, cast, project):
    funding.set_cost(cast["vienne"], project, Decimal("900000"))
    client.force_login(cast["vienne"])
    response = client.post(reverse("funding_line_add", args=[project.pk]), {"tool": "detr", "demande": "300 000,50"})
    assert response.status_code == 302
    assert FundingLine.objects.get().demande == Decimal("300000.50")
    page = client.get(reverse("project_funding", args=[project.pk])).content.decode()
    assert 'data-outil="detr" data-eligible="a-confirmer"' in page and "potentiel financier" in page
    assert "Sous-densité selon l'APL officielle de la DREES : APL officielle DREES 2022 : 3,20 (65 ans et moins)" in page
    assert "vivier" in page and "estimation" not in page.split('id="source-zonage"')[1][:300]
    refused = client.post(reverse("funding_line_add", args=[project.pk]), {"tool": "detr", "demande": "-3"})
    assert refused.status_code == 400


# --- ACI simulator ----------------------------------------------------------------------------------------------------


def test_seeded_table_reproduces_the_worked_example(project):
    units = {"horaires": 1, "crises-sanitaires": 1, "coordination": 1, "protocoles": 8, "concertation": 1, "si-standard": 1}
    simulation = funding.simulate_aci(project, 4000, 13, units)
    assert simulation.result.total_points == pytest.approx(8850)
    assert simulation.result.amount == pytest.approx(61950)
    assert any("SISA" in warning for warning in simulation.warnings)
    assert funding.simulate_aci(project, 4000, 13, {**units, "protocoles": 50}).result.total_points == pytest.approx(8850)


def test_aci_page_computes_and_reports_missing_prerequisites(client, cast, project):
    client.force_login(cast["lussac"])
    query = (
        "patientele=4000&professionnels=13&i-horaires=1&i-coordination=1&i-si-standard=1&i-protocoles=8"
        "&i-concertation=1&i-crises-sanitaires=1"
    )
    page = client.get(reverse("project_aci", args=[project.pk]) + "?" + query).content.decode()
    assert "61\u202f950 €" in page
    missing = client.get(reverse("project_aci", args=[project.pk]) + "?patientele=4000&professionnels=13&i-horaires=1")
    assert "Prérequis non remplis" in missing.content.decode()
    bad = client.get(reverse("project_aci", args=[project.pk]) + "?patientele=-5&professionnels=13")
    assert bad.status_code == 400


# --- Documents --------------------------------------------------------------------------------------------------------


def test_upload_versions_and_download_are_traced(cast, project):
    document = documents.upload(cast["lussac"], project, "projet-de-sante", "Projet de santé", "projet.pdf", PDF)
    documents.add_version(cast["vienne"], project, document.pk, "projet-v2.pdf", PDF + b"% v2\n")
    assert list(document.versions.values_list("numero", flat=True)) == [2, 1]
    with pytest.raises(documents.RejectedFile, match="identique à la version 2"):
        documents.add_version(cast["vienne"], project, document.pk, "projet-v2.pdf", PDF + b"% v2\n")
    version = documents.open_version(cast["ars_na"], project, document.pk, 1)
    with version.fichier.open("rb") as stored:
        assert stored.read() == PDF
    assert actions_of(project, "projet.document") == [
        "projet.document.depot",
        "projet.document.version",
        "projet.document.lecture",
    ]


def test_a_missing_file_answers_404_with_a_message_and_no_read_is_logged(client, cast, project):
    document = documents.upload(cast["vienne"], project, "autre", "Convention", "convention.pdf", PDF)
    stored = document.versions.get().fichier
    stored.storage.delete(stored.name)
    client.force_login(cast["vienne"])
    response = client.get(reverse("document_download", args=[project.pk, document.pk]))
    assert response.status_code == 404
    assert "« Convention » (version 1) est absent du serveur" in response.content.decode()
    assert "projet.document.lecture" not in actions_of(project, "projet.document")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "type de fichier non accepté"),
        ("faux.pdf", b"<html>", "ne correspond pas à un fichier PDF"),
        ("vide.pdf", b"", "fichier vide"),
        ("notes.csv", b"a;b\n\xe9t\xe9\n", "ligne 2 : le texte n'est pas en UTF-8"),
        ("binaire.txt", b"a\x00b", "binaire"),
    ],
)
def test_bad_files_are_refused_with_the_reason(cast, project, name, content, message):
    with pytest.raises(documents.RejectedFile, match=message):
        documents.upload(cast["vienne"], project, "autre", "", name, content)
    assert not DocumentVersion.objects.exists()


def test_size_limit(cast, project, settings):
    settings.OASIS_DOCUMENT_MAX_BYTES = 20 * 2**20
    with pytest.raises(documents.RejectedFile) as refused:
        documents.upload(cast["vienne"], project, "autre", "", "gros.pdf", PDF + b"0" * (20 * 2**20))
    assert str(refused.value) == documents.TOO_LARGE.format(name="gros.pdf", limit="20 Mo")
    assert str(refused.value) == "« gros.pdf » dépasse la taille maximale d'un document : 20 Mo."


UPLOADERS = {"admin", "vienne", "ars_na", "lussac"}


@pytest.mark.parametrize("who", sorted(SEES | BLIND))
def test_upload_by_role(client, cast, project, who):
    client.force_login(cast[who])
    upload = io.BytesIO(PDF)
    upload.name = "projet.pdf"
    response = client.post(
        reverse("document_upload", args=[project.pk]), {"kind": "projet-de-sante", "titre": "PS", "fichier": upload}
    )
    assert response.status_code == (302 if who in UPLOADERS else 403 if who in SEES else 404)
    assert DocumentVersion.objects.count() == (1 if who in UPLOADERS else 0)


@pytest.mark.parametrize("who", sorted(SEES | BLIND))
def test_restricted_documents_by_role(client, cast, project, who):
    open_doc = documents.upload(cast["vienne"], project, "autre", "Note publique", "a.pdf", PDF)
    internal = documents.upload(cast["vienne"], project, "autre", "Note interne", "b.pdf", PDF + b"%b", restreint=True)
    client.force_login(cast[who])
    page = client.get(reverse("project_documents", args=[project.pk]))
    internal_url = reverse("document_download", args=[project.pk, internal.pk])
    open_url = reverse("document_download", args=[project.pk, open_doc.pk])
    if who in BLIND:
        assert page.status_code == 404
        assert client.get(open_url).status_code == 404
        return
    content = page.content.decode()
    assert "Note publique" in content
    assert ("Note interne" in content) == (who in RESTRICTED_READERS)
    internal_response = client.get(internal_url)
    assert internal_response.status_code == (200 if who in RESTRICTED_READERS else 404)
    if internal_response.streaming:
        # Consuming a streamed file lets the test client close it without closing the database connection.
        assert b"".join(internal_response.streaming_content) == PDF + b"%b"
    download = client.get(open_url)
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF


def test_only_the_departement_restricts_or_deletes(cast, project):
    with pytest.raises(NotAllowed):
        documents.upload(cast["lussac"], project, "autre", "", "c.pdf", PDF, restreint=True)
    document = documents.upload(cast["lussac"], project, "autre", "", "c.pdf", PDF)
    with pytest.raises(NotAllowed):
        documents.delete(cast["lussac"], project, document.pk)
    documents.delete(cast["vienne"], project, document.pk)
    assert not DocumentVersion.objects.exists()


# --- Dashboard and exports --------------------------------------------------------------------------------------------


def test_time_per_stage_and_overdue(cast, project):
    move(cast["vienne"], project, "conseil-1er-niveau", "Réunion tenue")
    project.next_action_due = date.today() - timedelta(days=3)
    project.save()
    from oasis.projects.perms import visible_projects

    projects = visible_projects(cast["vienne"])
    times = {t.stage: t for t in dashboard.stage_times(projects)}
    assert set(times) == {"prise-de-contact", "conseil-1er-niveau"}
    assert times["prise-de-contact"].projects == 1
    assert dashboard.overdue(projects) == [project]
    assert dashboard.stage_counts(projects) == [("conseil-1er-niveau", "Conseil de 1er niveau / réunion d'information", 1)]


@pytest.mark.parametrize("who", sorted(SEES | BLIND))
def test_dashboard_map_and_exports_by_role(client, cast, project, who):
    client.force_login(cast[who])
    assert client.get(reverse("project_dashboard")).status_code == 200
    features = client.get(reverse("project_geojson")).json()["features"]
    assert [f["properties"]["id"] for f in features] == ([project.pk] if who in SEES else [])
    csv_text = client.get(reverse("project_export")).content.decode()
    assert (project.nom in csv_text) == (who in SEES)
    book = load_workbook(io.BytesIO(client.get(reverse("project_export_xlsx")).content))
    names = [row[1] for row in book["Projets"].iter_rows(min_row=2, values_only=True)]
    assert names == ([project.nom] if who in SEES else [])


def test_xlsx_carries_the_funding_lines(cast, project):
    funding.save_line(cast["vienne"], project, line("detr", "120000"))
    from oasis.projects.perms import visible_projects

    book = load_workbook(io.BytesIO(dashboard.xlsx(visible_projects(cast["vienne"]))))
    rows = list(book["Financements"].iter_rows(min_row=2, values_only=True))
    assert rows[0][2].startswith("DETR") and rows[0][5] == 120000


def test_anonymous_gets_nothing(client, project):
    for name in ("project_partners", "project_funding", "project_aci", "project_documents"):
        assert client.get(reverse(name, args=[project.pk])).status_code == 302
    for name in ("project_dashboard", "project_geojson", "project_export_xlsx"):
        assert client.get(reverse(name)).status_code == 302


@pytest.mark.parametrize("who", sorted(SEES | BLIND))
def test_api_sub_resources_by_role(client, cast, project, who):
    funding.save_line(cast["vienne"], project, line("detr", "120000"))
    log_action(cast["vienne"], project, ActionEntry("entretien", date(2026, 1, 5), "Premier entretien"))
    documents.upload(cast["vienne"], project, "autre", "Interne", "b.pdf", PDF, restreint=True)
    client.force_login(cast[who])
    plan = client.get(f"/api/projets/{project.pk}/financement")
    listed = client.get(f"/api/projets/{project.pk}/actions")
    docs = client.get(f"/api/projets/{project.pk}/documents")
    if who in BLIND:
        assert {plan.status_code, listed.status_code, docs.status_code} == {404}
        return
    assert plan.json()["lignes"][0]["outil"] == "detr"
    assert listed.json()[0]["objet"] == "Premier entretien"
    assert [d["titre"] for d in docs.json()] == (["Interne"] if who in RESTRICTED_READERS else [])


def test_exports_write_a_typed_formula_as_text(client, cast, project):
    """A project named like a formula stays text in Excel and in the CSV (no live =HYPERLINK to click)."""
    from oasis.projects.perms import visible_projects
    from tests.csvread import french_rows

    project.nom = '=HYPERLINK("http://example.test","Cliquez")'
    project.save(update_fields=["nom"])
    sheet = load_workbook(io.BytesIO(dashboard.xlsx(visible_projects(cast["vienne"]))))["Projets"]
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value == project.nom
    client.force_login(cast["vienne"])
    rows = french_rows(client.get(reverse("project_export")).content)
    assert rows[0]["nom"] == "'" + project.nom

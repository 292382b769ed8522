"""The Démarches simplifiées connector against its loopback stand-in: dossiers become projects, states history."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from oasis.audit.models import AuditEvent
from oasis.connectors.enums import SyncStatus
from oasis.connectors.http import ConnectorError
from oasis.connectors.models import SyncRun
from oasis.projects.dossiers import synchronise
from oasis.projects.enums import Carrier, DossierState, ProjectKind, Stage
from oasis.projects.models import DossierDemarche, Project
from tests.connectors.standins import DemarchesSimplifiees, commune_field, dossier, serving, text_field

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]

DEMARCHE = 4321


def msp_de_lencloitre(
    number: int = 101, state: str = "en_construction", modified: str = "2026-09-02T09:00:00+02:00", traitements=None
):
    return dossier(
        number,
        state,
        modified,
        [
            text_field("Nom du projet", "Maison de santé de Lencloître"),
            commune_field("Commune d'implantation", "86128", "Lencloître"),
            text_field("Type de structure", "Maison de santé pluriprofessionnelle (mono-site)"),
            text_field("Type de porteur", "Commune"),
            text_field("Nom du porteur", "Commune de Lencloître"),
            text_field("Coût total de l'opération", "1 250 000,50"),
        ],
        traitements,
    )


@pytest.fixture
def service(settings):
    standin = DemarchesSimplifiees(DEMARCHE, [msp_de_lencloitre()])
    with serving(standin):
        settings.OASIS_DS_URL = f"{standin.base_url}/api/v2/graphql"
        settings.OASIS_DS_TOKEN = DemarchesSimplifiees.TOKEN
        settings.OASIS_DS_DEMARCHES = [DEMARCHE]
        yield standin


def test_a_dossier_becomes_a_project_linked_to_it(service):
    changes = synchronise(DEMARCHE)
    project = Project.objects.get()
    assert (project.nom, project.commune_principale_id, project.departement_id) == (
        "Maison de santé de Lencloître",
        "86128",
        "86",
    )
    assert (project.kind, project.carrier, project.carrier_name) == (ProjectKind.MSP, Carrier.COMMUNE, "Commune de Lencloître")
    assert project.cout_total == Decimal("1250000.50")
    assert project.stage == Stage.PRISE_DE_CONTACT
    link = project.dossier_ds
    assert (link.demarche, link.numero, link.etat) == (DEMARCHE, 101, DossierState.EN_CONSTRUCTION)
    assert link.url.endswith(f"/procedures/{DEMARCHE}/dossiers/101")
    assert changes["projets_crees"] == ["Dossier n° 101 → projet « Maison de santé de Lencloître »"]
    assert [s.etat for s in link.states.all()] == ["en_construction"]
    assert AuditEvent.objects.filter(action="projet.creation_ds", objet_id=str(project.pk)).exists()


def test_the_project_history_follows_the_dossier_states(service):
    """Each later synchronisation asks for the dossiers changed since the previous one: changed now, they come."""
    synchronise(DEMARCHE)
    service.dossiers = [msp_de_lencloitre(state="en_instruction", modified=timezone.now().isoformat())]
    changes = synchronise(DEMARCHE)
    assert changes["etats_suivis"] == ["Dossier n° 101 : En construction → En instruction"]
    decision = [{"state": "accepte", "dateTraitement": "2026-10-20T15:00:00+02:00", "motivation": "Projet retenu en comité"}]
    service.dossiers = [msp_de_lencloitre(state="accepte", modified=timezone.now().isoformat(), traitements=decision)]
    synchronise(DEMARCHE)
    link = DossierDemarche.objects.get()
    assert [(s.etat, s.motivation) for s in link.states.all()] == [
        ("en_construction", ""),
        ("en_instruction", ""),
        ("accepte", "Projet retenu en comité"),
    ]
    assert link.etat == DossierState.ACCEPTE
    assert Project.objects.count() == 1
    assert AuditEvent.objects.filter(action="projet.dossier_ds_etat", objet_id=str(link.project_id)).count() == 3


def test_resynchronising_changes_nothing(service):
    synchronise(DEMARCHE)
    again = synchronise(DEMARCHE)
    assert again == {"projets_crees": [], "etats_suivis": [], "rejetes": []}
    assert Project.objects.count() == 1 and DossierDemarche.objects.get().states.count() == 1


def test_incremental_by_date_and_cursor(service):
    """The second run asks only for dossiers changed since the first (minus a margin); pages follow the cursor."""
    service.dossiers = [msp_de_lencloitre(number=n) for n in (101, 102, 103)]
    synchronise(DEMARCHE)
    assert Project.objects.count() == 3
    posts = [r for r in service.requests if r[0] == "POST"]
    assert len(posts) == 2  # pages of two: 2 + 1
    service.requests.clear()
    synchronise(DEMARCHE)
    assert len([r for r in service.requests if r[0] == "POST"]) == 1  # nothing changed since: one empty page


def test_a_dossier_that_cannot_be_a_project_is_reported_not_half_created(service):
    bad_commune = msp_de_lencloitre(number=102)
    bad_commune["champs"][1] = commune_field("Commune d'implantation", "99999", "Atlantis")
    bad_type = msp_de_lencloitre(number=103)
    bad_type["champs"][2] = text_field("Type de structure", "Hôpital")
    service.dossiers = [msp_de_lencloitre(), bad_commune, bad_type]
    changes = synchronise(DEMARCHE)
    assert changes["rejetes"] == [
        "Dossier n° 102 : commune « Atlantis (99) » inconnue d'OASIS",
        "Dossier n° 103 : type de structure « Hôpital » inconnu",
    ]
    assert Project.objects.count() == 1


def test_a_failure_imports_nothing_and_is_recorded(service, settings):
    settings.OASIS_CONNECTOR_RETRIES = 0
    service.dossiers = [msp_de_lencloitre(number=n) for n in (101, 102, 103)]
    original = service.answer

    def second_page_fails(method, path, query, headers, body):
        if json.loads(body)["variables"].get("after"):
            return 502, {"errors": [{"message": "Bad gateway"}]}
        return original(method, path, query, headers, body)

    service.answer = second_page_fails
    with pytest.raises(ConnectorError, match="HTTP 502"):
        synchronise(DEMARCHE)
    assert not Project.objects.exists()
    assert SyncRun.objects.get().status == SyncStatus.ECHEC


def test_graphql_errors_and_bad_tokens_are_said(service, settings):
    with pytest.raises(ConnectorError, match="Demarche not found"):
        synchronise(9999)
    settings.OASIS_DS_TOKEN = "mauvais"
    with pytest.raises(ConnectorError, match="jeton refusé"):
        synchronise(DEMARCHE)
    assert not Project.objects.exists()


def test_a_configured_mapping_reads_other_labels(service, settings, tmp_path):
    renamed = msp_de_lencloitre()
    renamed["champs"][0] = text_field("Intitulé de l'opération", "MSP du Châtelleraudais")
    service.dossiers = [renamed]
    mapping = tmp_path / "correspondance.json"
    mapping.write_text(json.dumps({"nom": "Intitulé de l'opération", "commune": "Commune d'implantation"}), encoding="utf-8")
    settings.OASIS_DS_MAPPING_FILE = str(mapping)
    synchronise(DEMARCHE)
    assert Project.objects.get().nom == "MSP du Châtelleraudais"
    mapping.write_text(json.dumps({"nom": "Intitulé"}), encoding="utf-8")
    with pytest.raises(ConnectorError, match="il manque commune"):
        synchronise(DEMARCHE)


def test_the_command_syncs_the_configured_demarches(service, settings, capsys):
    call_command("sync_demarches")
    assert "projets créés : 1" in capsys.readouterr().out
    settings.OASIS_DS_DEMARCHES = []
    with pytest.raises(CommandError, match="Aucune démarche configurée"):
        call_command("sync_demarches")
    settings.OASIS_DS_TOKEN = ""
    with pytest.raises(CommandError, match="aucun jeton"):
        call_command("sync_demarches", str(DEMARCHE))

"""The Aides-territoires connector against its loopback stand-in."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from oasis.connectors.aides_territoires import NOT_CONFIGURED, Client, synchronise
from oasis.connectors.enums import AideStatus, Connector, PerimeterScale, SyncStatus
from oasis.connectors.http import ConnectorError
from oasis.connectors.models import Aide, SyncRun
from tests.connectors.standins import AidesTerritoires, aid, documented_aid, serving

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]

TODAY = date(2026, 11, 28)


def catalogue() -> list[dict]:
    return [
        aid(
            1,
            "Aide à la création de maisons de santé",
            "Vienne (Département)",
            ["Communes", "Intercommunalités / Pays"],
            submission_deadline="2026-12-31",
            subvention_rate_lower_bound=20,
            subvention_rate_upper_bound=40,
        ),
        aid(2, "Bourse d'installation des médecins en santé rurale", "Nouvelle-Aquitaine (Région)", ["Entreprises privées"]),
        aid(3, "Équipement numérique des centres de santé", "France", ["Associations"], submission_deadline="2026-11-27"),
        aid(4, "Santé environnementale des écoles", "Gironde (Département)", ["Particuliers", "Communes"]),
        aid(5, "Santé des agriculteurs", "France", ["Agriculteurs"]),  # neither for projects nor professionals
        aid(6, "Santé en Atlantide", "Atlantis (Département)", ["Communes"]),
    ]


@pytest.fixture
def service(settings):
    standin = AidesTerritoires(catalogue())
    with serving(standin):
        settings.OASIS_AIDES_TERRITOIRES_URL = standin.base_url
        settings.OASIS_AIDES_TERRITOIRES_KEY = AidesTerritoires.API_KEY
        settings.OASIS_AIDES_TERRITOIRES_SEARCHES = ["santé", "médecin"]
        yield standin


def test_the_documented_sample_reads_as_an_aid(service, settings):
    service.aids = [documented_aid()]
    settings.OASIS_AIDES_TERRITOIRES_SEARCHES = ["trait de côte"]
    synchronise(today=TODAY)
    stored = Aide.objects.get()
    assert (stored.identifiant, stored.nom) == (156168, "S'adapter au recul du trait de côte")
    assert stored.financeurs == ["Ministère de la Transition écologique et de la Cohésion des territoires"]
    assert stored.instructeurs == ["Préfectures de département"]
    assert stored.programmes == ["Fonds vert - Édition 2024"]
    assert stored.url == f"{service.base_url}/aides/32cf-sadapter-au-recul-du-trait-de-cote/"


def test_a_synchronisation_keeps_the_relevant_aids_with_their_facts(service):
    changes = synchronise(today=TODAY)
    by_id = {a.identifiant: a for a in Aide.objects.all()}
    assert sorted(by_id) == [1, 2, 3, 4, 6]  # the farmers' aid is for no one OASIS serves
    creation = by_id[1]
    assert (creation.perimetre_echelle, creation.perimetre_code) == (PerimeterScale.DEPARTEMENT, "86")
    assert (creation.taux_min, creation.taux_max) == (Decimal("20"), Decimal("40"))
    assert creation.date_limite == date(2026, 12, 31)
    assert creation.pour_projets and not creation.pour_professionnels
    assert by_id[2].pour_professionnels and not by_id[2].pour_projets
    assert by_id[4].pour_projets and by_id[4].pour_professionnels
    # Deadline yesterday: expired; today or later: open.
    assert by_id[3].statut == AideStatus.EXPIREE and creation.statut == AideStatus.OUVERTE
    assert changes["perimetres_inconnus"] == ["Santé en Atlantide (Atlantis (Département))"]
    assert len(changes["creees"]) == 5
    run = SyncRun.objects.get()
    assert (run.connector, run.status, run.error) == (Connector.AIDES_TERRITOIRES, SyncStatus.REUSSIE, "")
    # Pages of two, two searches, one token exchange.
    methods = [(m, p.split("?")[0]) for m, p, _ in service.requests]
    assert methods.count(("POST", "/api/connexion/")) == 1
    assert methods.count(("GET", "/api/aids/")) == 3 + 1  # « santé »: 5 aids in 3 pages; « médecin »: 1 page


def test_the_deadline_is_open_on_its_day(service):
    service.aids = [aid(1, "Aide santé", "France", ["Communes"], submission_deadline="2026-11-28")]
    synchronise(today=date(2026, 11, 28))
    assert Aide.objects.get().statut == AideStatus.OUVERTE
    synchronise(today=date(2026, 11, 29))
    assert Aide.objects.get().statut == AideStatus.EXPIREE


def test_resynchronising_is_idempotent_and_marks_withdrawn_aids(service):
    synchronise(today=TODAY)
    again = synchronise(today=TODAY)
    assert again["creees"] == again["modifiees"] == again["retirees"] == []
    assert Aide.objects.count() == 5
    service.aids = [a for a in service.aids if a["id"] != 2]
    service.aids[0]["name"] = "Aide à la création de maisons de santé (2027)"
    changes = synchronise(today=TODAY)
    assert changes["retirees"] == ["Bourse d'installation des médecins en santé rurale"]
    assert changes["modifiees"] == ["Aide à la création de maisons de santé (2027)"]
    assert Aide.objects.get(identifiant=2).statut == AideStatus.RETIREE
    # Published again: open again.
    service.aids = catalogue()
    synchronise(today=TODAY)
    assert Aide.objects.get(identifiant=2).statut == AideStatus.OUVERTE


def test_a_transient_failure_is_retried(service):
    service.failures = [503, 429]
    synchronise(today=TODAY)
    assert Aide.objects.count() == 5


def test_a_failure_in_the_middle_imports_nothing_and_is_recorded(service, settings):
    synchronise(today=TODAY)
    before = list(Aide.objects.order_by("pk").values_list("nom", "statut"))
    service.aids = [aid(9, "Nouvelle aide santé", "France", ["Communes"]), *service.aids]
    settings.OASIS_CONNECTOR_RETRIES = 0
    original = service.answer

    def broken_second_page(method, path, query, headers, body):
        if query.get("page") == ["2"]:
            return 500, {"detail": "erreur"}
        return original(method, path, query, headers, body)

    service.answer = broken_second_page
    with pytest.raises(ConnectorError, match="erreur HTTP 500"):
        synchronise(today=TODAY)
    assert list(Aide.objects.order_by("pk").values_list("nom", "statut")) == before
    failed = SyncRun.objects.first()
    assert failed.status == SyncStatus.ECHEC and "HTTP 500" in failed.error and failed.changes == {}


def test_a_wrong_key_is_said_so(service, settings):
    settings.OASIS_AIDES_TERRITOIRES_KEY = "mauvaise-cle"
    with pytest.raises(ConnectorError, match="jeton refusé"):
        synchronise(today=TODAY)
    assert not Aide.objects.exists()


def test_no_key_is_said_before_any_call(service, settings):
    settings.OASIS_AIDES_TERRITOIRES_KEY = ""
    with pytest.raises(ConnectorError) as raised:
        synchronise(today=TODAY)
    assert str(raised.value) == NOT_CONFIGURED
    assert service.requests == []


def test_a_timeout_is_said_so(service, settings):
    settings.OASIS_CONNECTOR_RETRIES = 0
    settings.OASIS_CONNECTOR_TIMEOUT_SECONDS = 0.2
    service.delay = 0.5
    with pytest.raises(ConnectorError, match="pas de réponse"):
        Client(service.base_url, AidesTerritoires.API_KEY).aids("santé").__next__()


def test_an_unreachable_service_is_said_so(settings):
    settings.OASIS_CONNECTOR_RETRIES = 0
    with serving(AidesTerritoires([])) as gone:
        address = gone.base_url
    with pytest.raises(ConnectorError, match="injoignable"):
        next(Client(address, "cle").aids("santé"))


def test_the_command_prints_the_changes_and_fails_clearly(service, settings, capsys):
    call_command("sync_aides")
    assert "aides nouvelles : 5" in capsys.readouterr().out
    settings.OASIS_AIDES_TERRITOIRES_KEY = "mauvaise-cle"
    with pytest.raises(CommandError, match="Rien n'a été importé"):
        call_command("sync_aides")

import pytest

from oasis.accessibility.runs import run_apl
from oasis.accessibility.whatif import run_scenario

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def test_apl_for_an_epci(client):
    data = client.get("/api/apl", {"profession": "generaliste", "territoire": "epci:200069854", "variante": "moins-65"}).json()
    assert data["territoire"]["nom"] == "CU du Grand Poitiers"
    assert len(data["communes"]) == 40
    assert data["resume_territoire"]["apl_moyen"] > 0
    assert data["entrees"]["offre"]["millesime"] == 2019  # every figure says its inputs
    assert data["parametres"]["version"]
    assert data["unite"] == "consultations par an et par habitant standardisé"


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"profession": "dentiste"}, 400, "Profession inconnue"),
        ({"profession": "generaliste", "variante": "jeunes"}, 400, "Variante inconnue"),
        ({"profession": "generaliste", "territoire": "dep:00"}, 404, "Département inconnu"),
    ],
)
def test_apl_errors(client, params, status, message):
    response = client.get("/api/apl", params)
    assert response.status_code == status
    assert message in response.json()["detail"]


def test_simulation_writes_nothing_and_returns_changed_communes(client):
    response = client.get(
        "/api/apl/simulation", {"profession": "generaliste", "ajout": ["86140:3", "86070:1"], "variante": "moins-65"}
    )
    data = response.json()
    assert response.status_code == 200
    assert data["resume"]["communes_modifiees"] == len(data["communes"]) > 0
    assert all(c["apl_apres"] >= c["apl_avant"] for c in data["communes"])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"profession": "generaliste"}, "Aucun changement"),
        ({"profession": "generaliste", "ajout": "86140"}, "CODE_INSEE:NOMBRE"),
        ({"profession": "generaliste", "retrait": "86140:500"}, "praticien"),
        ({"profession": "generaliste", "depart_age": 65}, "âges des praticiens sont inconnus"),
    ],
)
def test_simulation_errors(client, params, message):
    response = client.get("/api/apl/simulation", params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_stored_scenarios(client):
    scenario = run_scenario(run_apl("generaliste"), "MSP", [{"type": "structure", "commune": "86140", "nombre": 3}])
    listed = client.get("/api/apl/scenarios").json()
    assert [s["id"] for s in listed] == [scenario.pk]
    detail = client.get(f"/api/apl/scenarios/{scenario.pk}").json()
    assert detail["changements"] == [{"type": "structure", "commune": "86140", "nombre": 3}]
    assert client.get("/api/apl/scenarios/999999").status_code == 404


def test_the_answer_is_kept_until_the_data_change_and_gzipped_on_request(client):
    import gzip

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oasis.datasets.models import BundleLoad

    params = {"profession": "generaliste", "territoire": "dep:86"}
    plain = client.get("/api/apl", params)
    zipped = client.get("/api/apl", params, HTTP_ACCEPT_ENCODING="gzip, br")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in plain["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    with CaptureQueriesContext(connection) as kept:
        assert client.get("/api/apl", params).content == plain.content
    assert len(kept) == 4  # the territory and the data version
    BundleLoad.objects.create(bundle_sha256="0" * 64, source="test", duration_seconds=0)
    with CaptureQueriesContext(connection) as rebuilt:
        assert client.get("/api/apl", params).json()["communes"] == plain.json()["communes"]
    assert len(rebuilt) > 10  # a new data version: built again


def test_a_client_that_sends_the_etag_back_gets_304_until_the_data_change(client):
    from oasis.datasets.models import BundleLoad

    # The official APL of one département: the validators are the same for France's, only longer to build.
    official = {"profession": "generaliste", "source": "officielle", "territoire": "dep:86"}
    for params in ({"profession": "generaliste", "territoire": "dep:86"}, official):
        first = client.get("/api/apl", params)
        tag = first["ETag"]
        assert first.status_code == 200 and tag.startswith('"') and first["Cache-Control"] == "no-cache"
        again = client.get("/api/apl", params, HTTP_IF_NONE_MATCH=tag)
        assert again.status_code == 304 and again.content == b"" and again["ETag"] == tag
        zipped = client.get("/api/apl", params, HTTP_ACCEPT_ENCODING="gzip")
        assert zipped["ETag"] != tag  # another body, another validator
        assert client.get("/api/apl", params, HTTP_IF_NONE_MATCH='"autre"').status_code == 200
        other = client.get("/api/apl", {**params, "territoire": "dep:79"}, HTTP_IF_NONE_MATCH=tag)
        assert other.status_code == 200 and other["ETag"] != tag
    BundleLoad.objects.create(bundle_sha256="0" * 64, source="test", duration_seconds=0)
    assert client.get("/api/apl", params, HTTP_IF_NONE_MATCH=tag).status_code == 200  # new data: a new answer

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def test_poitiers_with_population_and_professionals(client):
    response = client.get("/api/territoires/commune/86194")
    assert response.status_code == 200
    data = response.json()
    assert data["nom"] == "Poitiers"
    assert data["population"] == 89_916
    assert data["professionnels"]["generaliste"] == {
        "nombre": 106,
        "millesime": 2019,
        "pour_10000_habitants": pytest.approx(11.789, abs=1e-3),
        "nombre_precedent": 110,
        "millesime_precedent": 2018,
    }
    assert set(data["professionnels"]) == {
        "generaliste",
        "chirurgien-dentiste",
        "masseur-kinesitherapeute",
        "orthophoniste",
        "infirmier",
        "sage-femme",
        "pharmacie",
    }
    assert set(data["structures"]) == {"maison-de-sante", "centre-de-sante"}
    assert [p["code"] for p in data["parents"]] == ["75", "86", "200069854"]
    assert {source["cle"] for source in data["sources"]} >= {"cog", "bpe", "pop_standardisee"}


@pytest.mark.parametrize(
    ("niveau", "code", "nom"),
    [
        ("region", "75", "Nouvelle-Aquitaine"),
        ("departement", "86", "Vienne"),
        ("epci", "200069854", "CU du Grand Poitiers"),
        ("departement", "2a", "Corse-du-Sud"),
        ("commune", "75056", "Paris"),
    ],
)
def test_every_level(client, niveau, code, nom):
    data = client.get(f"/api/territoires/{niveau}/{code}").json()
    assert data["nom"] == nom
    assert data["population"] > 0
    assert data["professionnels"]["generaliste"]["nombre"] > 0


def test_paris_sums_its_arrondissements(client):
    paris = client.get("/api/territoires/commune/75056").json()
    first = client.get("/api/territoires/commune/75101").json()
    assert paris["professionnels"]["generaliste"]["nombre"] > first["professionnels"]["generaliste"]["nombre"] > 0
    assert paris["nombre_communes"] == 1


def test_department_totals_are_the_sum_of_communes(client):
    vienne = client.get("/api/territoires/departement/86").json()
    grand_poitiers = client.get("/api/territoires/epci/200069854").json()
    assert vienne["professionnels"]["generaliste"]["nombre"] > grand_poitiers["professionnels"]["generaliste"]["nombre"]
    assert vienne["population"] == 438_897


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/territoires/commune/99999", "Commune inconnue : code INSEE « 99999 »"),
        ("/api/territoires/epci/123", "EPCI inconnu"),
        ("/api/territoires/canton/86", "Niveau inconnu : « canton »"),
        ("/api/territoires/departement/<script>", "Département inconnu"),
    ],
)
def test_unknown_code_is_a_clear_404(client, url, message):
    response = client.get(url)
    assert response.status_code == 404
    assert message in response.json()["detail"]


def test_search_endpoint(client):
    results = client.get("/api/recherche", {"q": "poitiers"}).json()
    assert results[0]["code"] == "86194"
    assert results[0]["url"] == "/territoires/commune/86194/"


def test_openapi_schema(client):
    schema = client.get("/api/schema").json()
    assert schema["info"]["title"] == "API OASIS"
    assert "/api/territoires/{niveau}/{code}" in schema["paths"]
    assert "/api/recherche" in schema["paths"]


def test_a_missing_or_malformed_parameter_is_answered_in_french(client, national):
    missing = client.get("/api/zonage?profession=generaliste")
    assert missing.status_code == 422
    (detail,) = missing.json()["detail"]
    assert detail["msg"] == "Paramètre « territoire » : valeur obligatoire absente."
    assert detail["loc"] == ["query", "territoire"]
    body = missing.content.decode()
    assert "Field required" not in body and detail["type"] == "missing"

import json

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def test_departements_layer(client):
    response = client.get("/api/carte/departements", {"profession": "generaliste"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert len(data["features"]) == 101
    vienne = next(f for f in data["features"] if f["properties"]["code"] == "86")
    assert vienne["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert vienne["properties"]["apl"] > 0
    assert data["oasis"]["offre"]["source"] == "bpe" and data["oasis"]["calcul"]


def test_communes_layer(client):
    data = json.loads(client.get("/api/carte/communes/86", {"profession": "infirmier"}).content)
    assert len(data["features"]) == 265
    properties = [f["properties"] for f in data["features"]]
    assert all(p["classe"] in range(5) for p in properties)
    assert sum(p["maisons_de_sante"] for p in properties) == 16  # BPE 2019, Vienne
    assert data["oasis"]["unite"] == "ETP pour 100 000 habitants"


def test_paris_is_drawn_by_arrondissement(client):
    data = json.loads(client.get("/api/carte/communes/75").content)
    assert len(data["features"]) == 20


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/carte/communes/00", 400),
        ("/api/carte/departements?profession=medecin", 400),
        ("/api/carte/communes/86?variante=x", 400),
    ],
)
def test_bad_map_requests(client, url, status):
    assert client.get(url).status_code == status


def test_extent(client):
    box = client.get("/api/territoires/epci/200069854/emprise").json()
    assert box["departements"] == ["86"]
    assert box["ouest"] < 0.34 < box["est"] and box["sud"] < 46.58 < box["nord"]


def test_map_page(client):
    content = client.get("/carte/", {"territoire": "dep:86", "profession": "sage-femme"}).content.decode()
    assert 'data-territoire="dep:86"' in content
    assert 'value="sage-femme" selected' in content
    assert "vendor/leaflet/leaflet.js" in content


def test_map_page_ignores_hostile_parameters(client):
    content = client.get("/carte/", {"territoire": '"><script>alert(1)</script>', "profession": "<b>"}).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert 'data-territoire=""' in content

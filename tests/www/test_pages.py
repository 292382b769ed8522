import pytest

from oasis.territories.services import search
from tests.factories import CommuneFactory, SupplyCountFactory

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("national")
class TestWithNationalData:
    def test_home(self, client):
        response = client.get("/")
        assert response.status_code == 200
        content = response.content.decode()
        assert "Rechercher un territoire" in content
        assert "34\xa0875" in content  # communes of the COG 2025, French thousands separator

    def test_home_search_results(self, client):
        content = client.get("/", {"q": "poitiers"}).content.decode()
        assert "/territoires/commune/86194/" in content
        assert "/territoires/epci/200069854/" in content

    def test_home_search_without_result_says_so(self, client):
        assert "Aucun territoire ne correspond" in client.get("/", {"q": "zzzxq"}).content.decode()

    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            ("/territoires/region/75/", "Nouvelle-Aquitaine"),
            ("/territoires/departement/86/", "Vienne"),
            ("/territoires/epci/200069854/", "CU du Grand Poitiers"),
            ("/territoires/commune/86194/", "Poitiers"),
            ("/territoires/commune/75056/", "Arrondissements municipaux"),
            ("/territoires/commune/75101/", "Arrondissement municipal"),
        ],
    )
    def test_territory_pages(self, client, url, expected):
        response = client.get(url)
        assert response.status_code == 200
        content = response.content.decode()
        assert expected in content
        assert "Professionnels de santé libéraux" in content
        assert "BPE 2019" in content  # every figure says its source and vintage
        assert "Source" in content

    def test_departement_page_shows_series_and_control_totals(self, client):
        content = client.get("/territoires/departement/86/").content.decode()
        assert "Maisons et centres de santé dans le temps" in content
        assert "Cnam 2024" in content

    def test_commune_page_shows_bassin_de_vie(self, client):
        content = client.get("/territoires/commune/86194/").content.decode()
        assert "Bassin de vie 2022" in content
        assert "Taux de pauvreté (2021)" in content
        assert "mairie (chef-lieu)" in content

    def test_department_communes_are_paginated(self, client):
        first = client.get("/territoires/departement/86/").content.decode()
        second = client.get("/territoires/departement/86/", {"page": 2}).content.decode()
        assert "Page 1 sur 6" in first and "Page 2 sur 6" in second

    @pytest.mark.parametrize("url", ["/territoires/commune/00000/", "/territoires/pays/FR/", "/nulle-part/"])
    def test_unknown_is_a_french_404(self, client, url):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page introuvable" in response.content.decode()

    def test_sources_page(self, client):
        content = client.get("/sources/").content.decode()
        assert "Base permanente des équipements" in content
        assert "Licence Ouverte" in content and "ODbL" in content

    def test_epci_list(self, client):
        content = client.get("/epci/").content.decode()
        assert "Intercommunalités" in content and "Page 1 sur" in content

    @pytest.mark.parametrize(
        ("query", "first"),
        [
            ("vienne", ("departement", "86")),
            ("VIENNE", ("departement", "86")),
            ("st etienne", ("commune", "42218")),
            ("saint-étienne", ("commune", "42218")),
            ("86000", ("commune", "86194")),
            ("86194", ("commune", "86194")),
            # 86100 is Châtellerault's postal code and Fontaine-le-Comte's INSEE code: the town of the postal code first.
            ("86100", ("commune", "86066")),
            ("2A", ("departement", "2A")),
            ("200069854", ("epci", "200069854")),
            ("nouvelle aquitaine", ("region", "75")),
            ("grand poitiers", ("epci", "200069854")),
        ],
    )
    def test_search_ranking(self, query, first):
        result = search(query)[0]
        assert (result.niveau, result.code) == first

    def test_a_postal_code_then_the_commune_with_that_insee_code(self):
        codes = [result.code for result in search("86100", limit=10)]
        assert codes[0] == "86066" and codes[1] == "86100"  # Châtellerault, then Fontaine-le-Comte

    def test_search_keeps_the_levels_asked(self):
        assert {r.niveau for r in search("vienne", limit=20, niveaux=("commune",))} == {"commune"}
        assert [r.code for r in search("poitiers", niveaux=("epci",))][:1] == ["200069854"]


def test_supply_density_for_a_built_commune(client):
    commune = CommuneFactory(population=2000)
    SupplyCountFactory(commune=commune, nombre=3)
    content = client.get(f"/territoires/commune/{commune.code_insee}/").content.decode()
    assert "15,0" in content  # 3 GPs for 2,000 inhabitants = 15.0 per 10,000


def test_hostile_query_is_escaped(client):
    content = client.get("/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content

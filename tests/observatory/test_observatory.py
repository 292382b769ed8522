"""The observatory reproduces the figures of the source documents exactly."""

import pytest

from oasis.observatory.services import published_figures, series_with_published
from tests.csvread import french_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def test_national_figures_of_seed_003():
    _, figures = series_with_published("national", "FR")
    by_label = {figure.libelle: figure for figure in figures}
    msp = by_label["maisons de santé en France à l'été 2021"]
    assert (msp.valeur, msp.serie, msp.concorde) == (1889, 1889, True)
    more = by_label["maisons de santé de plus qu'en 2017"]
    assert (more.valeur, more.serie, more.concorde) == (855, 855, True)
    centres = by_label["centres de santé au 30 juin 2021"]
    assert (centres.valeur, centres.serie, centres.concorde) == (499, 499, True)


def test_occitanie_validated_beside_operating():
    rows, _ = series_with_published("region", "76")
    (validated,) = published_figures("region", "76", rows)
    assert validated.valeur == 248
    assert validated.serie == 226
    assert validated.concorde is None  # different definitions: not presented as a match


def test_national_page(client):
    content = client.get("/observatoire/").content.decode()
    assert "1\xa0889" in content and "855" in content and "499" in content
    assert "Régions" in content and "Occitanie" in content
    assert "<svg" in content and "Maisons de santé" in content


def test_occitanie_page_explains_the_difference(client):
    content = client.get("/observatoire/region/76/").content.decode()
    assert "248" in content and "226" in content
    assert "ne comptent pas la même chose" in content
    assert "Haute-Garonne" in content


def test_departement_page_lists_where_they_are(client):
    content = client.get("/observatoire/departement/86/").content.decode()
    assert "Où sont-elles" in content
    assert "/territoires/commune/" in content


def test_series_csv(client):
    response = client.get("/observatoire/region/76/serie.csv")
    rows = french_rows(response.content)
    assert response["Content-Type"].startswith("text/csv")
    assert {"date": "2021-06-30", "maisons_de_sante": "226"}.items() <= rows[8].items()


@pytest.mark.parametrize("url", ["/observatoire/region/99/", "/observatoire/pays/FR/", "/observatoire/choisir/?region=xx"])
def test_unknown_places(client, url):
    assert client.get(url).status_code == 404


def test_region_picker_redirects(client):
    response = client.get("/observatoire/choisir/", {"region": "76"})
    assert response.status_code == 302 and response["Location"] == "/observatoire/region/76/"


def test_observatory_links_to_the_map(client):
    assert 'href="/carte/?territoire=dep:86"' in client.get("/observatoire/departement/86/").content.decode()
    assert 'href="/carte/?territoire=reg:76"' in client.get("/observatoire/region/76/").content.decode()

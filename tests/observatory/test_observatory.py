"""The observatory reproduces the figures of the source documents exactly."""

from datetime import date

import pytest

from oasis.observatory.services import earlier_points, objective_progress, published_figures, series_with_published
from oasis.supply.services import SeriesRow
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


def test_national_objective_measured_on_the_series():
    rows, _ = series_with_published("national", "FR")
    objective = objective_progress("national", "FR", rows)
    assert objective is not None
    msp, cds = objective.kinds
    # 1 889 − 855 = 1 034 in June 2017 (seed 003); the centres are counted at the end of each year only
    assert (msp.depart, msp.depart_date, msp.dernier, msp.dernier_date) == (1034, date(2017, 6, 30), 2251, date(2022, 12, 31))
    assert (cds.depart, cds.depart_date, cds.dernier, cds.dernier_date) == (375, date(2017, 12, 31), 522, date(2021, 12, 31))
    assert (objective.ensemble_depart, objective.ensemble_cible) == (1409, 2818)
    assert (objective.ensemble, objective.ensemble_date) == (2018 + 522, date(2021, 12, 31))
    assert objective.part_du_chemin == 80  # (2540 − 1409) / 1409
    assert not objective.atteint


@pytest.mark.parametrize(("last", "met", "way"), [(199, False, 99), (200, True, 100), (201, True, 101)])
def test_objective_met_at_double_not_under(last, met, way):
    rows = [
        SeriesRow(date(2017, 12, 31), 60, 40),
        SeriesRow(date(2022, 12, 31), last - 40, 40),
        SeriesRow(date(2023, 6, 30), 900, 900),  # after the deadline: not counted
    ]
    objective = objective_progress("national", "FR", rows)
    assert objective is not None
    assert (objective.ensemble_cible, objective.ensemble, objective.atteint, objective.part_du_chemin) == (200, last, met, way)


def test_no_objective_for_a_region():
    rows, _ = series_with_published("region", "76")
    assert objective_progress("region", "76", rows) is None


def test_national_page_shows_objective_and_assistants(client):
    content = client.get("/observatoire/").content.decode()
    assert "aura doublé d&#x27;ici 2022" in content
    assert 'id="objectif-ensemble"' in content and "2\u202f818" in content and "80&nbsp;% du chemin" in content
    assert "Objectif non atteint" in content
    assert "près de 2\u202f200" in content and "plus de 351\u202f000" in content
    assert content.count("Le Gouvernement lutte contre les déserts médicaux") >= 3  # each figure says its source


def test_occitanie_2010_is_a_published_point_not_a_series(client):
    (point,) = earlier_points("region", "76")
    assert (point.texte, point.annee, point.source) == ("moins de 10", 2010, "ARS Occitanie, 25 mars 2021")
    content = client.get("/observatoire/region/76/").content.decode()
    assert 'class="point-anterieur"' in content and "moins de 10" in content
    assert content.count('class="chart-mark"') == 1
    # the 2010 point is not part of any series path: the series' paths start at 2017
    assert "2010" in content and 'id="legende-points"' in content
    assert "aura doublé" not in content  # the national objective is shown on the national page only
    rows = french_rows(client.get("/observatoire/region/76/serie.csv").content)
    assert all(not row["date"].startswith("2010") for row in rows)

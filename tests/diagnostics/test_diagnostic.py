"""The état des lieux: every section, for each level, as HTML, PDF and CSV, with its sources."""

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from oasis.diagnostics.report import to_csv
from oasis.diagnostics.services import build_diagnosis
from oasis.territories.services import get_territory
from tests.csvread import french_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]

SECTIONS = (
    "Synthèse",
    "La population et ses besoins",
    "L'offre de soins par profession",
    "Comparaison avec le département, la région et la France",
    "Carte de l'accessibilité",
    "Maisons et centres de santé",
    "Les communes les moins bien servies",
    "Méthode et sources",
)


def test_grand_poitiers_figures():
    diagnosis = build_diagnosis(get_territory("epci", "200069854"))
    gp = diagnosis.professions[0]
    assert gp.equipement == "generaliste"
    assert gp.nombre == 209  # BPE 2019, the 40 communes of the CU du Grand Poitiers
    assert gp.pour_10000 == pytest.approx(10_000 * 209 / diagnosis.demography.population)
    assert [c.label for c in gp.comparisons] == ["Vienne", "Nouvelle-Aquitaine", "France"]
    assert gp.comparisons[-1].apl == pytest.approx(gp.run.resume["apl_moyen_national"])
    assert diagnosis.structures == {"maison-de-sante": 2, "centre-de-sante": 6}
    assert len(diagnosis.least_served) == 10
    assert diagnosis.least_served == sorted(diagnosis.least_served, key=lambda row: row.apl_officielle)
    assert 0 < diagnosis.social.taux_pauvrete < 40


@pytest.mark.parametrize(
    ("niveau", "code"), [("commune", "86194"), ("epci", "200069854"), ("departement", "86"), ("region", "75")]
)
def test_page_has_every_section(client, niveau, code):
    response = client.get(f"/territoires/{niveau}/{code}/etat-des-lieux/")
    assert response.status_code == 200
    content = response.content.decode()
    for section in SECTIONS:
        assert section in content, section
    assert "BPE 2019" in content and "DREES" in content  # sources and vintages on the page
    assert "<svg" in content


def test_pdf_contains_the_sections_and_figures(client, artifacts):
    response = client.get("/territoires/epci/200069854/etat-des-lieux.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    (artifacts / "etat-des-lieux-grand-poitiers.pdf").write_bytes(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    for section in ("Synthèse", "L'offre de soins par profession", "Méthode et sources", "Maisons et centres de santé"):
        assert section in text, section
    assert "CU du Grand Poitiers" in text
    assert "209" in text and "BPE 2019" in text


def test_csv_has_the_tables(client):
    response = client.get("/territoires/departement/86/etat-des-lieux.csv")
    rows = french_rows(response.content)
    tables = {row["tableau"] for row in rows}
    assert {"territoire", "demande", "offre", "comparaison", "structures", "communes les moins bien servies"} <= tables
    population = next(row for row in rows if row["libelle"] == "population")
    assert population["valeur"] == "438897"


def test_unknown_territory_is_a_404(client):
    assert client.get("/territoires/epci/123/etat-des-lieux/").status_code == 404


def test_command_writes_the_pdf(tmp_path):
    output = tmp_path / "rapport.pdf"
    call_command("diagnostic", "epci:200069854", format="pdf", output=output, stdout=io.StringIO())
    assert output.read_bytes().startswith(b"%PDF")
    assert len(PdfReader(output).pages) >= 3


def test_command_refuses_unknown_territory():
    with pytest.raises(CommandError, match="EPCI inconnu"):
        call_command("diagnostic", "epci:1", stdout=io.StringIO())


def test_csv_export_names_runs():
    diagnosis = build_diagnosis(get_territory("commune", "86194"))
    assert "calcul" in to_csv(diagnosis)


def test_xlsx_has_the_same_rows_with_figures_as_numbers(client):
    import io as _io

    from openpyxl import load_workbook

    response = client.get("/territoires/departement/86/etat-des-lieux.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(_io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    csv_rows = french_rows(client.get("/territoires/departement/86/etat-des-lieux.csv").content)
    assert len(rows) == len(csv_rows) + 1
    population = next(row for row in rows if row[1] == "population")
    assert population[2] == 438897
    density = next(row for row in rows if row[1] == "Médecins généralistes : pour 10 000 habitants")
    assert isinstance(density[2], float)
    assert next(r for r in csv_rows if r["libelle"] == density[1])["valeur"] == f"{density[2]:.2f}".replace(".", ",")


@pytest.mark.django_db(transaction=True)
def test_the_pdf_of_a_region_is_built_by_the_worker(client):
    from oasis.testing import run_queued_jobs

    asked = client.get("/territoires/region/75/etat-des-lieux.pdf")
    assert asked.status_code == 302 and asked["Location"].startswith("/taches/")
    page = client.get(asked["Location"]).content.decode()
    assert "État des lieux en PDF — Nouvelle-Aquitaine" in page and "data-job-status" in page
    run_queued_jobs()
    again = client.get("/territoires/region/75/etat-des-lieux.pdf")
    assert again.status_code == 302 and again["Location"].endswith("/fichier")
    response = client.get(again["Location"])
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="etat-des-lieux-region-75.pdf"' in response["Content-Disposition"]
    assert "Nouvelle-Aquitaine" in "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)

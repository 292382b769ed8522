"""``oasis data update`` against a loopback HTTP server serving the official samples, and from a folder."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from oasis.references.models import ReferenceImport, RppsCount
from tests.references.conftest import FINESS_SAMPLE, ROOT, rpps_header, rpps_line

pytestmark = pytest.mark.django_db


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def publisher(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A stand-in for the publishers' servers: serves a folder on 127.0.0.1, on a free port."""
    folder = tmp_path / "publie"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", folder
    finally:
        server.shutdown()
        server.server_close()


def _rpps_extract(folder: Path, doctors: int) -> Path:
    header = rpps_header()
    lines = ["|".join(header)] + [
        rpps_line(header, person=str(i), profession="10", savoir_faire="SM53", mode="L", commune="86194") for i in range(doctors)
    ]
    path = folder / "PS_LibreAcces_Personne_activite_202611010830.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_update_downloads_imports_and_reports_the_changes(national, publisher, settings):
    base, folder = publisher
    _rpps_extract(folder, 2)
    shutil.copy(FINESS_SAMPLE, folder / "etalab_cs1100507.csv")
    shutil.copy(ROOT / "docs" / "zonage_modele.csv", folder / "zonage_na.csv")
    settings.OASIS_REFERENCE_URLS = {
        "drees-apl": [],
        "rpps": [f"{base}/PS_LibreAcces_Personne_activite_202611010830.txt"],
        "finess": [f"{base}/etalab_cs1100507.csv"],
        "zonage": [f"{base}/zonage_na.csv"],
    }
    out = StringIO()
    call_command("update_references", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "Annuaire santé (RPPS), extraction du 01/11/2026" in text
    assert "praticiens_par_departement : 1 — 86 médecins généralistes +2" in text
    assert "communes_dont_le_zonage_change : 6" in text
    assert "Ignoré — APL publiée par la DREES : aucune adresse configurée." in text
    assert "APL estimées recalculées : Médecins généralistes" in text
    assert RppsCount.objects.get(commune_id="86194", profession="generaliste").personnes == 2

    # The next week, one more doctor in Poitiers; the other files did not change.
    _rpps_extract(folder, 3)
    out = StringIO()
    call_command("update_references", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "86 médecins généralistes +1" in text
    assert "Inchangé : FINESS" in text
    assert ReferenceImport.objects.filter(kind="rpps").count() == 2


def test_update_from_a_folder(national, tmp_path):
    _rpps_extract(tmp_path, 1)
    out = StringIO()
    call_command("update_references", depuis=tmp_path, stdout=out, stderr=StringIO())
    assert "Importé" in out.getvalue()


def test_an_unreachable_publisher_is_named_and_nothing_is_imported(national, publisher, settings):
    base, _folder = publisher
    settings.OASIS_REFERENCE_URLS = {"rpps": [f"{base}/absent.txt"]}
    before = ReferenceImport.objects.count()
    with pytest.raises(CommandError, match=r"absent\.txt : téléchargement impossible"):
        call_command("update_references", stdout=StringIO(), stderr=StringIO())
    assert ReferenceImport.objects.count() == before


def test_a_refused_file_keeps_the_previous_state(national, publisher, settings):
    base, folder = publisher
    (folder / "PS_LibreAcces_Personne_activite_x.txt").write_text("pas une extraction\n", encoding="utf-8")
    settings.OASIS_REFERENCE_URLS = {"rpps": [f"{base}/PS_LibreAcces_Personne_activite_x.txt"]}
    with pytest.raises(CommandError, match="Fichier refusé"):
        call_command("update_references", stdout=StringIO(), stderr=StringIO())


def test_an_update_prints_the_communes_whose_verdict_changed(national, tmp_path):
    from oasis.territories.models import Commune

    (tmp_path / "zonage_75.csv").write_text(
        "region;date_arrete;code_insee;profession;zone\n75;2024-03-01;86137;generaliste;HZ\n75;2024-03-01;86007;generaliste;HV\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("update_references", depuis=tmp_path, stdout=out, stderr=StringIO())
    population = f"{Commune.objects.get(pk='86137').population:,}".replace(",", "\u202f")  # the pages' population
    lines = out.getvalue().splitlines()
    # Loudun was « sous-dense » by the official APL (sélection nationale); Antran, already not, is not listed.
    assert f"Verdicts de sous-densité changés : 1 commune(s), {population} habitants (avant → après) :" in lines
    assert (
        f"  Loudun (86137), médecins généralistes, {population} hab. : sous-dense → non sous-dense "
        "(Hors zonage — arrêté de l'ARS du 01/03/2024 : commune non sous-dense)"
    ) in lines
    assert not any("Antran" in line for line in lines)

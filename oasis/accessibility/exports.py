"""APL exports: CSV (the columns of the CLI contract) and GeoJSON points, each with its provenance."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from oasis.accessibility.aggregation import GroupApl
from oasis.accessibility.models import AplRun
from oasis.accessibility.rows import CommuneApl

CSV_COLUMNS = ("code_insee", "apl", "pop_totale", "pop_standardisee", "sous_dense_estimation")


def provenance(run: AplRun) -> dict[str, Any]:
    return {
        "calcul": run.content_hash,
        "profession": run.profession,
        "variante": run.variante,
        "unite": run.resume.get("unite"),
        "parametres": run.parametres,
        "entrees": run.entrees,
        "resume": run.resume,
    }


def _number(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def to_csv(rows: list[CommuneApl]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            (
                row.code_insee,
                _number(row.apl, 6),
                _number(row.pop_totale, 0),
                _number(row.pop_standardisee, 3),
                "" if row.sous_dense_estimation is None else int(row.sous_dense_estimation),
            )
        )
    return buffer.getvalue()


def groups_to_csv(groups: list[GroupApl]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("code", "apl_moyen", "population", "pop_sous_dotee"))
    for group in groups:
        writer.writerow((group.code, _number(group.apl_moyen, 6), _number(group.population, 0), _number(group.pop_sous_dotee, 0)))
    return buffer.getvalue()


def to_geojson(run: AplRun, rows: list[CommuneApl]) -> str:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(row.longitude, 6), round(row.latitude, 6)]},
            "properties": {
                "code_insee": row.code_insee,
                "nom": row.nom,
                "apl": row.apl,
                "pop_totale": row.pop_totale,
                "pop_standardisee": row.pop_standardisee,
                "sous_dense_estimation": row.sous_dense_estimation,
                "classe": row.classe,
            },
        }
        for row in rows
    ]
    return json.dumps({"type": "FeatureCollection", "oasis": provenance(run), "features": features}, ensure_ascii=False)

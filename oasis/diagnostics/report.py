"""The diagnosis as HTML, PDF (WeasyPrint) and CSV of its tables."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from oasis import csvfiles, xlsxfiles
from oasis.charts import MapPoint, bar_chart, dot_map
from oasis.csvfiles import DECIMAL, INTERNATIONAL, CsvDialect
from oasis.diagnostics.services import Diagnosis
from oasis.pdf import PdfUnavailable, html_to_pdf

__all__ = ["PdfUnavailable", "context", "render_html", "render_pdf", "table_rows", "to_csv", "to_xlsx"]


def context(diagnosis: Diagnosis, *, for_pdf: bool = False) -> dict[str, object]:
    gp = diagnosis.professions[0]
    structures = {code for code, _, msp, cds in diagnosis.structure_communes if msp or cds}
    # Coloured by the official APL where it is imported (the figure verdicts rest on), else by the estimate; said.
    official = diagnosis.gp_official_values
    points = [
        MapPoint(
            row.longitude,
            row.latitude,
            float(row.population),
            official.get(row.code_insee, (None, None))[0] if official else row.apl,
            f"{row.nom} ({row.code_insee})",
            row.code_insee in structures,
        )
        for row in diagnosis.gp_rows
    ]
    if gp.officiel is not None:
        map_title = f"APL officielle {gp.officiel.annee} aux médecins généralistes (DREES), {diagnosis.territory.nom}"
        map_heading = f"APL officielle {gp.officiel.annee}"
    else:
        map_title = f"APL aux médecins généralistes (estimation OASIS), {diagnosis.territory.nom}"
        map_heading = "APL estimée (OASIS)"
    if gp.officiel is not None:
        chart_title = f"APL officielle {gp.officiel.annee} aux médecins généralistes (DREES) : comparaison"
        others = [other.apl if other else None for other in gp.officiel_comparaisons]
        labels = [c.label for c in gp.comparisons]
        comparison_bars = [(diagnosis.territory.nom, gp.officiel.apl), *zip(labels, others, strict=True)]
    else:
        chart_title = "APL aux médecins généralistes, estimation OASIS : comparaison"
        comparison_bars = [(diagnosis.territory.nom, gp.apl)] + [(c.label, c.apl) for c in gp.comparisons]
    return {
        "d": diagnosis,
        "for_pdf": for_pdf,
        "gp": gp,
        # Built by oasis.charts, where every text is escaped.
        "map_svg": mark_safe(dot_map(map_title, points, heading=map_heading)),
        "gp_chart": mark_safe(bar_chart(chart_title, comparison_bars, "C/an/hab.")),
    }


def render_html(diagnosis: Diagnosis, *, for_pdf: bool = False) -> str:
    return render_to_string("www/diagnostic.html", context(diagnosis, for_pdf=for_pdf))


def render_pdf(diagnosis: Diagnosis) -> bytes:
    return html_to_pdf(render_html(diagnosis, for_pdf=True))


TABLE_COLUMNS = ("tableau", "libelle", "valeur", "unite", "source")


def to_csv(diagnosis: Diagnosis, dialect: CsvDialect = INTERNATIONAL) -> str:
    """Every table of the report in one CSV: a column says which table a row belongs to."""
    return csvfiles.to_csv(TABLE_COLUMNS, table_rows(diagnosis), dialect)


def to_xlsx(diagnosis: Diagnosis) -> bytes:
    """The same rows as the CSV in an Excel workbook, figures as numbers (for tables too long to read as CSV)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "État des lieux"
    sheet.append(list(TABLE_COLUMNS))
    for row in table_rows(diagnosis):
        sheet.append([float(cell) if isinstance(cell, str) and DECIMAL.match(cell) else cell for cell in row])
    return xlsxfiles.workbook_bytes(book)


def table_rows(diagnosis: Diagnosis) -> Iterator[Sequence[object]]:
    """Rows of (tableau, libellé, valeur, unité, source), table after table, as the report shows them."""
    t = diagnosis.territory
    demo = diagnosis.demography
    cog = diagnosis.datasets.get("cog")
    yield (["territoire", "niveau", t.niveau, "", ""])
    yield (["territoire", "code", t.code, "", ""])
    yield (["territoire", "nom", t.nom, "", ""])
    yield (["demande", "population", demo.population, "habitants", cog.millesime if cog else ""])
    yield (["demande", "population standardisée", round(demo.pop_standardisee or 0, 1), "habitants", "DREES 2021"])
    yield (["demande", "part des 75 ans ou plus", _round(diagnosis.social.part_75_ans_et_plus), "%", "INSEE 2022"])
    yield (["demande", "taux de pauvreté", _round(diagnosis.social.taux_pauvrete), "%", "INSEE 2021"])
    for p in diagnosis.professions:
        source = f"BPE {diagnosis.bpe_millesime} ; APL calcul {p.run.content_hash[:12]}"
        yield (["offre", f"{p.label} : nombre", p.nombre, "professionnels", source])
        yield (["offre", f"{p.label} : pour 10 000 habitants", _round(p.pour_10000, 2), "", source])
        yield (["offre", f"{p.label} : APL estimée (OASIS)", _round(p.apl, 3), p.unite, source])
        if p.verdicts is not None:
            yield (
                [
                    "offre",
                    f"{p.label} : population en commune sous-dense",
                    round(p.verdicts.population_sous_dense),
                    "habitants",
                    f"verdicts selon : {p.verdicts.source_libelle}",
                ]
            )
            if p.verdicts.population_vivier:
                yield (
                    [
                        "offre",
                        f"{p.label} : population en commune du vivier (l'ARS décide)",
                        round(p.verdicts.population_vivier),
                        "habitants",
                        f"verdicts selon : {p.verdicts.source_libelle}",
                    ]
                )
        yield (
            [
                "offre",
                f"{p.label} : population en commune sous-dotée (estimation OASIS seule)",
                round(p.population_sous_dotee),
                "habitants",
                source,
            ]
        )
        yield (["offre", f"{p.label} : distance moyenne au plus proche", _round(p.distance_km, 1), "km", source])
        yield (["offre", f"{p.label} : temps moyen estimé au plus proche", _round(p.temps_min, 1), "minutes", source])
        if p.officiel is not None:
            official = p.officiel
            yield (
                [
                    "offre",
                    f"{p.label} : APL officielle {official.annee}",
                    _round(official.apl, 3),
                    official.unite,
                    official.source,
                ]
            )
            yield (
                [
                    "offre",
                    f"{p.label} : APL officielle {official.annee}, 65 ans et moins",
                    _round(official.apl_moins_65, 3),
                    official.unite,
                    official.source,
                ]
            )
            yield (
                [
                    "offre",
                    f"{p.label} : part de l'offre des plus de 65 ans",
                    _round(_percent(official.part_offre_plus_de_65_ans), 1),
                    "%",
                    official.source,
                ]
            )
            for label, other in zip((c.label for c in p.comparisons), p.officiel_comparaisons, strict=False):
                yield (
                    [
                        "comparaison",
                        f"{p.label} : APL officielle {label}",
                        _round(other.apl if other else None, 3),
                        official.unite,
                        official.source,
                    ]
                )
        for c in p.comparisons:
            yield (["comparaison", f"{p.label} : APL {c.label}", _round(c.apl, 3), p.unite, source])
            yield (["comparaison", f"{p.label} : pour 10 000 habitants {c.label}", _round(c.pour_10000, 2), "", source])
    for zone in diagnosis.zonage:
        yield (["zonage", f"{zone.label} : communes", zone.communes, "communes", diagnosis.zonage_source])
        yield (["zonage", f"{zone.label} : population", zone.population, "habitants", diagnosis.zonage_source])
    for structure in diagnosis.finess:
        yield (
            [
                "structures FINESS",
                f"{structure.nom} ({structure.numero_finess})",
                structure.get_categorie_display(),
                structure.commune.nom if structure.commune else "",
                diagnosis.finess_source,
            ]
        )
    for kind, number in diagnosis.structures.items():
        yield (["structures", kind, number, "", f"BPE {diagnosis.bpe_millesime}"])
    for row in diagnosis.least_served:
        label = f"{row.nom} ({row.code_insee})"
        gp = diagnosis.professions[0]
        if gp.officiel is not None:
            yield (
                [
                    "communes les moins bien servies",
                    label,
                    _round(row.apl_officielle, 3),
                    f"APL officielle {gp.officiel.annee} généralistes",
                    gp.officiel.source,
                ]
            )
        yield (
            [
                "communes les moins bien servies",
                label,
                _round(row.apl_estimee, 3),
                "APL estimée généralistes (OASIS)",
                f"calcul {gp.run.content_hash[:12]}",
            ]
        )
        yield (["communes les moins bien servies", label, row.verdict.etat, "sous-densité", row.verdict.libelle])


def _percent(share: float | None) -> float | None:
    return None if share is None else 100 * share


def _round(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"

"""The under-density verdict of a commune for a profession: ARS order, else official DREES APL, else OASIS's estimate.

1. The ARS zoning order in force for the commune and profession (``ZonageCommune.actif``): ZIP and ZAC for GPs, the
   two lowest classes for the other professions, are « sous-denses » (art. L.1434-4 CSP).
2. Else, for GPs, the newest official DREES APL imported, with the national rule of the zoning method
   (``oasis.core.zoning``) on the APL to GPs aged 65 and under: « sélection nationale » is sous-dense, « hors vivier »
   is not, and in the « vivier » the ARS decides (``sous_dense`` is None and both outcomes are said).
   The DREES publishes no national rule on the APL of the other professions: they go to 3.
3. Else OASIS's estimated APL (the current run), said as such.

Only this module decides; pages, exports, API, commands and rules ask it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings
from django.db import models

from oasis.accessibility.models import AplRun
from oasis.accessibility.rows import is_under_served
from oasis.accessibility.runs import current_run
from oasis.core.zoning import NATIONAL_SELECTION, OUTSIDE_VIVIER, VIVIER, national_gp_classes
from oasis.references.enums import UNDER_SERVED_ZONES, Zone
from oasis.references.models import OfficialAplUnit, ZonageCommune
from oasis.references.services import official_years
from oasis.supply.enums import Equipement

if TYPE_CHECKING:
    from oasis.territories.services import Territory

CHUNK = 5000
"""Commune codes per query (SQLite's limit on bound parameters is far above, and PostgreSQL has none)."""


class VerdictSource(models.TextChoices):
    ARRETE_ARS = "arrete-ars", "arrêté de zonage de l'ARS"
    APL_DREES = "apl-drees", "APL officielle de la DREES"
    ESTIMATION = "estimation", "estimation OASIS"


class NationalClass(models.TextChoices):
    """The classes of the national rule (« cadre national » of the GP zoning method)."""

    SELECTION_NATIONALE = "selection-nationale", "Sélection nationale (ZIP)"
    VIVIER = "vivier", "Vivier (ZIP ou ZAC selon l'ARS)"
    HORS_VIVIER = "hors-vivier", "Hors vivier"


_NATIONAL = {
    NATIONAL_SELECTION: NationalClass.SELECTION_NATIONALE,
    VIVIER: NationalClass.VIVIER,
    OUTSIDE_VIVIER: NationalClass.HORS_VIVIER,
}

VIVIER_OUTCOMES = "l'ARS décide : classée en ZIP ou en ZAC, la commune ouvre droit aux aides ; sinon, non"
"""Both outcomes of a commune of the vivier, said where a rule needs the verdict."""


@dataclass(frozen=True)
class Verdict:
    """Whether a commune is « sous-dense » for a profession, and on what that rests.

    ``sous_dense`` is None where the ARS decides (vivier) or where nothing is known. ``zone`` is the ARS zone
    (``Zone``) or the national class (``NationalClass``); None for the estimate. ``valeur`` is the APL the verdict rests
    on (the official APL of the 65 and under as published, or the estimate), ``seuil`` the threshold it was compared
    with, ``millesime`` the order's date, the APL's year or the estimate's date.
    """

    code_insee: str
    profession: str
    sous_dense: bool | None
    zone: str | None
    source: str
    millesime: str
    valeur: float | None
    seuil: float | None
    libelle: str

    @property
    def officiel(self) -> bool:
        return self.source != VerdictSource.ESTIMATION

    @property
    def zone_libelle(self) -> str:
        """Short label: « Zone d'intervention prioritaire (ZIP) », « Vivier (ZIP ou ZAC selon l'ARS) », « sous-dense
        (estimation OASIS) »."""
        if self.zone in Zone.values:
            return str(Zone(self.zone).label)
        if self.zone in NationalClass.values:
            return f"{NationalClass(self.zone).label} (règle nationale, APL DREES {self.millesime})"
        if self.sous_dense is None:
            return "sous-densité inconnue"
        return "sous-dense (estimation OASIS)" if self.sous_dense else "non sous-dense (estimation OASIS)"

    @property
    def resume(self) -> str:
        """A short phrase for explanations: « Zone de vigilance (zonage de l'ARS) », « Vivier (ZIP ou ZAC selon
        l'ARS) (APL officielle DREES 2022 : 3,20 chez les 65 ans et moins) », « APL estimée 2,24 : commune sous-dotée
        (estimation OASIS, ni arrêté ni APL officielle) »."""
        if self.source == VerdictSource.ARRETE_ARS:
            return f"{self.zone_libelle} (zonage de l'ARS)"
        shown = "—" if self.valeur is None else _fr(self.valeur)
        if self.source == VerdictSource.APL_DREES:
            national = NationalClass(self.zone or NationalClass.VIVIER).label
            return f"{national} (APL officielle DREES {self.millesime} : {shown} chez les 65 ans et moins)"
        if self.sous_dense is None:
            return "sous-densité inconnue (estimation OASIS)"
        verdict = "commune sous-dotée" if self.sous_dense else "commune non sous-dotée"
        return f"APL estimée {shown} : {verdict} (estimation OASIS, ni arrêté ni APL officielle)"

    @property
    def etat(self) -> str:
        """The verdict in words: « sous-dense », « non sous-dense », « à décider par l'ARS (vivier) », « inconnu »."""
        if self.sous_dense is True:
            return "sous-dense"
        if self.sous_dense is False:
            return "non sous-dense"
        return "à décider par l'ARS (vivier)" if self.zone == NationalClass.VIVIER else "sous-densité inconnue"

    @property
    def source_libelle(self) -> str:
        return str(VerdictSource(self.source).label)

    def as_dict(self, nom: str = "") -> dict[str, Any]:
        """The API's fields (``GET /api/zonage``)."""
        return {
            "code_insee": self.code_insee,
            "nom": nom,
            "sous_dense": self.sous_dense,
            "zone": self.zone,
            "source": self.source,
            "millesime": self.millesime,
            "valeur": self.valeur,
            "seuil": self.seuil,
            "libelle": self.libelle,
        }


def national_thresholds() -> tuple[float, float]:
    """(sélection nationale below, vivier below), from the settings."""
    return float(settings.OASIS_ZONING_NATIONAL_SELECTION_BELOW), float(settings.OASIS_ZONING_VIVIER_BELOW)


def verdict(code_insee: str, profession: str = Equipement.GENERALISTE) -> Verdict:
    """The verdict of one commune (or PLM arrondissement)."""
    return verdicts([code_insee], profession)[code_insee]


def verdicts(
    codes: Iterable[str] | None, profession: str = Equipement.GENERALISTE, run: AplRun | None = None
) -> dict[str, Verdict]:
    """The verdict of each listed commune; of every commune of France with a value when ``codes`` is None.

    A listed code without any figure gets an estimate verdict with ``sous_dense`` None (« sous-densité inconnue »).
    ``run``: ``current_run(profession)`` when the caller has it already.
    """
    wanted = None if codes is None else list(dict.fromkeys(codes))
    found: dict[str, Verdict] = {}
    for code, zone, when in _rows(
        ZonageCommune.objects.filter(profession=profession, actif=True), wanted, "commune_id", "zone", "reference__date_reference"
    ):
        found[code] = _from_order(code, profession, zone, when)
    # Each source fills only the communes the ones above it left (all communes are asked when ``codes`` is None).
    if profession == Equipement.GENERALISTE:
        for code, item in _from_drees(profession, _missing(wanted, found)).items():
            found.setdefault(code, item)
    for code, item in _from_estimate(profession, _missing(wanted, found), run).items():
        found.setdefault(code, item)
    if wanted is None:
        return found
    return {code: found[code] for code in wanted}


def _missing(wanted: list[str] | None, found: dict[str, Verdict]) -> list[str] | None:
    return None if wanted is None else [code for code in wanted if code not in found]


def _rows(queryset: models.QuerySet, codes: list[str] | None, *fields: str) -> Iterator[tuple]:  # type: ignore[type-arg]
    """``values_list(*fields)`` of the rows of the listed communes (every row when None), in chunks."""
    if codes is None:
        yield from queryset.values_list(*fields)
        return
    for start in range(0, len(codes), CHUNK):
        yield from queryset.filter(commune_id__in=codes[start : start + CHUNK]).values_list(*fields)


def _fr(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _from_order(code: str, profession: str, zone: str, when: date | None) -> Verdict:
    order = f"arrêté de l'ARS du {when:%d/%m/%Y}" if when else "arrêté de l'ARS (non daté)"
    under = zone in UNDER_SERVED_ZONES
    return Verdict(
        code_insee=code,
        profession=profession,
        sous_dense=under,
        zone=zone,
        source=VerdictSource.ARRETE_ARS,
        millesime=when.isoformat() if when else "",
        valeur=None,
        seuil=None,
        libelle=f"{Zone(zone).label} — {order} : {'commune sous-dense' if under else 'commune non sous-dense'}",
    )


def _from_drees(profession: str, codes: list[str] | None) -> dict[str, Verdict]:
    """The national rule on the newest official APL of the 65 and under, for the communes it lists."""
    if codes is not None and not codes:
        return {}
    years = official_years(profession)
    if not years:
        return {}
    year = years[0]
    rows = [
        (code, value)
        for code, value in _rows(
            OfficialAplUnit.objects.filter(profession=profession, annee=year), codes, "commune_id", "apl_moins_65"
        )
        if value is not None and np.isfinite(value)
    ]
    if not rows:
        return {}
    selection, vivier = national_thresholds()
    classes = national_gp_classes(np.array([value for _, value in rows], dtype=np.float64), selection, vivier)
    result = {}
    for (code, value), position in zip(rows, classes, strict=True):
        national = _NATIONAL[int(position)]
        shown = f"APL officielle DREES {year} : {_fr(value)} (65 ans et moins)"
        if national == NationalClass.SELECTION_NATIONALE:
            under, threshold = True, selection
            reason = f"{shown} < {_fr(selection, 1)} : sélection nationale"
        elif national == NationalClass.VIVIER:
            under, threshold = None, vivier
            reason = f"{shown}, de {_fr(selection, 1)} à moins de {_fr(vivier, 1)} : vivier — {VIVIER_OUTCOMES}"
        else:
            under, threshold = False, vivier
            reason = f"{shown} ≥ {_fr(vivier, 1)} : hors vivier"
        result[code] = Verdict(
            code_insee=code,
            profession=profession,
            sous_dense=under,
            zone=national.value,
            source=VerdictSource.APL_DREES,
            millesime=str(year),
            valeur=float(value),
            seuil=threshold,
            libelle=f"{reason} — en attendant l'arrêté de l'ARS",
        )
    return result


def _from_estimate(profession: str, codes: list[str] | None, run: AplRun | None = None) -> dict[str, Verdict]:
    if codes is not None and not codes:
        return {}
    run = run or current_run(profession)
    results = {code: (apl, classe) for code, apl, classe in _rows(run.results.all(), codes, "commune_id", "apl", "classe")}
    why = (
        "ni arrêté de l'ARS ni APL officielle de la DREES pour cette commune"
        if profession == Equipement.GENERALISTE
        else "aucun arrêté de l'ARS pour cette commune (la DREES ne publie pas de règle nationale pour cette profession)"
    )
    return {
        code: _estimate(code, profession, run, *results.get(code, (None, None)), why)
        for code in (results if codes is None else codes)
    }


def _estimate(code: str, profession: str, run: AplRun, apl: float | None, classe: int | None, why: str) -> Verdict:
    under = is_under_served(run, apl, classe)
    threshold = run.resume.get("seuil_sous_dense")
    if apl is None:
        said = "APL estimée inconnue : sous-densité inconnue"
    elif threshold is not None:
        comparison = "<" if under else "≥"
        said = f"APL estimée {_fr(apl)} {comparison} {_fr(float(threshold), 1)} : {'sous-dense' if under else 'non sous-dense'}"
    else:
        place = f"classe {classe + 1} sur 5" if classe is not None and classe >= 0 else "sans classe"
        said = f"APL estimée {_fr(apl, 1)}, {place} : {'sous-dotée' if under else 'non sous-dotée'} (deux premières classes)"
    return Verdict(
        code_insee=code,
        profession=profession,
        sous_dense=under,
        zone=None,
        source=VerdictSource.ESTIMATION,
        millesime=run.created_at.date().isoformat(),
        valeur=apl,
        seuil=float(threshold) if threshold is not None else None,
        libelle=f"Estimation OASIS ({why}) : {said}",
    )


@dataclass(frozen=True)
class Counts:
    """Population and communes of a territory by verdict, and the sources the verdicts rest on."""

    population_sous_dense: float
    population_vivier: float
    population: float
    communes_sous_denses: int
    communes: int
    sources: dict[str, int]

    @property
    def officiel(self) -> bool:
        """Whether an official source (order or DREES APL) decides for at least one commune."""
        return any(source != VerdictSource.ESTIMATION for source in self.sources)

    @property
    def part_sous_dense(self) -> float | None:
        return self.population_sous_dense / self.population if self.population else None

    @property
    def source_libelle(self) -> str:
        """« arrêté de zonage de l'ARS (12 communes), APL officielle de la DREES (253 communes) »."""
        return ", ".join(
            f"{VerdictSource(source).label} ({count} commune{'s' if count > 1 else ''})"
            for source, count in sorted(self.sources.items(), key=lambda item: list(VerdictSource.values).index(item[0]))
        )


def counts(found: dict[str, Verdict], population: Mapping[str, float | None]) -> Counts:
    """Population (as given per code) and communes by verdict."""
    under = [code for code, item in found.items() if item.sous_dense is True]
    vivier = [code for code, item in found.items() if item.zone == NationalClass.VIVIER]
    sources: dict[str, int] = {}
    for item in found.values():
        sources[item.source] = sources.get(item.source, 0) + 1
    return Counts(
        population_sous_dense=float(sum(population.get(code, 0.0) or 0.0 for code in under)),
        population_vivier=float(sum(population.get(code, 0.0) or 0.0 for code in vivier)),
        population=float(sum(population.get(code, 0.0) or 0.0 for code in found)),
        communes_sous_denses=len(under),
        communes=len(found),
        sources=sources,
    )


def territory_verdicts(
    territory: Territory | None, profession: str = Equipement.GENERALISTE, run: AplRun | None = None
) -> dict[str, Verdict]:
    """The verdict of every unit (commune or PLM arrondissement) of a territory, of France when None, by code."""
    if territory is None:
        return verdicts(None, profession, run)
    return verdicts(territory.units().order_by("code_insee").values_list("code_insee", flat=True), profession, run)


def territory_counts(territory: Territory | None, profession: str = Equipement.GENERALISTE) -> Counts:
    """Inhabitants (INSEE population municipale of each unit, the figure of the territory page) and communes by
    verdict."""
    from oasis.territories.models import Commune

    units = Commune.objects.units() if territory is None else territory.units()
    population = dict(units.values_list("code_insee", "population"))
    return counts(territory_verdicts(territory, profession), population)


def map_properties(departement: str, profession: str = Equipement.GENERALISTE) -> dict[str, dict[str, object]]:
    """Per commune of a département, what the map says of its verdict (rings and popups)."""
    from oasis.territories.models import Commune

    codes = Commune.objects.units().filter(departement_id=departement).values_list("code_insee", flat=True)
    return {
        code: {
            "sous_dense": item.sous_dense,
            "vivier": item.zone == NationalClass.VIVIER,
            "verdict": item.etat,
            "verdict_zone": item.zone_libelle,
            "verdict_source": item.source,
            "verdict_libelle": item.libelle,
        }
        for code, item in verdicts(codes, profession).items()
    }


def departement_shares(profession: str = Equipement.GENERALISTE) -> dict[str, float | None]:
    """Per département, the share of its population in a commune « sous-dense » by the verdict (kept per data)."""
    from oasis.datasets.fingerprint import kept
    from oasis.territories.models import Commune

    def build() -> dict[str, float | None]:
        found = verdicts(None, profession)
        totals: dict[str, list[float]] = {}
        for code, departement, population in Commune.objects.units().values_list("code_insee", "departement_id", "population"):
            if code in found:
                total = totals.setdefault(departement, [0.0, 0.0])
                total[1] += population or 0.0
                if found[code].sous_dense:
                    total[0] += population or 0.0
        return {departement: (under / all_ if all_ else None) for departement, (under, all_) in totals.items()}

    return kept(f"verdicts-departements:{profession}", build)


@dataclass(frozen=True)
class Change:
    code_insee: str
    nom: str
    profession: str
    avant: Verdict | None
    apres: Verdict | None
    population: float


def snapshot(professions: Iterable[str]) -> dict[str, dict[str, Verdict]]:
    """Every commune's verdict per profession (to compare before and after an import)."""
    return {profession: verdicts(None, profession) for profession in professions}


def changes(before: dict[str, dict[str, Verdict]], after: dict[str, dict[str, Verdict]]) -> list[Change]:
    """The communes whose verdict (``sous_dense``) changed, per profession, largest population first."""
    from oasis.territories.models import Commune

    units = {
        code: (nom, population)
        for code, nom, population in Commune.objects.units().values_list("code_insee", "nom", "population")
    }
    found = []
    for profession, now in after.items():
        old = before.get(profession, {})
        for code in sorted(set(old) | set(now)):
            was, is_ = old.get(code), now.get(code)
            if (was.sous_dense if was else None) != (is_.sous_dense if is_ else None):
                nom, population = units.get(code, ("", 0.0))
                found.append(Change(code, nom, profession, was, is_, float(population or 0.0)))
    return sorted(found, key=lambda change: (change.profession, -change.population, change.code_insee))

"""The APL parameter file: read, checked, and turned into core objects."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oasis.core.apl import ActivityCaps, StepDecay
from oasis.datasets.errors import DataFileError
from oasis.supply.enums import PROFESSIONS

DEFAULT_PARAMETERS = Path(__file__).resolve().parent / "parametres" / "apl-2023.json"


@dataclass(frozen=True)
class ProfessionParameters:
    profession: str
    unite: str
    multiplicateur: float
    demande: str  # pop_standardisee | pop_totale | pop_femmes
    decay: StepDecay
    imputation: dict[str, Any]
    caps: ActivityCaps | None
    seuil_sous_dense: float | None
    classes_relatives: tuple[float, ...] | None
    part_femmes: float | None
    raw: dict[str, Any]


@dataclass(frozen=True)
class AplParameters:
    version: str
    travel: dict[str, Any]
    professions: dict[str, ProfessionParameters]
    class_labels: tuple[str, ...]
    sha256: str
    path: Path

    def for_profession(self, profession: str) -> ProfessionParameters:
        try:
            return self.professions[profession]
        except KeyError:
            known = ", ".join(self.professions)
            raise ValueError(f"Profession inconnue : « {profession} ». Professions : {known}.") from None


def load_parameters(path: Path = DEFAULT_PARAMETERS) -> AplParameters:
    raw_bytes = path.read_bytes()
    try:
        data = json.loads(raw_bytes)
    except json.JSONDecodeError as error:
        raise DataFileError(path, error.lineno, f"JSON invalide ({error.msg})") from error
    professions: dict[str, ProfessionParameters] = {}
    for slug in (p.value for p in PROFESSIONS):
        entry = data.get("professions", {}).get(slug)
        if entry is None:
            raise DataFileError(path, None, f"paramètres absents pour la profession « {slug} »")
        try:
            decay = StepDecay(
                tuple(float(b) for b in entry["decroissance"]["bornes_minutes"]),
                tuple(float(w) for w in entry["decroissance"]["poids"]),
            )
            caps_entry = entry.get("plafonds_activite")
            caps = (
                ActivityCaps(
                    zero_at_most=float(caps_entry["zero_jusqu_a"]),
                    low=float(caps_entry["plancher"]),
                    high=float(caps_entry["plafond"]),
                    newly_installed=float(caps_entry["nouvel_installe"]),
                )
                if caps_entry
                else None
            )
            if entry["demande"] not in ("pop_standardisee", "pop_totale", "pop_femmes"):
                raise ValueError(f"demande « {entry['demande']} » inconnue")
            if entry["imputation"]["regle"] not in ("calage_moyenne_nationale", "etp_par_praticien"):
                raise ValueError(f"règle d'imputation « {entry['imputation']['regle']} » inconnue")
            professions[slug] = ProfessionParameters(
                profession=slug,
                unite=entry["unite"],
                multiplicateur=float(entry["multiplicateur"]),
                demande=entry["demande"],
                decay=decay,
                imputation=entry["imputation"],
                caps=caps,
                seuil_sous_dense=entry.get("seuil_sous_dense"),
                classes_relatives=tuple(entry["classes_relatives_a_la_moyenne"])
                if entry.get("classes_relatives_a_la_moyenne")
                else None,
                part_femmes=entry.get("part_femmes"),
                raw=entry,
            )
        except (KeyError, TypeError, ValueError) as error:
            raise DataFileError(path, None, f"profession « {slug} » : paramètre invalide ({error})") from error
    return AplParameters(
        version=str(data["version"]),
        travel=data["temps_de_trajet"],
        professions=professions,
        class_labels=tuple(data["libelles_classes"]),
        sha256=hashlib.sha256(raw_bytes).hexdigest(),
        path=path,
    )

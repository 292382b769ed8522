"""ACI simulator for maisons de santé and for centres de santé.

A maison de santé pluriprofessionnelle is paid under the accord conventionnel interprofessionnel (avenant 1, 2022);
a centre de santé (rémunération forfaitaire spécifique of the accord national des centres de santé, 2015 and
its avenants, which transposes the same mechanics: prerequisites, fixed and variable points, 7 € a point; the
per-professional points count its salaried professionals). Which table applies is the project's kind
(``oasis.projects.funding.bareme_kind``; sources in docs/reference/aci-centres-de-sante.md).

Arrays in, figures out; the point table itself is data (see oasis.projects.models.AciBareme). Rules
(docs/methodology.md, domain research §4.2):

- if any prerequisite indicator is unmet, nothing is paid;
- fixed points are earned per unit achieved (a protocole, a stagiaire, a mission…);
- variable points are given for a reference patientèle (4,000) and scaled by the structure's patientèle médecin
  traitant (associated doctors only), the ratio capped at ``ratio_cap`` (1 by default);
- the system-of-information variable part depends on the number of associated professionals instead:
  ``per_professional`` points each up to ``professional_threshold``, ``per_professional_beyond`` after;
- amount = points × point value (7 €); advance = ``advance_rate`` × value of the socle points at full attainment,
  at least ``advance_floor`` euros.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class AciRules:
    """Scalars of the point table.

    Attributes
    ----------
        point_value: euros per point (7).
        reference_patients: patientèle for which the variable points are given (4,000).
        ratio_cap: upper bound of patientèle / reference (1.0; ``inf`` for no cap).
        per_professional: SI variable points per associated professional up to the threshold (200).
        professional_threshold: number of professionals paid at the full rate (16).
        per_professional_beyond: SI variable points per professional beyond the threshold (150).
        advance_rate: share of the socle amount paid in advance (0.6).
        advance_floor: minimum advance in euros (12,000).
    """

    point_value: float = 7.0
    reference_patients: float = 4000.0
    ratio_cap: float = 1.0
    per_professional: float = 200.0
    professional_threshold: int = 16
    per_professional_beyond: float = 150.0
    advance_rate: float = 0.6
    advance_floor: float = 12_000.0


@dataclass(frozen=True)
class AciResult:
    """Points and euros for one year; per-indicator points in the input order (shape (n,))."""

    eligible: bool
    fixed_points: NDArray[np.float64]
    variable_points: NDArray[np.float64]
    professional_points: float
    total_points: float
    amount: float
    advance: float
    ratio: float


def professional_points(professionals: int, rules: AciRules) -> float:
    """SI variable points for ``professionals`` associated professionals (count ≥ 0)."""
    professionals = max(0, int(professionals))
    full = min(professionals, rules.professional_threshold)
    return full * rules.per_professional + (professionals - full) * rules.per_professional_beyond


def simulate(
    fixed: NDArray[np.float64],
    variable: NDArray[np.float64],
    units: NDArray[np.float64],
    prerequisite: NDArray[np.bool_],
    socle: NDArray[np.bool_],
    per_professional: NDArray[np.bool_],
    patients: float,
    professionals: int,
    rules: AciRules,
) -> AciResult:
    """One year's ACI remuneration.

    Args:
        fixed: fixed points per unit of each indicator, shape (n,).
        variable: variable points per unit for the reference patientèle, shape (n,).
        units: units achieved (0 = not met; 1 for a yes/no indicator; a count for protocoles, stagiaires…), shape (n,).
        prerequisite: True where the indicator conditions any payment, shape (n,).
        socle: True for socle (mandatory) indicators, used for the advance, shape (n,).
        per_professional: True where the indicator also earns the per-professional SI points when met, shape (n,).
        patients: patientèle médecin traitant of the associated doctors (persons, ≥ 0).
        professionals: number of associated health professionals (≥ 0).
        rules: the point table's scalars.

    Returns
    -------
        The points per indicator, the total, the amount in euros and the advance (0 when a prerequisite is unmet).
    """
    units = np.clip(np.asarray(units, dtype=np.float64), 0.0, None)
    ratio = min(max(float(patients), 0.0) / rules.reference_patients, rules.ratio_cap)
    met = units > 0
    eligible = bool(np.all(met[prerequisite]))
    fixed_points = np.asarray(fixed, dtype=np.float64) * units
    variable_points = np.asarray(variable, dtype=np.float64) * units * ratio
    si_points = professional_points(professionals, rules) if bool(np.any(met & per_professional)) else 0.0
    if not eligible:
        zero = np.zeros_like(fixed_points)
        return AciResult(False, zero, zero.copy(), 0.0, 0.0, 0.0, 0.0, ratio)
    total = float(fixed_points.sum() + variable_points.sum() + si_points)
    socle_points = float(fixed_points[socle].sum() + variable_points[socle].sum())
    if bool(np.any(socle & per_professional & met)):
        socle_points += si_points
    advance = max(rules.advance_rate * rules.point_value * socle_points, rules.advance_floor)
    amount = total * rules.point_value
    return AciResult(True, fixed_points, variable_points, si_points, total, amount, min(advance, amount), ratio)

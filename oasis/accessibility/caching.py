"""The travel-time matrices and APL models kept in memory, per inputs, shared by every computation of a process."""

from __future__ import annotations

import hashlib
import json
import threading
import time

from oasis.accessibility.inputs import (
    demand_per_unit,
)
from oasis.accessibility.params import ProfessionParameters
from oasis.accessibility.traveltime import TravelTimeProvider
from oasis.accessibility.units import Units
from oasis.core.apl import AplModel, weight_matrix
from oasis.core.traveltime import TravelTimes

_models: dict[str, tuple[AplModel, int, float]] = {}


_times: dict[str, TravelTimes] = {}


_models_lock = threading.Lock()


def cached_travel_times(provider: TravelTimeProvider, units: Units, max_minutes: float) -> TravelTimes:
    """Times up to ``max_minutes``, cut from a wider matrix of the same provider when one was built."""
    key = json.dumps({"temps": provider.describe(), "unites": units.fingerprint}, sort_keys=True, default=str)
    cached = _times.get(key)
    if cached is not None and cached.max_minutes >= max_minutes:
        return cached if cached.max_minutes == max_minutes else cached.restricted(max_minutes)
    times = provider.travel_times(units, max_minutes)
    _times[key] = times
    return times


def _model_key(parameters: ProfessionParameters, provider: TravelTimeProvider, units: Units) -> str:
    payload = {
        "decay": [parameters.decay.upper_minutes, parameters.decay.weights],
        "demande": parameters.demande,
        "part_femmes": parameters.part_femmes,
        "temps": provider.describe(),
        "unites": units.fingerprint,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def get_model(parameters: ProfessionParameters, provider: TravelTimeProvider, units: Units) -> tuple[AplModel, int, float]:
    """The APL model (weights and catchment demand) for a profession; (model, pairs, build seconds)."""
    key = _model_key(parameters, provider, units)
    with _models_lock:
        if key not in _models:
            started = time.perf_counter()
            times = cached_travel_times(provider, units, parameters.decay.max_minutes)
            model = AplModel(weight_matrix(times, parameters.decay), demand_per_unit(parameters, units))
            if len(_models) > 16:
                _models.clear()
                _times.clear()
            _models[key] = (model, times.pairs, time.perf_counter() - started)
        return _models[key]

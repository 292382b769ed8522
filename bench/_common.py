"""What every benchmark does first: a database with the national bundle, and a best-of timer."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from typing import Any


def setup_django(*, with_runs: bool = False) -> None:
    """Migrate and load the bundle into ``OASIS_HOME`` (a new temporary one unless set)."""
    if "OASIS_HOME" not in os.environ:
        os.environ["OASIS_HOME"] = tempfile.mkdtemp(prefix="oasis-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oasis.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_bundle", verbosity=0)
    if with_runs:
        from oasis.accessibility.runs import current_run
        from oasis.supply.enums import PROFESSIONS

        for profession in PROFESSIONS:
            current_run(profession.value)


def best_of(function: Callable[[], Any], repeats: int = 5) -> tuple[float, Any]:
    """Shortest of ``repeats`` timings (seconds) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result

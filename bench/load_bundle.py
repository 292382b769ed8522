"""Time `oasis data load` of the national bundle into a fresh database (target: under 60 s).

    .venv/bin/python bench/load_bundle.py            # SQLite
    OASIS_DB=postgres … .venv/bin/python bench/load_bundle.py

Runs migrate then the load in a temporary OASIS_HOME (SQLite: a new database each time), three times, and prints each
duration and the median. There is no peer to compare with: the figure is the target's.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = 3


def one_run() -> float:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "OASIS_HOME": home}
        oasis = [sys.executable, "-m", "oasis.cli"]
        subprocess.run([*oasis, "migrate", "--verbosity", "0"], env=env, check=True)
        started = time.perf_counter()
        subprocess.run([*oasis, "data", "load", "--verbosity", "0", "--force"], env=env, check=True)
        return time.perf_counter() - started


def main() -> None:
    engine = os.environ.get("OASIS_DB", "sqlite")
    mode = "neuve à chaque passage" if engine == "sqlite" else "rechargement forcé de la base configurée"
    print(f"base : {engine} ({mode})")
    durations = [one_run() for _ in range(RUNS)]
    for index, duration in enumerate(durations, start=1):
        print(f"chargement {index} : {duration:.2f} s")
    median = statistics.median(durations)
    print(f"médiane : {median:.2f} s (objectif < 60 s : {'atteint' if median < 60 else 'MANQUÉ'})")


if __name__ == "__main__":
    main()

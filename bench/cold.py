"""First request on a cold process: each page asked right after a restart of the production server.

    OASIS_HOME=… python bench/cold.py [--fois 3]

Targets (issue #31): every territory page and état des lieux (commune to région), ``/api/apl`` France with or without
``source=officielle``, under 300 ms on a process that has just started (the figures are precomputed by
``oasis data load`` / ``oasis precalculer`` and read from the database and the files beside it). Each page is asked
on a new gunicorn (``deploy/gunicorn.conf.py``, one process) so that nothing is kept in memory from another request;
the median of ``--fois`` restarts is printed. EPCI and communes are not precomputed (35,000 communes): their pages
read the national figures ``oasis precalculer`` keeps and compute only their own communes; each restart works on a
copy of the precomputed files (hard links) so that every request is the first ever made for its territory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(os.environ.get("OASIS_CHECKOUT", Path(__file__).resolve().parent.parent))  # another checkout: before/after
PAGES = [
    "/",
    "/territoires/region/75/",
    "/territoires/departement/86/",
    "/territoires/epci/200069854/",  # CU du Grand Poitiers
    "/territoires/epci/200070035/",  # CC du Civraisien en Poitou
    "/territoires/commune/86194/",  # Poitiers
    "/territoires/commune/86122/",  # Lauthiers, 68 inhabitants
    "/territoires/commune/75101/",  # Paris 1er arrondissement
    "/territoires/commune/97611/",  # Mamoudzou (Mayotte: no DREES population, no APL)
    "/territoires/region/75/etat-des-lieux/",
    "/territoires/departement/86/etat-des-lieux/",
    "/territoires/epci/200069854/etat-des-lieux/",
    "/territoires/epci/200070035/etat-des-lieux/",
    "/territoires/commune/86194/etat-des-lieux/",
    "/territoires/commune/86122/etat-des-lieux/",
    "/territoires/commune/75101/etat-des-lieux/",
    "/territoires/commune/97611/etat-des-lieux/",
    "/api/apl?profession=generaliste",
    "/api/apl?profession=generaliste&source=officielle",
]
TARGET_MS = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def precomputed_folder() -> Path | None:
    """Where ``oasis precalculer`` keeps its files (settings.py: ``OASIS_PRECALCULS_DIR``, else under OASIS_HOME)."""
    folder = os.environ.get("OASIS_PRECALCULS_DIR")
    if folder is None:
        folder = str(Path(os.environ.get("OASIS_HOME", ROOT / "var")) / "precalculs")
    return Path(folder) if folder and Path(folder).is_dir() else None


def first_request(path: str, cookie: str = "") -> tuple[float, int, int]:
    """Start gunicorn, wait until it listens (without asking any page), time the first GET of ``path``; on a copy of
    the precomputed files, so that what a previous run kept of this territory is not read."""
    with tempfile.TemporaryDirectory(prefix="oasis-bench-") as scratch:
        source = precomputed_folder()
        copy = Path(scratch) / "precalculs"
        if source is not None:
            shutil.copytree(source, copy, copy_function=os.link)  # written whole then renamed: the originals stay
        return _first_request(path, cookie, {"OASIS_PRECALCULS_DIR": str(copy)} if source is not None else {})


def _first_request(path: str, cookie: str, extra: dict[str, str]) -> tuple[float, int, int]:
    port = free_port()
    environment = os.environ | extra | {"OASIS_ECOUTE": f"127.0.0.1:{port}", "OASIS_PROCESSUS_WEB": "1"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"), "oasis.wsgi:application"]
    server = subprocess.Popen(command, env=environment, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn n'a pas démarré") from None
                time.sleep(0.1)
        time.sleep(1.0)  # the worker forks after the master listens
        headers = {"Accept-Encoding": "gzip", **({"Cookie": cookie} if cookie else {})}
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            size = len(response.read())
            status = response.status
        return time.perf_counter() - started, status, size
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fois", type=int, default=3, help="redémarrages par page (médiane)")
    options = parser.parse_args()
    print(f"Première requête après redémarrage (gunicorn, 1 processus), médiane de {options.fois} :")
    worst = 0.0
    for path in PAGES:
        timings = []
        for _ in range(options.fois):
            seconds, status, size = first_request(path)
            timings.append(seconds)
        median = statistics.median(timings) * 1000
        worst = max(worst, median)
        print(f"  {path:<56} {median:>8.0f} ms  (HTTP {status}, {size / 1000:,.0f} ko)".replace(",", " "))
    verdict = "atteint" if worst < TARGET_MS else "non atteint"
    print(f"Pire médiane : {worst:.0f} ms (objectif < {TARGET_MS} ms : {verdict})")


if __name__ == "__main__":
    main()

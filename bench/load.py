"""Load: 50 concurrent visitors on the main mix (bench/locustfile.py), on the production server and on the embedded one.

    make bench-web

Target (issue #14): on the production server (gunicorn, deploy/gunicorn.conf.py, workers sized to the cores),
p95 < 1 s and no error with 50 users. The same load on ``oasis serve`` (waitress, 8 threads, the embedded default of
``make run``) is printed beside it. The load generator runs on the same cores as the server: figures are a lower
bound of what a separate machine would see.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from oasis.testing import LoadResult, free_port, gunicorn_server, run_locust

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = ROOT / "bench" / "locustfile.py"
USERS = int(os.environ.get("OASIS_BENCH_USERS", 50))
SECONDS = int(os.environ.get("OASIS_BENCH_SECONDS", 60))


def installation() -> dict[str, str]:
    home = tempfile.mkdtemp(prefix="oasis-bench-load-")
    environment = {"OASIS_HOME": home, "PATH": "/usr/bin:/bin"}
    oasis = [sys.executable, "-m", "oasis.cli"]
    subprocess.run([*oasis, "migrate", "--verbosity", "0"], env=environment, check=True)
    subprocess.run([*oasis, "data", "load"], env=environment, check=True, capture_output=True)
    # The APL runs are computed once after an import; compute them here so that both servers start warm.
    warm = (
        "from oasis.accessibility.runs import current_run\n"
        "from oasis.supply.enums import PROFESSIONS\n"
        "for p in PROFESSIONS: current_run(p.value)"
    )
    subprocess.run([*oasis, "shell", "-c", warm], env=environment, check=True)
    return environment


def waitress_server(environment: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "oasis.cli", "serve", "--port", str(port), "--sans-worker"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/", timeout=30).close()
            break
        except OSError:
            time.sleep(0.3)
    return server, url


def report(label: str, result: LoadResult) -> None:
    verdict = "atteint" if result.p95_ms < 1000 and result.failures == 0 else "non atteint"
    print(
        f"{label} : {result.requests} requêtes, {result.failures} erreurs, {result.requests_per_second:.1f} req/s, "
        f"p50 {result.p50_ms:.0f} ms, p95 {result.p95_ms:.0f} ms (objectif p95 < 1 s et 0 erreur : {verdict})"
    )
    for error in result.errors:
        print(f"    erreur : {error}")
    for row in sorted(result.rows, key=lambda r: -float(r["95%"]))[:5]:
        print(
            f"    {row['Name']:<48} p50 {float(row['50%']):>6.0f} ms  p95 {float(row['95%']):>6.0f} ms  ({row['Request Count']})"
        )


def main() -> None:
    print(
        f"Machine : {os.cpu_count()} cœurs, Python {platform.python_version()}, {platform.platform()} ; "
        f"{USERS} utilisateurs pendant {SECONDS} s, générateur de charge sur les mêmes cœurs."
    )
    environment = installation()
    with tempfile.TemporaryDirectory() as work, gunicorn_server(ROOT, environment) as url:
        run_locust(url, LOCUSTFILE, users=5, seconds=10, workdir=Path(work))  # warm-up
        result = run_locust(url, LOCUSTFILE, users=USERS, seconds=SECONDS, workdir=Path(work))
        report(f"gunicorn ({(os.cpu_count() or 1) + 1} processus × 4 fils)", result)
    server, url = waitress_server(environment)
    try:
        with tempfile.TemporaryDirectory() as work:
            run_locust(url, LOCUSTFILE, users=5, seconds=10, workdir=Path(work))
            result = run_locust(url, LOCUSTFILE, users=USERS, seconds=SECONDS, workdir=Path(work))
            report("oasis serve (waitress, 8 fils)", result)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()

"""Load: 50 concurrent visitors on the main mix (bench/locustfile.py), on the production server and on the embedded one.

    make bench-web            (OASIS_BENCH_HOME=… to reuse an installation where `oasis data load` already ran)

Targets (issue #31): on the production server (gunicorn, deploy/gunicorn.conf.py, workers sized to the cores), started
cold (no warm-up: what `oasis data load` precomputed is all it has), p95 < 500 ms and no error with 50 users; while 8
anonymous visitors each ask the heaviest answer (the official APL of France, 4.7 MB, not gzipped) again and again,
the home page answers in under 200 ms. The same load on ``oasis serve`` (waitress, 8 threads, the embedded default of
``make run``) is printed beside it. The load generator runs on the same cores as the server: figures are a lower
bound of what a separate machine would see.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from oasis.testing import BEHIND_A_PROXY, LoadResult, free_port, gunicorn_server, run_locust

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = ROOT / "bench" / "locustfile.py"
USERS = int(os.environ.get("OASIS_BENCH_USERS", 50))
SECONDS = int(os.environ.get("OASIS_BENCH_SECONDS", 60))


def installation() -> dict[str, str]:
    """A fresh installation as an operator makes one (`oasis data load` precomputes), or OASIS_BENCH_HOME's."""
    home = os.environ.get("OASIS_BENCH_HOME") or tempfile.mkdtemp(prefix="oasis-bench-load-")
    environment = {"OASIS_HOME": home, "PATH": "/usr/bin:/bin"}
    if "PYTHONPATH" in os.environ:
        environment["PYTHONPATH"] = os.environ["PYTHONPATH"]
    oasis = [sys.executable, "-m", "oasis.cli"]
    subprocess.run([*oasis, "migrate", "--verbosity", "0"], env=environment, check=True)
    subprocess.run([*oasis, "data", "load"], env=environment, check=True, capture_output=True)
    return environment


HEAVY = "/api/apl?profession=generaliste&source=officielle"
HEAVY_CLIENTS = 8
HOME_SAMPLES = 30


def home_under_heavy_load(url: str) -> None:
    """The home page's time while 8 anonymous clients ask the heaviest answer in a loop (bounded in time)."""
    stop = threading.Event()
    heavy_times: list[float] = []

    def heavy(index: int) -> None:
        deadline = time.monotonic() + 60
        while not stop.is_set() and time.monotonic() < deadline:
            started = time.perf_counter()
            with urllib.request.urlopen(url + HEAVY, timeout=120) as response:
                response.read()
            heavy_times.append(time.perf_counter() - started)

    threads = [threading.Thread(target=heavy, args=(index,)) for index in range(HEAVY_CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    home = []
    for _ in range(HOME_SAMPLES):
        started = time.perf_counter()
        with urllib.request.urlopen(url + "/", timeout=120) as response:
            response.read()
        home.append((time.perf_counter() - started) * 1000)
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join()
    home.sort()
    p95 = home[int(0.95 * (len(home) - 1))]
    verdict = "atteint" if p95 < 200 else "non atteint"
    print(
        f"    accueil pendant {HEAVY_CLIENTS} requêtes lourdes simultanées ({HEAVY}, non compressée) : "
        f"médiane {statistics.median(home):.0f} ms, p95 {p95:.0f} ms, pire {home[-1]:.0f} ms sur {len(home)} "
        f"(objectif < 200 ms : {verdict}) ; requête lourde médiane {statistics.median(heavy_times) * 1000:.0f} ms"
    )


def waitress_server(environment: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "oasis.cli", "serve", "--port", str(port), "--sans-worker"],
        env=environment | BEHIND_A_PROXY,
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
    verdict = "atteint" if result.p95_ms < 500 and result.failures == 0 else "non atteint"
    print(
        f"{label} : {result.requests} requêtes, {result.failures} erreurs, {result.requests_per_second:.1f} req/s, "
        f"p50 {result.p50_ms:.0f} ms, p95 {result.p95_ms:.0f} ms (objectif p95 < 500 ms et 0 erreur : {verdict})"
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
    with tempfile.TemporaryDirectory() as work, gunicorn_server(ROOT, environment | BEHIND_A_PROXY) as url:
        # No warm-up: the server has just started, its processes have computed nothing.
        result = run_locust(url, LOCUSTFILE, users=USERS, seconds=SECONDS, workdir=Path(work))
        report(f"gunicorn, à froid ({(os.cpu_count() or 1) + 1} processus × 4 fils)", result)
        home_under_heavy_load(url)
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

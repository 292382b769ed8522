"""Page speed: the état des lieux of an EPCI (server time, warm) and the national map's first useful paint.

    make bench-pages

Targets (issue #4): diagnosis page under 300 ms warm; the map's départements drawn within 2 s of navigation.
The first is measured in-process (the view's time, best and median of 10 after warm-up); the second in headless
Chromium against `oasis serve`, from navigation start to the moment the départements layer is on screen
(``#map[data-ready]``), with a new browser context (cold cache) each time.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

from _common import setup_django

from oasis.testing import CHROMIUM_FLAGS, chromium_path

RUNS = 10
PAINTS = 5


def diagnosis_page() -> None:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    url = "/territoires/epci/200069854/etat-des-lieux/"
    for _ in range(2):
        assert client.get(url).status_code == 200
    durations = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        durations.append(time.perf_counter() - started)
    print(
        f"état des lieux CU du Grand Poitiers (serveur, à chaud) : meilleur {min(durations) * 1000:.0f} ms, "
        f"médiane {statistics.median(durations) * 1000:.0f} ms (objectif < 300 ms)"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def map_first_paint() -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "oasis.cli", "serve", "--port", str(port)], env=os.environ.copy(), stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/carte/departements", timeout=30).read()
                break
            except OSError:
                time.sleep(0.2)
        paints = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
            for _ in range(PAINTS):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(base + "/carte/")
                page.wait_for_selector("#map[data-ready='departements']", timeout=30_000)
                paints.append(page.evaluate("performance.now()") / 1000)
                context.close()
            browser.close()
        median, worst = statistics.median(paints) * 1000, max(paints) * 1000
        print(
            f"carte nationale, premier affichage utile (départements colorés) : médiane {median:.0f} ms, "
            f"pire {worst:.0f} ms sur {PAINTS} chargements à froid (objectif < 2 000 ms)"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    setup_django(with_runs=True)
    diagnosis_page()
    map_first_paint()

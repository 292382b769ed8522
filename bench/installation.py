"""« Où m'installer ? »: server time of the page for communes, an EPCI and a département, several professions.

    OASIS_HOME=var/dev python bench/installation.py      (a database with the national data loaded)

Target (issue #32): < 300 ms server time for any commune and profession. Measured in-process with Django's test
client (the view, templates included), warm: best and median of 5 after one call; then the first call for ten
communes not asked before.
"""

from __future__ import annotations

import os
import statistics
import time

RUNS = 5
CASES = [
    ("generaliste", ["Loudun (86137)"]),
    ("generaliste", ["Paris 15e Arrondissement (75115)"]),
    ("infirmier", ["Marseille (13055)"]),
    ("masseur-kinesitherapeute", ["Saint-Martin-de-Ré (17369)"]),
    ("generaliste", ["CC du Pays Loudunais (248600447)"]),
    ("generaliste", ["Gironde (33)"]),
    ("generaliste", ["Loudun (86137)", "Poitiers (86194)", "Vienne (86)"]),
]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oasis.settings")
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for profession, places in CASES:
        query = [("profession", profession), *(("lieu", place) for place in places)]
        response = client.get("/installation/ou-m-installer/", query)
        assert response.status_code == 200, (places, response.status_code)
        durations = []
        for _ in range(RUNS):
            started = time.perf_counter()
            client.get("/installation/ou-m-installer/", query)
            durations.append(time.perf_counter() - started)
        print(
            f"{profession:26} {' + '.join(places):60} meilleur {min(durations) * 1000:4.0f} ms, "
            f"médiane {statistics.median(durations) * 1000:4.0f} ms (objectif < 300 ms)"
        )
    # A commune asked for the first time (its figures not kept yet; France's structures already read).
    codes = ["86070", "79191", "17300", "33063", "69123", "2A004", "97411", "23096", "48095", "59350"]
    durations = []
    for code in codes:
        started = time.perf_counter()
        assert client.get("/installation/ou-m-installer/", {"profession": "sage-femme", "lieu": f"com:{code}"}).status_code == 200
        durations.append(time.perf_counter() - started)
    print(
        f"première demande de {len(codes)} communes (sage-femme) : médiane {statistics.median(durations) * 1000:.0f} ms, "
        f"pire {max(durations) * 1000:.0f} ms (objectif < 300 ms)"
    )


if __name__ == "__main__":
    main()

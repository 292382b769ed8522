"""The main mix of what people do in OASIS, for locust (bench/load.py and tests/test_deployment.py).

Anonymous visitors: the home page, territory pages and their état des lieux, the search, the APL API, the map, the
observatory, and a siting already asked (kept as a job). Weights follow what an officer's day looks like.

Each visitor comes from an address of its own, as people do: the server runs as behind its reverse proxy
(``OASIS_PROXIES_DE_CONFIANCE=1``: ``oasis.testing.BEHIND_A_PROXY``) and each visitor sends the ``X-Forwarded-For``
that proxy would add. Without it the 50 visitors would be one address, and the per-address limit on anonymous heavy
pages (oasis/accounts/throttling.py) would rightly refuse most of them.
"""

import random

from locust import HttpUser, between, task

DEPARTEMENTS = ["86", "79", "16", "17", "87", "37", "36", "49", "85", "33", "2A", "974"]
EPCIS = ["200069854", "248600413", "200000172"]
SEARCHES = ["poit", "chatell", "niort", "vienne", "loudun", "86000"]


class Visitor(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        number = random.randrange(1, 2**24 - 1)
        self.client.headers["X-Forwarded-For"] = f"10.{number >> 16}.{(number >> 8) & 255}.{number & 255}"

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="/")

    @task(3)
    def territory(self) -> None:
        self.client.get(f"/territoires/departement/{random.choice(DEPARTEMENTS)}/", name="/territoires/departement/[code]/")

    @task(2)
    def diagnostic(self) -> None:
        self.client.get(
            f"/territoires/departement/{random.choice(DEPARTEMENTS)}/etat-des-lieux/",
            name="/territoires/departement/[code]/etat-des-lieux/",
        )

    @task(1)
    def diagnostic_epci(self) -> None:
        self.client.get(
            f"/territoires/epci/{random.choice(EPCIS)}/etat-des-lieux/", name="/territoires/epci/[siren]/etat-des-lieux/"
        )

    @task(2)
    def search(self) -> None:
        self.client.get(f"/api/recherche?q={random.choice(SEARCHES)}", name="/api/recherche")

    @task(2)
    def apl(self) -> None:
        self.client.get(
            f"/api/apl?profession=generaliste&territoire=dep:{random.choice(DEPARTEMENTS)}", name="/api/apl?territoire=dep"
        )

    @task(1)
    def map_page(self) -> None:
        self.client.get("/carte/", name="/carte/")

    @task(1)
    def observatory(self) -> None:
        self.client.get("/observatoire/", name="/observatoire/")

    @task(1)
    def planning(self) -> None:
        self.client.get("/implantation/?territoire=dep:86&sites=3", name="/implantation/")

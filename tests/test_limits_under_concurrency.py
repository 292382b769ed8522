"""Limits that hold when requests arrive together: simultaneous requests, each in its own thread and connection,
against the real database (SQLite or PostgreSQL), never get past a limit that they would each check alone."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse

from oasis.jobs import services
from oasis.jobs.models import Job
from oasis.recruitment import portal
from oasis.recruitment.models import PortalSignup
from oasis.urls import urlpatterns as site_urlpatterns
from oasis.www.limits import heavy_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def real_concurrent_database():
    """SQLite's in-memory test database (shared cache) locks whole tables and refuses a second connection at once
    (« database table is locked ») instead of waiting as a database file or PostgreSQL does: what it would test is
    that artefact, not the limits. The suite's PostgreSQL run, and SQLite on a file (``OASIS_SQLITE_TEST_PATH``),
    run these tests."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("base SQLite en mémoire : les accès simultanés s'y refusent au lieu d'attendre")


def together(count: int, request: Callable[[int], int]) -> list[int]:
    """Run ``request(i)`` for i in 0..count-1 at once, each in its own thread (and database connection)."""
    start = threading.Barrier(count)
    statuses: list[int] = [0] * count
    errors: list[BaseException] = []

    def one(index: int) -> None:
        try:
            start.wait()
            statuses[index] = request(index)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return statuses


def test_simultaneous_sitings_from_one_address_queue_two_jobs_and_one_question_is_one_job():
    def ask(index: int) -> int:
        client = Client(REMOTE_ADDR="203.0.113.9")
        return client.get("/api/implantation", {"territoire": "dep:86", "sites": index + 1}).status_code

    statuses = together(8, ask)
    assert sorted(statuses) == [202] * services.MAX_ACTIVE_PER_ADDRESS + [429] * (8 - services.MAX_ACTIVE_PER_ADDRESS)
    assert Job.objects.filter(address="203.0.113.9").count() == services.MAX_ACTIVE_PER_ADDRESS

    # The same question asked by eight addresses at once: one job answers them all.
    def same(index: int) -> int:
        client = Client(REMOTE_ADDR=f"203.0.113.{index + 100}")
        return client.get("/api/implantation", {"territoire": "dep:79", "sites": 2}).status_code

    assert together(8, same) == [202] * 8
    assert Job.objects.filter(params__sites=2, address__startswith="203.0.113.1").count() == 1


def test_sixteen_simultaneous_signups_for_one_email_store_three():
    def sign_up(index: int) -> int:
        client = Client(REMOTE_ADDR=f"198.51.100.{index + 1}")
        data = {
            "prenom": "Léa",
            "nom": "Martin",
            "email": "lea.martin@etu.test",
            "profession": "generaliste",
            "situation": "interne",
            "annee_etudes": "7",
            "departement": "86",
            "modes": ["liberal"],
            "consentement": "on",
        }
        return client.post(reverse("portal_signup"), data).status_code

    statuses = together(16, sign_up)
    assert sorted(statuses) == [200] * portal.MAX_PENDING_PER_EMAIL + [400] * (16 - portal.MAX_PENDING_PER_EMAIL)
    assert PortalSignup.objects.filter(email="lea.martin@etu.test").count() == portal.MAX_PENDING_PER_EMAIL


class Held:
    """A heavy page that stays running until told to finish, and records how many of its requests ran at once."""

    def __init__(self) -> None:
        self.guard = threading.Lock()
        self.finish = threading.Event()
        self.running = self.most = self.refused = 0

    def page(self, request: HttpRequest) -> HttpResponse:
        with self.guard:
            self.running += 1
            self.most = max(self.most, self.running)
        self.finish.wait(timeout=30)  # until every refused request has its answer (a safeguard, not a measure)
        with self.guard:
            self.running -= 1
        return HttpResponse("calculé")


held = Held()
urlpatterns = [path("essai/calcul-long/", heavy_page(held.page)), *site_urlpatterns]


@pytest.mark.urls(__name__)
def test_simultaneous_heavy_requests_from_one_address_run_two_at_once(settings):
    settings.OASIS_ANONYMOUS_HEAVY_AT_ONCE, settings.OASIS_ANONYMOUS_HEAVY_PER_MINUTE = 2, 30
    count = 8

    def ask(index: int) -> int:
        status = Client(REMOTE_ADDR="203.0.113.20").get("/essai/calcul-long/").status_code
        if status == 429:
            with held.guard:
                held.refused += 1
                if held.refused == count - 2:
                    held.finish.set()
        return status

    statuses = together(count, ask)
    assert held.most == 2
    assert sorted(statuses) == [200] * 2 + [429] * (count - 2)
    assert Client(REMOTE_ADDR="203.0.113.20").get("/essai/calcul-long/").status_code == 200  # both finished: room again


def test_simultaneous_heavy_requests_from_one_address_start_at_most_the_minute_s_limit(settings):
    settings.OASIS_ANONYMOUS_HEAVY_AT_ONCE, settings.OASIS_ANONYMOUS_HEAVY_PER_MINUTE = 0, 3

    def ask(index: int) -> int:
        client = Client(REMOTE_ADDR="203.0.113.21")
        return client.get("/api/apl/simulation", {"profession": "inconnue"}).status_code

    assert sorted(together(8, ask)) == [400] * 3 + [429] * 5

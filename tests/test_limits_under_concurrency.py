"""Limits that hold when requests arrive together: simultaneous requests, each in its own thread and connection,
against the real database (SQLite or PostgreSQL), never get past a limit that they would each check alone."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from oasis.jobs import services
from oasis.jobs.models import Job
from oasis.recruitment import portal
from oasis.recruitment.models import PortalSignup

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

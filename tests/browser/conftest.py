"""Headless Chromium from Debian's packages, driven by Playwright (no browser download)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from oasis.testing import CHROMIUM_FLAGS, chromium_path


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    # Playwright's sync API runs an event loop: Django must allow ORM calls from the test thread meanwhile.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if not os.path.exists(executable):
        pytest.fail(f"Chromium introuvable ({executable}) : lancez scripts/ensure_system_deps.sh")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


OFFICER_PASSWORD = "une-phrase-de-passe-solide-2026"


@pytest.fixture
def officer_page(live_server, page):  # type: ignore[no-untyped-def]
    """The page, logged in as the Vienne's Département officer (cm@vienne.test) through the login form."""
    import re

    from django.contrib.auth import get_user_model

    from oasis.accounts.enums import Role
    from oasis.accounts.models import Profile

    user = get_user_model().objects.create_user(username="cm@vienne.test", email="cm@vienne.test", password=OFFICER_PASSWORD)
    Profile.objects.create(user=user, role=Role.DEPARTEMENT, departement_id="86")
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Adresse électronique").fill("cm@vienne.test")
    page.get_by_label("Mot de passe").fill(OFFICER_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/projets/$"))
    page.officer = user
    return page


def pick(page, label: str, typed: str, option: str, exact: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Type part of a name in a territory field and choose the suggestion that starts with ``option``, as a user does."""
    import re

    field = page.get_by_label(label, exact=exact)
    field.fill(typed)
    page.get_by_role("option", name=re.compile("^" + re.escape(option))).first.click()


@pytest.fixture(autouse=True)
def readers_never_block_the_worker(transactional_db):  # type: ignore[no-untyped-def]
    """The test database is SQLite in memory with a shared cache, where a reader's table lock fails a writer at once.

    The pages polling a job read while the worker writes its progress: let them read uncommitted rows, as a file
    database in WAL mode (what users run) would let them read the last committed ones.
    """
    from django.db.backends.signals import connection_created

    def read_uncommitted(sender, connection, **kwargs):  # type: ignore[no-untyped-def]
        if connection.vendor == "sqlite":
            connection.cursor().execute("PRAGMA read_uncommitted = 1")

    connection_created.connect(read_uncommitted)
    yield
    connection_created.disconnect(read_uncommitted)

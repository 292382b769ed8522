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

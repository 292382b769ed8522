from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fast_retries(settings):  # type: ignore[no-untyped-def]
    """Retries keep their number; the wait between them is what the tests cannot afford."""
    settings.OASIS_CONNECTOR_BACKOFF_SECONDS = 0
    settings.OASIS_CONNECTOR_TIMEOUT_SECONDS = 2

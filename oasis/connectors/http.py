"""HTTP for the connectors: one ``requests`` session with timeouts, retries on transient failures and the
services' ``Retry-After``, and errors that say in French what failed and where."""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

USER_AGENT = "OASIS (oasis-sante)"


class ConnectorError(Exception):
    """A service could not be reached or refused the request; the message names the service and the cause."""


def session(retries: int | None = None) -> requests.Session:
    """A session retrying connection errors, 429 and 5xx (GET and POST: the calls made are reads), with backoff."""
    total = settings.OASIS_CONNECTOR_RETRIES if retries is None else retries
    retry = Retry(
        total=total,
        backoff_factor=settings.OASIS_CONNECTOR_BACKOFF_SECONDS,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "POST"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    http = requests.Session()
    http.headers["User-Agent"] = USER_AGENT
    adapter = HTTPAdapter(max_retries=retry)
    http.mount("http://", adapter)
    http.mount("https://", adapter)
    return http


def _timed_out(error: requests.RequestException) -> bool:
    """A timeout, even when the retries wrapped it (``MaxRetryError(ReadTimeoutError)`` → ``ConnectionError``)."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    if isinstance(reason, NewConnectionError):  # a refused connection: urllib3 derives it from ConnectTimeoutError
        return False
    return isinstance(error, requests.Timeout) or isinstance(reason, TimeoutError | ReadTimeoutError | ConnectTimeoutError)


def call(http: requests.Session, service: str, method: str, url: str, **kwargs: Any) -> Any:
    """The JSON answer of one call, or :class:`ConnectorError` for a network failure, a timeout, a refused token,
    an error status or an answer that is not JSON."""
    try:
        response = http.request(method, url, timeout=settings.OASIS_CONNECTOR_TIMEOUT_SECONDS, **kwargs)
    except requests.RequestException as error:
        if _timed_out(error):
            raise ConnectorError(
                f"{service} : pas de réponse en {settings.OASIS_CONNECTOR_TIMEOUT_SECONDS} s ({url})."
            ) from error
        raise ConnectorError(f"{service} : service injoignable ({url}) : {error.__class__.__name__}.") from error
    if response.status_code in (401, 403):
        raise ConnectorError(
            f"{service} : jeton refusé (HTTP {response.status_code}). Vérifiez la clé d'API ou le jeton configuré."
        )
    if response.status_code == 429:
        raise ConnectorError(f"{service} : trop de requêtes (HTTP 429), limite du service atteinte ; réessayez plus tard.")
    if response.status_code >= 400:
        raise ConnectorError(f"{service} : erreur HTTP {response.status_code} sur {url}.")
    try:
        return response.json()
    except ValueError as error:
        raise ConnectorError(f"{service} : réponse illisible (JSON attendu) sur {url}.") from error

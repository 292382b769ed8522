"""Security headers and settings: CSP everywhere, HSTS and secure cookies over HTTPS, the client behind proxies."""

import importlib
from types import SimpleNamespace

import pytest
from django.test import RequestFactory

from oasis.accounts.addresses import client_address

pytestmark = pytest.mark.django_db


def test_every_page_has_a_content_security_policy(client, national):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"


def _settings_with(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    import oasis.settings

    try:
        return SimpleNamespace(**vars(importlib.reload(oasis.settings)))
    finally:
        for name in env:
            monkeypatch.delenv(name)
        importlib.reload(oasis.settings)


def test_https_turns_on_hsts_secure_cookies_and_the_redirect(monkeypatch):
    served = _settings_with(monkeypatch, OASIS_HTTPS="1")
    assert served.SESSION_COOKIE_SECURE and served.CSRF_COOKIE_SECURE and served.SECURE_SSL_REDIRECT
    assert served.SECURE_HSTS_SECONDS == 365 * 24 * 3600
    plain = _settings_with(monkeypatch, OASIS_HTTPS="0")
    assert not plain.SESSION_COOKIE_SECURE and plain.SECURE_HSTS_SECONDS == 0 and not plain.SECURE_SSL_REDIRECT
    assert not hasattr(plain, "SECURE_PROXY_SSL_HEADER")
    proxied = _settings_with(monkeypatch, OASIS_HTTPS="1", OASIS_PROXY_HTTPS="1")
    assert proxied.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_hsts_header_over_https(client, settings, national):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301  # http:// goes to https://
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=3600"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy declared: the header is the client's own words
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the client wrote before the proxy is ignored
        (2, "6.6.6.6, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer hops than declared: not trusted
    ],
)
def test_client_address_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.OASIS_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected

"""The password-reset e-mail links to OASIS_URL_PUBLIQUE, whatever host the request names: a forged Host header
must not send the user's token to another site. Read from a real e-mail (SMTP server of the test)."""

from __future__ import annotations

import re

import pytest

from tests.projects.conftest import cast, make_user  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("host", ["testserver", "piege.example"])
def test_the_reset_link_is_built_from_the_public_address(client, cast, smtp, settings, host):  # noqa: F811
    settings.OASIS_PUBLIC_URL = "https://oasis.vienne.fr/"
    settings.ALLOWED_HOSTS = ["testserver", "piege.example"]  # a proxy that lets any host through
    response = client.post("/mot-de-passe-oublie/", {"email": "ars@na.test"}, HTTP_HOST=host)
    assert response.status_code == 302
    [mail] = smtp.mails
    links = re.findall(r"https?://\S+", mail.text)
    assert len(links) == 1 and re.fullmatch(r"https://oasis\.vienne\.fr/mot-de-passe-oublie/[^/]+/[^/]+/", links[0])
    assert host not in mail.text
    form = client.get(links[0].removeprefix("https://oasis.vienne.fr"), follow=True)
    assert "Choisir un nouveau mot de passe" in form.content.decode()  # the token in the link is valid

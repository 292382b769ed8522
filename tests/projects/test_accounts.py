import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.urls import reverse

from oasis.accounts.models import Profile
from tests.projects.conftest import PASSWORD


def test_login_then_throttled_after_five_failures(client, cast):
    assert client.post(reverse("login"), {"username": "cm@vienne.test", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(5):
        assert client.post(reverse("login"), {"username": "ars@na.test", "password": "faux"}).status_code == 200
    locked = client.post(reverse("login"), {"username": "ars@na.test", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.content.decode()
    # Someone else behind the same address can still log in.
    assert client.post(reverse("login"), {"username": "cm@vienne.test", "password": PASSWORD}).status_code == 302


def test_passwords_are_hashed(cast):
    import oasis.settings

    stored = get_user_model().objects.get(username="cm@vienne.test").password
    assert PASSWORD not in stored and check_password(PASSWORD, stored)
    assert "PASSWORD_HASHERS" not in vars(oasis.settings)  # production: Django's default, PBKDF2 first


@pytest.mark.django_db
def test_create_account_command(monkeypatch, national):
    monkeypatch.setattr("sys.stdin", io.StringIO("une-phrase-de-passe-solide-2026\n"))
    call_command(
        "create_account", email="cm2@vienne.test", role="departement", departement="86", password_stdin=True, stdout=io.StringIO()
    )
    profile = Profile.objects.get(user__username="cm2@vienne.test")
    assert profile.departement_id == "86"
    with pytest.raises(CommandError, match="rattaché à un département"):
        monkeypatch.setattr("sys.stdin", io.StringIO("une-phrase-de-passe-solide-2026\n"))
        call_command("create_account", email="x@vienne.test", role="departement", password_stdin=True, stdout=io.StringIO())
    with pytest.raises(CommandError, match="existe déjà"):
        call_command(
            "create_account", email="cm2@vienne.test", role="ars", region="75", password_stdin=True, stdout=io.StringIO()
        )

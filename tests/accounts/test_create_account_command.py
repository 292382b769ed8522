"""``oasis create_account``: an account with its role and territory, the password read from the standard input;
an account without its territory, an unknown territory or an address already taken refused, creating nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from oasis.accounts.models import Profile


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
    for option, code, message in (("departement", "99", "Département inconnu"), ("region", "00", "Région inconnue")):
        with pytest.raises(CommandError, match=f"--{option} : {message}"):
            monkeypatch.setattr("sys.stdin", io.StringIO("une-phrase-de-passe-solide-2026\n"))
            call_command(
                "create_account", email="y@vienne.test", role="ars", password_stdin=True, stdout=io.StringIO(), **{option: code}
            )
    assert not get_user_model().objects.filter(username="y@vienne.test").exists()
    with pytest.raises(CommandError, match="existe déjà"):
        call_command(
            "create_account", email="cm2@vienne.test", role="ars", region="75", password_stdin=True, stdout=io.StringIO()
        )

"""Accounts: login throttled per account and address (the site and the admin alike), passwords stored hashed."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.urls import reverse

from tests.projects.conftest import PASSWORD


def login(client, username, password, address="192.0.2.10", path=None):
    return client.post(path or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_login_locked_at_the_fifth_failure_for_that_account_from_that_address(client, cast):
    assert login(client, "cm@vienne.test", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, "ars@na.test", "faux").status_code == 200
    assert login(client, "ars@na.test", PASSWORD).status_code == 302  # four failures: still allowed
    client.logout()
    for _ in range(4):
        assert login(client, "ars@na.test", "faux").status_code == 200
    assert login(client, "ars@na.test", "faux").status_code == 429  # the fifth failure
    locked = login(client, "ars@na.test", PASSWORD)
    assert locked.status_code == 429 and "Trop de tentatives" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Neither a colleague behind the same address nor the account's owner elsewhere is locked out by it.
    assert login(client, "cm@vienne.test", PASSWORD).status_code == 302
    client.logout()
    assert login(client, "ars@na.test", PASSWORD, address="198.51.100.7").status_code == 302


def test_the_admin_login_is_throttled_by_the_same_counter(client, cast):
    admin_login = "/admin/login/?next=/admin/"
    for _ in range(4):
        assert login(client, "admin@oasis.test", "faux", path=admin_login).status_code == 200
    assert login(client, "admin@oasis.test", "faux", path=admin_login).status_code == 429  # the fifth failure
    locked = login(client, "admin@oasis.test", PASSWORD, path=admin_login)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # The failures counted on /admin/ lock the site's login too: one counter, kept in the database.
    assert login(client, "admin@oasis.test", PASSWORD).status_code == 429
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get(username="admin@oasis.test").failures_since_start >= 5


def test_passwords_are_hashed(cast):
    import oasis.settings

    stored = get_user_model().objects.get(username="cm@vienne.test").password
    assert PASSWORD not in stored and check_password(PASSWORD, stored)
    assert "PASSWORD_HASHERS" not in vars(oasis.settings)  # production: Django's default, PBKDF2 first

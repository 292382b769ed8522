"""Password spraying: a few passwords tried on many accounts from one address. Twenty failures from one address,
all accounts together, lock that address for 15 minutes; another address is not locked, one account keeps its own
limit of five, and a successful login (the sprayer's own account) does not reset the address's count."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from oasis.accounts.lockout import ADDRESS_LOCKED_MESSAGE, LOCKED_MESSAGE
from tests.projects.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SPRAYER = "192.0.2.66"
ELSEWHERE = "198.51.100.7"


def login(client, username: str, password: str, address: str = SPRAYER, path: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(path or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def accounts() -> list[str]:
    names = [f"agent{i:02d}@vienne.test" for i in range(21)]
    for name in names:
        get_user_model().objects.create_user(username=name, email=name, password=PASSWORD)
    return names


def test_the_limits_are_five_per_account_and_twenty_per_address(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.OASIS_LOGIN_FAILURE_LIMIT_PER_ADDRESS == 20


def test_twenty_accounts_tried_from_one_address_lock_that_address_only(client, accounts):
    for name in accounts[:19]:  # one failure each: no account is near its own limit
        assert login(client, name, "Printemps2026!").status_code == 200
    # 19 failures from the address: below the limit, the sprayer's own account still signs in…
    assert login(client, accounts[20], PASSWORD).status_code == 302
    client.logout()
    # … and its success does not reset the address's count: the 20th failure locks the address.
    locked = login(client, accounts[19], "Printemps2026!")
    assert locked.status_code == 429
    assert ADDRESS_LOCKED_MESSAGE in locked.content.decode()
    # Locked for every account from that address, the right password included, on the site and on /admin/.
    refused = login(client, accounts[20], PASSWORD)
    assert refused.status_code == 429 and ADDRESS_LOCKED_MESSAGE in refused.content.decode()
    assert "_auth_user_id" not in client.session
    admin = login(client, accounts[0], PASSWORD, path="/admin/login/?next=/admin/")
    assert admin.status_code == 429 and admin.content.decode() == ADDRESS_LOCKED_MESSAGE
    # Another address is not locked.
    assert login(client, accounts[0], PASSWORD, address=ELSEWHERE).status_code == 302


def test_nineteen_failures_from_an_address_lock_nothing(client, accounts):
    for name in accounts[:19]:
        assert login(client, name, "faux").status_code == 200
    for name in accounts[:19]:
        assert login(client, name, PASSWORD).status_code == 302
        client.logout()


def test_one_account_keeps_its_own_limit_of_five_and_the_address_stays_open(client, accounts):
    for _ in range(4):
        assert login(client, accounts[0], "faux").status_code == 200
    assert login(client, accounts[0], PASSWORD).status_code == 302  # four failures: still allowed (and reset)
    client.logout()
    for _ in range(4):
        assert login(client, accounts[0], "faux").status_code == 200
    locked = login(client, accounts[0], "faux")  # the fifth failure
    assert locked.status_code == 429 and LOCKED_MESSAGE in locked.content.decode()
    assert ADDRESS_LOCKED_MESSAGE not in locked.content.decode()
    # 9 failures from the address: a colleague behind it signs in; the account from elsewhere too.
    assert login(client, accounts[1], PASSWORD).status_code == 302
    client.logout()
    assert login(client, accounts[0], PASSWORD, address=ELSEWHERE).status_code == 302


def test_failures_older_than_the_cool_off_no_longer_count(client, accounts):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    for name in accounts[:19]:
        assert login(client, name, "faux").status_code == 200
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(client, accounts[19], "faux").status_code == 200  # one recent failure, 19 forgotten
    assert login(client, accounts[20], PASSWORD).status_code == 302

"""Heavy requests of visitors who are not signed in, counted per client address: at once, and within a sliding minute
(times given explicitly, never slept)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from oasis.accounts import throttling
from oasis.accounts.models import HeavyRequest
from oasis.accounts.throttling import TooManyRequests, admit, release

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 7, 10, 0, 0, tzinfo=UTC)
HERE, ELSEWHERE = "203.0.113.7", "198.51.100.4"


@pytest.fixture
def limits(settings):
    def set_limits(at_once: int, per_minute: int) -> None:
        settings.OASIS_ANONYMOUS_HEAVY_AT_ONCE = at_once
        settings.OASIS_ANONYMOUS_HEAVY_PER_MINUTE = per_minute

    return set_limits


def test_at_once_under_at_and_over_the_limit(limits):
    limits(2, 0)
    first = admit(HERE, T0)
    admit(HERE, T0 + timedelta(seconds=1))  # under, then at the limit: both admitted
    with pytest.raises(TooManyRequests) as over:
        admit(HERE, T0 + timedelta(seconds=2))
    assert over.value.retry_after == throttling.RETRY_WHEN_BUSY_SECONDS
    assert "2 au plus à la fois sans être connecté" in str(over.value)
    assert HeavyRequest.objects.filter(address=HERE).count() == 2  # the refusal wrote nothing

    admit(ELSEWHERE, T0 + timedelta(seconds=2))  # another address is not affected

    release(first, T0 + timedelta(seconds=3))  # one ends: room for one more, not two
    admit(HERE, T0 + timedelta(seconds=4))
    with pytest.raises(TooManyRequests):
        admit(HERE, T0 + timedelta(seconds=5))


def test_a_request_lost_with_its_process_stops_counting_as_running(limits):
    limits(1, 0)
    admit(HERE, T0)  # never released
    with pytest.raises(TooManyRequests):
        admit(HERE, T0 + throttling.LOST_AFTER - timedelta(seconds=1))
    admit(HERE, T0 + throttling.LOST_AFTER)


def test_per_minute_window_slides(limits):
    limits(0, 3)
    for seconds in (0, 10, 20):
        release(admit(HERE, T0 + timedelta(seconds=seconds)), T0 + timedelta(seconds=seconds + 1))
    with pytest.raises(TooManyRequests) as over:
        admit(HERE, T0 + timedelta(seconds=30))  # the 4th within the minute: the start at T0 frees a place at T0+60
    assert over.value.retry_after == 30
    assert "3 calculs par minute au plus" in str(over.value) and "Réessayez dans 30 secondes" in str(over.value)

    admit(ELSEWHERE, T0 + timedelta(seconds=30))  # another address has its own minute

    with pytest.raises(TooManyRequests) as last_second:
        admit(HERE, T0 + timedelta(seconds=59, milliseconds=500))
    assert last_second.value.retry_after == 1
    assert "Réessayez dans 1 seconde," in str(last_second.value)

    admit(HERE, T0 + timedelta(seconds=60))  # T0 has left the window: admitted
    with pytest.raises(TooManyRequests) as again:  # full again (10, 20, 60): the start at 10 s frees the next place
        admit(HERE, T0 + timedelta(seconds=61))
    assert again.value.retry_after == 9


def test_refused_requests_do_not_count(limits):
    limits(0, 1)
    admit(HERE, T0)
    for seconds in range(1, 50, 7):
        with pytest.raises(TooManyRequests):
            admit(HERE, T0 + timedelta(seconds=seconds))
    admit(HERE, T0 + timedelta(seconds=60))  # a client retrying meanwhile did not push its wait further


def test_no_limit_set_counts_nothing(limits):
    limits(0, 0)
    assert admit(HERE, T0) is None
    assert not HeavyRequest.objects.exists()


def test_rows_that_no_longer_count_are_purged(limits):
    limits(2, 30)
    old = admit("192.0.2.1", T0)
    kept = admit("192.0.2.2", T0 + timedelta(minutes=1))
    current = admit(HERE, T0 + throttling.LOST_AFTER + timedelta(seconds=30))
    release(current, T0 + throttling.LOST_AFTER + timedelta(seconds=31))
    assert set(HeavyRequest.objects.values_list("pk", flat=True)) == {kept, current}
    assert old not in HeavyRequest.objects.values_list("pk", flat=True)


def test_an_ipv6_client_counts_with_its_whole_64_network(limits):
    limits(1, 0)
    admit("2001:db8:1:2::10", T0)
    with pytest.raises(TooManyRequests):
        admit("2001:db8:1:2:ffff:1:2:3", T0)  # another address of the same line
    admit("2001:db8:1:3::10", T0)  # the next /64 is someone else
    admit("::ffff:203.0.113.7", T0)  # an IPv4 client seen through an IPv6 socket is its IPv4 address
    with pytest.raises(TooManyRequests):
        admit("203.0.113.7", T0)
    assert sorted(HeavyRequest.objects.values_list("address", flat=True)) == [
        "2001:db8:1:2::/64",
        "2001:db8:1:3::/64",
        "203.0.113.7",
    ]

"""Requests computed on the spot for visitors who are not signed in: limited per client address, for every process.

A what-if on the national APL, a map, an état des lieux or « Où m'installer ? » takes a web worker for up to seconds;
a visitor who is not signed in may have ``OASIS_ANONYMOUS_HEAVY_AT_ONCE`` of them running at once and start
``OASIS_ANONYMOUS_HEAVY_PER_MINUTE`` within any sixty seconds (a sliding window), per client address
(``addresses.client_address``; an IPv6 address counts with its /64). The count lives in the database
(``HeavyRequest``), since each process has its own cache, and is taken under the address's lock
(``oasis.jobs.locks.counted``): simultaneous requests count one after the other and never get past the limit
together. Signed-in users are not limited here; the web layer decides whom it asks (``oasis.www.limits``,
``oasis.api.limits``).
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from oasis.accounts.addresses import client_address
from oasis.accounts.models import HeavyRequest
from oasis.jobs.locks import counted

WINDOW = timedelta(minutes=1)
# A request not finished after this long was lost with its process (a web worker is killed well before): it no
# longer counts as running, and rows older than this are purged.
LOST_AFTER = timedelta(minutes=10)
RETRY_WHEN_BUSY_SECONDS = 5

AT_ONCE = (
    "Trop de calculs en cours depuis votre adresse : {limit} au plus à la fois sans être connecté. "
    "Attendez la fin des précédents et réessayez dans quelques secondes, ou connectez-vous."
)
PER_MINUTE = (
    "Trop de demandes depuis votre adresse : {limit} par minute au plus sans être connecté. "
    "Réessayez dans {seconds}, ou connectez-vous."
)


class TooManyRequests(Exception):
    """Over a limit: the reason, in French, and after how many seconds to ask again (``Retry-After``)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _computations(value: int) -> str:
    return "1 calcul" if value == 1 else f"{value} calculs"


def _seconds(value: int) -> str:
    return "1 seconde" if value == 1 else f"{value} secondes"


def client_key(address: str) -> str:
    """What a limit counts by: the IPv4 address, or the /64 network of an IPv6 address (one subscriber's line holds a
    whole /64, whose addresses a client could take in turn)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def admit(address: str, at: datetime | None = None) -> int | None:
    """Count a heavy request from ``address`` starting ``at`` (now), or raise ``TooManyRequests``; the id to
    ``release`` when it ends (None: no limit set)."""
    at_once, per_minute = settings.OASIS_ANONYMOUS_HEAVY_AT_ONCE, settings.OASIS_ANONYMOUS_HEAVY_PER_MINUTE
    if at_once <= 0 and per_minute <= 0:
        return None
    address = client_key(address)
    with counted(f"requetes-lourdes:adresse:{address}"):
        at = at or timezone.now()  # read under the lock: whoever held it before started earlier
        recent = HeavyRequest.objects.filter(address=address, started_at__gt=at - LOST_AFTER)
        counts = recent.aggregate(  # one query: running, and started within the minute
            running=Count("pk", filter=Q(finished_at__isnull=True)), in_window=Count("pk", filter=Q(started_at__gt=at - WINDOW))
        )
        if at_once > 0 and counts["running"] >= at_once:
            raise TooManyRequests(AT_ONCE.format(limit=at_once), RETRY_WHEN_BUSY_SECONDS)
        if per_minute > 0 and counts["in_window"] >= per_minute:
            starts = list(recent.filter(started_at__gt=at - WINDOW).order_by("started_at").values_list("started_at", flat=True))
            if len(starts) >= per_minute:
                # The window admits one more once the oldest start that keeps it full is a minute old.
                freed = starts[len(starts) - per_minute] + WINDOW
                wait = max(1, math.ceil((freed - at).total_seconds()))
                raise TooManyRequests(PER_MINUTE.format(limit=_computations(per_minute), seconds=_seconds(wait)), wait)
        return HeavyRequest.objects.create(address=address, started_at=at).pk


def release(admitted: int | None, at: datetime | None = None) -> None:
    """The request ended ``at`` (now): it no longer runs, and still counts in its minute. Rows older than
    ``LOST_AFTER`` are purged here, one purge at a time (under one lock), so that the table stays small."""
    if admitted is None:
        return
    at = at or timezone.now()
    HeavyRequest.objects.filter(pk=admitted).update(finished_at=at)
    purge(at)


def purge(at: datetime | None = None) -> int:
    """Delete the rows that no longer count for any limit; how many."""
    horizon = (at or timezone.now()) - LOST_AFTER
    if not HeavyRequest.objects.filter(started_at__lte=horizon).exists():
        return 0
    with counted("requetes-lourdes:purge"):
        deleted, _ = HeavyRequest.objects.filter(started_at__lte=horizon).delete()
    return deleted


def for_visitors(
    request: HttpRequest, run: Callable[[], HttpResponse], refuse: Callable[[TooManyRequests], HttpResponse]
) -> HttpResponse:
    """``run()`` for a signed-in user; for a visitor, counted against their address, or ``refuse(refusal)`` with
    ``Retry-After`` over the limit (the page's or the API's own form of refusal)."""
    if request.user.is_authenticated:
        return run()
    try:
        with heavy_request(client_address(request)):
            return run()
    except TooManyRequests as refusal:
        response = refuse(refusal)
        response["Retry-After"] = str(refusal.retry_after)
        return response


@contextmanager
def heavy_request(address: str) -> Iterator[None]:
    """``with heavy_request(address):`` around the computation: admitted (or ``TooManyRequests``), then released."""
    admitted = admit(address)
    try:
        yield
    finally:
        release(admitted)

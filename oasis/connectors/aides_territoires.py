"""Aides-territoires (https://aides-territoires.beta.gouv.fr): the catalogue of public aids for local authorities.

The API key is exchanged for a bearer token (``/api/connexion/``, header ``X-AUTH-TOKEN``); the aids come by pages
(``results`` and ``next``) from ``/api/aids/``, once per configured search. A synchronisation keeps the aids open to
the structures OASIS accompanies or to professionals, in one transaction: an interruption imports nothing. Aids no
longer published are marked withdrawn, those past their deadline expired; running it twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urljoin

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from oasis.connectors.enums import AideStatus, Connector, PerimeterScale
from oasis.connectors.http import ConnectorError, call, session
from oasis.connectors.models import Aide
from oasis.connectors.perimeters import resolve
from oasis.connectors.runs import tracked
from oasis.connectors.signals import aides_stored
from oasis.territories.text import search_key

SERVICE = "Aides-territoires"
PROJECT_AUDIENCES = ("commune", "intercommunalit", "departement", "association", "etablissements publics")
PROFESSIONAL_AUDIENCES = ("entreprises privees", "particulier", "professionnel")
NOT_CONFIGURED = "Aides-territoires : aucune clé d'API configurée (OASIS_AIDES_TERRITOIRES_CLE)."


class Client:
    """The API, as a reader: token exchange, bearer authentication, pages followed to the end."""

    def __init__(self, base_url: str, api_key: str, http: requests.Session | None = None) -> None:
        if not api_key:
            raise ConnectorError(NOT_CONFIGURED)
        self.base_url = base_url.rstrip("/") + "/"
        self.api_key = api_key
        self.http = http or session()
        self._token: str | None = None

    def _authenticate(self) -> str:
        answer = call(
            self.http, SERVICE, "POST", urljoin(self.base_url, "api/connexion/"), headers={"X-AUTH-TOKEN": self.api_key}
        )
        token = answer.get("token") if isinstance(answer, dict) else None
        if not token:
            raise ConnectorError(f"{SERVICE} : l'échange de la clé d'API n'a pas rendu de jeton.")
        return str(token)

    def aids(self, text: str) -> Iterator[dict[str, Any]]:
        """Every aid matching ``text``, page after page."""
        self._token = self._token or self._authenticate()
        url: str | None = urljoin(self.base_url, "api/aids/")
        params: dict[str, str] | None = {"text": text}
        while url:
            page = call(self.http, SERVICE, "GET", url, params=params, headers={"Authorization": f"Bearer {self._token}"})
            if not isinstance(page, dict) or not isinstance(page.get("results"), list):
                raise ConnectorError(f"{SERVICE} : page sans « results » ({url}).")
            yield from page["results"]
            url, params = page.get("next"), None


@dataclass
class AidRecord:
    """One aid of the API, in OASIS's terms."""

    fields: dict[str, Any]

    @property
    def identifiant(self) -> int:
        return int(self.fields["identifiant"])


def _keys(values: Any) -> list[str]:
    return [search_key(str(v)) for v in values or []]


def _rate(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value: Any) -> date | None:
    return parse_date(str(value)[:10]) if value else None


def _datetime(value: Any) -> datetime | None:
    return parse_datetime(str(value)) if value else None


def parse(aid: dict[str, Any], base_url: str) -> AidRecord:
    """The fields OASIS keeps of an API aid; :class:`ConnectorError` naming the aid when its id or name is missing."""
    if not aid.get("id") or not aid.get("name"):
        raise ConnectorError(f"{SERVICE} : aide sans identifiant ou sans nom ({str(aid)[:120]}).")
    audiences = _keys(aid.get("targeted_audiences"))
    perimeter = resolve(aid.get("perimeter"))
    return AidRecord(
        {
            "identifiant": int(aid["id"]),
            "slug": str(aid.get("slug") or aid["id"])[:300],
            "nom": str(aid["name"])[:500],
            "url": urljoin(base_url, str(aid.get("url") or "")),
            "url_candidature": str(aid.get("application_url") or "")[:500],
            "financeurs": list(aid.get("financers") or []),
            "instructeurs": list(aid.get("instructors") or []),
            "programmes": list(aid.get("programs") or []),
            "publics": list(aid.get("targeted_audiences") or []),
            "types": list(aid.get("aid_types") or []),
            "perimetre": str(aid.get("perimeter") or "")[:300],
            "perimetre_echelle": perimeter.scale,
            "perimetre_code": perimeter.code,
            "taux_min": _rate(aid.get("subvention_rate_lower_bound")),
            "taux_max": _rate(aid.get("subvention_rate_upper_bound")),
            "date_ouverture": _date(aid.get("start_date")),
            "date_limite": _date(aid.get("submission_deadline")),
            "recurrence": str(aid.get("recurrence") or "")[:100],
            "pour_projets": any(a.startswith(PROJECT_AUDIENCES) for a in audiences),
            "pour_professionnels": any(a.startswith(PROFESSIONAL_AUDIENCES) for a in audiences),
            "mise_a_jour_source": _datetime(aid.get("date_updated")),
        }
    )


def _status(record: AidRecord, today: date) -> str:
    deadline = record.fields["date_limite"]
    return AideStatus.EXPIREE if deadline is not None and deadline < today else AideStatus.OUVERTE


def fetch(client: Client, searches: list[str]) -> dict[int, AidRecord]:
    """The relevant aids of every search, by id (an aid found by two searches counts once)."""
    records: dict[int, AidRecord] = {}
    for text in searches:
        for aid in client.aids(text):
            record = parse(aid, client.base_url)
            if record.fields["pour_projets"] or record.fields["pour_professionnels"]:
                records[record.identifiant] = record
    return records


def store(records: dict[int, AidRecord], today: date) -> dict[str, list[str]]:
    """Create, update, expire and withdraw aids to match ``records``; returns the names of what changed."""
    now = timezone.now()
    changes: dict[str, list[str]] = {"creees": [], "modifiees": [], "expirees": [], "retirees": [], "perimetres_inconnus": []}
    existing = {aide.identifiant: aide for aide in Aide.objects.all()}
    for identifiant, record in records.items():
        values = {**record.fields, "statut": _status(record, today)}
        aide = existing.get(identifiant)
        if not values["perimetre_code"] and values["perimetre_echelle"] != PerimeterScale.NATIONAL:
            changes["perimetres_inconnus"].append(f"{values['nom']} ({values['perimetre'] or 'sans périmètre'})")
        if aide is None:
            Aide.objects.create(**values, vue_le=now)
            changes["creees"].append(values["nom"])
            continue
        changed = [name for name, value in values.items() if getattr(aide, name) != value]
        if changed:
            if "statut" in changed and values["statut"] == AideStatus.EXPIREE:
                changes["expirees"].append(values["nom"])
            else:
                changes["modifiees"].append(values["nom"])
        Aide.objects.filter(pk=aide.pk).update(**values, vue_le=now)
    gone = Aide.objects.exclude(identifiant__in=records).exclude(statut=AideStatus.RETIREE)
    changes["retirees"] = list(gone.values_list("nom", flat=True))
    gone.update(statut=AideStatus.RETIREE)
    return changes


def synchronise(by: Any = None, client: Client | None = None, today: date | None = None) -> dict[str, list[str]]:
    """Fetch every page first, then store in one transaction; the run and its changes (or error) are recorded."""
    base_url = settings.OASIS_AIDES_TERRITOIRES_URL
    with tracked(Connector.AIDES_TERRITOIRES, base_url, by) as run:
        client = client or Client(base_url, settings.OASIS_AIDES_TERRITOIRES_KEY)
        records = fetch(client, settings.OASIS_AIDES_TERRITOIRES_SEARCHES)
        with transaction.atomic():
            changes = store(records, today or timezone.localdate())
            aides_stored.send(sender=Aide)
        run.changes = changes
        return changes


def synchronise_source(source: str, by: Any) -> dict[str, list[str]]:
    """The registry's entry: Aides-territoires has one source, its configured address."""
    return synchronise(by=by)

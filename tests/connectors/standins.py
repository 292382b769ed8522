"""Loopback stand-ins for the outside services, answering with the payloads their documentation describes.

Each runs a real HTTP server on 127.0.0.1 (a free port) in a thread; the connectors reach it over the network
exactly as they reach the real service. A test can make it fail (``failures``: statuses answered before the
normal answers), slow (``delay``), or change what it publishes between two synchronisations.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

DATA = Path(__file__).parent / "data"


class StandIn:
    """What a stand-in serves and what it received."""

    def __init__(self) -> None:
        self.failures: list[int] = []
        self.delay = 0.0
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.base_url = ""

    def answer(
        self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        raise NotImplementedError


class _Handler(BaseHTTPRequestHandler):
    standin: StandIn

    def log_message(self, *args: object) -> None:
        pass

    def _serve(self, method: str) -> None:
        standin = self.server.standin  # type: ignore[attr-defined]
        url = urlparse(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        standin.requests.append((method, self.path, dict(self.headers)))
        if standin.delay:
            time.sleep(standin.delay)
        if standin.failures:
            status, payload = standin.failures.pop(0), {"detail": "indisponible"}
        else:
            status, payload = standin.answer(method, url.path, parse_qs(url.query), dict(self.headers), body)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if status == 429:
            self.send_header("Retry-After", "0")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")


@contextmanager
def serving(standin: StandIn) -> Iterator[StandIn]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.standin = standin  # type: ignore[attr-defined]
    standin.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()


# --- Aides-territoires ---------------------------------------------------------------------------------------------


def documented_aid() -> dict[str, Any]:
    """The real aid of the documentation's sample, completed with the other fields of the API's serializer."""
    aid = json.loads((DATA / "aid_example_partial.json").read_text(encoding="utf-8"))
    aid.pop("_note", None)
    aid.update(
        {
            "description": "<p>…</p>",
            "eligibility": "",
            "perimeter": "France",
            "mobilization_steps": ["Réflexion / conception"],
            "origin_url": "",
            "categories": ["Environnement|Risques naturels"],
            "is_call_for_project": False,
            "application_url": "",
            "targeted_audiences": ["Communes", "Intercommunalités / Pays"],
            "aid_types": ["Subvention"],
            "is_charged": False,
            "destinations": [],
            "start_date": None,
            "predeposit_date": None,
            "submission_deadline": None,
            "subvention_rate_lower_bound": None,
            "subvention_rate_upper_bound": None,
            "loan_amount": None,
            "recoverable_advance_amount": None,
            "contact": "",
            "recurrence": "Permanente",
            "project_examples": "",
            "date_created": "2024-03-01T10:00:00+01:00",
            "date_updated": "2024-03-02T10:00:00+01:00",
        }
    )
    return aid


def aid(identifiant: int, name: str, perimeter: str, audiences: list[str], **fields: Any) -> dict[str, Any]:
    """An aid shaped as the API gives it."""
    return {
        **documented_aid(),
        "id": identifiant,
        "slug": f"aide-{identifiant}",
        "url": f"/aides/aide-{identifiant}/",
        "name": name,
        "name_initial": name,
        "financers": fields.pop("financers", ["Département de la Vienne"]),
        "programs": [],
        "perimeter": perimeter,
        "targeted_audiences": audiences,
        **fields,
    }


class AidesTerritoires(StandIn):
    """``POST /api/connexion/`` (header ``X-AUTH-TOKEN``) gives a token; ``GET /api/aids/`` pages of ``page_size``."""

    API_KEY = "cle-de-test"
    TOKEN = "jeton-de-test"

    def __init__(self, aids: list[dict[str, Any]], page_size: int = 2) -> None:
        super().__init__()
        self.aids = aids
        self.page_size = page_size

    def answer(
        self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        if path == "/api/connexion/" and method == "POST":
            if headers.get("X-Auth-Token") != self.API_KEY and headers.get("X-AUTH-TOKEN") != self.API_KEY:
                return 401, {"message": "Invalid API key"}
            return 200, {"token": self.TOKEN}
        if path == "/api/aids/" and method == "GET":
            if headers.get("Authorization") != f"Bearer {self.TOKEN}":
                return 401, {"message": "JWT Token not found"}
            text = query.get("text", [""])[0].lower()
            found = [a for a in self.aids if text in (a["name"] + " " + a.get("description", "")).lower()]
            page = int(query.get("page", ["1"])[0])
            start = (page - 1) * self.page_size
            more = start + self.page_size < len(found)
            following = f"{self.base_url}/api/aids/?text={query.get('text', [''])[0]}&page={page + 1}" if more else None
            return 200, {
                "count": len(found),
                "next": following,
                "previous": None,
                "results": found[start : start + self.page_size],
            }
        return 404, {"detail": "Not found"}


# --- Démarches simplifiées -----------------------------------------------------------------------------------------


def dossier(
    number: int, state: str, modified: str, champs: list[dict[str, Any]], traitements: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A dossier shaped as the documented query returns it."""
    return {
        "id": f"RG9zc2llci0{number}",
        "number": number,
        "archived": False,
        "state": state,
        "dateDepot": "2026-09-01T09:00:00+02:00",
        "dateDerniereModification": modified,
        "datePassageEnConstruction": "2026-09-01T09:00:00+02:00",
        "datePassageEnInstruction": "2026-09-15T10:00:00+02:00" if state != "en_construction" else None,
        "dateTraitement": (traitements or [{}])[-1].get("dateTraitement"),
        "motivation": None,
        "groupeInstructeur": {"id": "R3JvdXBlLTE=", "number": 1, "label": "défaut"},
        "traitements": traitements or [],
        "demandeur": {"siret": "21860194100014"},
        "champs": champs,
    }


def text_field(label: str, value: str) -> dict[str, Any]:
    return {"id": f"Q2hhbXAt{abs(hash(label)) % 1000}", "label": label, "stringValue": value}


def commune_field(label: str, code: str, name: str) -> dict[str, Any]:
    return {
        "id": "Q2hhbXAtY29tbXVuZQ==",
        "label": label,
        "stringValue": f"{name} ({code[:2]})",
        "commune": {"name": name, "code": code},
        "departement": {"name": "Vienne", "code": code[:2]},
    }


class DemarchesSimplifiees(StandIn):
    """``POST /api/v2/graphql`` with a bearer token: the ``getDemarche`` query, by cursor pages of ``page_size``,
    filtered by ``updatedSince`` on ``dateDerniereModification``."""

    TOKEN = "jeton-ds-de-test"

    def __init__(self, demarche: int, dossiers: list[dict[str, Any]], page_size: int = 2) -> None:
        super().__init__()
        self.demarche = demarche
        self.dossiers = dossiers
        self.page_size = page_size

    def answer(
        self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        if path != "/api/v2/graphql" or method != "POST":
            return 404, {"errors": [{"message": "Not found"}]}
        if headers.get("Authorization") != f"Bearer {self.TOKEN}":
            return 403, {"errors": [{"message": "Without a token, only persisted queries are allowed"}]}
        request = json.loads(body)
        variables = request.get("variables") or {}
        if "getDemarche" not in request.get("query", "") or variables.get("demarcheNumber") != self.demarche:
            return 200, {
                "data": {"demarche": None},
                "errors": [{"message": "Demarche not found", "extensions": {"code": "not_found"}}],
            }
        since = variables.get("updatedSince")
        found = [
            d
            for d in self.dossiers
            if since is None or datetime.fromisoformat(d["dateDerniereModification"]) > datetime.fromisoformat(since)
        ]
        start = int(variables["after"]) if variables.get("after") else 0
        nodes = found[start : start + self.page_size]
        more = start + self.page_size < len(found)
        return 200, {
            "data": {
                "demarche": {
                    "id": "UHJvY2VkdXJlLTE=",
                    "number": self.demarche,
                    "title": "Aide à la création de maisons de santé",
                    "dossiers": {
                        "pageInfo": {"endCursor": str(start + len(nodes)) if nodes else None, "hasNextPage": more},
                        "nodes": nodes,
                    },
                }
            }
        }

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
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

DATA = Path(__file__).parent / "data"


@dataclass
class Raw:
    """An answer that is not JSON: a signed token, a redirection."""

    body: str
    content_type: str = "text/plain"
    headers: dict[str, str] = field(default_factory=dict)


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
        raw = payload if isinstance(payload, Raw) else Raw(json.dumps(payload), "application/json")
        data = raw.body.encode()
        self.send_response(status)
        self.send_header("Content-Type", raw.content_type)
        for name, value in raw.headers.items():
            self.send_header(name, value)
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


# --- ProConnect (OpenID Connect) -----------------------------------------------------------------------------------


REMOVED = object()
"""In ``ProConnect.id_token_claims``: leave this claim out of the ID token."""


class ProConnect(StandIn):
    """An OpenID Connect provider shaped as ProConnect documents it: ``/authorize`` redirects back with a code,
    ``/token`` gives an RS256 ID token carrying the nonce, ``/userinfo`` answers a signed JWT
    (``application/jwt``), ``/jwks`` publishes the key.

    A test forges what a faulty or hostile provider would send: ``id_token_claims`` overrides claims of the ID token
    (``REMOVED`` leaves one out), ``token_answer`` replaces the token endpoint's JSON, ``jwks_answer`` the key set,
    ``userinfo_claims`` overrides claims of the userinfo (``claims`` are the person's)."""

    CLIENT_ID = "oasis-test"
    CLIENT_SECRET = "secret-de-test"

    def __init__(self, claims: dict[str, Any]) -> None:
        import jwt
        from cryptography.hazmat.primitives.asymmetric import rsa

        super().__init__()
        self.claims = claims
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.jwk = {
            **json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key())),
            "kid": "cle-1",
            "alg": "RS256",
            "use": "sig",
        }
        self.nonces: dict[str, str] = {}
        self.issued: set[str] = set()
        self.id_token_claims: dict[str, Any] = {}
        self.userinfo_claims: dict[str, Any] = {}
        self.token_answer: Any = None
        self.jwks_answer: Any = None

    def _sign(self, payload: dict[str, Any]) -> str:
        import jwt

        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": "cle-1"})

    def answer(
        self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        now = int(time.time())
        if path == "/api/v2/authorize":
            if query.get("client_id") != [self.CLIENT_ID] or query.get("response_type") != ["code"]:
                return 400, {"error": "invalid_request"}
            code = f"code-{len(self.nonces) + 1}"
            self.nonces[code] = query["nonce"][0]
            target = f"{query['redirect_uri'][0]}?code={code}&state={query['state'][0]}"
            return 302, Raw("", headers={"Location": target})
        if path == "/api/v2/token" and method == "POST":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            if (form.get("client_id"), form.get("client_secret")) != (self.CLIENT_ID, self.CLIENT_SECRET):
                return 401, {"error": "invalid_client"}
            nonce = self.nonces.pop(form.get("code", ""), None)
            if nonce is None:
                return 400, {"error": "invalid_grant"}
            access = f"acces-{form['code']}"
            self.issued.add(access)
            claims = {
                "iss": self.base_url + "/api/v2",
                "aud": self.CLIENT_ID,
                "sub": self.claims["sub"],
                "iat": now,
                "exp": now + 60,
                "nonce": nonce,
                "acr": "eidas1",
            }
            claims = _override(claims, self.id_token_claims)
            if self.token_answer is not None:
                return 200, self.token_answer
            return 200, {"access_token": access, "token_type": "Bearer", "expires_in": 60, "id_token": self._sign(claims)}
        if path == "/api/v2/userinfo":
            if headers.get("Authorization", "").removeprefix("Bearer ") not in self.issued:
                return 401, {"error": "invalid_token"}
            info = {**self.claims, "iss": self.base_url + "/api/v2", "aud": self.CLIENT_ID, "iat": now}
            return 200, Raw(self._sign(_override(info, self.userinfo_claims)), "application/jwt")
        if path == "/api/v2/jwks":
            return 200, {"keys": [self.jwk]} if self.jwks_answer is None else self.jwks_answer
        return 404, {"error": "not_found"}


def _override(claims: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    changed = {**claims, **overrides}
    return {name: value for name, value in changed.items() if value is not REMOVED}


def configure_proconnect(settings: Any, standin: ProConnect) -> None:
    """Point OASIS's ProConnect settings at the stand-in."""
    base = f"{standin.base_url}/api/v2"
    settings.OASIS_PROCONNECT = True
    settings.OIDC_RP_CLIENT_ID = ProConnect.CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = ProConnect.CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{base}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{base}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{base}/jwks"
    settings.OIDC_OP_ISSUER = base

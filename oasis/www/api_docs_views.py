"""The API's documentation: a DSFR page built on the server from the OpenAPI schema (no script, nothing fetched from
elsewhere), in French, in place of Swagger UI, whose colours and nested buttons fail the accessibility checks."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from oasis.api.views import api

METHODS = ("get", "post", "put", "patch", "delete")
PLACES = {"path": "chemin", "query": "paramètre d'URL", "header": "en-tête", "cookie": "cookie"}
TYPES = {"string": "texte", "integer": "entier", "number": "nombre", "boolean": "booléen", "array": "liste", "object": "objet"}
UNTAGGED = "Territoires"
STATUSES = {
    "200": "Réponse",
    "202": "Calcul en cours : redemandez l'adresse de son état",
    "400": "Requête invalide (la raison est dans `detail`)",
    "401": "Connexion requise",
    "403": "Refusé à ce compte",
    "404": "Introuvable, ou pas visible avec ce compte",
    "429": "Trop de demandes en cours : réessayez plus tard",
}
_CODE = re.compile(r"`{1,2}([^`]+)`{1,2}")


def _text(raw: str) -> SafeString:
    """The docstring's text, escaped, with its `code` spans as <code>."""
    return mark_safe(_CODE.sub(r"<code>\1</code>", escape(raw)))


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " ou ".join(_type(option) for option in schema["anyOf"] if option.get("type") != "null")
    if schema.get("type") == "array":
        return f"liste de {_type(schema.get('items', {}))}"
    return TYPES.get(str(schema.get("type", "")), str(schema.get("type", "")))


def _parameter(raw: dict[str, Any]) -> dict[str, Any]:
    schema = raw.get("schema", {})
    return {
        "name": raw["name"],
        "place": PLACES.get(raw.get("in", ""), raw.get("in", "")),
        "required": bool(raw.get("required")),
        "type": _type(schema),
        "description": _text(raw.get("description") or schema.get("description", "")),
        "default": schema.get("default"),
        "choices": schema.get("enum", []),
    }


def _response(code: str, raw: dict[str, Any]) -> dict[str, Any]:
    content = raw.get("content", {}).get("application/json", {})
    description = _text(STATUSES.get(str(code), raw.get("description", "")))
    return {"code": code, "description": description, "type": _type(content["schema"]) if content else ""}


def operations(schema: dict[str, Any]) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """The endpoints grouped by theme (their OpenAPI tag): (theme, anchor, operations)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, items in schema["paths"].items():
        for method in METHODS:
            if method not in items:
                continue
            raw = items[method]
            theme = (raw.get("tags") or [UNTAGGED])[0]
            groups.setdefault(theme, []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "anchor": raw.get("operationId", f"{method}-{path}"),
                    "summary": raw.get("summary", ""),
                    "description": _text(raw.get("description", "")),
                    "parameters": [_parameter(p) for p in raw.get("parameters", [])],
                    "responses": [_response(code, r) for code, r in raw.get("responses", {}).items()],
                    "signed_in": bool(raw.get("security")),
                    "try_url": path if method == "get" and "{" not in path else "",
                }
            )
    return [(theme, f"theme-{index}", ops) for index, (theme, ops) in enumerate(groups.items(), start=1)]


def api_docs(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema()
    models = [
        {
            "name": name,
            "description": model.get("description", ""),
            "fields": [
                {
                    "name": field,
                    "type": _type(spec),
                    "title": spec.get("title", ""),
                    "description": spec.get("description", ""),
                    "required": field in model.get("required", []),
                }
                for field, spec in model.get("properties", {}).items()
            ],
        }
        for name, model in schema.get("components", {}).get("schemas", {}).items()
    ]
    return render(
        request,
        "www/api_docs.html",
        {"info": schema["info"], "groups": operations(schema), "models": models, "schema_url": "/api/schema"},
    )

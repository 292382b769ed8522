"""Démarches simplifiées (https://www.demarches-simplifiees.fr): the dossiers of a démarche, through its GraphQL API
v2 (POST, bearer token), by pages of 100 following ``pageInfo.endCursor``, only those changed since a date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import requests

from oasis.connectors.http import ConnectorError, call, session

SERVICE = "Démarches simplifiées"
NOT_CONFIGURED = "Démarches simplifiées : aucun jeton d'API configuré (OASIS_DS_JETON)."
STATES = ("en_construction", "en_instruction", "accepte", "refuse", "sans_suite")

QUERY = """
query getDemarche($demarcheNumber: Int!, $after: String, $updatedSince: ISO8601DateTime) {
  demarche(number: $demarcheNumber) {
    id
    number
    title
    dossiers(order: ASC, first: 100, after: $after, updatedSince: $updatedSince) {
      pageInfo { endCursor hasNextPage }
      nodes {
        id
        number
        archived
        state
        dateDepot
        dateDerniereModification
        datePassageEnConstruction
        datePassageEnInstruction
        dateTraitement
        motivation
        traitements { state dateTraitement motivation }
        demandeur {
          ... on PersonnePhysique { civilite nom prenom }
          ... on PersonneMorale { siret }
        }
        champs {
          id
          label
          stringValue
          ... on DecimalNumberChamp { decimalNumber: value }
          ... on IntegerNumberChamp { integerNumber: value }
          ... on CommuneChamp { commune { name code } departement { name code } }
          ... on AddressChamp { address { label postalCode cityName cityCode departmentCode } }
        }
      }
    }
  }
}
"""


class Client:
    def __init__(self, url: str, token: str, http: requests.Session | None = None) -> None:
        if not token:
            raise ConnectorError(NOT_CONFIGURED)
        self.url = url
        self.token = token
        self.http = http or session()

    def _page(self, demarche: int, after: str | None, updated_since: datetime | None) -> dict[str, Any]:
        variables: dict[str, Any] = {"demarcheNumber": demarche, "after": after}
        if updated_since is not None:
            variables["updatedSince"] = updated_since.isoformat()
        answer = call(
            self.http,
            SERVICE,
            "POST",
            self.url,
            json={"query": QUERY, "operationName": "getDemarche", "variables": variables},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        if not isinstance(answer, dict):
            raise ConnectorError(f"{SERVICE} : réponse illisible pour la démarche {demarche}.")
        if answer.get("errors"):
            messages = "; ".join(str(error.get("message", error)) for error in answer["errors"])
            raise ConnectorError(f"{SERVICE} : démarche {demarche} : {messages}")
        demarche_data = (answer.get("data") or {}).get("demarche")
        if not demarche_data:
            raise ConnectorError(f"{SERVICE} : démarche {demarche} introuvable ou non accessible avec ce jeton.")
        return dict(demarche_data)

    def dossiers(self, demarche: int, updated_since: datetime | None = None) -> Iterator[dict[str, Any]]:
        """The dossiers of a démarche changed since ``updated_since`` (all when ``None``), oldest first."""
        after = None
        while True:
            page = self._page(demarche, after, updated_since)["dossiers"]
            yield from page["nodes"]
            if not page["pageInfo"]["hasNextPage"]:
                return
            after = page["pageInfo"]["endCursor"]

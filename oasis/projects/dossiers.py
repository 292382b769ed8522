"""Dossiers of a Démarches simplifiées démarche become OASIS projects, and their states the project's history.

Which field of the démarche gives which fact of the project is a mapping of field labels (``DEFAULT_MAPPING``, or
the JSON file named by ``OASIS_DS_CORRESPONDANCE``). A dossier is imported once (démarche + number), then followed:
each state it passes through (``traitements``) is added to the project's history once. A dossier that cannot
become a project (no commune, an unknown structure type) is reported by number and reason, never half-created.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.dateparse import parse_datetime

from oasis.audit.services import record
from oasis.connectors.demarches_simplifiees import Client
from oasis.connectors.enums import Connector
from oasis.connectors.http import ConnectorError
from oasis.connectors.runs import last_success, tracked
from oasis.projects.enums import Carrier, DossierState, ProjectKind
from oasis.projects.models import DossierDemarche, DossierStateChange, Project
from oasis.projects.services import open_project
from oasis.territories.models import Commune
from oasis.territories.text import search_key

DEFAULT_MAPPING = {
    "nom": "Nom du projet",
    "commune": "Commune d'implantation",
    "type": "Type de structure",
    "porteur": "Type de porteur",
    "nom_porteur": "Nom du porteur",
    "cout": "Coût total de l'opération",
}
"""Project fact → label of the démarche's field (docs/connecteurs.md). ``nom`` and ``commune`` are required."""

OVERLAP = timedelta(minutes=10)
"""Each synchronisation asks again for the dossiers changed shortly before the previous one started."""


def mapping() -> dict[str, str]:
    if not settings.OASIS_DS_MAPPING_FILE:
        return DEFAULT_MAPPING
    path = Path(settings.OASIS_DS_MAPPING_FILE)
    try:
        configured = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConnectorError(f"Correspondance des champs illisible ({path}) : {error}.") from error
    missing = sorted({"nom", "commune"} - set(configured))
    if missing:
        raise ConnectorError(f"Correspondance des champs ({path}) : il manque {', '.join(missing)}.")
    return {**DEFAULT_MAPPING, **configured}


class Rejected(ValueError):
    """A dossier that cannot become a project; the message says why."""


@dataclass
class ProjectFacts:
    nom: str
    commune: Commune
    kind: str
    carrier: str
    carrier_name: str
    cout: Decimal | None


def _fields(dossier: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {search_key(champ.get("label") or ""): champ for champ in dossier.get("champs") or []}


def _choice(text: str, choices: Any, what: str) -> str:
    key = search_key(text)
    for value, label in choices:
        if key in (search_key(value), search_key(label)) or search_key(label).startswith(key):
            return str(value)
    raise Rejected(f"{what} « {text} » inconnu")


def _commune(champ: dict[str, Any] | None) -> Commune:
    if champ is None:
        raise Rejected("commune non renseignée")
    code = ((champ.get("commune") or {}).get("code")) or ((champ.get("address") or {}).get("cityCode")) or ""
    commune = Commune.objects.filter(pk=code).select_related("departement").first() if code else None
    if commune is None:
        raise Rejected(f"commune « {champ.get('stringValue') or code or '—'} » inconnue d'OASIS")
    return commune


def _applicant(dossier: dict[str, Any]) -> str:
    demandeur = dossier.get("demandeur") or {}
    if demandeur.get("siret"):
        return f"SIRET {demandeur['siret']}"
    return " ".join(filter(None, [demandeur.get("prenom"), demandeur.get("nom")])) or "—"


def facts(dossier: dict[str, Any], fields_of: dict[str, str]) -> ProjectFacts:
    """What a dossier says of its project; :class:`Rejected` when a required fact is missing or unknown."""
    champs = _fields(dossier)

    def text(fact: str) -> str:
        champ = champs.get(search_key(fields_of.get(fact, "")))
        return str((champ or {}).get("stringValue") or "").strip()

    nom = text("nom")
    if not nom:
        raise Rejected(f"champ « {fields_of['nom']} » vide")
    commune = _commune(champs.get(search_key(fields_of["commune"])))
    kind = _choice(text("type"), ProjectKind.choices, "type de structure") if text("type") else ProjectKind.MSP
    carrier = _choice(text("porteur"), Carrier.choices, "type de porteur") if text("porteur") else Carrier.AUTRE
    cout_text = text("cout").replace("\u202f", "").replace(" ", "").replace(",", ".").rstrip("€")
    try:
        cout = Decimal(cout_text) if cout_text else None
    except InvalidOperation:
        raise Rejected(f"coût « {text('cout')} » illisible") from None
    return ProjectFacts(nom[:200], commune, kind, carrier, (text("nom_porteur") or _applicant(dossier))[:200], cout)


def _when(value: Any) -> datetime | None:
    return parse_datetime(str(value)) if value else None


def _states(dossier: dict[str, Any]) -> list[tuple[str, datetime, str]]:
    """Every state the dossier went through, dated: deposit, instruction, then each decision (``traitements``)."""
    states = []
    for state, key in (("en_construction", "datePassageEnConstruction"), ("en_instruction", "datePassageEnInstruction")):
        if when := _when(dossier.get(key)):
            states.append((state, when, ""))
    for traitement in dossier.get("traitements") or []:
        when = _when(traitement.get("dateTraitement"))
        if when and traitement.get("state") in DossierState.values:
            states.append((traitement["state"], when, traitement.get("motivation") or ""))
    return states


def _create_project(demarche: int, number: int, found: ProjectFacts) -> Project:
    return open_project(
        None,
        found.commune,
        [],
        f"Création depuis le dossier Démarches simplifiées n° {number} (démarche {demarche})",
        "projet.creation_ds",
        {"demarche": demarche, "dossier": number},
        nom=found.nom,
        kind=found.kind,
        carrier=found.carrier,
        carrier_name=found.carrier_name,
        collectivite_niveau="commune",
        collectivite_code=found.commune.pk,
        cout_total=found.cout,
    )


def apply(demarche: int, dossier: dict[str, Any], fields_of: dict[str, str], changes: dict[str, list[str]]) -> None:
    """Import one dossier, or follow its new states; adds to ``changes`` what it did."""
    number = int(dossier["number"])
    link = DossierDemarche.objects.filter(demarche=demarche, numero=number).select_related("project").first()
    if link is None:
        try:
            found = facts(dossier, fields_of)
        except Rejected as reason:
            changes["rejetes"].append(f"Dossier n° {number} : {reason}")
            return
        project = _create_project(demarche, number, found)
        link = DossierDemarche.objects.create(project=project, demarche=demarche, numero=number, etat=dossier["state"])
        changes["projets_crees"].append(f"Dossier n° {number} → projet « {project.nom} »")
    link.depose_le = _when(dossier.get("dateDepot"))
    link.modifie_le = _when(dossier.get("dateDerniereModification"))
    previous = link.etat
    link.etat = dossier["state"]
    link.save()
    for state, when, motivation in _states(dossier):
        _, created = DossierStateChange.objects.get_or_create(
            dossier=link, etat=state, le=when, defaults={"motivation": motivation}
        )
        if created:
            record(None, "projet.dossier_ds_etat", link.project, {"dossier": number, "etat": state})
    if previous != link.etat:
        label = DossierState(link.etat).label
        changes["etats_suivis"].append(f"Dossier n° {number} : {DossierState(previous).label} → {label}")


def _since(demarche: int) -> datetime | None:
    last = last_success(Connector.DEMARCHES_SIMPLIFIEES, f"démarche {demarche}")
    return last.started_at - OVERLAP if last else None


def synchronise(demarche: int, by: Any = None, client: Client | None = None) -> dict[str, list[str]]:
    """Import a démarche's new dossiers and follow the others: every page is read, then stored in one transaction."""
    with tracked(Connector.DEMARCHES_SIMPLIFIEES, f"démarche {demarche}", by) as run:
        fields_of = mapping()
        since = _since(demarche)
        client = client or Client(settings.OASIS_DS_URL, settings.OASIS_DS_TOKEN)
        dossiers = list(client.dossiers(demarche, since))
        changes: dict[str, list[str]] = {"projets_crees": [], "etats_suivis": [], "rejetes": []}
        with transaction.atomic():
            for dossier in dossiers:
                apply(demarche, dossier, fields_of, changes)
        run.changes = changes
        return changes


def synchronise_source(source: str, by: Any) -> dict[str, list[str]]:
    """The connectors' registry entry: ``source`` is « démarche N »."""
    return synchronise(int(source.rsplit(" ", 1)[-1]), by=by)

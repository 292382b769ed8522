"""The projet de santé, written by the porteurs section by section: saved as a draft, submitted, versioned.

A submitted version never changes: writing again opens the next version's draft, starting from the last text.
What each section covers follows the content expected of a projet de santé (article L.6323-3 CSP, cahier des charges
of the maisons de santé, ARS guides): territory and population, needs, professionals, access to care,
coordination, prevention, students, information system.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from oasis.audit.services import history, record
from oasis.concurrency import Row, digest, display_name, last_writer, moment, side_by_side
from oasis.diagnostics.services import Diagnosis
from oasis.formatting import date_longue, fr_number
from oasis.projects import notifications, perms
from oasis.projects.cahiers import telemedicine_required
from oasis.projects.conformity import cahier_for
from oasis.projects.enums import ProjetDeSanteStatus
from oasis.projects.models import Project, ProjetDeSante
from oasis.projects.services import NotAllowed

MAX_SECTION_CHARS = 20_000

NOT_WRITER = "Votre rôle ne permet pas d'écrire le projet de santé de ce projet."
UNKNOWN_SECTION = "Rubrique inconnue du projet de santé : {keys}."
SECTION_TOO_LONG = "Rubrique trop longue ({limit} caractères au plus) : {titles}."
NO_DRAFT = "Aucun brouillon à soumettre : enregistrez d'abord le projet de santé."
INCOMPLETE = "Complétez avant de soumettre : {titles}."
DRAFT_SAVED = "Brouillon enregistré (version {numero})."
SUBMITTED_MEANWHILE = (
    "La version {read} a été soumise entre-temps : vos modifications ouvrent le brouillon de la version {numero}."
)
SECTIONS_CONFLICT = (
    "Rien n'est perdu, mais ces rubriques ont été modifiées entre-temps par quelqu'un d'autre : {titles}. Votre texte "
    "y est gardé, à côté du sien : fusionnez-les puis enregistrez à nouveau. Les autres rubriques sont enregistrées."
)
SECTION_CHANGED_BY = "Modifiée entre-temps par {by} le {at}."


@dataclass(frozen=True)
class Section:
    key: str
    titre: str
    aide: str
    required: bool = True


SECTIONS = (
    Section("territoire", "Territoire et population", "Les communes desservies, leurs habitants, leur âge, leur accès."),
    Section(
        "besoins",
        "Besoins de santé du territoire",
        "Ce que montre le diagnostic : offre et besoins par profession, zonage, populations fragiles.",
    ),
    Section(
        "professionnels",
        "Professionnels et leurs engagements",
        "Qui exerce dans la structure, à quel titre, et ce que chacun s'engage à faire (l'équipe est rappelée ci-dessous).",
    ),
    Section("horaires", "Horaires d'ouverture", "Amplitude d'ouverture en semaine et le samedi matin."),
    Section("permanence", "Permanence des soins", "Participation à la permanence des soins ambulatoires (PDSA)."),
    Section("soins_non_programmes", "Soins non programmés", "Comment les demandes du jour sont reçues."),
    Section(
        "coordination",
        "Coordination",
        "Réunions de concertation, protocoles pluriprofessionnels, fonction de coordination.",
    ),
    Section("prevention", "Prévention et éducation thérapeutique", "Programmes de prévention, actions de santé publique, ETP."),
    Section("etudiants", "Accueil d'étudiants", "Maîtres de stage, stages proposés, logement des stagiaires.", required=False),
    Section(
        "telemedecine",
        "Télémédecine",
        "Téléconsultation et téléexpertise : équipement, professionnels requérants et requis, patients concernés, "
        "protocoles. Obligatoire quand le cahier des charges de la région le demande.",
        required=False,
    ),
    Section(
        "systeme_information",
        "Système d'information",
        "Dossier patient partagé (labellisé ANS), messagerie sécurisée, agenda.",
    ),
)
SECTION_KEYS = tuple(section.key for section in SECTIONS)


def _clean(sections: Mapping[str, str]) -> dict[str, str]:
    unknown = sorted(set(sections) - set(SECTION_KEYS))
    if unknown:
        raise ValueError(UNKNOWN_SECTION.format(keys=", ".join(unknown)))
    cleaned = {key: str(sections.get(key, "")).strip().replace("\r\n", "\n") for key in SECTION_KEYS}
    too_long = [section.titre for section in SECTIONS if len(cleaned[section.key]) > MAX_SECTION_CHARS]
    if too_long:
        raise ValueError(SECTION_TOO_LONG.format(limit=fr_number(MAX_SECTION_CHARS), titles=", ".join(too_long)))
    return cleaned


@dataclass(frozen=True)
class SectionConflict:
    """A section the user changed while someone else changed it too: their text, the user's, who and when."""

    section: Section
    theirs: str
    yours: str
    by: str
    at: datetime | None

    @property
    def rows(self) -> list[Row]:
        return side_by_side(self.theirs, self.yours)

    @property
    def changed_by(self) -> str:
        return SECTION_CHANGED_BY.format(by=self.by, at=moment(self.at))


class DraftConflict(ValueError):
    """Some sections were changed by someone else since the user read them: those keep the other's text, the others
    are saved; ``conflicts`` carries both texts for the user to merge."""

    def __init__(self, draft: ProjetDeSante | None, conflicts: list[SectionConflict]) -> None:
        self.draft, self.conflicts = draft, conflicts
        super().__init__(SECTIONS_CONFLICT.format(titles=", ".join(c.section.titre for c in conflicts)))


def read_digests(version: ProjetDeSante | None) -> dict[str, str]:
    """What a form carries of each section as read, for the three-way merge of ``save_draft``."""
    texts = version.sections if version is not None else {}
    return {key: digest(texts.get(key, "")) for key in SECTION_KEYS}


def next_draft_numero(version: ProjetDeSante | None) -> int:
    """The version a save would write: the open draft, or the one after the last submitted version."""
    if version is None:
        return 1
    return version.numero if version.status == ProjetDeSanteStatus.BROUILLON else version.numero + 1


def _merge(
    cleaned: dict[str, str], stored: Mapping[str, str], read: Mapping[str, str] | None
) -> tuple[dict[str, str], list[str]]:
    """Three-way merge per section of the user's text, the stored text and the digest of the text the user read:
    a section the user left as read keeps the stored text; one that only the user changed takes the user's; one
    changed on both sides differently is a conflict and keeps the stored text. Without digests, the user's text."""
    merged: dict[str, str] = {}
    conflicts: list[str] = []
    for key in SECTION_KEYS:
        mine, theirs = cleaned[key], str(stored.get(key, ""))
        base = None if read is None else read.get(key)
        if base is None or mine == theirs or digest(theirs) == base:
            merged[key] = mine
        elif digest(mine) == base:
            merged[key] = theirs
        else:
            merged[key], conflicts = theirs, [*conflicts, key]
    return merged, conflicts


def _section_writer(project: Project, key: str, latest: ProjetDeSante) -> tuple[str, datetime | None]:
    """Who saved this section last, and when, from the audit; the version's last writer otherwise."""
    saves = history(project).filter(action="projet.projet_de_sante.brouillon")[:200]
    found = last_writer(event for event in saves if key in event.details.get("rubriques", []))
    if found[1] is not None:
        return found
    return display_name(latest.updated_by), latest.updated_at


def save_draft(user: Any, project: Project, sections: Mapping[str, str], read: Mapping[str, str] | None = None) -> ProjetDeSante:
    """Save the text as the open draft, opening the next version's draft if the last one was submitted.

    ``read``: the digest of each section as the user read it (``read_digests``). Sections the user did not change keep
    the text someone else saved meanwhile; sections changed on both sides are not written: the other sections are
    saved, then ``DraftConflict`` names them with both texts. Without ``read``, the user's text is written whole."""
    if not perms.can_write_projet_de_sante(user, project):
        raise NotAllowed(NOT_WRITER)
    cleaned = _clean(sections)
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()  # one writer at a time per project
        latest = project.projet_de_sante.select_related("updated_by").order_by("-numero").first()
        before: dict[str, str] = dict(latest.sections) if latest is not None else {}
        merged, conflicting = _merge(cleaned, before, read if latest is not None else None)
        changed = [key for key in SECTION_KEYS if merged[key] != before.get(key, "")]
        conflicts = [
            SectionConflict(section, merged[section.key], cleaned[section.key], *_section_writer(project, section.key, latest))
            for section in SECTIONS
            if section.key in conflicting and latest is not None
        ]
        draft = latest if latest is not None and latest.status == ProjetDeSanteStatus.BROUILLON else None
        if conflicts and not changed:
            raise_after: DraftConflict | None = DraftConflict(draft, conflicts)
        else:
            if draft is None:
                numero = (project.projet_de_sante.aggregate(n=Max("numero"))["n"] or 0) + 1
                draft = ProjetDeSante(project=project, numero=numero)
            draft.sections = merged
            draft.updated_by = user
            draft.updated_at = timezone.now()
            draft.save()
            record(user, "projet.projet_de_sante.brouillon", project, {"version": draft.numero, "rubriques": changed})
            raise_after = DraftConflict(draft, conflicts) if conflicts else None
    if raise_after is not None:
        raise raise_after
    assert draft is not None
    return draft


def required_keys(project: Project) -> set[str]:
    """The sections required for this project: those always required, and telemedicine when the cahier des charges of
    the project's région asks for it."""
    keys = {section.key for section in SECTIONS if section.required}
    if telemedicine_required(cahier_for(project)):
        keys.add("telemedecine")
    return keys


def missing_sections(version: ProjetDeSante) -> list[str]:
    """Titles of the required sections left empty."""
    required = required_keys(version.project)
    texts = version.sections
    return [section.titre for section in SECTIONS if section.key in required and not texts.get(section.key, "").strip()]


def submit(user: Any, project: Project) -> ProjetDeSante:
    """Submit the open draft: it becomes a version that no longer changes, and those following the project are
    told."""
    if not perms.can_write_projet_de_sante(user, project):
        raise NotAllowed(NOT_WRITER)
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        draft = project.projet_de_sante.filter(status=ProjetDeSanteStatus.BROUILLON).first()
        if draft is None:
            raise ValueError(NO_DRAFT)
        missing = missing_sections(draft)
        if missing:
            raise ValueError(INCOMPLETE.format(titles=", ".join(missing)))
        draft.status = ProjetDeSanteStatus.SOUMIS
        draft.submitted_by = user
        draft.submitted_at = timezone.now()
        draft.save(update_fields=["status", "submitted_by", "submitted_at"])
        record(user, "projet.projet_de_sante.soumission", project, {"version": draft.numero})
        notifications.projet_de_sante_submitted(draft)
    return draft


def changed_since_previous(version: ProjetDeSante) -> list[str]:
    """Titles of the sections whose text differs from the version before (all of them for the first)."""
    previous = version.project.projet_de_sante.filter(numero__lt=version.numero).order_by("-numero").first()
    before = previous.sections if previous is not None else {}
    return [section.titre for section in SECTIONS if version.sections.get(section.key, "") != before.get(section.key, "")]


def needs_from_diagnosis(diagnosis: Diagnosis) -> str:
    """A first text for the « besoins » section from the diagnosis of the project's territory: population, and per
    profession the count, the density, the official APL with its source and OASIS's estimate, labelled as such."""
    demography = diagnosis.demography
    lines = [
        f"Territoire : {diagnosis.territory.nom}, {fr_number(demography.nombre_communes)} "
        f"commune{'s' if demography.nombre_communes > 1 else ''}, "
        f"{fr_number(demography.population)} habitants."
    ]
    if diagnosis.social.part_75_ans_et_plus is not None:
        lines.append(
            f"Part des 75 ans ou plus : {fr_number(diagnosis.social.part_75_ans_et_plus, 1)} % (INSEE, bassins de vie 2022)."
        )
    for profession in diagnosis.professions:
        parts = [f"{fr_number(profession.nombre)} professionnel(s)"]
        if profession.pour_10000 is not None:
            parts.append(f"{fr_number(profession.pour_10000, 1)} pour 10 000 habitants")
        if profession.officiel is not None and profession.officiel.apl is not None:
            parts.append(
                f"APL officielle {fr_number(profession.officiel.apl, 1)} {profession.officiel.unite} "
                f"({profession.officiel.source})"
            )
        if profession.apl is not None:
            parts.append(f"APL estimée par OASIS {fr_number(profession.apl, 1)} {profession.unite}")
        if profession.verdicts is not None and profession.verdicts.part_sous_dense is not None:
            share = fr_number(profession.verdicts.part_sous_dense * 100)
            parts.append(f"{share} % des habitants en commune sous-dense ({profession.verdicts.source_libelle})")
        lines.append(f"- {profession.label} : {', '.join(parts)}.")
    bpe = diagnosis.datasets.get("bpe")
    lines.append(
        f"Source : état des lieux OASIS du {date_longue(diagnosis.generated_at)}"
        + (f", professionnels {bpe.millesime}" if bpe is not None else "")
        + f", paramètres {diagnosis.parameters_version}."
    )
    return "\n".join(lines)

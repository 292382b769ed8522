"""Project documents: uploads checked (type by content, not by name; size), kept in versions, read by role."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from oasis.audit.services import record
from oasis.formatting import date_longue, taille
from oasis.projects import notifications, perms
from oasis.projects.enums import DocumentKind
from oasis.projects.models import Document, DocumentRequest, DocumentVersion, Project
from oasis.projects.services import NotAllowed

ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class FileType:
    mime: str
    signatures: tuple[bytes, ...]
    """The file must start with one of these; empty for text, which must be UTF-8 without NUL bytes."""


ACCEPTED: dict[str, FileType] = {
    ".pdf": FileType("application/pdf", (b"%PDF-",)),
    ".odt": FileType("application/vnd.oasis.opendocument.text", (ZIP,)),
    ".ods": FileType("application/vnd.oasis.opendocument.spreadsheet", (ZIP,)),
    ".docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    ".xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    ".png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    ".csv": FileType("text/csv", ()),
    ".txt": FileType("text/plain", ()),
}


REQUEST_CLOSED = "Cette demande de document n'existe pas ou a déjà reçu sa réponse."
REQUEST_NO_TITLE = "Indiquez le document demandé."
REQUEST_DUE_PAST = "L'échéance du {due} est déjà passée."
UNKNOWN_KIND = "Type de document inconnu : « {kind} »."


class RejectedFile(ValueError):
    """The upload is refused; the message names the file and the reason."""


TOO_LARGE = "« {name} » dépasse la taille maximale d'un document : {limit}."
"""The size is not given: only the first bytes beyond the limit are read (a 50 Mo file would read as 20 Mo)."""


def check_file(name: str, content: bytes) -> FileType:
    """The accepted type of an upload, or RejectedFile saying why not."""
    extension = PurePath(name).suffix.lower()
    kind = ACCEPTED.get(extension)
    if kind is None:
        accepted = ", ".join(sorted(ext.lstrip(".") for ext in ACCEPTED))
        raise RejectedFile(f"« {name} » : type de fichier non accepté (acceptés : {accepted}).")
    if not content:
        raise RejectedFile(f"« {name} » : fichier vide.")
    limit = int(settings.OASIS_DOCUMENT_MAX_BYTES)
    if len(content) > limit:
        raise RejectedFile(TOO_LARGE.format(name=name, limit=taille(limit)))
    if kind.signatures and not content.startswith(kind.signatures):
        raise RejectedFile(f"« {name} » : le contenu ne correspond pas à un fichier {extension.lstrip('.').upper()}.")
    if not kind.signatures:
        if b"\x00" in content:
            raise RejectedFile(f"« {name} » : fichier binaire, pas un texte.")
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as error:
            line = content[: error.start].count(b"\n") + 1
            raise RejectedFile(f"« {name} », ligne {line} : le texte n'est pas en UTF-8.") from error
    return kind


def visible_documents(user: Any, project: Project) -> QuerySet[Document]:
    documents = project.documents.all()
    return documents if perms.can_see_restricted(user, project) else documents.filter(restreint=False)


def _store(document: Document, user: Any, name: str, content: bytes, kind: FileType) -> DocumentVersion:
    digest = hashlib.sha256(content).hexdigest()
    last = document.versions.order_by("-numero").first()
    if last is not None and last.sha256 == digest:
        raise RejectedFile(f"« {name} » est identique à la version {last.numero} : rien n'a été ajouté.")
    version = DocumentVersion(
        document=document,
        numero=(last.numero + 1) if last else 1,
        nom_original=PurePath(name).name[:255],
        taille=len(content),
        type_mime=kind.mime,
        sha256=digest,
        uploaded_by=user,
    )
    version.fichier.save(name, ContentFile(content), save=False)
    version.save()
    return version


def upload(
    user: Any,
    project: Project,
    kind: str,
    titre: str,
    name: str,
    content: bytes,
    restreint: bool = False,
    answers: int | None = None,
) -> Document:
    """A new document with its first version; ``answers``: the open request (DocumentRequest) it answers."""
    if not perms.can_upload(user, project):
        raise NotAllowed("Votre rôle ne permet pas de déposer un document.")
    demande = None
    if answers is not None:
        demande = project.document_requests.filter(pk=answers, answered_at__isnull=True).first()
        if demande is None:
            raise ValueError(REQUEST_CLOSED)
    if kind not in DocumentKind.values:
        raise ValueError(UNKNOWN_KIND.format(kind=kind))
    if restreint and not perms.can_see_restricted(user, project):
        raise NotAllowed("Seul le Département peut réserver un document.")
    file_type = check_file(name, content)
    with transaction.atomic():
        document = Document.objects.create(project=project, kind=kind, titre=titre.strip() or name, restreint=restreint)
        version = _store(document, user, name, content, file_type)
        details = {"document": document.pk, "version": 1, "sha256": version.sha256}
        if demande is not None:
            demande.document, demande.answered_at = document, timezone.now()
            demande.save(update_fields=["document", "answered_at"])
            details["demande"] = demande.pk
        record(user, "projet.document.depot", project, details)
        notifications.document_added(version)
    return document


def request_document(user: Any, project: Project, kind: str, titre: str, due: date | None) -> DocumentRequest:
    """Ask the porteurs and the commune for a document; those following the project are told."""
    if not perms.can_edit(user, project):
        raise NotAllowed("Votre rôle ne permet pas de demander un document.")
    if kind not in DocumentKind.values:
        raise ValueError(UNKNOWN_KIND.format(kind=kind))
    if not titre.strip():
        raise ValueError(REQUEST_NO_TITLE)
    if due is not None and due < timezone.localdate():
        raise ValueError(REQUEST_DUE_PAST.format(due=date_longue(due)))
    with transaction.atomic():
        demande = DocumentRequest.objects.create(
            project=project, kind=kind, titre=titre.strip()[:200], due=due, requested_by=user
        )
        record(user, "projet.document.demande", project, {"demande": demande.pk, "titre": demande.titre})
        notifications.document_requested(demande)
    return demande


def withdraw_request(user: Any, project: Project, request_id: int) -> None:
    if not perms.can_edit(user, project):
        raise NotAllowed("Votre rôle ne permet pas de retirer une demande de document.")
    demande = project.document_requests.filter(pk=request_id, answered_at__isnull=True).first()
    if demande is None:
        raise ValueError(REQUEST_CLOSED)
    with transaction.atomic():
        record(user, "projet.document.demande.retrait", project, {"demande": demande.pk, "titre": demande.titre})
        demande.delete()


def add_version(user: Any, project: Project, document_id: int, name: str, content: bytes) -> DocumentVersion:
    if not perms.can_upload(user, project):
        raise NotAllowed("Votre rôle ne permet pas de déposer un document.")
    document = visible_documents(user, project).filter(pk=document_id).first()
    if document is None:
        raise ValueError("Document introuvable.")
    file_type = check_file(name, content)
    with transaction.atomic():
        version = _store(document, user, name, content, file_type)
        record(
            user,
            "projet.document.version",
            project,
            {"document": document.pk, "version": version.numero, "sha256": version.sha256},
        )
        notifications.document_added(version)
    return version


def open_version(user: Any, project: Project, document_id: int, numero: int | None = None) -> DocumentVersion:
    """The version to download (the latest by default); the access is recorded."""
    document = visible_documents(user, project).filter(pk=document_id).first()
    if document is None:
        raise ValueError("Document introuvable.")
    versions = document.versions.order_by("-numero")
    version = versions.filter(numero=numero).first() if numero is not None else versions.first()
    if version is None:
        raise ValueError("Version introuvable.")
    if not version.fichier.storage.exists(version.fichier.name):
        raise ValueError(
            f"Le fichier de « {document.titre} » (version {version.numero}) est absent du serveur : "
            "prévenez l'administrateur d'OASIS (sauvegarde restaurée sans ses documents ?)."
        )
    record(user, "projet.document.lecture", project, {"document": document.pk, "version": version.numero})
    return version


def delete(user: Any, project: Project, document_id: int) -> None:
    if not perms.can_edit(user, project):
        raise NotAllowed("Seul le Département peut supprimer un document.")
    document = project.documents.filter(pk=document_id).first()
    if document is None:
        raise ValueError("Document introuvable.")
    files = [version.fichier for version in document.versions.all()]
    with transaction.atomic():
        record(
            user,
            "projet.document.suppression",
            project,
            {"document": document.pk, "titre": document.titre, "versions": len(files)},
        )
        document.delete()
        transaction.on_commit(lambda: [stored.delete(save=False) for stored in files])

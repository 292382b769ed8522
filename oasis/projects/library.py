"""Each Département's library of reference texts (schéma départemental des solidarités, plan santé, SDAASP, the ARS
cahier des charges…): uploaded once by its officers, linked from the projects they concern, listed publicly when
marked public.

Who reads a text: everyone when it is public; otherwise the Département's officers, the ARS and CPAM of its région,
administrators, and whoever sees a project it is linked to (a porteur reads the cahier linked to their project)."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet

from oasis.accounts.enums import Role
from oasis.accounts.models import role_of
from oasis.audit.services import record
from oasis.projects import perms
from oasis.projects.documents import check_file
from oasis.projects.enums import ReferenceKind
from oasis.projects.models import Project, ReferenceText
from oasis.projects.services import NotAllowed
from oasis.territories.models import Departement

NOT_OFFICER = "Seuls les chargés de mission du Département gèrent sa bibliothèque de textes de référence."
UNKNOWN_KIND = "Type de texte inconnu : « {kind} »."
NO_TITLE = "Indiquez le titre du texte."
DUPLICATE = "Ce fichier est déjà dans la bibliothèque : « {titre} »."
NOT_IN_LIBRARY = "Ce texte n'est pas dans la bibliothèque du Département du projet."


def can_manage(user: Any, departement_code: str) -> bool:
    role = role_of(user)
    return role == Role.ADMINISTRATEUR or (role == Role.DEPARTEMENT and user.profile.departement_id == departement_code)


def readable(user: Any, departement_code: str | None = None) -> QuerySet[ReferenceText]:
    """The texts this user may read (of one Département, or all)."""
    texts = ReferenceText.objects.select_related("departement")
    if departement_code is not None:
        texts = texts.filter(departement_id=departement_code)
    role = role_of(user)
    if role == Role.ADMINISTRATEUR:
        return texts
    allowed = Q(public=True) | Q(projects__in=perms.visible_projects(user))
    profile = getattr(user, "profile", None)
    if role == Role.DEPARTEMENT and profile is not None:
        allowed |= Q(departement_id=profile.departement_id)
    if role in (Role.ARS, Role.CPAM) and profile is not None:
        allowed |= Q(departement__region_id=profile.region_id)
    return texts.filter(allowed).distinct()


def upload(
    user: Any,
    departement_code: str,
    kind: str,
    titre: str,
    adopte_le: date | None,
    public: bool,
    name: str,
    content: bytes,
) -> ReferenceText:
    """Add a text to the library (the file checked as project documents are); audited."""
    if not can_manage(user, departement_code):
        raise NotAllowed(NOT_OFFICER)
    departement = Departement.objects.get(pk=departement_code)
    if kind not in ReferenceKind.values:
        raise ValueError(UNKNOWN_KIND.format(kind=kind))
    file_type = check_file(name, content)
    digest = hashlib.sha256(content).hexdigest()
    same = ReferenceText.objects.filter(departement=departement, sha256=digest).first()
    if same is not None:
        raise ValueError(DUPLICATE.format(titre=same.titre))
    titre = titre.strip() or ReferenceKind(kind).label
    with transaction.atomic():
        text = ReferenceText(
            departement=departement,
            kind=kind,
            titre=titre[:200],
            adopte_le=adopte_le,
            public=public,
            nom_original=PurePath(name).name[:255],
            taille=len(content),
            type_mime=file_type.mime,
            sha256=digest,
            uploaded_by=user,
        )
        text.fichier.save(name, ContentFile(content), save=False)
        text.save()
        record(user, "bibliotheque.ajout", text, {"titre": text.titre, "type": kind, "public": public})
    return text


def set_public(user: Any, text: ReferenceText, public: bool) -> None:
    if not can_manage(user, text.departement_id):
        raise NotAllowed(NOT_OFFICER)
    with transaction.atomic():
        record(user, "bibliotheque.diffusion", text, {"avant": text.public, "apres": public})
        text.public = public
        text.save(update_fields=["public"])


def remove(user: Any, text: ReferenceText) -> None:
    if not can_manage(user, text.departement_id):
        raise NotAllowed(NOT_OFFICER)
    with transaction.atomic():
        record(user, "bibliotheque.suppression", text, {"titre": text.titre})
        text.fichier.delete(save=False)
        text.delete()


def link(user: Any, project: Project, text_ids: list[int]) -> None:
    """Set the library texts linked to the project (those of its Département); audited."""
    if not perms.can_edit(user, project):
        raise NotAllowed("Votre rôle ne permet pas de modifier ce projet.")
    texts = list(ReferenceText.objects.filter(pk__in=text_ids, departement_id=project.departement_id))
    if len(texts) != len(set(text_ids)):
        raise ValueError(NOT_IN_LIBRARY)
    with transaction.atomic():
        before = sorted(project.reference_texts.values_list("pk", flat=True))
        project.reference_texts.set(texts)
        record(user, "projet.textes_de_reference", project, {"avant": before, "apres": sorted(t.pk for t in texts)})


def linked(user: Any, project: Project) -> list[ReferenceText]:
    """The texts linked to the project: whoever sees the project reads them."""
    if not perms.can_view(user, project):
        return []
    return list(project.reference_texts.all())

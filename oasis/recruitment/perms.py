"""Who may see and do what in recruitment. Pages and API call these same functions.

- administrateur: everything;
- Département: the candidates, agreements, visits, campaigns and vacancies of their département;
- ARS / CPAM: the vacancies of their région (no candidate data); an ARS délégation départementale, those of its
  département;
- commune / EPCI: the vacancies of their territory, which they may also publish (no candidate data);
- professionnel: their own candidate file (read, export) and the open vacancies;
- anyone else: nothing (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from oasis.accounts.enums import Role
from oasis.accounts.models import role_of
from oasis.recruitment.enums import VacancyStatus
from oasis.recruitment.models import AidAgreement, Campaign, Candidate, CandidateQuerySet, Vacancy


def _departement(user: Any) -> str | None:
    profile = getattr(user, "profile", None)
    return profile.departement_id if profile is not None else None


def visible_candidates(user: Any) -> CandidateQuerySet:
    role = role_of(user)
    candidates = Candidate.objects.all()
    if role == Role.ADMINISTRATEUR:
        return candidates
    if role == Role.DEPARTEMENT:
        return candidates.filter(departement_id=_departement(user))
    if role == Role.PROFESSIONNEL:
        return candidates.filter(user=user)
    return candidates.none()


def can_manage_candidates(user: Any) -> bool:
    """Create and edit candidates, agreements, visits and campaigns."""
    return role_of(user) in (Role.ADMINISTRATEUR, Role.DEPARTEMENT)


def is_admin(user: Any) -> bool:
    return role_of(user) == Role.ADMINISTRATEUR


def can_manage_in(user: Any, departement: str) -> bool:
    role = role_of(user)
    return role == Role.ADMINISTRATEUR or (role == Role.DEPARTEMENT and _departement(user) == departement)


def can_manage(user: Any, candidate: Candidate) -> bool:
    return can_manage_candidates(user) and visible_candidates(user).filter(pk=candidate.pk).exists()


def visible_agreements(user: Any) -> QuerySet[AidAgreement]:
    return AidAgreement.objects.filter(candidate__in=visible_candidates(user))


def visible_vacancies(user: Any) -> QuerySet[Vacancy]:
    role = role_of(user)
    vacancies = Vacancy.objects.all()
    profile = getattr(user, "profile", None)
    if role == Role.ADMINISTRATEUR:
        return vacancies
    if role == Role.DEPARTEMENT:
        return vacancies.filter(departement_id=_departement(user))
    if role == Role.ARS_DD:
        return vacancies.filter(departement_id=_departement(user))
    if role in (Role.ARS, Role.CPAM) and profile is not None:
        return vacancies.filter(commune__region_id=profile.region_id)
    if role == Role.COLLECTIVITE and profile is not None:
        if profile.collectivite_niveau == "epci":
            return vacancies.filter(commune__epci_id=profile.collectivite_code)
        return vacancies.filter(Q(commune_id=profile.collectivite_code) | Q(commune__commune_parent_id=profile.collectivite_code))
    if role == Role.PROFESSIONNEL:
        return vacancies.filter(statut=VacancyStatus.OUVERT)
    return vacancies.none()


def can_publish_vacancy_in(user: Any, commune: Any) -> bool:
    role = role_of(user)
    profile = getattr(user, "profile", None)
    if role == Role.ADMINISTRATEUR:
        return True
    if role == Role.DEPARTEMENT:
        return bool(commune.departement_id == _departement(user))
    if role == Role.COLLECTIVITE and profile is not None:
        if profile.collectivite_niveau == "epci":
            return bool(commune.epci_id == profile.collectivite_code)
        return profile.collectivite_code in (commune.pk, commune.commune_parent_id)  # Paris, Lyon, Marseille: theirs
    return False


def can_edit_vacancy(user: Any, vacancy: Vacancy) -> bool:
    return can_publish_vacancy_in(user, vacancy.commune) and visible_vacancies(user).filter(pk=vacancy.pk).exists()


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    role = role_of(user)
    if role == Role.ADMINISTRATEUR:
        return Campaign.objects.all()
    if role == Role.DEPARTEMENT:
        return Campaign.objects.filter(departement_id=_departement(user))
    return Campaign.objects.none()

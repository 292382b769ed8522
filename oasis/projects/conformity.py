"""Team composition and projet de santé checklist against the région's cahier des charges."""

from __future__ import annotations

from dataclasses import dataclass

from oasis.projects.enums import AUXILIAIRES_MEDICAUX, MemberProfession, MemberStatus, ProjectKind
from oasis.projects.models import CAHIER_KINDS, CahierDesCharges, Project

ACTIVE = (MemberStatus.ASSOCIE, MemberStatus.SALARIE)


@dataclass(frozen=True)
class Check:
    code: str
    categorie: str
    libelle: str
    met: bool
    detail: str = ""
    optional: bool = False  # listed by the région without being required (« facultatif »): never counted missing


@dataclass(frozen=True)
class Conformity:
    cahier: CahierDesCharges
    checks: list[Check]

    @property
    def met(self) -> list[Check]:
        return [check for check in self.checks if check.met]

    @property
    def missing(self) -> list[Check]:
        return [check for check in self.checks if not check.met and not check.optional]

    @property
    def required(self) -> list[Check]:
        return [check for check in self.checks if not check.optional]

    @property
    def conforme(self) -> bool:
        return not self.missing


NO_RULES = "Aucun cahier des charges n'est défini : un administrateur doit en saisir un (règles par défaut ou par région)."


def cahier_for(project: Project) -> CahierDesCharges | None:
    """The région's rules for the project's kind of structure, else the national default for that kind: a centre de
    santé is judged by the centres de santé's rules (salaried staff is what it is), never by the MSP's."""
    kind = project.kind if project.kind in CAHIER_KINDS else ProjectKind.MSP
    return (
        CahierDesCharges.objects.filter(region_id=project.region_id, kind=kind).first()
        or CahierDesCharges.objects.filter(region__isnull=True, kind=kind).first()
    )


def evaluate(project: Project) -> Conformity | None:
    """The project against its région's rules; None when no rule set exists (pages then say so)."""
    cahier = cahier_for(project)
    if cahier is None:
        return None
    team = list(project.team.all())
    active = [m for m in team if m.status in ACTIVE]
    generalistes = sum(1 for m in active if m.profession == MemberProfession.GENERALISTE)
    auxiliaires = sum(1 for m in active if m.profession in AUXILIAIRES_MEDICAUX)
    associes = sum(1 for m in team if m.status == MemberStatus.ASSOCIE)
    salaries = sum(1 for m in team if m.status == MemberStatus.SALARIE)
    pressentis = sum(1 for m in team if m.status == MemberStatus.PRESSENTI)
    checks = [
        Check(
            "equipe-generalistes",
            "Équipe",
            f"Au moins {cahier.min_generalistes} médecin{'s' if cahier.min_generalistes > 1 else ''} "
            f"généraliste{'s' if cahier.min_generalistes > 1 else ''}",
            generalistes >= cahier.min_generalistes,
            f"{generalistes} membre(s) associé(s) ou salarié(s)"
            + (f", {pressentis} pressenti(s) non comptés" if pressentis else ""),
        ),
        Check(
            "equipe-auxiliaires",
            "Équipe",
            f"Au moins {cahier.min_auxiliaires} auxiliaire(s) médical(aux)",
            auxiliaires >= cahier.min_auxiliaires,
            f"{auxiliaires} auxiliaire(s) médical(aux)",
        ),
    ]
    if cahier.salaries_moins_que_associes:
        checks.append(
            Check(
                "equipe-salaries",
                "Équipe",
                "Moins de salariés que d'associés libéraux",
                salaries < associes,
                f"{salaries} salarié(s), {associes} associé(s) libéral(aux)",
            )
        )
    answers = {answer.code: answer for answer in project.checklist.all()}
    for item in cahier.items:
        answer = answers.get(item["code"])
        checks.append(
            Check(
                item["code"],
                item.get("categorie", ""),
                item["libelle"],
                bool(answer and answer.met),
                answer.comment if answer else "",
                optional=bool(item.get("facultatif")),
            )
        )
    return Conformity(cahier, checks)

"""An RPPS number checked against the Annuaire santé: who the professional is according to the latest imported
extract (profession, specialty, places of practice), beside what the person declared."""

from __future__ import annotations

from dataclasses import dataclass, field

from oasis.references.enums import ReferenceKind
from oasis.references.models import ReferenceImport, RppsActivite
from oasis.territories.text import search_key


@dataclass
class RppsCheck:
    rpps: str
    reference: ReferenceImport | None
    activities: list[RppsActivite] = field(default_factory=list)
    declared_profession: str = ""

    @property
    def found(self) -> bool:
        return bool(self.activities)

    @property
    def source(self) -> str:
        if self.reference is None:
            return "Aucune extraction de l'Annuaire santé importée : numéro non vérifiable."
        return f"{self.reference.source}, {self.reference.millesime}"

    @property
    def profession_matches(self) -> bool | None:
        """Whether the declared profession is one the Annuaire gives (None when nothing to compare)."""
        if not self.found or not self.declared_profession:
            return None
        declared = search_key(self.declared_profession)
        return any(_same_profession(declared, search_key(a.profession), search_key(a.savoir_faire)) for a in self.activities)


def _same_profession(declared: str, profession: str, savoir_faire: str) -> bool:
    """« Médecin généraliste » vs « Médecin » + « Médecine générale »; « Infirmier(ère) » vs « Infirmier »…"""
    if "medecin" in declared:
        if not profession.startswith("medecin"):
            return False
        return "general" in savoir_faire or not savoir_faire if "generaliste" in declared else True
    return declared.split()[0][:6] == profession.split()[0][:6] if profession else False


def check_all(numbers: list[tuple[str, str]]) -> list[RppsCheck | None]:
    """The Annuaire santé's answer for each (RPPS number, declared profession), None for an empty number; two queries
    whatever the number of people (a team's page lists them all)."""
    wanted = {rpps for rpps, _ in numbers if rpps}
    if not wanted:
        return [None] * len(numbers)
    by_number: dict[str, list[RppsActivite]] = {}
    for activity in RppsActivite.objects.filter(rpps__in=wanted).select_related("reference").order_by("pk"):
        by_number.setdefault(activity.rpps, []).append(activity)
    # The activities kept are the latest import's; a number without any is said unknown to that extract.
    latest = ReferenceImport.objects.latest_of(ReferenceKind.RPPS)
    return [
        RppsCheck(rpps, by_number[rpps][0].reference if rpps in by_number else latest, by_number.get(rpps, []), declared)
        if rpps
        else None
        for rpps, declared in numbers
    ]


def check(rpps: str, declared_profession: str = "") -> RppsCheck | None:
    """The Annuaire santé's answer for one number (None for an empty one)."""
    return check_all([(rpps, declared_profession)])[0]

"""A user's role and the territory it covers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from oasis.accounts.enums import REGIONAL_ROLES, Role
from oasis.territories.services import TerritoryNotFound, get_territory


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name="utilisateur"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    departement = models.ForeignKey(
        "territories.Departement",
        verbose_name="département",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Département (chargé de mission du Département, délégation départementale de l'ARS)",
    )
    region = models.ForeignKey(
        "territories.Region",
        verbose_name="région",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Région (ARS, CPAM, URPS, Ordre, Préfecture ; celle du département pour une délégation départementale)",
    )
    collectivite_niveau = models.CharField(
        "niveau de la collectivité", max_length=10, blank=True, choices=[("commune", "Commune"), ("epci", "EPCI")]
    )
    collectivite_code = models.CharField(
        "code de la collectivité", max_length=9, blank=True, help_text="Code INSEE de la commune ou SIREN de l'EPCI"
    )
    organisation = models.CharField("organisation", max_length=200, blank=True)

    class Meta:
        verbose_name = "profil"

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._region_of_departement()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.role == Role.DEPARTEMENT and self.departement_id is None:
            raise ValidationError("Un chargé de mission du Département doit être rattaché à un département.")
        if self.role == Role.ARS_DD:
            if self.departement_id is None:
                raise ValidationError("Un agent d'une délégation départementale de l'ARS doit être rattaché à un département.")
            self._region_of_departement()
        if self.role in REGIONAL_ROLES and self.region_id is None:
            raise ValidationError(f"Un utilisateur « {Role(self.role).label} » doit être rattaché à une région.")
        if self.role == Role.COLLECTIVITE and not (self.collectivite_niveau and self.collectivite_code):
            raise ValidationError("Un élu ou agent doit être rattaché à une commune ou un EPCI.")

    def _region_of_departement(self) -> None:
        """A délégation départementale belongs to the ARS of its département's région, whatever was entered."""
        departement = self.departement if self.departement_id is not None else None
        if self.role == Role.ARS_DD and departement is not None:
            self.region_id = departement.region_id

    @property
    def scope_label(self) -> str:
        if self.role in (Role.DEPARTEMENT, Role.ARS_DD) and self.departement:
            return f"{self.departement.nom} ({self.departement_id})"
        if self.role in REGIONAL_ROLES and self.region:
            return self.organisation or self.region.nom
        if self.role == Role.COLLECTIVITE:
            try:
                return get_territory(self.collectivite_niveau, self.collectivite_code).nom
            except TerritoryNotFound:
                return f"{self.get_collectivite_niveau_display()} {self.collectivite_code}"
        if self.role == Role.PORTEUR:
            return self.organisation or Role.PORTEUR.label
        return "France"


def role_of(user: object) -> str | None:
    """The user's role, or None for an anonymous user or one without a profile."""
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "profile", None)
    if profile is None:
        return Role.ADMINISTRATEUR.value if getattr(user, "is_superuser", False) else None
    return str(profile.role)


class ProConnectIdentity(models.Model):
    """The ProConnect identity (``sub``) bound to an account at its first ProConnect sign-in.

    Once bound, the account is found by this ``sub``, whatever e-mail ProConnect gives later; an account bound to one
    ``sub`` is never signed in by another identity that shows the same e-mail.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proconnect")
    sub = models.CharField("identifiant ProConnect (sub)", max_length=255, unique=True)
    linked_at = models.DateTimeField("liée le", auto_now_add=True)

    class Meta:
        verbose_name = "identité ProConnect"
        verbose_name_plural = "identités ProConnect"

    def __str__(self) -> str:
        return f"{self.user} ↔ ProConnect"


class HeavyRequest(models.Model):
    """A request computed on the spot, asked by a visitor who is not signed in: it counts for its client address while
    it runs and for a minute after it started (``throttling.py``), then is purged."""

    address = models.CharField("adresse du client", max_length=64)
    started_at = models.DateTimeField("début")
    finished_at = models.DateTimeField("fin", null=True, blank=True)

    class Meta:
        verbose_name = "requête lourde anonyme"
        verbose_name_plural = "requêtes lourdes anonymes"
        indexes = [models.Index(fields=["address", "started_at"]), models.Index(fields=["started_at"])]

    def __str__(self) -> str:
        return f"{self.address} ({self.started_at:%Y-%m-%d %H:%M:%S})"

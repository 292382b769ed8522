"""The Département's contact for professionals who consider settling in its territory, entered once by its officers."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DepartementContact(models.Model):
    """Whom a professional calls or writes to about settling in a département (shown on its public pages)."""

    departement = models.OneToOneField(
        "territories.Departement", on_delete=models.CASCADE, primary_key=True, related_name="contact_installation"
    )
    nom = models.CharField("nom et prénom", max_length=200)
    fonction = models.CharField(max_length=200, default="Chargé(e) de mission démographie médicale")
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    adresse = models.CharField("adresse postale (facultatif)", max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "contact installation du Département"
        verbose_name_plural = "contacts installation des Départements"

    def __str__(self) -> str:
        return f"Contact installation — {self.departement_id}"

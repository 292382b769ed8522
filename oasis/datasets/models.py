"""What data is loaded, from which sources and vintages, and every load that was attempted."""

from __future__ import annotations

from django.db import models


class Dataset(models.Model):
    """Provenance of one loaded dataset, cited beside every figure that uses it."""

    key = models.CharField(max_length=40, primary_key=True)
    titre = models.CharField(max_length=300)
    producteur = models.CharField(max_length=300)
    millesime = models.CharField("millésime", max_length=100)
    licence = models.CharField(max_length=100)
    url = models.URLField(max_length=300)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = "jeu de données"
        verbose_name_plural = "jeux de données"

    def __str__(self) -> str:
        return f"{self.titre} ({self.millesime})"


class BundleLoad(models.Model):
    """One successful load of a data bundle (an import that fails leaves no row and no data)."""

    bundle_sha256 = models.CharField(max_length=64, db_index=True)
    source = models.CharField(max_length=500)
    loaded_at = models.DateTimeField(auto_now_add=True)
    duration_seconds = models.FloatField()
    rows = models.JSONField(default=dict)

    class Meta:
        ordering = ["-loaded_at"]
        get_latest_by = "loaded_at"
        verbose_name = "chargement du paquet de données"

    def __str__(self) -> str:
        return f"{self.bundle_sha256[:12]} ({self.loaded_at:%Y-%m-%d %H:%M})"

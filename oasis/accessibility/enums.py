from django.db import models


class Variante(models.TextChoices):
    ENSEMBLE = "ensemble", "Tous les praticiens"
    MOINS_65 = "moins-65", "Praticiens de 65 ans et moins"


class ModePratique(models.TextChoices):
    LIBERAL = "liberal", "Libéral"
    CENTRE_DE_SANTE = "centre-de-sante", "Salarié en centre de santé"

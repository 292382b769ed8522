from django.db import models


class Connector(models.TextChoices):
    AIDES_TERRITOIRES = "aides-territoires", "Aides-territoires"
    DEMARCHES_SIMPLIFIEES = "demarches-simplifiees", "Démarches simplifiées"


class SyncStatus(models.TextChoices):
    EN_COURS = "en-cours", "En cours"
    REUSSIE = "reussie", "Réussie"
    ECHEC = "echec", "Échec (rien n'a été importé)"


class AideStatus(models.TextChoices):
    OUVERTE = "ouverte", "Ouverte"
    EXPIREE = "expiree", "Date limite dépassée"
    RETIREE = "retiree", "Retirée d'Aides-territoires"


class PerimeterScale(models.TextChoices):
    """Aides-territoires' scales of a perimeter, as OASIS matches them with its territories."""

    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "Département"
    REGION = "region", "Région"
    NATIONAL = "national", "France entière"
    AUTRE = "autre", "Autre périmètre (non reconnu)"

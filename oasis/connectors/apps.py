from django.apps import AppConfig


class ConnectorsConfig(AppConfig):
    name = "oasis.connectors"
    verbose_name = "Connecteurs (Aides-territoires, Démarches simplifiées)"

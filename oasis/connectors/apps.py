from django.apps import AppConfig


class ConnectorsConfig(AppConfig):
    name = "oasis.connectors"
    verbose_name = "Connecteurs (Aides-territoires, Démarches simplifiées)"

    def ready(self) -> None:
        from oasis.connectors.aides_territoires import synchronise_source
        from oasis.connectors.enums import Connector
        from oasis.connectors.registry import register

        register(Connector.AIDES_TERRITOIRES, synchronise_source)

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "oasis.projects"
    label = "projects"
    verbose_name = "Projets de maisons et centres de santé"

    def ready(self) -> None:
        from oasis.connectors.signals import aides_stored
        from oasis.projects.aides import feed_funding_tools

        aides_stored.connect(feed_funding_tools, dispatch_uid="projects.feed_funding_tools")

        from oasis.connectors.enums import Connector
        from oasis.connectors.registry import register
        from oasis.projects.dossiers import synchronise_source

        register(Connector.DEMARCHES_SIMPLIFIEES, synchronise_source)

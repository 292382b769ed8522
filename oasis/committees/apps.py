from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "oasis.committees"
    verbose_name = "Comités régionaux de sélection"

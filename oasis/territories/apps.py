from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "oasis.territories"
    label = "territories"
    verbose_name = "Territoires"

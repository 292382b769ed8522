from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "oasis.planning"
    label = "planning"
    verbose_name = "Implantation de maisons de santé"

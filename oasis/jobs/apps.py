from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "oasis.jobs"
    verbose_name = "Travaux en arrière-plan"

from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "oasis.recruitment"
    label = "recruitment"
    verbose_name = "Recrutement de professionnels de santé"
